"""`fishbot intents lint`: the shipped intents are clean at error level; planted mistakes are caught."""

import json
import subprocess
import sys

from .test_cli import REPO


def lint(*args, intents=None):
    cmd = [sys.executable, "-m", "bot", "intents", "lint", "--json", *args]
    if intents:
        cmd += ["--intents", str(intents)]
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=600)
    return run.returncode, json.loads(run.stdout)


def test_shipped_intents_have_no_errors():
    code, findings = lint()
    assert code == 0
    assert not [f for f in findings if f["level"] == "error"]


def add_example(intents_copy, sign: str, example: str) -> None:
    """Plant ``example`` as the first example of ``sign`` in the copied symptoms.yaml."""
    path = intents_copy / "symptoms.yaml"
    head, tail = path.read_text(encoding="utf-8").split(f"  - id: {sign}", 1)
    tail = tail.replace("    examples:\n", f"    examples:\n      - {example}\n", 1)
    path.write_text(f"{head}  - id: {sign}{tail}", encoding="utf-8")


def test_mislabeled_example_is_flagged(intents_copy):
    # A gasping-at-the-surface sentence filed under "cloudy eyes".
    add_example(intents_copy, "mat_duc", "cá nổi đầu đớp khí trên mặt nước")
    code, findings = lint(intents=intents_copy)
    assert code == 1
    flagged = [f for f in findings if f["code"] == "mislabeled" and "cá nổi đầu đớp khí trên mặt nước" in f["message"]]
    assert flagged and flagged[0]["level"] == "error" and "noi_dau" in flagged[0]["message"]
    assert flagged[0]["file"] == "symptoms.yaml" and flagged[0]["line"] > 0


def test_example_outside_its_body_parts_is_flagged(intents_copy):
    # Bulging eyes declared with body_parts [mắt], but this example speaks of the belly only.
    add_example(intents_copy, "mat_loi", "bụng cá lồi hẳn ra")
    code, findings = lint(intents=intents_copy)
    assert code == 1
    flagged = [f for f in findings if f["code"] == "out_of_place"]
    assert len(flagged) == 1 and "bụng cá lồi hẳn ra" in flagged[0]["message"] and flagged[0]["line"] > 0


def test_thin_sign_and_lookalike_conditions(intents_copy):
    path = intents_copy / "conditions.yaml"
    text = path.read_text(encoding="utf-8")
    # A copy of an existing condition under another id cannot be told apart by any question.
    start = text.index("  - id: dom_trang\n")
    end = text.index("\n  - id:", start + 10)
    block = text[start:end].replace("  - id: dom_trang\n", "  - id: dom_trang_copy\n", 1)
    block = "\n".join(line for line in block.split("\n") if not line.startswith("    aliases:"))  # names are unique
    path.write_text(text[:end] + "\n" + block + text[end:], encoding="utf-8")
    _, findings = lint(intents=intents_copy)
    assert any(f["code"] == "indistinguishable" and "dom_trang_copy" in f["message"] for f in findings)
