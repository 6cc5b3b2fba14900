"""Reads each word of a message the way the reference sentences spell it, for scoring only.

Farmers type a wrong tone mark ("đóm trắng" for "đốm trắng"), drop a letter ("trắg" for "trắng"),
spell a sound the Southern way ("xưng" for "sưng", "nhớc" for "nhớt") or write a count in digits
("chết 15 con"). The lexical score forgives much of this because it
folds accents and compares letter n-grams; a static encoder does not: "đóm" is another syllable
with a vector of its own. So a word typed with marks that no reference uses is read as the
reference word it most likely stands for, and digits as the number word. Words the references use
are never changed, nor is the text a person sees: only the scorer looks words up through this.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import unicodedata

from bot.language import vietnamese_syllables
from bot.normalize import TONE_MARKS, fold_accents

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
# A dropped letter is only guessed back for words this long, so short words are not "repaired"
# into each other ("ca" and "cam" both mean something).
_MIN_TYPO_LETTERS = 4
# Letters Southern speech does not tell apart, so farmers mix them up in writing (first letters,
# then last letters of a syllable, on the accent-free form).
# Each part of a glued word ("boan" = "bo an") must be at least this long: one letter is too easy
# to find as a word.
_MIN_GLUED_PART = 2
_SOUND_ALIKE_START = (("s", "x"), ("x", "s"), ("tr", "ch"), ("ch", "tr"))
_SOUND_ALIKE_END = (("c", "t"), ("t", "c"), ("ng", "n"), ("n", "ng"))


def _tone(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if c in TONE_MARKS)


_HOI, _NGA = "\u0309", "\u0303"


def _same_tone(candidates: set[str], typed: str) -> str | None:
    """The one candidate carrying the typed tone mark, if exactly one does."""
    same = [w for w in candidates if _tone(w) == _tone(typed)]
    return same[0] if len(same) == 1 else None


def _tone_slip(candidates: set[str], typed: str) -> str | None:
    """The one candidate the typed tone could be a slip for: none typed, or hỏi for ngã and back
    (Southern speech does not tell these two apart). Other tones are other words ("thúng" a
    basket is not "thủng" holed), so they are not rewritten."""
    tone = _tone(typed)
    fits = [w for w in candidates if not tone or {tone, _tone(w)} == {_HOI, _NGA}]
    return fits[0] if len(fits) == 1 else None


def _sound_alikes(folded: str) -> set[str]:
    out = {alt + folded[len(a) :] for a, alt in _SOUND_ALIKE_START if folded.startswith(a)}
    out |= {folded[: -len(a)] + alt for a, alt in _SOUND_ALIKE_END if folded.endswith(a)}
    return out


def scored_words(text: str, number_word: str, scored_as: dict[str, str] | None = None) -> str:
    """Counts in digits read as the number word ("chết 15 con" -> "chết mấy con"), and the words of
    ``scored_as`` as the word they are scored as ("chẳng" -> "không")."""
    scored_as = scored_as or {}
    return " ".join(number_word if _NUMBER.match(w) else scored_as.get(w, w) for w in text.split())


class DomainSpelling:
    def __init__(self, reference_texts: list[str], number_word: str, scored_as: dict[str, str] | None = None):
        self.number_word = number_word
        self.scored_as = dict(scored_as or {})
        counts = Counter(w for text in reference_texts for w in self.reference_text(text).split())
        self.known = frozenset(counts)
        marked: dict[str, set[str]] = defaultdict(set)
        for word in counts:
            if fold_accents(word) != word:
                marked[fold_accents(word)].add(word)
        # A wrong mark is put right only when one reference word fits (or one with the same tone
        # mark); when several do ("bọng": bóng or bông?) the unmarked form is used, which the
        # encoder reads as any of them.
        self._marked = dict(marked)
        targets: dict[str, set[str]] = defaultdict(set)
        for folded in self._marked:
            if len(folded) > _MIN_TYPO_LETTERS:
                for i in range(len(folded)):
                    targets[folded[:i] + folded[i + 1 :]].add(folded)
        # Only a dropped letter that can be put back in exactly one way counts.
        known_folds = {fold_accents(w) for w in counts}
        self._known_folds = frozenset(known_folds)
        self._by_deletion = {typo: next(iter(f)) for typo, f in targets.items() if len(f) == 1 and typo not in known_folds}

    def unglue(self, words: list[str]) -> list[str]:
        """Words typed together without a space ("boan", "noidau", "homnay") split into the two
        reference syllables they are, when exactly one split gives two. A word the references use,
        or any Vietnamese syllable ("hoan"), stays whole."""
        out: list[str] = []
        for word in words:
            out.extend(self._split(word) or [word])
        return out

    def _split(self, word: str) -> list[str] | None:
        folded = fold_accents(word)
        if (len(folded) < 2 * _MIN_GLUED_PART or folded in self._known_folds or not folded.isalpha()
                or folded in vietnamese_syllables()):
            return None
        cuts = [i for i in range(_MIN_GLUED_PART, len(folded) - _MIN_GLUED_PART + 1)
                if folded[:i] in self._known_folds and folded[i:] in self._known_folds]
        if len(cuts) != 1 or len(folded) != len(word):
            return None
        return [word[: cuts[0]], word[cuts[0] :]]

    def reference_text(self, text: str) -> str:
        """A reference sentence as it is scored (counts read as the number word, "chẳng" as "không")."""
        return scored_words(text, self.number_word, self.scored_as)

    def word(self, word: str) -> str:
        """The form of one message word that is looked up for scoring."""
        if _NUMBER.match(word):
            return self.number_word
        word = self.scored_as.get(word, word)
        folded = fold_accents(word)
        if word in self.known or folded == word:
            # Accent-free words are left to the encoder, which has an accent-free form of every
            # syllable; guessing the marks back would pick one of several words ("mat": mắt, mặt, mất).
            return word
        same_fold = self._marked.get(folded, set())
        alike = {w for f in _sound_alikes(folded) for w in self._marked.get(f, ())}
        # Most trusted first: the typed tone mark, then letters that sound alike, then a tone slip.
        for choice in (_same_tone(same_fold, word), _same_tone(alike, word), _tone_slip(same_fold, word)):
            if choice:
                return choice
        if len(folded) >= _MIN_TYPO_LETTERS and folded in self._by_deletion:
            restored = self._by_deletion[folded]
            candidates = self._marked[restored]
            return next(iter(candidates)) if len(candidates) == 1 else restored
        return folded if same_fold else word
