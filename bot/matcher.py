"""Symptom matching: which signs a message mentions, each present or negated.

Every clause is cut into word spans; each span is compared with every reference sentence
(symptom examples, "sign absent" examples and out-of-scope chit-chat) by a blend of the
encoder's cosine and the accent-insensitive lexical cosine. Spans are then claimed greedily,
best score first, without overlap, so one clause can hold several signs ("cá bỏ ăn bơi lờ đờ")
and chit-chat claims its own words instead of leaking into a sign.
"""

from __future__ import annotations

import re
from itertools import accumulate
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from bot.clauses import (close_only_frame, count_reaching_negations, cue_words, denied_after, ended_before,
                         gone_after, negation_window, not_over_yet, over_now, prevention_talk, split_clauses, word_roles)
from bot.disease_questions import ABOUT, DiseaseQuestion, DiseaseQuestionFinder
from bot.encoder import Encoder
from bot.intents import IntentSet
from bot.language import language_data
from bot.places import BodyPlaces
from bot.scoring import SpanScorer
from bot.subjects import about_other_fish, about_people, animal_clauses, feed_tails, other_animal, other_fish_phrases
from bot.normalize import fold_accents, normalize_text

OUT_OF_SCOPE = "__out_of_scope__"


@dataclass(frozen=True)
class MatchSettings:
    dense_weight: float = 0.6
    threshold: float = 0.8
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
    question: DiseaseQuestion | None = None  # the message asks about a disease by name
    other_animal: str | None = None  # the message is about this other animal, not fish
    about_person: bool = False  # the message tells of a person ("vợ em bỏ ăn"), and of no fish sign
    # Signs named only in talk of other farms, causes, fears or drugs ("vì sao cá hay bị nổi đầu"), when
    # the message tells of no sign seen: the farmer may want to know about them.
    talked_of: list[str] = field(default_factory=list)

    def present(self) -> list[str]:
        return [h.id for h in self.symptoms if not h.negated]

    def absent(self) -> list[str]:
        return [h.id for h in self.symptoms if h.negated]


@dataclass
class _Reference:
    label: str
    negative: bool  # an "absent" example: matching it means the sign is denied
    text: str
    negations: int


@dataclass(slots=True)
class _Span:
    clause: int
    start: int  # word positions within the clause
    end: int
    offset: int = 0  # position of the clause's first word in the whole message
    # Words a second reading of the span leaves out (message positions): negation cues, so "mang
    # không bị thối" is scored like "mang bị thối" (the cue itself is counted apart, see _negated),
    # and small words inside it, so "da tụi nó hơi tái" is scored like "da tái".
    left_out: tuple[int, ...] = ()
    # The body part this span is also read right after (message positions), when the fish's name
    # stands between them: "mang cá điêu hồng rách" is also read as "mang rách".
    part_before: tuple[int, ...] = ()


def _overlaps(span: _Span, ranges: list[tuple[int, int]]) -> bool:
    return any(span.start < e and s < span.end for s, e in ranges)


def _denied_words(tokens: list[str], cue_starts: list[bool], reach: int = 2) -> set[int]:
    """Positions of the first content word right after a negation cue (fillers like "có" skipped)."""
    fillers = language_data().filler_words
    denied = set()
    for i, is_cue in enumerate(cue_starts):
        if not is_cue:
            continue
        for j in range(i + 1, min(len(tokens), i + 2 + reach)):
            if tokens[j] not in fillers and not cue_starts[j]:
                denied.add(j)
                break
    return denied


# How far back in its own clause a span looks for the body part it is about (words).
SAME_CLAUSE_REACH = 6
# After "mang cá điêu hồng", spans up to this long are also read right after the body part.
SAME_CLAUSE_PART_SPAN = 3
# A span scoring below this, that reads as a sign the message already has once its body part is
# put back, only elaborates that sign ("da cá bạc màu loang lổ": patchy colour, not ulcers).
WEAK_SPAN = 0.92
# A span read with the part carried from an earlier clause must read at least this much like the
# sign on its own.
CARRY_FLOOR = 0.5
# A sign told again later may score this much under the threshold: the first telling makes it likely.
REPEAT_MARGIN = 0.1
# The words right next to a sign already read, that name no new body part or fish, must read this
# well to be another sign: in "trùng mỏ neo cắm vào thân" the leftover "vào thân" is not rubbing.
LEFTOVER_BAR = 0.9


def _own_denials(text: str) -> int:
    """The denials in an example, counted as they are in a message read as one span: "cá ăn không hết
    cám" holds two ("không", and "hết" before "cám"), so a message saying just that is not denied."""
    tokens = text.split()
    return SymptomMatcher._denials(tokens, _Span(0, 0, len(tokens)), [])


class SymptomMatcher:
    def __init__(self, intents: IntentSet, encoder: Encoder | None, settings: MatchSettings | None = None):
        self.intents = intents
        self.encoder = encoder
        self.settings = settings or MatchSettings()
        self.references = self._build_references(intents)
        self.scorer = SpanScorer([r.text for r in self.references], encoder, self.settings.dense_weight)
        # The words of the examples are most of what farmers write: their features are computed now,
        # in one batch, so a message pays for a word only the first time it uses one no example has.
        self.scorer.prepare(w for r in self.references for clause in self._clauses(r.text) for w in clause)
        labels = [r.label for r in self.references]
        # References of one label are contiguous (examples, then "absent" examples, per sign).
        self._group_starts = np.array([i for i in range(len(labels)) if i == 0 or labels[i] != labels[i - 1]])
        self._group_labels = [labels[i] for i in self._group_starts]
        self._group_index = {label: gi for gi, label in enumerate(self._group_labels)}
        self._ref_group = np.repeat(np.arange(len(self._group_starts)), np.diff(self._group_starts, append=len(labels)))
        # Where each group's "absent" examples begin (its end when it has none).
        ends = list(self._group_starts[1:]) + [len(labels)]
        self._absent_starts = [next((i for i in range(lo, hi) if self.references[i].negative), hi)
                               for lo, hi in zip(self._group_starts, ends)]
        if len(set(self._group_labels)) != len(self._group_labels):
            raise ValueError("references of one label must be contiguous")
        self.places = BodyPlaces(intents, [(r.label, r.text) for r in self.references if not r.negative])
        self._questions = DiseaseQuestionFinder(intents)
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
                refs.append(_Reference(symptom.id, False, text, _own_denials(text)))
            for example in symptom.absent_examples:
                text = normalize_text(example)
                refs.append(_Reference(symptom.id, True, text, _own_denials(text)))
        for example in intents.out_of_scope:
            text = normalize_text(example)
            refs.append(_Reference(OUT_OF_SCOPE, False, text, 0))
        return refs

    # -- scoring -----------------------------------------------------------------------------

    def _spans(self, clauses: list[list[str]]) -> list[_Span]:
        spans = []
        offset = 0
        data = language_data()
        ended_cues, inner_fillers = data.ended_cue_set, data.inner_fillers
        for ci, tokens in enumerate(clauses):
            n = len(tokens)
            can_carry, is_context = word_roles(tokens)
            cue_start, in_cue = cue_words(tokens)
            content, context, cues = (list(accumulate(flags, initial=0)) for flags in (can_carry, is_context, cue_start))
            # A word right after a negation cue, or after "hết" (over), may be a sign alone.
            ended = [t in ended_cues for t in tokens]
            denied = _denied_words(tokens, [c or e for c, e in zip(cue_start, ended)])
            meaningful = [c and not q for c, q in zip(can_carry, in_cue)]
            small = [t in inner_fillers and not q for t, q in zip(tokens, in_cue)]
            smalls = list(accumulate(small, initial=0))
            longest = self.settings.max_span
            # "mang cá điêu hồng rách", "mắt đục lồi": the words after the name or first sign are read after the part too.
            part, after_name = self._part_then_more(tokens) or ((), -1)
            for start in range(n):
                # One word alone is too weak to be evidence ("bot", "tai", "rách") unless it is all
                # there is, or it is what a negation denies ("hông chết", "không lồi"), or it is read
                # with the body part before the fish's name.
                first_end = start + 1 if n == 1 or start in denied or start == after_name else start + 2
                for end in range(first_end, min(n, start + longest) + 1):
                    # A span needs a word that can carry a sign, or a negated body part/verb ("không ăn").
                    negated = cues[end] > cues[start]
                    if content[end] == content[start] and not (negated and context[end] > context[start]):
                        continue
                    # A cue closing the span ("lờ đờ không") negates what follows, not the span; with
                    # words after it in the clause, the span says nothing ("lồng điêu hồng không | thấy
                    # con nào nổi đầu").
                    if in_cue[end - 1] and end < n:
                        continue
                    cue_gaps = negated and not in_cue[end - 1] and any(meaningful[start:end])
                    gaps = ()
                    if cue_gaps or (end - start > 2 and smalls[end - 1] > smalls[start + 1]):
                        gaps = tuple(offset + i for i in range(start, end)
                                     if (cue_gaps and in_cue[i]) or (start < i < end - 1 and small[i]))
                    part_before = (tuple(offset + p for p in part)
                                   if start == after_name and end - start <= SAME_CLAUSE_PART_SPAN else ())
                    spans.append(_Span(ci, start, end, offset, gaps, part_before))
            offset += n
        return spans

    # -- public API --------------------------------------------------------------------------

    def understand_many(self, texts: list[object]) -> list[Understanding]:
        """Understand several messages; the features of their new words are computed in one batch."""
        prepared = []
        for text in texts:
            normalized = normalize_text(text)
            clauses = self._clauses(normalized)
            prepared.append((text, normalized, clauses, self._spans(clauses)))
        self.scorer.prepare(w for _, _, clauses, _ in prepared for clause in clauses for w in clause)
        return [self._understand_one(*item) for item in prepared]

    def _clauses(self, normalized: str) -> list[list[str]]:
        return [close_only_frame(self.scorer.spelling.unglue(c)) for c in split_clauses(normalized)]

    def _understand_one(self, text, normalized: str, clauses: list[list[str]], spans: list[_Span]) -> Understanding:
        words = [w for clause in clauses for w in clause]
        bounds = [(s.offset + s.start, s.offset + s.end) for s in spans]
        # Other readings of some spans, each (span, bounds, positions left out); a reference keeps
        # the best reading of a span.
        shorter = [(i, bounds[i], s.left_out) for i, s in enumerate(spans) if s.left_out]
        carried = self._readings_with_carried_part(clauses, spans, bounds)
        more = shorter + carried
        holes = [()] * len(spans) + [gaps for _, _, gaps in more] if more else None
        scores = self.scorer.score(words, bounds + [b for _, b, _ in more], holes)
        if more:
            scores, other = scores[: len(spans)], scores[len(spans) :]
            if shorter:  # each span appears once in a group of readings
                rows = [i for i, _, _ in shorter]
                scores[rows] = np.maximum(scores[rows], other[: len(shorter)])
            if carried:
                # The carried part only helps a span that already reads a little like that sign:
                # "giờ chỉ" after "phân trắng hết" is not feces.
                rows = [i for i, _, _ in carried]
                own = scores[rows]
                allowed = np.maximum.reduceat(own, self._group_starts, axis=1)[:, self._ref_group] >= CARRY_FLOOR
                scores[rows] = np.where(allowed, np.maximum(own, other[len(shorter) :]), own)
        question = self._questions.find(normalized, clauses)
        # Asked what a disease is, its name is not a sign seen: those words are left out.
        named = question.name_words if question and question.kind == ABOUT else frozenset()
        species = self._species(normalized)
        names_fish = lambda: species is not None or any(not language_data().fish_words.isdisjoint(c) for c in clauses)
        people = about_people(clauses, names_fish)
        animals = animal_clauses(clauses, lambda c: not language_data().fish_words.isdisjoint(c) or self._species(" ".join(c)))
        talk = prevention_talk(clauses)
        kept_out = named | people | other_fish_phrases(clauses) | animals
        feed = feed_tails(clauses)
        hits, claimed_any = self._select(clauses, spans, scores, kept_out | talk, feed)
        talked_of = []
        if talk and not hits:
            talked_of = [h.id for h in self._select(clauses, spans, scores, kept_out, feed)[0] if not h.negated]
        other_animal_named = None if species else other_animal(clauses)
        if other_animal_named:
            hits = []
        about_person = bool(people) and not hits and not species
        return Understanding(
            text=text if isinstance(text, str) else str(text or ""),
            normalized=normalized,
            clauses=[" ".join(c) for c in clauses],
            symptoms=hits,
            species=species,
            unmatched=(bool(clauses) and not claimed_any and question is None and other_animal_named is None
                       and not about_person and not talked_of),
            question=question,
            other_animal=other_animal_named,
            about_person=about_person,
            talked_of=[] if other_animal_named else talked_of,
        )

    def _readings_with_carried_part(self, clauses: list[list[str]], spans: list[_Span], bounds) -> list:
        """Spans of a short clause that goes on about an earlier body part ("mắt không lồi, không
        đục"), and spans right after the fish's name that follows a body part ("mang cá điêu hồng rách"),
        are also read after that part's words (what lies between is left out)."""
        carried = self.places.carried(clauses)
        readings = []
        for i, span in enumerate(spans):
            places = carried.get(span.clause) or span.part_before
            if not places:
                continue
            start, end = bounds[i]
            kept = set(places) | set(range(start, end)).difference(span.left_out)
            gaps = tuple(p for p in range(places[0], end) if p not in kept)
            readings.append((i, (places[0], end), gaps))
        return readings

    @staticmethod
    def _part_then_more(tokens: list[str]) -> tuple[range, int] | None:
        """A body part, then words that stand between it and what follows: the fish's name ("mang cá
        điêu hồng rách tươm") or one sign word of that part ("mắt đục lồi", "vây đỏ rách"). The part's
        positions and where the following words begin; those words are also read right after the part,
        so the name does not water them down and the second sign is not lost to the first."""
        data = language_data()
        at = next((i for i, t in enumerate(tokens) if t in data.body_parts), None)
        if at is None:
            return None
        first = at
        while at < len(tokens) and tokens[at] in data.body_parts:
            at += 1
        if at >= len(tokens) - 1:
            return None
        if tokens[at] in data.fish_words:
            after = at + 1
            while after < len(tokens) and tokens[after] in data.fish_name_words:
                after += 1
            # Right after "cá" ("da cá có đốm") the spans with the part are spans of their own already.
            return (range(first, at), after) if at + 1 < after < len(tokens) else None
        states = data.part_state_words
        return (range(first, at), at + 1) if tokens[at] in states and tokens[at + 1] in states else None

    def _select(self, clauses: list[list[str]], spans: list[_Span], scores: np.ndarray,
                excluded: frozenset[tuple[int, int]] = frozenset(),
                no_start: frozenset[tuple[int, int]] = frozenset()) -> tuple[list[SymptomHit], bool]:
        candidates = []
        best = np.zeros((0, len(self._group_labels)), dtype=np.float32)
        if len(spans):
            # Best reference per label: a span may be a weak match for one sign but a strong one for another.
            best = np.maximum.reduceat(scores, self._group_starts, axis=1)
            rows, groups = np.nonzero(best >= self.settings.threshold)
            for si, gi, score in zip(rows.tolist(), groups.tolist(), best[rows, groups].tolist()):
                span = spans[si]
                candidates.append((score, span.end - span.start, span, si, gi))
        # Scores within one band count as a tie, and the longer span wins it: "nội tạng đầy hạt
        # trắng" says more than its tail "hạt trắng", which alone would read as spots on the skin.
        band = self.settings.tie_band
        candidates.sort(key=lambda c: (-round(c[0] / band), -c[1], -c[0]))
        taken: dict[int, list[tuple[int, int]]] = {}
        # Words telling a sign again ("chết rải rác, tuần này chết dồn dập"): a weak reading of another
        # sign is not read in them ("dồn dập" is not fast breathing), but they are not a claimed span
        # either (see _latest_word).
        told_again: dict[int, list[tuple[int, int]]] = {}
        seen_labels: set[str] = set()
        chosen: dict[str, tuple[_Span, int, float]] = {}
        for score, _, span, si, gi in candidates:
            label = self._group_labels[gi]
            again = label in seen_labels and label != OUT_OF_SCOPE
            occupied = taken.setdefault(span.clause, [])
            if _overlaps(span, occupied):
                continue
            if (again or score < LEFTOVER_BAR) and _overlaps(span, told_again.get(span.clause, [])):
                continue
            if not again and score < LEFTOVER_BAR and self._leftover(clauses[span.clause], span, occupied):
                continue
            if excluded and any((span.clause, i) in excluded for i in range(span.start, span.end)):
                continue
            if (span.clause, span.start) in no_start:
                continue
            if not self.fits_body_parts(clauses, span.clause, label):
                continue
            if again:
                told_again.setdefault(span.clause, []).append((span.start, span.end))
                continue
            occupied.append((span.start, span.end))
            seen_labels.add(label)
            if label != OUT_OF_SCOPE:
                denied = lambda span=span, occupied=occupied: self._denials(clauses[span.clause], span, occupied) > 0
                chosen[label] = (span, self._best_reference(scores[si], gi, denied), score)
        if chosen:
            self._latest_word(clauses, spans, scores, best, chosen, taken, excluded)
        hits = []
        for span, idx, score in chosen.values():
            idx, score = self._with_named_body_part(clauses, span, idx, score, seen_labels)
            if idx is None:
                continue
            ref = self.references[idx]
            tokens = clauses[span.clause]
            if ref.negative and span.end < len(tokens) and tokens[span.end] in language_data().less_words:
                # "cá vẫn ăn ít": a "normal" reading with "less" right after it is the sign itself.
                ref = _Reference(ref.label, False, ref.text, ref.negations)
            over = self._over_later(clauses, span.clause, taken)
            hits.append(
                SymptomHit(
                    id=ref.label,
                    score=round(score, 3),
                    negated=self._negated(tokens, span, ref, taken.get(span.clause, []), over),
                    span=" ".join(tokens[span.start : span.end]),
                    example=ref.text,
                )
            )
        hits.sort(key=lambda h: -h.score)
        return hits, bool(seen_labels)

    @staticmethod
    def _over_later(clauses: list[list[str]], clause: int, taken: dict[int, list[tuple[int, int]]]) -> bool:
        """ "hôm trước cá bơi lờ đờ, giờ hết rồi": a later clause says it is over, the next one or the next
        after clauses that tell no sign ("hôm trước nổi đầu, em chạy quạt cả đêm, nay hết rồi"). A clause
        telling no sign may hold what the farmer did too ("sáng nay chạy quạt hết rồi"); one telling a
        sign must say it outright ("giờ hết rồi")."""
        for after in range(clause + 1, len(clauses)):
            if taken.get(after):
                return over_now(clauses[after])
            if over_now(clauses[after], deeds_between=True):
                return True
        return False

    def _latest_word(self, clauses, spans, scores, best, chosen, taken, excluded) -> None:
        """Farmers tell what happened in order, so the last word on a sign stands: "hôm qua nổi đầu,
        sáng nay hết nổi đầu rồi" is no surfacing now. A sign told again in a later clause, even in
        fewer words ("nay hết cọ rồi"), replaces the first telling when it says the opposite."""
        last_clause = len(clauses) - 1
        if all(first.clause == last_clause for first, _, _ in chosen.values()):
            return  # nothing is told after the first telling (most messages are one clause)
        near = best >= self.settings.threshold - REPEAT_MARGIN
        fillers = language_data().filler_words
        for label, (first, first_idx, _) in list(chosen.items()):
            if first.clause == last_clause:
                continue
            gi = self._group_index[label]
            first_words = set(clauses[first.clause][first.start : first.end]) - fillers
            latest = None
            for si, span in enumerate(spans):
                if span.clause <= first.clause or (latest and (span.clause, best[si, gi]) <= latest[0]):
                    continue
                tokens = clauses[span.clause]
                if not near[si, gi] and not self._echoes(tokens, span, first_words):
                    continue
                if _overlaps(span, taken.get(span.clause, [])):
                    continue
                if excluded and any((span.clause, i) in excluded for i in range(span.start, span.end)):
                    continue
                if best[si, gi] < self.settings.threshold and not ended_before(tokens, span.start, span.end):
                    continue  # under the threshold, only a sign said to be over ("hết cọ") counts
                latest = ((span.clause, best[si, gi]), span, si)
            if latest is None:
                continue
            (_, score), span, si = latest
            if near[si, gi]:
                idx = self._best_reference(scores[si], gi,
                                           lambda: self._denials(clauses[span.clause], span, taken.get(span.clause, [])) > 0)
            else:  # a shortened echo of the first telling ("nổi đầu" ... "hết nổi") is that same sign
                idx, score = first_idx, self.settings.threshold
            now = self._negated(clauses[span.clause], span, self.references[idx], taken.get(span.clause, []))
            before = self._negated(clauses[first.clause], first, self.references[first_idx], taken[first.clause])
            # "cá bỏ ăn, mấy con khác thì không": other fish, not a change of mind.
            if now != before and not about_other_fish(clauses[span.clause]):
                chosen[label] = (span, idx, float(score))
                taken.setdefault(span.clause, []).append((span.start, span.end))

    @staticmethod
    def _echoes(tokens: list[str], span: _Span, first_words: set[str]) -> bool:
        """The span repeats part of a sign's first telling, and only that: "hết nổi" after "nổi đầu"."""
        words = set(tokens[span.start : span.end]) - language_data().filler_words
        return bool(words) and words <= first_words

    def _best_reference(self, row: np.ndarray, group: int, denied: Callable[[], bool] | None = None) -> int:
        """The reference a span reads as, within one sign's group.

        In a clause that denies something, an example of the sign is preferred to an "absent" example
        scoring about the same: denying "phân cứng" (normal feces) is weak evidence of white feces,
        while "phân cũng đâu có trắng" plainly denies them.
        """
        lo = self._group_starts[group]
        hi = self._group_starts[group + 1] if group + 1 < len(self._group_starts) else len(row)
        best = int(lo + np.argmax(row[lo:hi]))
        absent_from = self._absent_starts[group]
        if denied is not None and best >= absent_from > lo and denied():
            positive = int(lo + np.argmax(row[lo:absent_from]))
            if row[positive] >= row[best] - self.settings.tie_band:
                return positive
        return best

    @staticmethod
    def _leftover(tokens: list[str], span: _Span, occupied: list[tuple[int, int]]) -> bool:
        """The span touches a span already read, and does not open on a body part (or is not read
        right after one: "vây đỏ rách"), the fish or a negation of what the fish does (each starts a
        statement of its own: "ca bo an mang nhot", "cá nổi đầu không ăn")."""
        data = language_data()
        opens_anew = (tokens[span.start] in data.body_parts or tokens[span.start] in data.fish_words or span.part_before
                      or (cue_words(tokens)[0][span.start]
                          and not data.fish_actions.isdisjoint(tokens[span.start : span.end])))
        return not opens_anew and any(e == span.start or span.end == s for s, e in occupied)

    def fits_body_parts(self, clauses: list[list[str]], clause: int, label: str) -> bool:
        return self.places.fits(clauses, clause, label)

    def _with_named_body_part(self, clauses, span: _Span, idx: int, score: float, seen: set[str]) -> tuple[int | None, float]:
        """Re-read a span that names no body part together with the body part named before it.

        Only a relabel: the span is already a sign; a better-fitting sign of the same words wins.
        If that better fit is a sign the message already has, the span only elaborates it: None.
        """
        data = language_data()
        body_parts = data.body_parts
        words = clauses[span.clause][span.start : span.end]
        if span.part_before or any(w in body_parts for w in words):  # read with its part already
            return idx, score
        if not data.fish_actions.isdisjoint(words):
            return idx, score  # what the whole fish does ("mang tái mét bơi không nổi") has no part
        # The nearest place wins. In the same clause the span is re-read from that place on, with
        # what lies between ("da trắng nhợt không còn bóng" is dull skin, not gas bubbles); else
        # with the places named by the nearest earlier clause.
        before = clauses[span.clause][: span.start]
        places = [i for i, w in enumerate(before) if w in body_parts]
        carried: list[str] = []
        same_clause = bool(places) and span.start - places[-1] <= SAME_CLAUSE_REACH
        if same_clause:
            carried = before[places[-1] :]
        elif data.fish_words.isdisjoint(before + words):
            for earlier in reversed(clauses[: span.clause]):
                carried = list(dict.fromkeys(w for w in earlier if w in body_parts))[:3]
                if carried:
                    break
        if not carried:
            return idx, score
        row = self.scorer.score(carried + words, [(0, len(carried) + len(words))])[0]
        best = np.maximum.reduceat(row, self._group_starts)
        order = np.argsort(-best)
        own = self.references[idx].label
        if (same_clause and score < WEAK_SPAN and self._group_labels[order[0]] in seen
                and self._group_labels[order[0]] not in (OUT_OF_SCOPE, own)):
            return None, score
        for gi in order[:2]:
            label = self._group_labels[gi]
            if label in (OUT_OF_SCOPE, own):
                continue
            new_idx = self._best_reference(row, gi)
            if row[new_idx] >= self.settings.threshold and row[new_idx] > score:
                return (None, score) if label in seen else (new_idx, float(row[new_idx]))
            break
        return idx, score

    @classmethod
    def _negated(cls, tokens: list[str], span: _Span, ref: _Reference, occupied: list[tuple[int, int]],
                 over: bool = False) -> bool:
        return (cls._denials(tokens, span, occupied) + over > ref.negations) != ref.negative

    @staticmethod
    def _denials(tokens: list[str], span: _Span, occupied: list[tuple[int, int]]) -> int:
        """How many denials reach the span: cues before or inside it, "hết" before it, a denial closing the clause."""
        # Look back a few words, but not past another claimed span: in "không nổi đầu bỏ ăn"
        # the "không" belongs to "nổi đầu", not to "bỏ ăn". A list ("không thấy bọt khí hay
        # xuất huyết") is one negated whole.
        if not_over_yet(tokens, span.start):
            return 0
        data = language_data()
        listed = lambda e, at: e < at and all(t in data.list_joiners for t in tokens[e:at])
        # The list reaches back through its earlier members: "chưa có hiện tượng cọ mình hay nổi đầu".
        anchor = span.start
        while (earlier := next((s for s, e in occupied if listed(e, anchor)), None)) is not None:
            anchor = earlier
        left = max(0, anchor - negation_window())
        for s, e in occupied:
            if e <= anchor and not listed(e, anchor):
                left = max(left, e)
        # Nor past "mà" (but): "có phải nấm không mà trên da có chùm trắng" asks, then tells what was seen.
        left = next((j + 1 for j in range(span.start - 1, left - 1, -1) if tokens[j] in data.guess_enders), left)
        cues = count_reaching_negations(tokens[left : span.end])
        return (cues + ended_before(tokens, span.start, span.end) + denied_after(tokens, span.end)
                + gone_after(tokens, span.start, span.end))

    def _species(self, normalized: str) -> str | None:
        folded = fold_accents(normalized)
        for species_id, pattern in self._species_patterns:
            if pattern.search(folded):
                return species_id
        return None
