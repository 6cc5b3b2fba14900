"""Interview simulation: sampled cases answered truthfully, to measure the whole dialog.

A condition is drawn in proportion to its prior (the case mix the knowledge base assumes), its signs
are drawn from the P(sign | condition) the knowledge base lists (other signs absent), one or two present signs are
written as an example phrase from the intents to open the conversation, and every follow-up
question is answered from the sampled case. Reports top-1/top-3 accuracy and questions asked.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass

from bot.dialog import NO, YES, DialogEngine, DialogState


@dataclass
class SimulationResult:
    cases: int
    top1: float
    top3: float
    mean_questions: float
    max_questions: int
    per_condition: dict[str, dict[str, float]]

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def sample_case(engine: DialogEngine, rng: random.Random) -> tuple[str, dict[str, bool], str]:
    diagnoser = engine.pipeline.diagnoser
    condition = rng.choices(diagnoser.conditions, weights=[c.prior for c in diagnoser.conditions])[0]
    while True:
        signs = {s: rng.random() < condition.likelihoods.get(s, 0.0) for s in diagnoser.signs}
        if any(signs.values()):
            break
    present = [s for s, v in signs.items() if v]
    opening_signs = rng.sample(present, k=min(len(present), rng.choice((1, 2))))
    phrases = [rng.choice(engine.pipeline.intents.symptom(s).examples) for s in opening_signs]
    return ", ".join(phrases), signs, condition.id


def run_simulation(engine: DialogEngine, cases: int = 1000, seed: int = 7) -> SimulationResult:
    rng = random.Random(seed)
    hits1 = hits3 = 0
    questions: list[int] = []
    per: dict[str, list[int]] = {}
    for _ in range(cases):
        opening, truth, condition = sample_case(engine, rng)
        state, reply = engine.text(DialogState(), opening)
        asked = 0
        while reply.question and asked < 10:
            asked += 1
            state, reply = engine.answer(state, YES if truth.get(reply.question) else NO)
        ranked = [c.id for c in reply.diagnosis.ranked] if reply.diagnosis else []
        top1, top3 = ranked[:1] == [condition], condition in ranked[:3]
        hits1 += top1
        hits3 += top3
        questions.append(asked)
        per.setdefault(condition, []).append(int(top3))
    return SimulationResult(
        cases=cases,
        top1=round(hits1 / cases, 4),
        top3=round(hits3 / cases, 4),
        mean_questions=round(statistics.mean(questions), 2),
        max_questions=max(questions),
        per_condition={c: {"cases": len(v), "top3": round(sum(v) / len(v), 3)} for c, v in sorted(per.items())},
    )
