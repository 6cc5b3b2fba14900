"""Noisy variants of intent examples, the way farmers really type them.

Used to build training pairs: accent-free text, teencode and small typos. Deterministic for
a given random generator so training runs are reproducible.
"""

from __future__ import annotations

import random
import re

from bot.normalize import fold_accents

# Reverse of a few abbreviations in bot/data/language.yaml: how a word is shortened when typed.
_TEENCODE = {
    "không": ["ko", "k", "hông", "hok", "khong"],
    "được": ["dc", "đc"],
    "nước": ["nc"],
    "quá": ["wá", "qa"],
    "nhiều": ["nhìu", "nhiu"],
    "gì": ["j"],
    "rồi": ["r", "rùi"],
    "bình thường": ["bt", "bth"],
}
_LETTERS = "abcdeghiklmnopqrstuvxy"


def accent_free(text: str) -> str:
    return fold_accents(text)


def teencode(text: str, rng: random.Random) -> str:
    out = text
    for word, forms in _TEENCODE.items():
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", out):
            out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", rng.choice(forms), out)
    return out


def typo(text: str, rng: random.Random) -> str:
    """One small slip: a letter dropped, doubled, swapped with its neighbour, or mistyped."""
    positions = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(positions) < 4:
        return text
    i = rng.choice(positions[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2 and text[i + 1 : i + 2].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice(_LETTERS) + text[i + 1 :]


def variants(text: str, rng: random.Random) -> list[str]:
    """Distinct noisy variants of one example (the original is not included)."""
    out = {accent_free(text), teencode(text, rng), typo(text, rng), accent_free(teencode(text, rng))}
    out.discard(text)
    return sorted(out)
