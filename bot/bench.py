"""``fishbot bench``: load time, intent embedding (cold, cached), pipeline latency vs raw encode.

The pipeline is timed end to end (normalize, match, diagnose, render a reply); the raw figure
is ``model.encode`` on the very same messages, so the ratio shows what the pipeline adds on top
of the model. Medians and 95th percentiles, because shared machines are noisy.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time

from bot.encoder import Encoder
from bot.evaluate import load_eval
from bot.intents import load_intents
from bot.matcher import SymptomMatcher
from bot.pipeline import Pipeline, evidence_from
from bot.render import Renderer


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def run_bench(messages_file: str, intents_dir: str, model: str | None, repeats: int = 3, batch: int = 64,
              lexical_only: bool = False) -> dict:
    """Without an encoder (``lexical_only``) there is no raw encode to compare with: pipeline only."""
    import os

    texts = [i.text for i in load_eval(messages_file)]
    if not texts:
        raise ValueError(f"{messages_file} holds no messages")
    batch = min(batch, len(texts))
    intents = load_intents(intents_dir)

    started = time.perf_counter()
    import sentence_transformers  # noqa: F401  (the library import is timed apart from the model)

    import_s = time.perf_counter() - started
    started = time.perf_counter()
    encoder = None if lexical_only else Encoder(model)
    load_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as cache:
        previous = os.environ.get("FISHBOT_CACHE")
        os.environ["FISHBOT_CACHE"] = cache
        try:
            started = time.perf_counter()
            SymptomMatcher(intents, encoder)
            cold_s = time.perf_counter() - started
            started = time.perf_counter()
            matcher = SymptomMatcher(intents, encoder)
            cached_s = time.perf_counter() - started
        finally:
            if previous is None:
                os.environ.pop("FISHBOT_CACHE", None)
            else:
                os.environ["FISHBOT_CACHE"] = previous
    pipeline = Pipeline.from_parts(intents, encoder, matcher.settings)
    pipeline.matcher = matcher
    renderer = Renderer(intents)

    def full(batch_texts: list[str]) -> None:
        for understanding in pipeline.understand_many(batch_texts):
            evidence = evidence_from(understanding)
            diagnosis = pipeline.diagnoser.diagnose(evidence)
            if diagnosis.ranked:
                renderer.diagnosis(diagnosis, evidence)

    def raw(batch_texts: list[str]) -> None:
        if encoder is not None:
            encoder.encode(batch_texts)

    full(texts[:8])  # warm-up: first calls pay for lazy initialisation
    raw(texts[:8])
    single, raw_single = [], []
    for _ in range(repeats):
        for text in texts:
            t0 = time.perf_counter()
            full([text])
            single.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            raw([text])
            raw_single.append(time.perf_counter() - t0)
    batched, raw_batched = [], []
    for _ in range(repeats):
        for i in range(0, len(texts) - batch + 1, batch):
            chunk = texts[i : i + batch]
            t0 = time.perf_counter()
            full(chunk)
            batched.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            raw(chunk)
            raw_batched.append(time.perf_counter() - t0)

    p50_single, p50_batch = statistics.median(single), statistics.median(batched)
    has_raw = encoder is not None
    return {
        "model": encoder.model_path if encoder else "none (lexical only)",
        "device": encoder.device if encoder else "cpu",
        "messages": len(texts),
        "library_import_ms": _ms(import_s),
        "model_load_ms": _ms(load_s),
        "intent_embedding_cold_ms": _ms(cold_s),
        "intent_embedding_cached_ms": _ms(cached_s),
        "single": {
            "pipeline_p50_ms": _ms(p50_single),
            "pipeline_p95_ms": _ms(_percentile(single, 0.95)),
            # Pass 1 alone: a word no example has pays for its features the first time it is seen.
            "first_pass_p50_ms": _ms(statistics.median(single[: len(texts)])),
            **_versus_raw(p50_single, raw_single if has_raw else None),
        },
        f"concurrent_{batch}": {
            "pipeline_p50_ms": _ms(p50_batch),
            "pipeline_p95_ms": _ms(_percentile(batched, 0.95)),
            **_versus_raw(p50_batch, raw_batched if has_raw else None),
            "messages_per_second": round(batch / p50_batch, 1),
        },
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _versus_raw(pipeline_p50: float, raw: list[float] | None) -> dict:
    """Raw-encode figures and the pipeline/raw ratio; None where there is no encoder to compare."""
    if raw is None:
        return {"raw_encode_p50_ms": None, "raw_encode_p95_ms": None, "ratio_pipeline_raw": None}
    raw_p50 = statistics.median(raw)
    return {"raw_encode_p50_ms": _ms(raw_p50), "raw_encode_p95_ms": _ms(_percentile(raw, 0.95)),
            "ratio_pipeline_raw": round(pipeline_p50 / raw_p50, 2)}


def format_bench(result: dict) -> str:
    lines = [f"model: {result['model']} on {result['device']} ({result['messages']} messages)",
             f"library import: {result['library_import_ms']} ms (torch + sentence-transformers, once per process)",
             f"model load: {result['model_load_ms']} ms",
             f"intent embeddings: cold {result['intent_embedding_cold_ms']} ms, cached {result['intent_embedding_cached_ms']} ms"]
    for key in [k for k in result if k == "single" or k.startswith("concurrent_")]:
        r = result[key]
        versus_raw = (f"; raw encode p50 {r['raw_encode_p50_ms']} ms; ratio {r['ratio_pipeline_raw']}"
                      if r["ratio_pipeline_raw"] is not None else "")
        first = f" (first pass p50 {r['first_pass_p50_ms']} ms)" if "first_pass_p50_ms" in r else ""
        lines.append(f"{key}: pipeline p50 {r['pipeline_p50_ms']} ms{first}, p95 {r['pipeline_p95_ms']} ms{versus_raw}"
                     + (f"; {r['messages_per_second']} msg/s" if "messages_per_second" in r else ""))
    lines.append(f"peak memory: {result['peak_memory_mb']} MB")
    return "\n".join(lines)
