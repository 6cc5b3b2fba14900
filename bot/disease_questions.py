"""Questions about a disease by its name ("làm sao biết cá bị gan thận mủ?", "trùng bánh xe trị sao?").

A farmer who names a disease and asks about it wants to hear about that disease. When the question
is what the disease is or how to recognise it, the name is not a sign the farmer saw, so its words
must not be read as one ("gan thận mủ" would otherwise read as white spots on the liver).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.intents import IntentSet
from bot.language import language_data
from bot.normalize import fold_accents, normalize_text

ABOUT, TREAT = "about", "treat"


@dataclass(frozen=True)
class DiseaseQuestion:
    conditions: tuple[str, ...]  # condition ids, in the order they are named
    kind: str  # ABOUT (what is it, how to tell) or TREAT (how to treat it)
    name_words: frozenset[tuple[int, int]]  # (clause, word) positions of the disease names


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(normalize_text(text).split())


class DiseaseQuestionFinder:
    def __init__(self, intents: IntentSet):
        # Names are compared without marks ("gan than mu" is as clear as "gan thận mủ"), looked up by
        # their first word, longest first.
        self._names: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for c in intents.conditions:
            for alias in c.aliases:
                name = tuple(fold_accents(w) for w in _phrase(alias))
                if name:
                    self._names.setdefault(name[0], []).append((name, c.id))
        for names in self._names.values():
            names.sort(key=lambda item: -len(item[0]))
        cues = language_data().disease_questions
        self._cues = {kind: [_phrase(c) for c in cues.get(kind, ()) if c != "?"] for kind in (ABOUT, TREAT)}
        self._question_mark = "?" in cues.get(ABOUT, ())

    def find(self, normalized: str, clauses: list[list[str]]) -> DiseaseQuestion | None:
        named: list[str] = []
        positions: set[tuple[int, int]] = set()
        for ci, words in enumerate(clauses):
            if not any(fold_accents(w) in self._names for w in words):
                continue
            folded = [fold_accents(w) for w in words]
            i = 0
            while i < len(words):
                candidates = self._names.get(folded[i], ())
                hit = next(((n, cid) for n, cid in candidates if tuple(folded[i : i + len(n)]) == n), None)
                if hit is None:
                    i += 1
                    continue
                if hit[1] not in named:
                    named.append(hit[1])
                positions.update((ci, j) for j in range(i, i + len(hit[0])))
                i += len(hit[0])
        if not named:
            return None
        words = [w for clause in clauses for w in clause]
        folded = [fold_accents(w) for w in words]
        if self._has_cue(words, folded, TREAT):
            return DiseaseQuestion(tuple(named), TREAT, frozenset(positions))
        if self._has_cue(words, folded, ABOUT) or (self._question_mark and "?" in normalized):
            return DiseaseQuestion(tuple(named), ABOUT, frozenset(positions))
        return None

    def _has_cue(self, words: list[str], folded: list[str], kind: str) -> bool:
        for cue in self._cues[kind]:
            # One-word cues keep their marks ("trị"; "tri" may be anything); longer ones need not.
            seq, target = (words, cue) if len(cue) == 1 else (folded, tuple(fold_accents(w) for w in cue))
            n = len(target)
            if any(tuple(seq[i : i + n]) == target for i in range(len(seq) - n + 1)):
                return True
        return False
