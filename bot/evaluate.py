"""Scores the pipeline on an evaluation file (symptom P/R/F1, negation, out-of-domain, conditions).

The file is a YAML list of ``{text, symptoms, absent?, conditions?, tags?}`` items. Figures are
micro-averaged over (message, sign) pairs, overall and per tag, like ``rasa test nlu`` reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml


class EvalFileInvalid(Exception):
    pass


EVAL_KEYS = frozenset({"text", "symptoms", "absent", "conditions", "tags"})


@dataclass
class EvalItem:
    text: str
    symptoms: list[str]
    absent: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Prediction:
    present: list[str]
    absent: list[str]
    conditions: list[str]  # ranked, best first


def load_eval(path: str | Path) -> list[EvalItem]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalFileInvalid(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise EvalFileInvalid(f"{path}: YAML syntax error: {exc}") from None
    if not isinstance(raw, list):
        raise EvalFileInvalid(f"{path}: expected a list of items")
    items = []
    for i, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or "text" not in entry:
            raise EvalFileInvalid(f"{path}: item {i} needs at least 'text' and 'symptoms'")
        # A misspelt key would be silently ignored and its signs never scored (it happened:
        # "negated:" for "absent:" left denied signs out of the negation figure).
        unknown = sorted(set(entry) - EVAL_KEYS)
        if unknown:
            raise EvalFileInvalid(f"{path}: item {i} has unknown key(s) {', '.join(unknown)}; "
                                  f"known keys: {', '.join(sorted(EVAL_KEYS))}")
        for key in ("symptoms", "absent", "conditions", "tags"):
            if not isinstance(entry.get(key) or [], list):
                raise EvalFileInvalid(f"{path}: item {i}: '{key}' must be a list, like [noi_dau, bo_an]")
        items.append(
            EvalItem(
                text=str(entry["text"]),
                symptoms=list(entry.get("symptoms") or []),
                absent=list(entry.get("absent") or []),
                conditions=list(entry.get("conditions") or []),
                tags=list(entry.get("tags") or []),
            )
        )
    return items


def unknown_signs(items: list[EvalItem], known) -> list[str]:
    """Sign ids an evaluation file uses that the intents do not define (a typo counts as a miss forever)."""
    used = {sign for item in items for sign in item.symptoms + item.absent}
    return sorted(used - set(known))


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def score(items: list[EvalItem], predictions: list[Prediction]) -> dict:
    totals = Counter()
    by_tag: dict[str, Counter] = defaultdict(Counter)
    neg_total = neg_right = 0
    ood_false = 0
    ood_total = 0
    cond_total = top1 = top3 = 0
    misses = []
    for item, pred in zip(items, predictions):
        expected, got = set(item.symptoms), set(pred.present)
        tp, fp, fn = len(expected & got), len(got - expected), len(expected - got)
        for tag in item.tags or ["untagged"]:
            by_tag[tag].update(tp=tp, fp=fp, fn=fn, n=1)
        totals.update(tp=tp, fp=fp, fn=fn)
        if item.absent or "neg" in item.tags:
            for sign in item.absent:
                neg_total += 1
                neg_right += sign in pred.absent and sign not in got
            for sign in item.symptoms:
                neg_total += 1
                neg_right += sign in got
        if "ood" in item.tags:
            ood_total += 1
            ood_false += bool(got)
        if item.conditions:
            cond_total += 1
            top1 += bool(pred.conditions[:1]) and pred.conditions[0] in item.conditions
            top3 += any(c in item.conditions for c in pred.conditions[:3])
        wrong_absent = set(item.absent) - set(pred.absent)
        if fp or fn or wrong_absent:
            misses.append(
                {
                    "text": item.text,
                    "expected": sorted(expected),
                    "found": sorted(got),
                    "missed": sorted(expected - got),
                    "extra": sorted(got - expected),
                    "expected_absent": sorted(item.absent),
                    "found_absent": sorted(pred.absent),
                    "tags": item.tags,
                }
            )
    return {
        "items": len(items),
        "symptoms": _prf(totals["tp"], totals["fp"], totals["fn"]),
        "negation_accuracy": round(neg_right / neg_total, 4) if neg_total else None,
        "negation_pairs": neg_total,
        "ood_false_positives": ood_false,
        "ood_items": ood_total,
        "conditions": {
            "items": cond_total,
            "top1": round(top1 / cond_total, 4) if cond_total else None,
            "top3": round(top3 / cond_total, 4) if cond_total else None,
        },
        "tags": {tag: {**_prf(c["tp"], c["fp"], c["fn"]), "items": c["n"]} for tag, c in sorted(by_tag.items())},
        "misses": misses,
    }


def confusion(items: list[EvalItem], predictions: list[Prediction]) -> Counter:
    """Pairs (expected, found) with 'none' standing for a missed or an extra sign."""
    pairs: Counter = Counter()
    for item, pred in zip(items, predictions):
        expected, got = set(item.symptoms), set(pred.present)
        for sign in expected & got:
            pairs[(sign, sign)] += 1
        missed, extra = sorted(expected - got), sorted(got - expected)
        for i in range(max(len(missed), len(extra))):
            pairs[(missed[i] if i < len(missed) else "none", extra[i] if i < len(extra) else "none")] += 1
    return pairs


def write_report(folder: str | Path, result: dict, pairs: Counter, labels: list[str]) -> list[Path]:
    """Confusion-matrix and per-tag PNG charts plus the misses as YAML, like rasa test nlu."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = list(labels) + ["none"]
    index = {n: i for i, n in enumerate(names)}
    matrix = np.zeros((len(names), len(names)), dtype=int)
    for (exp, got), n in pairs.items():
        if exp in index and got in index:
            matrix[index[exp], index[got]] += n
    fig, ax = plt.subplots(figsize=(12, 11))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    for i in range(len(names)):
        for j in range(len(names)):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=6,
                        color="white" if matrix[i, j] > matrix.max() / 2 else "black")
    ax.set_xlabel("found")
    ax.set_ylabel("expected")
    ax.set_title("Symptom confusion matrix")
    fig.tight_layout()
    confusion_png = folder / "confusion_matrix.png"
    fig.savefig(confusion_png, dpi=110)
    plt.close(fig)

    tags = result["tags"]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(list(tags), [t["f1"] for t in tags.values()], color="#2a7ab0")
    ax.set_ylim(0, 1)
    ax.set_ylabel("symptom F1")
    ax.set_title("F1 per tag")
    for i, t in enumerate(tags.values()):
        ax.text(i, t["f1"] + 0.02, f"{t['f1']:.2f}\n(n={t['items']})", ha="center", fontsize=7)
    fig.tight_layout()
    tags_png = folder / "tags.png"
    fig.savefig(tags_png, dpi=110)
    plt.close(fig)

    misses_yaml = folder / "misses.yaml"
    misses_yaml.write_text(
        "# Tin nhắn bot hiểu sai: expected = đúng ra, found = bot tìm thấy, missed = bỏ sót, extra = thừa\n"
        + yaml.safe_dump(result["misses"], allow_unicode=True, sort_keys=False, width=120),
        encoding="utf-8",
    )
    return [confusion_png, tags_png, misses_yaml]


def pipeline_predictor(pipeline) -> Callable[[list[str]], list[Prediction]]:
    """Predictions of a Pipeline (signs present/absent, conditions ranked) for a list of texts."""

    def predict(texts: list[str]) -> list[Prediction]:
        return [
            Prediction(a.understanding.present(), a.understanding.absent(), [c.id for c in a.diagnosis.ranked])
            for a in pipeline.analyze_many(texts)
        ]

    return predict


def run_eval(items: list[EvalItem], predict: Callable[[list[str]], list[Prediction]]) -> tuple[dict, list[Prediction]]:
    predictions = predict([i.text for i in items])
    return score(items, predictions), predictions
