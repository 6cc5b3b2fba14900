"""Docker cannot run here, so the Dockerfile's structure is checked instead."""

import re

from .test_cli import REPO


def instructions():
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_every_copied_path_exists():
    copies = [rest.split()[:-1] for word, rest in instructions() if word == "COPY"]
    assert copies
    for sources in copies:
        for source in sources:
            assert (REPO / source).exists(), source


def test_layers_runtime_user_and_healthcheck():
    steps = instructions()
    words = [w for w, _ in steps]
    args = dict((r.split("=")[0].split()[0], r) for w, r in steps if w == "ARG")
    assert "python:3.11-slim" in args["BASE"] and "cpu" in args["TORCH_INDEX"]
    # Dependencies are installed before the code is copied (layer caching).
    first_install = next(i for i, (w, r) in enumerate(steps) if w == "RUN" and "pip install" in r)
    code_copy = next(i for i, (w, r) in enumerate(steps) if w == "COPY" and r.startswith("bot "))
    assert first_install < code_copy
    assert any(w == "COPY" and "models/fishbot-vi" in r for w, r in steps)
    assert any(w == "COPY" and r.startswith("intents") for w, r in steps)
    user = [r for w, r in steps if w == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert any(w == "VOLUME" and "/data" in r for w, r in steps)
    health = [r for w, r in steps if w == "HEALTHCHECK"]
    assert health and "selfcheck" in health[0]
    assert words[-1] == "CMD" and "run" in steps[-1][1]


def test_selfcheck_command_works(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "FISHBOT_DB": str(tmp_path / "db.sqlite3")}
    run = subprocess.run([sys.executable, "-m", "bot", "selfcheck"], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert run.returncode == 0 and run.stdout.startswith("OK"), run.stderr
    (tmp_path / "dir.sqlite3").mkdir()
    env["FISHBOT_DB"] = str(tmp_path / "dir.sqlite3")
    bad = subprocess.run([sys.executable, "-m", "bot", "selfcheck"], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert bad.returncode == 4 and "Database problem" in bad.stderr and "Traceback" not in bad.stderr
