"""``fishbot train``: fine-tune a sentence encoder on symptom pairs built from the intents.

The reference recipe (shared/seed/model-card.md) is the default: CosineSimilarityLoss with MSE,
batch 16, 5 epochs, learning rate 5e-5, linear schedule, seed 42. Pairs are 1.0 for two
examples of the same sign and 0.0 for different signs, balanced, with accent-free, teencode and
typo variants, because farmers type all three. A held-out split of examples measures the pair
metric (Spearman of cosine against label) before and after training.
"""

from __future__ import annotations

import contextlib
import csv
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.augment import variants
from bot.intents import IntentSet
from bot.language import language_data
from bot.normalize import normalize_text
from bot.spelling import scored_words

OUT_OF_SCOPE_CLASS = "__out_of_scope__"


@dataclass
class TrainConfig:
    base: str
    out: str
    epochs: int = 5
    batch_size: int = 16
    learning_rate: float = 5e-5
    seed: int = 42
    holdout: float = 0.15
    pairs_per_example: int = 16
    subset: float = 1.0  # fraction of each sign's examples to use (CI trains on a small subset)
    extra_pairs: str | None = None


@dataclass
class Pair:
    sentence_0: str
    sentence_1: str
    label: float


def _as_scored(text: str) -> str:
    """An example in the form the matcher scores it (normalized, counts and a few words read as the matcher reads them)."""
    data = language_data()
    return scored_words(normalize_text(text), data.number_word, data.scored_as)


def _classes(intents: IntentSet) -> dict[str, list[str]]:
    classes: dict[str, list[str]] = {}
    for s in intents.symptoms:
        classes[s.id] = [_as_scored(e) for e in s.examples]
        if s.absent_examples:
            # "Sign denied" sentences form their own class so they are told apart from the sign.
            classes[f"{s.id}!absent"] = [_as_scored(e) for e in s.absent_examples]
    classes[OUT_OF_SCOPE_CLASS] = [_as_scored(e) for e in intents.out_of_scope]
    return classes


def split_examples(intents: IntentSet, holdout: float, seed: int, subset: float = 1.0) -> tuple[dict, dict]:
    rng = random.Random(seed)
    train, held = {}, {}
    for label, examples in _classes(intents).items():
        pool = sorted(set(examples))
        rng.shuffle(pool)
        if subset < 1.0:
            pool = pool[: max(4, int(len(pool) * subset))]
        n_held = int(len(pool) * holdout) if len(pool) >= 5 else 0
        held[label], train[label] = pool[:n_held], pool[n_held:]
    return train, held


def _expand(examples: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """(variant, original) for every example and each of its noisy variants."""
    out = []
    for e in examples:
        out.append((e, e))
        for v in variants(e, rng):
            v = normalize_text(v)
            if v and v != e:
                out.append((v, e))
    return out


def _hard_negatives(classes: dict[str, list[str]], per_text: int = 10) -> dict[str, list[str]]:
    """For each example, the examples of *other* signs that look most alike letter by letter.

    These are the pairs the lexical score gets wrong ("mang tái" vs "mang thối"), so they are the
    ones the encoder must learn to pull apart.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from bot.normalize import fold_accents

    texts = [(label, t) for label, ex in classes.items() for t in ex]
    if len(texts) < 2:
        return {}
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit_transform([fold_accents(t) for _, t in texts])
    sims = (matrix @ matrix.T).toarray()
    labels = [label for label, _ in texts]
    out = {}
    for i, (label, text) in enumerate(texts):
        order = [j for j in sims[i].argsort()[::-1] if labels[j] != label][:per_text]
        out[text] = [texts[j][1] for j in order]
    return out


def build_pairs(classes: dict[str, list[str]], per_example: int, seed: int) -> list[Pair]:
    """Balanced positive/negative pairs; half the negatives are hard (lexically close, other sign).

    Out-of-scope text only ever appears in negatives.
    """
    rng = random.Random(seed)
    pools = {label: _expand(ex, rng) for label, ex in classes.items() if ex}
    hard = _hard_negatives(classes)
    labels = [label for label in pools if label != OUT_OF_SCOPE_CLASS]
    pairs: list[Pair] = []
    for label in labels:
        pool = pools[label]
        others = [o for o in pools if o != label]
        for variant, original in pool:
            if variant != original:
                pairs.append(Pair(variant, original, 1.0))  # the same words, typed differently
            for k in range(per_example // 2):
                partner, _orig = rng.choice(pool)
                if partner != variant:
                    pairs.append(Pair(variant, partner, 1.0))
                if k % 2 and hard.get(original):
                    pairs.append(Pair(variant, rng.choice(hard[original]), 0.0))
                else:
                    other = rng.choice(others)
                    pairs.append(Pair(variant, rng.choice(pools[other])[0], 0.0))
    rng.shuffle(pairs)
    return pairs


def heldout_pairs(train: dict[str, list[str]], held: dict[str, list[str]], seed: int) -> list[Pair]:
    """Pairs between held-out examples (and their noisy variants) and training examples."""
    rng = random.Random(seed + 1)
    pairs = []
    labels = [label for label in held if held[label] and train.get(label) and label != OUT_OF_SCOPE_CLASS]
    for label in labels:
        others = [o for o in train if o != label and train[o]]
        for variant, _ in _expand(held[label], rng):
            pairs.append(Pair(variant, rng.choice(train[label]), 1.0))
            pairs.append(Pair(variant, rng.choice(train[rng.choice(others)]), 0.0))
    return pairs


def read_pairs_csv(path: str) -> list[Pair]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"sentence_0", "sentence_1", "label"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return [Pair(r["sentence_0"], r["sentence_1"], float(r["label"])) for r in reader]


def write_pairs_csv(pairs: list[Pair], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sentence_0", "sentence_1", "label"])
        for p in pairs:
            writer.writerow([p.sentence_0, p.sentence_1, p.label])


def pair_spearman(model, pairs: list[Pair]) -> float | None:
    """Spearman correlation of cosine similarity against the pair label (None without held-out pairs)."""
    import numpy as np
    from scipy.stats import spearmanr

    if len({p.label for p in pairs}) < 2:
        return None
    prompt = "STS" if "STS" in (getattr(model, "prompts", {}) or {}) else None
    a = model.encode([p.sentence_0 for p in pairs], normalize_embeddings=True, prompt_name=prompt, batch_size=64)
    b = model.encode([p.sentence_1 for p in pairs], normalize_embeddings=True, prompt_name=prompt, batch_size=64)
    cosine = np.sum(a * b, axis=1)
    return float(spearmanr(cosine, [p.label for p in pairs]).statistic)


def train(config: TrainConfig, intents: IntentSet, eval_file: str | None = None, log=print) -> dict:
    """Fine-tune ``config.base`` and save to ``config.out``; returns the figures written to the card."""
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
        losses,
    )

    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    train_ex, held_ex = split_examples(intents, config.holdout, config.seed, config.subset)
    pairs = build_pairs(train_ex, config.pairs_per_example, config.seed)
    if config.extra_pairs:
        pairs += read_pairs_csv(config.extra_pairs)
    held_pairs = heldout_pairs(train_ex, held_ex, config.seed)
    write_pairs_csv(pairs, out / "train_pairs.csv")
    write_pairs_csv(held_pairs, out / "heldout_pairs.csv")
    log(f"pairs: {len(pairs)} for training, {len(held_pairs)} held out")

    cuda = torch.cuda.is_available()
    model = SentenceTransformer(config.base, device="cuda" if cuda else "cpu")
    figures: dict = {"heldout_spearman_before": _rounded(pair_spearman(model, held_pairs))}
    if eval_file:
        figures["eval_before"] = _eval_figures(model, config.base, intents, eval_file)
    log(f"held-out Spearman before: {figures['heldout_spearman_before']}")

    prompts = model.prompts.get("STS") if "STS" in (model.prompts or {}) else None
    dataset = Dataset.from_dict(
        {
            "sentence_0": [p.sentence_0 for p in pairs],
            "sentence_1": [p.sentence_1 for p in pairs],
            "label": [float(p.label) for p in pairs],
        }
    )
    args = SentenceTransformerTrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=config.epochs,
        per_device_train_batch_size=config.batch_size,
        learning_rate=config.learning_rate,
        lr_scheduler_type="linear",
        seed=config.seed,
        save_strategy="no",
        report_to="none",
        logging_steps=max(1, len(pairs) // config.batch_size // 5),
        bf16=cuda,
        prompts=prompts,
        disable_tqdm=False,
    )
    started = time.perf_counter()
    trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=dataset, loss=losses.CosineSimilarityLoss(model))
    with contextlib.redirect_stdout(sys.stderr):  # the trainer prints its loss log; stdout carries the figures
        trainer.train()
    figures["train_seconds"] = round(time.perf_counter() - started, 1)
    model.save(str(out))
    trained = SentenceTransformer(str(out), device="cuda" if cuda else "cpu")
    figures["heldout_spearman_after"] = _rounded(pair_spearman(trained, held_pairs))
    if eval_file:
        figures["eval_after"] = _eval_figures(trained, str(out), intents, eval_file)
    log(f"held-out Spearman after: {figures['heldout_spearman_after']}")
    _write_card(out, config, pairs, held_pairs, figures)
    return figures


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _eval_figures(model, path: str, intents: IntentSet, eval_file: str) -> dict:
    from bot.encoder import Encoder
    from bot.evaluate import load_eval, pipeline_predictor, run_eval
    from bot.pipeline import Pipeline

    pipeline = Pipeline.from_parts(intents, Encoder.from_model(model, path))
    result, _ = run_eval(load_eval(eval_file), pipeline_predictor(pipeline))
    return {
        "f1": result["symptoms"]["f1"],
        "f1_no_diacritics": result["tags"].get("nd", {}).get("f1"),
        "negation_accuracy": result["negation_accuracy"],
        "ood_false_positives": result["ood_false_positives"],
    }


def _display_path(path: str) -> str:
    """Paths inside the repository are shown relative to it, so the card reads the same anywhere."""
    from bot.encoder import REPO_ROOT

    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return path


def _write_card(out: Path, config: TrainConfig, pairs: list[Pair], held: list[Pair], figures: dict) -> None:
    (out / "fishbot_training.json").write_text(
        json.dumps({"config": asdict(config), "figures": figures, "pairs": len(pairs), "heldout_pairs": len(held)}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    card = out / "README.md"
    existing = card.read_text(encoding="utf-8") if card.exists() else ""
    section = [
        "",
        "## Fishbot training report",
        "",
        f"- Base: `{_display_path(config.base)}`",
        f"- Data: {len(pairs)} pairs built from the Fishbot intents (`intents/symptoms.yaml`, `intents/out_of_scope.yaml`),"
        " same-sign = 1.0, different-sign = 0.0, with accent-free, teencode and typo variants"
        + (f"; plus pairs from `{config.extra_pairs}`" if config.extra_pairs else ""),
        f"- Held out: {int(config.holdout * 100)}% of each sign's examples ({len(held)} pairs)",
        f"- Hyperparameters: CosineSimilarityLoss (MSE), batch {config.batch_size}, {config.epochs} epochs,"
        f" learning rate {config.learning_rate}, linear schedule, seed {config.seed}",
        f"- Held-out Spearman (cosine vs label): before {figures['heldout_spearman_before']}, after {figures['heldout_spearman_after']}",
    ]
    for when in ("before", "after"):
        e = figures.get(f"eval_{when}")
        if e:
            section.append(
                f"- `fishbot eval` {when}: F1 {e['f1']}, no-diacritics F1 {e['f1_no_diacritics']},"
                f" negation {e['negation_accuracy']}, out-of-domain false positives {e['ood_false_positives']}"
            )
    section.append(f"- Training time: {figures['train_seconds']} s")
    card.write_text(existing.split("\n## Fishbot training report")[0].rstrip() + "\n" + "\n".join(section) + "\n", encoding="utf-8")
