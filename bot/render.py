"""Turns a diagnosis into a short Vietnamese reply from the templates in bot/data/replies.yaml."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from bot.diagnosis import Diagnosis, Evidence
from bot.intents import IntentSet

REPLIES_FILE = Path(__file__).with_name("data") / "replies.yaml"
SHOWN_CONDITIONS = 3
SHOWN_ACTIONS = 4
# A disease card names the signs the disease usually shows (at least this likely), at most a few.
CARD_SIGN_MIN = 0.5
CARD_SIGNS = 4
CARD_ACTIONS = 3
MIN_SHOWN_PROBABILITY = 0.05
# Signs only talked of: each with the diseases it most often comes with.
TALK_SIGNS = 2
TALK_CONDITIONS = 3


@functools.lru_cache(maxsize=1)
def templates() -> dict:
    return yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))


def confidence_word(probability: float) -> str:
    for band in templates()["confidence_words"]:
        if probability >= band["min"]:
            return band["word"]
    return templates()["confidence_words"][-1]["word"]


class Renderer:
    def __init__(self, intents: IntentSet):
        self.intents = intents
        self._sign_names = {s.id: s.name for s in intents.symptoms}
        self._conditions = {c.id: c for c in intents.conditions}
        self._species = {s.id: s.name for s in intents.species}

    def sign_name(self, sign: str) -> str:
        name = self._sign_names.get(sign, sign)
        return name[:1].lower() + name[1:]

    def question(self, sign: str) -> str:
        return self.intents.symptom(sign).question

    def _signs(self, signs: list[str]) -> str:
        return "; ".join(self.sign_name(s) for s in signs)

    def only_absent(self, evidence: Evidence) -> str:
        return templates()["only_absent"].format(signs=self._signs(evidence.absent()))

    def diagnosis(self, diagnosis: Diagnosis, evidence: Evidence, handoff_text: str | None = None) -> str:
        t = templates()
        species = f" ({self._species[evidence.species]})" if evidence.species in self._species else ""
        lines = [t["summary_intro"].format(species=species)]
        if evidence.present():
            lines.append(t["signs_present"].format(signs=self._signs(evidence.present())))
        if evidence.absent():
            lines.append(t["signs_absent"].format(signs=self._signs(evidence.absent())))
        shown = [c for c in diagnosis.ranked[:SHOWN_CONDITIONS] if c.probability >= MIN_SHOWN_PROBABILITY]
        lines += ["", t["likely_header"]]
        for rank, c in enumerate(shown, 1):
            lines.append(t["likely_line"].format(rank=rank, name=c.name, confidence=confidence_word(c.probability),
                                                 percent=round(c.probability * 100)))
            if rank == 1 and c.supporting:  # the reasons for the leading cause; more would crowd a phone
                lines.append(t["why_line"].format(signs=self._signs(c.supporting)))
            if rank == 1 and c.against:
                lines.append(t["against_line"].format(signs=self._signs(c.against)))
        top = diagnosis.top
        actions = list(self._conditions[top.id].first_actions) if top and diagnosis.confident else list(t["general_actions"])
        lines += ["", t["actions_header"]] + [t["action_line"].format(action=a) for a in actions[:SHOWN_ACTIONS]]
        lines += ["", t["triage"][diagnosis.triage]]
        if handoff_text:
            lines.append(handoff_text)
        if diagnosis.question:
            lines += ["", t["question_intro"].format(question=self.question(diagnosis.question))]
        lines += ["", t["medicine_caution"], t["disclaimer"]]
        return "\n".join(lines)

    def disease_card(self, condition_id: str, diagnosis: Diagnosis | None = None, standalone: bool = True) -> str:
        """What a disease is, its usual signs and first actions; with a diagnosis, how likely it is now."""
        t, card = templates(), templates()["disease_card"]
        condition = self._conditions[condition_id]
        usual = sorted(((p, s) for s, p in condition.likelihoods.items() if p >= CARD_SIGN_MIN), reverse=True)[:CARD_SIGNS]
        name = condition.name[:1].lower() + condition.name[1:]
        lines = [card["header"].format(name=name)]
        if standalone:
            lines.append(condition.description)
        if usual:
            lines.append(card["signs"].format(signs=self._signs([s for _, s in usual])))
        ranked = {c.id: c for c in diagnosis.ranked} if diagnosis else {}
        if condition_id in ranked:
            p = ranked[condition_id].probability
            lines.append(card["chance"].format(confidence=confidence_word(p), percent=round(p * 100)))
        if standalone:  # otherwise the diagnosis that follows carries actions and reminders
            lines += ["", card["actions_header"]]
            lines += [t["action_line"].format(action=a) for a in condition.first_actions[:CARD_ACTIONS]]
            lines += ["", card["ask_signs"], "", t["medicine_caution"], t["disclaimer"]]
        return "\n".join(lines)

    def talk_card(self, signs: list[str]) -> str:
        """Signs the farmer only asked about or heard of: what they usually come with, and an invitation
        to tell if the fish have them now."""
        t, card = templates(), templates()["talk_card"]
        lines = [card["header"]]
        for sign in signs[:TALK_SIGNS]:
            usual = sorted(((c.likelihoods[sign], c.name) for c in self.intents.conditions if sign in c.likelihoods),
                           reverse=True)[:TALK_CONDITIONS]
            names = ", ".join(name[:1].lower() + name[1:] for _, name in usual)
            lines.append(card["sign_line"].format(sign=self._sign_names.get(sign, sign), conditions=names))
        lines += ["", card["ask"], t["disclaimer"]]
        return "\n".join(lines)

    def answer_options(self) -> list[tuple[str, str]]:
        options = templates()["answer_options"]
        return [(options["yes"], "yes"), (options["no"], "no"), (options["unknown"], "unknown")]
