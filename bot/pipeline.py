"""Assembles the core (intents, encoder, matcher, diagnosis) from configuration.

This is the one place that knows where things are loaded from; the CLI, the console chat and
the Telegram edge all build their pipeline here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.diagnosis import ABSENT, PRESENT, Diagnoser, Diagnosis, Evidence
from bot.encoder import REPO_ROOT, Encoder
from bot.intents import IntentSet, load_intents
from bot.matcher import MatchSettings, SymptomMatcher, Understanding


def default_intents_dir() -> Path:
    return Path(os.environ.get("FISHBOT_INTENTS") or REPO_ROOT / "intents")


@dataclass
class Analysis:
    """One message understood and diagnosed on its own (no conversation state)."""

    understanding: Understanding
    evidence: Evidence
    diagnosis: Diagnosis


def evidence_from(understanding: Understanding, base: Evidence | None = None) -> Evidence:
    """Merge what a message says into earlier evidence; the newest statement about a sign wins."""
    evidence = Evidence(dict(base.signs), base.species) if base else Evidence()
    for hit in understanding.symptoms:
        evidence.signs[hit.id] = ABSENT if hit.negated else PRESENT
    if understanding.species:
        evidence.species = understanding.species
    return evidence


@dataclass
class Pipeline:
    intents: IntentSet
    encoder: Encoder | None
    matcher: SymptomMatcher
    diagnoser: Diagnoser

    @classmethod
    def load(
        cls,
        intents_dir: str | Path | None = None,
        model: str | None = None,
        lexical_only: bool = False,
        encoder: Encoder | None = None,
        settings: MatchSettings | None = None,
    ) -> "Pipeline":
        intents = load_intents(intents_dir or default_intents_dir())
        if encoder is None and not lexical_only:
            encoder = Encoder(model)
        if lexical_only:
            encoder = None
        return cls.from_parts(intents, encoder, settings)

    @classmethod
    def from_parts(cls, intents: IntentSet, encoder: Encoder | None, settings: MatchSettings | None = None) -> "Pipeline":
        return cls(intents, encoder, SymptomMatcher(intents, encoder, settings), Diagnoser(intents))

    def with_intents(self, intents: IntentSet) -> "Pipeline":
        """A new pipeline on other intents, reusing the loaded encoder (for live reload)."""
        return Pipeline.from_parts(intents, self.encoder, self.matcher.settings)

    def understand_many(self, texts: list[object]) -> list[Understanding]:
        return self.matcher.understand_many(texts)

    def analyze_many(self, texts: list[object]) -> list[Analysis]:
        out = []
        for understanding in self.understand_many(texts):
            evidence = evidence_from(understanding)
            out.append(Analysis(understanding, evidence, self.diagnoser.diagnose(evidence)))
        return out
