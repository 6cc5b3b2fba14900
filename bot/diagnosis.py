"""Ranking conditions from evidence, choosing the next question, and the triage level.

The model is naive Bayes over mutually exclusive conditions: each condition has a prior
(adjusted by the species the farmer names) and P(sign | condition) for the signs it causes;
a sign a condition does not list gets a small leak probability, so an unexplained sign lowers
a condition without ruling it out. The next question is the unknown sign with the largest
expected information gain over the condition distribution, as an extension officer would ask
the question that best separates the likely causes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.intents import Condition, IntentSet

LEAK = 0.03
PRESENT, ABSENT = "present", "absent"

# Stop asking once the leading cause is this likely, or no question is worth this many bits.
CLEAR_ENOUGH = 0.85
MIN_GAIN_BITS = 0.04
MAX_QUESTIONS = 4
# Below this probability for the leading cause, a person should look at the case.
LOW_CONFIDENCE = 0.45

KHAN_CAP, CAN_TU_VAN, THEO_DOI = "khan_cap", "can_tu_van", "theo_doi"
MORTALITY_SIGN = "chet_nhieu"


@dataclass
class Evidence:
    signs: dict[str, str] = field(default_factory=dict)  # sign id -> present | absent
    species: str | None = None

    def present(self) -> list[str]:
        return [s for s, v in self.signs.items() if v == PRESENT]

    def absent(self) -> list[str]:
        return [s for s, v in self.signs.items() if v == ABSENT]

    def to_dict(self) -> dict:
        return {"signs": dict(self.signs), "species": self.species}

    @classmethod
    def from_dict(cls, data: dict) -> "Evidence":
        return cls(signs=dict(data.get("signs") or {}), species=data.get("species"))


@dataclass
class RankedCondition:
    id: str
    name: str
    probability: float
    severity: str
    supporting: list[str]  # present signs this condition explains well
    against: list[str]  # present signs it does not explain, or absent signs it usually shows


@dataclass
class Diagnosis:
    ranked: list[RankedCondition]
    question: str | None  # sign id to ask about next, or None when done
    triage: str
    handoff: bool  # an officer should see this case (urgent or unsure)
    confident: bool

    @property
    def top(self) -> RankedCondition | None:
        return self.ranked[0] if self.ranked else None


class Diagnoser:
    def __init__(self, intents: IntentSet, leak: float = LEAK):
        self.intents = intents
        self.leak = leak
        self.conditions = list(intents.conditions)
        self.signs = [s.id for s in intents.symptoms]

    # -- probabilities -----------------------------------------------------------------------

    def _likelihood(self, condition: Condition, sign: str) -> float:
        return condition.likelihoods.get(sign, self.leak)

    def _prior(self, condition: Condition, species: str | None) -> float:
        weight = condition.species_weights.get(species, 1.0) if species else 1.0
        return condition.prior * weight

    def posterior(self, evidence: Evidence) -> list[float]:
        logs = []
        for c in self.conditions:
            value = math.log(max(self._prior(c, evidence.species), 1e-9))
            for sign, state in evidence.signs.items():
                p = self._likelihood(c, sign)
                value += math.log(p if state == PRESENT else 1.0 - p)
            logs.append(value)
        top = max(logs)
        weights = [math.exp(v - top) for v in logs]
        total = sum(weights)
        return [w / total for w in weights]

    @staticmethod
    def _entropy(probs: list[float]) -> float:
        return -sum(p * math.log2(p) for p in probs if p > 0)

    def _update(self, probs: list[float], sign: str, present: bool) -> tuple[float, list[float]]:
        joint = [
            p * (self._likelihood(c, sign) if present else 1.0 - self._likelihood(c, sign))
            for p, c in zip(probs, self.conditions)
        ]
        marginal = sum(joint)
        return marginal, [j / marginal for j in joint] if marginal else probs

    def information_gain(self, probs: list[float], sign: str) -> float:
        p_yes, after_yes = self._update(probs, sign, True)
        p_no, after_no = self._update(probs, sign, False)
        return self._entropy(probs) - (p_yes * self._entropy(after_yes) + p_no * self._entropy(after_no))

    # -- the diagnosis -----------------------------------------------------------------------

    def diagnose(self, evidence: Evidence, asked: list[str] | tuple[str, ...] = (), questions_asked: int = 0) -> Diagnosis:
        if not evidence.present():
            return Diagnosis([], None, THEO_DOI, False, False)
        probs = self.posterior(evidence)
        order = sorted(range(len(probs)), key=lambda i: -probs[i])
        ranked = [self._explain(self.conditions[i], probs[i], evidence) for i in order]
        top = ranked[0]
        question = None
        if top.probability < CLEAR_ENOUGH and questions_asked < MAX_QUESTIONS:
            question = self._next_question(probs, evidence, asked)
        confident = top.probability >= LOW_CONFIDENCE
        triage = self._triage(top, evidence)
        finished = question is None
        handoff = triage == KHAN_CAP or (finished and not confident)
        return Diagnosis(ranked, question, triage, handoff, confident)

    def _next_question(self, probs: list[float], evidence: Evidence, asked) -> str | None:
        best, best_gain = None, MIN_GAIN_BITS
        for sign in self.signs:
            if sign in evidence.signs or sign in asked:
                continue
            gain = self.information_gain(probs, sign)
            if gain > best_gain:
                best, best_gain = sign, gain
        return best

    def _explain(self, condition: Condition, probability: float, evidence: Evidence) -> RankedCondition:
        supporting, against = [], []
        for sign, state in evidence.signs.items():
            p = self._likelihood(condition, sign)
            if state == PRESENT:
                (supporting if p >= 0.3 else against if p <= 0.1 else []).append(sign)
            elif p >= 0.6:
                against.append(sign)
        return RankedCondition(condition.id, condition.name, probability, condition.severity, supporting, against)

    @staticmethod
    def _triage(top: RankedCondition, evidence: Evidence) -> str:
        if evidence.signs.get(MORTALITY_SIGN) == PRESENT:
            return KHAN_CAP
        if top.severity == "cao" and top.probability >= 0.75:
            return KHAN_CAP if len(top.supporting) >= 3 else CAN_TU_VAN
        if top.severity == "cao" or top.probability < LOW_CONFIDENCE:
            return CAN_TU_VAN
        return THEO_DOI
