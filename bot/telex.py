"""Words typed in Telex on a keyboard with no Vietnamese input on: "cas booj awn" is "cá bộ ăn".

Telex writes a vowel mark by doubling a letter or adding w (aa = â, ow = ơ, dd = đ) and the tone
by a letter at the end (s, f, r, x, j). No Vietnamese syllable ends in s, f, r, x or j, nor holds
dd, aa, ee or w, so a word is read as Telex only when it is not a syllable as typed and its
Telex reading is one.
"""

from __future__ import annotations

import functools
import unicodedata

from bot.language import vietnamese_syllables

_TONE_KEYS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
# Longest first: "uow" before "ow".
_LETTER_KEYS = (("uow", "ươ"), ("dd", "đ"), ("aa", "â"), ("ee", "ê"), ("oo", "ô"), ("aw", "ă"), ("ow", "ơ"), ("uw", "ư"))
_VOWELS = set("aeiouy")
# The letters the keys above make, and the plain letter each is written on: a Telex reading holds no
# tone yet, so this is all it takes to compare it with the syllable list.
_MARKED = {"â": "a", "ă": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u", "đ": "d"}
_UNMARK = str.maketrans(_MARKED)


def _with_tone(letters: str, tone: str) -> str:
    """Where the tone sits is settled later (normalize places tones the classic way); here it goes on
    the vowel that carries a mark, else on the first vowel."""
    vowels = [i for i, c in enumerate(letters) if c.translate(_UNMARK) in _VOWELS]
    if not vowels:
        return letters
    marked = [i for i in vowels if letters[i] in _MARKED]
    at = marked[-1] if marked else vowels[0]
    return unicodedata.normalize("NFC", letters[: at + 1] + tone + letters[at + 1 :])


@functools.lru_cache(maxsize=8192)
def read_telex(word: str) -> str | None:
    """The word ``word`` stands for if it was typed in Telex, else None (lower-case ASCII only)."""
    if not (word.isascii() and word.isalpha()) or len(word) < 2:
        return None
    syllables = vietnamese_syllables()
    if word in syllables:
        return None
    letters, tone = word, ""
    if word[-1] in _TONE_KEYS and _VOWELS.intersection(word[:-1]):
        letters, tone = word[:-1], _TONE_KEYS[word[-1]]
    for keys, letter in _LETTER_KEYS:
        letters = letters.replace(keys, letter)
    if letters == word or not letters.isalpha() or letters.translate(_UNMARK) not in syllables:
        return None
    return _with_tone(letters, tone) if tone else letters
