"""Symptom matching: which signs a message mentions, each present or negated.

Every clause is cut into word spans; each span is compared with every reference sentence
(symptom examples, "sign absent" examples and out-of-scope chit-chat) by a blend of the
encoder's cosine and the accent-insensitive lexical cosine. Spans are then claimed greedily,
best score first, without overlap, so one clause can hold several signs ("cá bỏ ăn bơi lờ đờ")
and chit-chat claims its own words instead of leaking into a sign.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np

from bot.clauses import count_negations, is_filler, negation_window, split_clauses
from bot.encoder import Encoder
from bot.intents import IntentSet
from bot.lexical import LexicalIndex
from bot.normalize import fold_accents, normalize_text

OUT_OF_SCOPE = "__out_of_scope__"


@dataclass(frozen=True)
class MatchSettings:
    dense_weight: float = 0.6
    threshold: float = 0.62
    max_span: int = 7
    tie_band: float = 0.05


@dataclass
class SymptomHit:
    id: str
    score: float
    negated: bool
    span: str
    example: str


@dataclass
class Understanding:
    text: str
    normalized: str
    clauses: list[str]
    symptoms: list[SymptomHit] = field(default_factory=list)
    species: str | None = None
    unmatched: bool = False  # no sign and nothing recognisable as chit-chat either

    def present(self) -> list[str]:
        return [h.id for h in self.symptoms if not h.negated]

    def absent(self) -> list[str]:
        return [h.id for h in self.symptoms if h.negated]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Reference:
    label: str
    negative: bool  # an "absent" example: matching it means the sign is denied
    text: str
    negations: int


@dataclass
class _Span:
    message: int
    clause: int
    start: int
    end: int
    text: str


class SymptomMatcher:
    def __init__(self, intents: IntentSet, encoder: Encoder | None, settings: MatchSettings | None = None):
        self.intents = intents
        self.encoder = encoder
        self.settings = settings or MatchSettings()
        self.references = self._build_references(intents)
        texts = [r.text for r in self.references]
        self.lexical = LexicalIndex(texts)
        self.ref_vectors = encoder.encode_cached(texts) if encoder is not None else None
        self._labels = np.array([r.label for r in self.references])
        self._species_patterns = [
            (sp.id, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold_accents(w)) for w in sp.words) + r")(?!\w)"))
            for sp in intents.species
            if sp.words
        ]

    @staticmethod
    def _build_references(intents: IntentSet) -> list[_Reference]:
        refs = []
        for symptom in intents.symptoms:
            for example in symptom.examples:
                text = normalize_text(example)
                refs.append(_Reference(symptom.id, False, text, count_negations(text.split())))
            for example in symptom.absent_examples:
                text = normalize_text(example)
                refs.append(_Reference(symptom.id, True, text, count_negations(text.split())))
        for example in intents.out_of_scope:
            text = normalize_text(example)
            refs.append(_Reference(OUT_OF_SCOPE, False, text, 0))
        return refs

    # -- scoring -----------------------------------------------------------------------------

    def _spans(self, index: int, clauses: list[list[str]]) -> list[_Span]:
        spans = []
        for ci, tokens in enumerate(clauses):
            n = len(tokens)
            for start in range(n):
                for end in range(start + 1, min(n, start + self.settings.max_span) + 1):
                    words = tokens[start:end]
                    # One word alone is too weak to be evidence ("bot", "tai", "rách") unless it is all there is.
                    if (end - start == 1 and n > 1) or is_filler(words):
                        continue
                    spans.append(_Span(index, ci, start, end, " ".join(words)))
        return spans

    def _score(self, spans: list[_Span]) -> np.ndarray:
        texts = [s.text for s in spans]
        lexical = self.lexical.similarity(texts)
        if self.encoder is None or self.ref_vectors is None:
            return lexical
        dense = self.encoder.encode(texts) @ self.ref_vectors.T
        w = self.settings.dense_weight
        return w * dense + (1.0 - w) * lexical

    # -- public API --------------------------------------------------------------------------

    def understand(self, text: object) -> Understanding:
        return self.understand_many([text])[0]

    def understand_many(self, texts: list[object]) -> list[Understanding]:
        """Understand several messages with one encoder call (the model loads once per batch)."""
        prepared = []
        all_spans: list[_Span] = []
        for i, text in enumerate(texts):
            normalized = normalize_text(text)
            clauses = split_clauses(normalized)
            prepared.append((text, normalized, clauses))
            all_spans.extend(self._spans(i, clauses))
        scores = self._score(all_spans) if all_spans else np.zeros((0, len(self.references)))
        by_message: dict[int, list[tuple[_Span, np.ndarray]]] = {}
        for span, row in zip(all_spans, scores):
            by_message.setdefault(span.message, []).append((span, row))
        results = []
        for i, (text, normalized, clauses) in enumerate(prepared):
            hits, claimed_any = self._select(clauses, by_message.get(i, []))
            results.append(
                Understanding(
                    text=text if isinstance(text, str) else str(text or ""),
                    normalized=normalized,
                    clauses=[" ".join(c) for c in clauses],
                    symptoms=hits,
                    species=self._species(normalized),
                    unmatched=bool(clauses) and not claimed_any,
                )
            )
        return results

    def _select(self, clauses: list[list[str]], scored: list[tuple[_Span, np.ndarray]]) -> tuple[list[SymptomHit], bool]:
        threshold = self.settings.threshold
        candidates = []
        for span, row in scored:
            # Best reference per label: a span may be a weak match for one sign but a strong one for another.
            for label in set(self._labels[row >= threshold]):
                mask = self._labels == label
                idx = int(np.flatnonzero(mask)[np.argmax(row[mask])])
                candidates.append((float(row[idx]), span.end - span.start, span, idx))
        # Scores within one band count as a tie, and the longer span wins it: "nội tạng đầy hạt
        # trắng" says more than its tail "hạt trắng", which alone would read as spots on the skin.
        band = self.settings.tie_band
        candidates.sort(key=lambda c: (-round(c[0] / band), -c[1], -c[0]))
        taken: dict[int, list[tuple[int, int]]] = {}
        seen_labels: set[str] = set()
        chosen: list[tuple[_Span, int, float]] = []
        for score, _, span, idx in candidates:
            ref = self.references[idx]
            occupied = taken.setdefault(span.clause, [])
            if any(span.start < e and s < span.end for s, e in occupied):
                continue
            if ref.label in seen_labels and ref.label != OUT_OF_SCOPE:
                continue
            occupied.append((span.start, span.end))
            seen_labels.add(ref.label)
            chosen.append((span, idx, score))
        hits = []
        for span, idx, score in chosen:
            ref = self.references[idx]
            if ref.label == OUT_OF_SCOPE:
                continue
            hits.append(
                SymptomHit(
                    id=ref.label,
                    score=round(score, 3),
                    negated=self._negated(clauses[span.clause], span, ref, taken[span.clause]),
                    span=span.text,
                    example=ref.text,
                )
            )
        hits.sort(key=lambda h: -h.score)
        return hits, bool(chosen)

    @staticmethod
    def _negated(tokens: list[str], span: _Span, ref: _Reference, occupied: list[tuple[int, int]]) -> bool:
        # Look back a few words, but not past another claimed span: in "không nổi đầu bỏ ăn"
        # the "không" belongs to "nổi đầu", not to "bỏ ăn".
        left = max(0, span.start - negation_window())
        for s, e in occupied:
            if e <= span.start:
                left = max(left, e)
        cues = count_negations(tokens[left : span.end])
        denied = cues > ref.negations
        return denied != ref.negative

    def _species(self, normalized: str) -> str | None:
        folded = fold_accents(normalized)
        for species_id, pattern in self._species_patterns:
            if pattern.search(folded):
                return species_id
        return None
