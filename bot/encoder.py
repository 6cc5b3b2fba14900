"""The sentence encoder: one small interface over a sentence-transformers model.

Swappable by configuration (``FISHBOT_MODEL``: a local folder or a model id). Picks CUDA when
present (half precision there), CPU otherwise. Embeddings of the intent examples are cached on
disk, keyed by the model and the exact texts, so a restart does not re-embed them.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = REPO_ROOT / "models" / "fishbot-vi"


class EncoderUnavailable(Exception):
    """The configured model cannot be loaded (missing folder, no network for an id, broken files)."""


def default_model_path() -> str:
    return os.environ.get("FISHBOT_MODEL") or str(DEFAULT_MODEL_DIR)


def cache_dir() -> Path:
    return Path(os.environ.get("FISHBOT_CACHE") or Path.home() / ".cache" / "fishbot")


def _fingerprint_model(path: str) -> str:
    """A stable key for a model: its weight files' sizes and leading bytes, or its id."""
    folder = Path(path)
    digest = hashlib.sha256(path.encode() if not folder.is_dir() else b"")
    if folder.is_dir():
        for file in sorted(folder.rglob("*")):
            if file.is_file() and file.suffix in (".safetensors", ".bin", ".json", ".txt", ".model"):
                digest.update(str(file.relative_to(folder)).encode())
                digest.update(str(file.stat().st_size).encode())
                with file.open("rb") as handle:
                    digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:16]


class Encoder:
    def __init__(self, model: str | None = None, device: str | None = None, batch_size: int = 64):
        from sentence_transformers import SentenceTransformer  # heavy import, only when needed

        self.model_path = model or default_model_path()
        if device is None:
            device = "cuda" if _cuda_available() else "cpu"
        self.device = device
        self.batch_size = batch_size
        try:
            self.model = SentenceTransformer(self.model_path, device=device)
        except Exception as exc:  # the library raises many kinds; callers need one clear message
            raise EncoderUnavailable(f"cannot load model '{self.model_path}': {exc}") from exc
        if device.startswith("cuda"):
            self.model.half()
        prompts = getattr(self.model, "prompts", {}) or {}
        self.prompt_name = "STS" if "STS" in prompts else None
        self.key = _fingerprint_model(self.model_path)

    @classmethod
    def from_model(cls, model, path: str) -> "Encoder":
        """Wrap an already loaded SentenceTransformer (training evaluates without reloading)."""
        encoder = cls.__new__(cls)
        encoder.model_path = path
        encoder.model = model
        encoder.device = str(model.device)
        encoder.batch_size = 64
        prompts = getattr(model, "prompts", {}) or {}
        encoder.prompt_name = "STS" if "STS" in prompts else None
        encoder.key = None  # weights may still change in memory: never trust the disk cache
        return encoder

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            prompt_name=self.prompt_name,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode_cached(self, texts: list[str]) -> np.ndarray:
        """Encode reference texts, reusing the on-disk cache when model and texts are unchanged."""
        if self.key is None:
            return self.encode(texts)
        digest = hashlib.sha256("\x1f".join(texts).encode("utf-8")).hexdigest()[:16]
        path = cache_dir() / f"emb-{self.key}-{digest}.npy"
        if path.exists():
            try:
                cached = np.load(path)
                if cached.shape[0] == len(texts):
                    return cached
            except (OSError, ValueError):
                log.warning("embedding cache %s unreadable; rebuilding", path)
        vectors = self.encode(texts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            os.replace(tmp, path)
        except OSError as exc:  # a read-only home must not stop the bot
            log.warning("cannot write embedding cache %s: %s", path, exc)
        return vectors


def _cuda_available() -> bool:
    try:
        import torch

        return bool(torch.cuda.is_available())
    except Exception:
        return False
