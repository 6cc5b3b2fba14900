"""Live intent editing: reload the intent files atomically, and teach new examples.

A reload builds a complete new pipeline next to the serving one and swaps it in only when the
files validate; an invalid edit leaves the previous intents serving. ``teach_example`` adds an
example with a round-trip YAML editor so the agronomists' comments and layout stay as they wrote.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ruamel.yaml import YAML

from bot.intents import SYMPTOMS_FILE, IntentsInvalid, content_hash, load_intents
from bot.pipeline import Pipeline


class TeachError(Exception):
    pass


def reload_pipeline(current: Pipeline, folder: Path, force: bool = False) -> Pipeline | None:
    """A new pipeline for the edited files, None when nothing changed; raises IntentsInvalid."""
    if not force and content_hash(folder) == current.intents.content_hash:
        return None
    intents = load_intents(folder)
    return current.with_intents(intents)


def teach_example(folder: Path, symptom_id: str, text: str) -> None:
    """Append ``text`` to the examples of ``symptom_id`` in symptoms.yaml, keeping comments and layout."""
    path = folder / SYMPTOMS_FILE
    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = 4096
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle)
    entry = next((s for s in data.get("symptoms", []) if s.get("id") == symptom_id), None)
    if entry is None:
        raise TeachError(f"không có dấu hiệu '{symptom_id}'")
    text = " ".join(text.split())
    if not text:
        raise TeachError("tin nhắn rỗng")
    if text in entry["examples"]:
        raise TeachError("câu này đã có trong ví dụ")
    entry["examples"].append(text)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False)
    try:
        with handle:
            yaml.dump(data, handle)
        os.replace(handle.name, path)  # atomic: the watcher never sees half a file
    except Exception:
        Path(handle.name).unlink(missing_ok=True)
        raise


__all__ = ["IntentsInvalid", "TeachError", "reload_pipeline", "teach_example"]
