"""`fishbot train` end to end on a small subset: the trained model loads and beats its base."""

import json
import subprocess
import sys

from sentence_transformers import SentenceTransformer

from bot.training import pair_spearman, read_pairs_csv

from .test_cli import REPO


def test_train_small_subset_improves_heldout_pairs(tmp_path):
    out = tmp_path / "model"
    run = subprocess.run(
        [sys.executable, "-m", "bot", "train", "--base", str(REPO / "models" / "fishbot-vi-base"), "--out", str(out),
         "--subset", "0.25", "--epochs", "1", "--lr", "1e-3", "--pairs-per-example", "8", "--no-eval"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(run.stdout)
    assert figures["heldout_spearman_after"] > figures["heldout_spearman_before"] + 0.1
    # The saved folder is a complete model with its card.
    trained = SentenceTransformer(str(out), device="cpu")
    base = SentenceTransformer(str(REPO / "models" / "fishbot-vi-base"), device="cpu")
    held = read_pairs_csv(str(out / "heldout_pairs.csv"))
    assert pair_spearman(trained, held) > pair_spearman(base, held)
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "Fishbot training report" in card and "CosineSimilarityLoss" in card


def test_pairs_are_balanced_and_noisy():
    from bot.intents import load_intents
    from bot.training import build_pairs, split_examples

    train, held = split_examples(load_intents(REPO / "intents"), 0.15, 42)
    assert all(not (set(train[k]) & set(held[k])) for k in train)
    pairs = build_pairs(train, 8, 42)
    share = sum(p.label for p in pairs) / len(pairs)
    assert 0.4 < share < 0.6
    from bot.normalize import fold_accents

    assert any(p.sentence_0 == fold_accents(p.sentence_0) and p.sentence_1 != fold_accents(p.sentence_1) and p.label == 1.0 for p in pairs)


def test_bad_pairs_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "pairs.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "bot", "train", "--pairs", str(bad), "--out", str(tmp_path / "m")],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 2 and "missing column" in run.stderr and "Traceback" not in run.stderr
