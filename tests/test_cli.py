"""The command line: JSON shape and order, eval figures, bad input never shows a traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def fishbot(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def test_try_json_reads_stdin_in_order():
    lines = ["cá nổi đầu", "", "chào anh", "ca bo an, mang nau"]
    run = fishbot("try", "--json", stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    objects = [json.loads(line) for line in run.stdout.splitlines()]
    assert [o["text"] for o in objects] == lines
    for o in objects:
        assert set(o) >= {"text", "normalized", "symptoms", "conditions", "triage", "question"}
        for s in o["symptoms"]:
            assert set(s) >= {"id", "negated", "score"} and isinstance(s["negated"], bool)
        for c in o["conditions"]:
            assert set(c) >= {"id", "name", "score"}
    assert [s["id"] for s in objects[0]["symptoms"]] == ["noi_dau"]
    assert objects[1]["symptoms"] == [] and objects[2]["symptoms"] == []
    assert {s["id"] for s in objects[3]["symptoms"]} == {"bo_an", "mang_nau"}
    scores = [c["score"] for c in objects[3]["conditions"]]
    assert scores == sorted(scores, reverse=True) and objects[3]["conditions"][0]["id"] == "khi_doc"


def test_try_readable_output():
    run = fishbot("try", "cá không nổi đầu nhưng bỏ ăn")
    assert run.returncode == 0, run.stderr
    assert "NOT noi_dau" in run.stdout and "bo_an" in run.stdout and "clauses:" in run.stdout


def test_try_binary_stdin_does_not_crash():
    run = subprocess.run([sys.executable, "-m", "bot", "try", "--json"], input=b"\xff\xfe\x00abc\n\x80\x81\n", capture_output=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.decode().splitlines()) == 2


def test_missing_model_is_a_clear_error():
    run = fishbot("try", "cá nổi đầu", env={"FISHBOT_MODEL": str(REPO / "no-such-model")})
    assert run.returncode == 3 and "Model problem" in run.stderr and "Traceback" not in run.stderr


def test_eval_meets_the_targets(tmp_path):
    run = fishbot("eval", "tests/data/eval.yaml", "--json", "--report", str(tmp_path / "report"))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["symptoms"]["f1"] >= 0.85
    assert result["tags"]["nd"]["f1"] >= 0.75
    assert result["negation_accuracy"] >= 0.8
    assert result["ood_false_positives"] <= 2
    for name in ("confusion_matrix.png", "tags.png", "misses.yaml"):
        assert (tmp_path / "report" / name).stat().st_size > 0


def test_eval_bad_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {text: [unclosed\n", encoding="utf-8")
    run = fishbot("eval", str(bad))
    assert run.returncode == 2 and "YAML" in run.stderr and "Traceback" not in run.stderr


def test_eval_file_with_unknown_key_or_sign_is_a_clear_error(tmp_path):
    misspelt = tmp_path / "misspelt.yaml"
    misspelt.write_text("- text: cá không nổi đầu\n  symptoms: []\n  negated: [noi_dau]\n", encoding="utf-8")
    run = fishbot("eval", str(misspelt), "--lexical-only")
    assert run.returncode == 2 and "negated" in run.stderr and "absent" in run.stderr and "Traceback" not in run.stderr
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("- text: cá nổi đầu\n  symptoms: [noi_dau, noi_dauu]\n", encoding="utf-8")
    run = fishbot("eval", str(unknown), "--lexical-only")
    assert run.returncode == 2 and "noi_dauu" in run.stderr and "Traceback" not in run.stderr


def test_every_evaluation_file_loads_with_known_signs():
    from bot.evaluate import load_eval, unknown_signs
    from bot.intents import load_intents

    known = load_intents(REPO / "intents").symptom_ids
    for path in sorted((REPO / "tests" / "data").glob("*.yaml")):
        assert unknown_signs(load_eval(path), known) == [], path.name


def test_dense_model_beats_lexical_only_baseline():
    figures = {}
    for mode in ("default", "lexical"):
        run = fishbot("eval", "tests/data/eval.yaml", "--json", *(["--lexical-only"] if mode == "lexical" else []))
        assert run.returncode == 0, run.stderr
        figures[mode] = json.loads(run.stdout)["symptoms"]["f1"]
    assert figures["default"] >= figures["lexical"] + 0.05, figures


def test_bench_reports_pipeline_against_raw_encode(tmp_path):
    messages = tmp_path / "messages.yaml"
    messages.write_text("".join(f"- text: 'cá nổi đầu lúc {i} giờ sáng, bỏ ăn'\n" for i in range(12)), encoding="utf-8")
    run = fishbot("bench", "--json", "--repeats", "1", "--messages", str(messages))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["messages"] == 12 and result["model_load_ms"] > 0
    for key in ("single", "concurrent_12"):
        assert result[key]["pipeline_p50_ms"] > 0 and result[key]["raw_encode_p50_ms"] > 0
        assert result[key]["ratio_pipeline_raw"] > 0
    assert result["single"]["first_pass_p50_ms"] > 0
    lexical = json.loads(fishbot("bench", "--json", "--repeats", "1", "--lexical-only", "--messages", str(messages)).stdout)
    assert lexical["single"]["ratio_pipeline_raw"] is None and lexical["single"]["pipeline_p50_ms"] > 0


def test_bench_without_messages_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("[]\n", encoding="utf-8")
    run = fishbot("bench", "--messages", str(empty))
    assert run.returncode != 0 and "no messages" in run.stderr and "Traceback" not in run.stderr
