"""Ranking conditions from evidence, choosing the next question, and the triage level.

The model is naive Bayes over mutually exclusive conditions: each condition has a prior
(adjusted by the species the farmer names) and P(sign | condition) for the signs it causes;
a sign a condition does not list gets a small leak probability, so an unexplained sign lowers
a condition without ruling it out. The next question is the unknown sign with the largest
expected information gain over the condition distribution, as an extension officer would ask
the question that best separates the likely causes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.intents import IntentSet

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


def _xlog2x(values: np.ndarray) -> np.ndarray:
    """x log2 x, with 0 log 0 = 0."""
    return values * np.log2(np.where(values > 0, values, 1.0))


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
        self._sign_index = {s: i for i, s in enumerate(self.signs)}
        # likelihood[c, s] = P(sign s | condition c), the leak where the condition does not list s.
        self.likelihood = np.array([[c.likelihoods.get(s, leak) for s in self.signs] for c in self.conditions])
        self._log_yes, self._log_no = np.log(self.likelihood), np.log(1.0 - self.likelihood)
        # Per condition and sign, -H(answer | condition) in bits: see _gains.
        self._answer_certainty = _xlog2x(self.likelihood) + _xlog2x(1.0 - self.likelihood)
        self._log_prior_cache: dict[str | None, np.ndarray] = {}

    # -- probabilities -----------------------------------------------------------------------

    def _priors(self, species: str | None) -> np.ndarray:
        return np.array([c.prior * (c.species_weights.get(species, 1.0) if species else 1.0) for c in self.conditions])

    def _log_priors(self, species: str | None) -> np.ndarray:
        # Kept per species: a handful of arrays, asked for on every message.
        logs = self._log_prior_cache.get(species)
        if logs is None:
            logs = self._log_prior_cache[species] = np.log(np.maximum(self._priors(species), 1e-9))
        return logs

    def posterior(self, evidence: Evidence) -> np.ndarray:
        logs = self._log_priors(evidence.species)
        for sign, state in evidence.signs.items():
            i = self._sign_index.get(sign)
            if i is not None:  # a sign no condition lists has the leak everywhere: it changes nothing
                logs = logs + (self._log_yes[:, i] if state == PRESENT else self._log_no[:, i])
        weights = np.exp(logs - logs.max())
        return weights / weights.sum()

    def _gains(self, probs: np.ndarray) -> np.ndarray:
        """Expected information gain of asking about each sign, all signs at once.

        The gain is I(C; A) = H(A) - H(A | C): the answer's own uncertainty, less what remains of it
        once the condition is known. With P(yes) = sum_c P(c) P(s|c) both are one product each.
        """
        yes = probs @ self.likelihood
        answer_entropy = -(_xlog2x(yes) + _xlog2x(1.0 - yes))
        return answer_entropy + probs @ self._answer_certainty

    def information_gain(self, probs, sign: str) -> float:
        return float(self._gains(np.asarray(probs))[self._sign_index[sign]])

    # -- the diagnosis -----------------------------------------------------------------------

    def diagnose(self, evidence: Evidence, asked: list[str] | tuple[str, ...] = (), questions_asked: int = 0) -> Diagnosis:
        if not evidence.present():
            return Diagnosis([], None, THEO_DOI, False, False)
        probs = self.posterior(evidence)
        order = np.argsort(-probs, kind="stable")
        ranked = self._explain_all(order, probs, evidence)
        top = ranked[0]
        question = None
        if top.probability < CLEAR_ENOUGH and questions_asked < MAX_QUESTIONS:
            question = self._next_question(probs, evidence, asked)
        confident = top.probability >= LOW_CONFIDENCE
        triage = self._triage(top, evidence)
        finished = question is None
        handoff = triage == KHAN_CAP or (finished and not confident)
        return Diagnosis(ranked, question, triage, handoff, confident)

    def _next_question(self, probs: np.ndarray, evidence: Evidence, asked) -> str | None:
        gains = self._gains(probs)
        for sign in list(evidence.signs) + list(asked):
            if sign in self._sign_index:
                gains[self._sign_index[sign]] = -1.0
        best = int(np.argmax(gains))
        return self.signs[best] if gains[best] > MIN_GAIN_BITS else None

    def _explain_all(self, order: np.ndarray, probs: np.ndarray, evidence: Evidence) -> list[RankedCondition]:
        """Each condition in ``order`` with the signs that support it and those that speak against it.

        A present sign supports a condition that usually shows it (P >= 0.3) and speaks against one
        that rarely does (P <= 0.1); an absent sign speaks against a condition that usually shows it (P >= 0.6).
        """
        observed = [(sign, state == PRESENT) for sign, state in evidence.signs.items()]
        ranked = []
        for i in order.tolist():
            c = self.conditions[i]
            supporting, against = [], []
            for sign, present in observed:
                p = c.likelihoods.get(sign, self.leak)
                if present:
                    if p >= 0.3:
                        supporting.append(sign)
                    elif p <= 0.1:
                        against.append(sign)
                elif p >= 0.6:
                    against.append(sign)
            ranked.append(RankedCondition(c.id, c.name, float(probs[i]), c.severity, supporting, against))
        return ranked

    @staticmethod
    def _triage(top: RankedCondition, evidence: Evidence) -> str:
        if evidence.signs.get(MORTALITY_SIGN) == PRESENT:
            return KHAN_CAP
        if top.severity == "cao" and top.probability >= 0.75:
            return KHAN_CAP if len(top.supporting) >= 3 else CAN_TU_VAN
        if top.severity == "cao" or top.probability < LOW_CONFIDENCE:
            return CAN_TU_VAN
        return THEO_DOI
