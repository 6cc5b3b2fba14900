"""Shared fixtures: the real pipeline (shipped model and intents) is loaded once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
INTENTS = REPO / "intents"


@pytest.fixture(scope="session")
def pipeline():
    from bot.pipeline import Pipeline

    return Pipeline.load(INTENTS)


@pytest.fixture
def intents_copy(tmp_path: Path) -> Path:
    """A private copy of the intent files that a test may break."""
    target = tmp_path / "intents"
    shutil.copytree(INTENTS, target)
    return target
