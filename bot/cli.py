"""The ``fishbot`` command line (click). Every command turns bad input into a clear message."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.encoder import EncoderUnavailable
from bot.intents import IntentsInvalid, load_intents


def _fail(message: str, code: int = 2) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def _load_pipeline(intents: str | None, model: str | None, lexical_only: bool = False):
    from bot.pipeline import Pipeline

    try:
        return Pipeline.load(intents, model, lexical_only=lexical_only)
    except IntentsInvalid as exc:
        _fail("The intent files have errors:\n" + "\n".join(f"  {p}" for p in exc.problems))
    except EncoderUnavailable as exc:
        _fail(f"Model problem: {exc}\nSet FISHBOT_MODEL to a local sentence-transformers folder.", 3)


intents_option = click.option("--intents", "intents_dir", envvar="FISHBOT_INTENTS", default=None,
                              help="Folder with symptoms.yaml and conditions.yaml (env FISHBOT_INTENTS).")
model_option = click.option("--model", envvar="FISHBOT_MODEL", default=None,
                            help="Local model folder or model id (env FISHBOT_MODEL).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Fishbot: an assistant for Vietnamese fish farmers."""


@main.command("try")
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message (reads stdin when TEXT is omitted).")
@click.option("--lexical-only", is_flag=True, help="Switch the dense encoder off (baseline).")
@intents_option
@model_option
def try_(text: str | None, as_json: bool, lexical_only: bool, intents_dir: str | None, model: str | None) -> None:
    """Show how a message is understood: normalized text, clauses, signs, conditions."""
    from bot.report import analysis_dict, format_analysis

    if text is None and not as_json:
        _fail("Give a message, e.g. fishbot try \"cá nổi đầu\", or use --json to read stdin.")
    pipeline = _load_pipeline(intents_dir, model, lexical_only)
    messages = [text] if text is not None else [line.rstrip("\r\n") for line in _stdin_lines()]
    analyses = pipeline.analyze_many(messages)
    for analysis in analyses:
        if as_json:
            click.echo(json.dumps(analysis_dict(analysis), ensure_ascii=False))
        else:
            click.echo(format_analysis(analysis))


def _stdin_lines():
    stream = click.get_binary_stream("stdin")
    for raw in stream:
        yield raw.decode("utf-8", errors="replace")


@main.command("eval")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False), help="Write confusion matrix, per-tag chart and misses here.")
@click.option("--lexical-only", is_flag=True, help="Switch the dense encoder off (baseline).")
@intents_option
@model_option
def eval_(file: str, as_json: bool, report_dir: str | None, lexical_only: bool, intents_dir: str | None, model: str | None) -> None:
    """Score an evaluation file: symptom P/R/F1, negation, out-of-domain, conditions, per tag."""
    from bot.evaluate import EvalFileInvalid, confusion, load_eval, pipeline_predictor, run_eval, unknown_signs, write_report
    from bot.report import format_eval

    try:
        items = load_eval(file)
    except EvalFileInvalid as exc:
        _fail(str(exc))
    pipeline = _load_pipeline(intents_dir, model, lexical_only)
    unknown = unknown_signs(items, pipeline.intents.symptom_ids)
    if unknown:
        _fail(f"{file}: sign id(s) not in the intents: {', '.join(unknown)}")
    result, predictions = run_eval(items, pipeline_predictor(pipeline))
    if report_dir:
        files = write_report(report_dir, result, confusion(items, predictions), list(pipeline.intents.symptom_ids))
        result["report_files"] = [str(f) for f in files]
    if as_json:
        click.echo(json.dumps({k: v for k, v in result.items() if k != "misses"}, ensure_ascii=False, indent=2))
    else:
        click.echo(format_eval(result))


@main.command("chat")
@intents_option
@model_option
def chat(intents_dir: str | None, model: str | None) -> None:
    """Talk to Fishbot in the terminal (offline). Works interactively and with piped input."""
    from bot.dialog import DialogEngine, DialogState

    engine = DialogEngine(_load_pipeline(intents_dir, model), handoff_notice="handoff_console")
    interactive = sys.stdin.isatty()
    state = DialogState()
    click.echo(_chat_greeting())
    options: list[tuple[str, str]] = []
    for raw in _prompted_lines(interactive):
        line = raw.strip()
        if not line:
            continue
        if line in ("/quit", "/exit", "/thoat"):
            break
        if line == "/reset":
            state, reply = engine.reset()
        elif options and line.isdigit() and 1 <= int(line) <= len(options):
            state, reply = engine.answer(state, options[int(line) - 1][1]) or (state, None)
        else:
            state, reply = engine.text(state, line)
        if not interactive:
            click.echo(f"\n> {line}")
        if reply is None:
            continue
        click.echo(reply.text)
        options = reply.options
        if options:
            click.echo("   ".join(f"[{i}] {label}" for i, (label, _) in enumerate(options, 1)))


def _chat_greeting() -> str:
    from bot.render import templates

    return templates()["greeting"] + "\n(Gõ /reset để bắt đầu ca mới, /quit để thoát.)"


def _prompted_lines(interactive: bool):
    if not interactive:
        yield from _stdin_lines()
        return
    while True:
        try:
            yield input("\nBạn: ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return


@main.command("simulate")
@click.option("--cases", default=1000, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True)
@intents_option
@model_option
def simulate(cases: int, seed: int, as_json: bool, intents_dir: str | None, model: str | None) -> None:
    """Simulated interviews: top-1/top-3 accuracy and questions asked."""
    from bot.dialog import DialogEngine
    from bot.simulate import run_simulation

    result = run_simulation(DialogEngine(_load_pipeline(intents_dir, model)), cases, seed)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"cases: {result.cases}  top-1: {result.top1:.3f}  top-3: {result.top3:.3f}  "
               f"questions: mean {result.mean_questions}, max {result.max_questions}")
    for condition, figures in result.per_condition.items():
        click.echo(f"  {condition:<20} n={figures['cases']:<4} top-3 {figures['top3']:.3f}")


@main.command("run")
@click.option("--webhook-url", default=None, help="Public HTTPS URL for webhook mode (behind a reverse proxy). Default: long polling.")
@click.option("--port", default=8443, show_default=True, type=click.IntRange(1, 65535), help="Local port for webhook mode.")
@click.option("--listen", default="0.0.0.0", show_default=True, help="Local address for webhook mode.")
def run(webhook_url: str | None, port: int, listen: str) -> None:
    """Run the Telegram bot (configuration from environment variables, see README)."""
    import os

    from bot.config import BotConfig, ConfigError
    from bot.logs import setup_logging
    from bot.telegram_app import build_application

    try:
        config = BotConfig.from_env()
    except ConfigError as exc:
        _fail(f"Configuration problem: {exc}")
    setup_logging(config.token)
    pipeline = _load_pipeline(config.intents, config.model)
    app = build_application(config, pipeline)
    if webhook_url:
        from urllib.parse import urlparse

        path = urlparse(webhook_url).path.lstrip("/") or "telegram"
        app.run_webhook(listen=listen, port=port, url_path=path, webhook_url=webhook_url,
                        secret_token=os.environ.get("FISHBOT_WEBHOOK_SECRET") or None)
    else:
        app.run_polling(drop_pending_updates=False)


@main.command("selfcheck")
@intents_option
@model_option
def selfcheck(intents_dir: str | None, model: str | None) -> None:
    """Cheap health check: the model loads, the intents validate, the database opens."""
    import asyncio
    import os

    from bot.storage import Storage

    pipeline = _load_pipeline(intents_dir, model)
    pipeline.understand_many(["cá nổi đầu"])

    async def check_db() -> None:
        storage = await Storage.open(os.environ.get("FISHBOT_DB") or "data/fishbot.sqlite3")
        try:
            await storage.check()
        finally:
            await storage.close()

    try:
        asyncio.run(check_db())
    except Exception as exc:  # any database failure is a failed health check, reported plainly
        _fail(f"Database problem: {exc}", 4)
    click.echo(f"OK: model {pipeline.encoder.model_path if pipeline.encoder else '(none)'}, "
               f"{len(pipeline.intents.symptoms)} signs, database reachable")


@main.command("bench")
@click.option("--messages", "messages_file", default=None, help="Evaluation-format YAML whose texts are used (default tests/data/eval.yaml).")
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True)
@click.option("--lexical-only", is_flag=True, help="Time the pipeline with the dense encoder off (no raw encode to compare).")
@intents_option
@model_option
def bench(messages_file: str | None, repeats: int, as_json: bool, lexical_only: bool, intents_dir: str | None,
          model: str | None) -> None:
    """Load time, intent embedding cold/cached, pipeline vs raw encode latency, peak memory."""
    from bot.bench import format_bench, run_bench
    from bot.encoder import REPO_ROOT
    from bot.evaluate import EvalFileInvalid
    from bot.pipeline import default_intents_dir

    messages_file = messages_file or str(REPO_ROOT / "tests" / "data" / "eval.yaml")
    try:
        result = run_bench(messages_file, str(intents_dir or default_intents_dir()), model, repeats,
                           lexical_only=lexical_only)
    except (EvalFileInvalid, ValueError) as exc:
        _fail(str(exc))
    except IntentsInvalid as exc:
        _fail("The intent files have errors:\n" + "\n".join(f"  {p}" for p in exc.problems))
    except EncoderUnavailable as exc:
        _fail(f"Model problem: {exc}", 3)
    click.echo(json.dumps(result, indent=2) if as_json else format_bench(result))


@main.command("train")
@click.option("--base", default=None, help="Model to start from: a local folder or a model id (default: models/fishbot-vi-base).")
@click.option("--out", default=None, help="Where to save the trained model (default: models/fishbot-vi).")
@click.option("--pairs", "extra_pairs", type=click.Path(exists=True, dir_okay=False), help="Extra pairs CSV (sentence_0,sentence_1,label).")
@click.option("--epochs", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 4096))
@click.option("--lr", "learning_rate", default=5e-5, show_default=True, type=click.FloatRange(0, 10, min_open=True))
@click.option("--seed", default=42, show_default=True, type=int)
@click.option("--holdout", default=0.15, show_default=True, type=click.FloatRange(0, 0.5))
@click.option("--pairs-per-example", default=16, show_default=True, type=click.IntRange(2, 200))
@click.option("--subset", default=1.0, show_default=True, type=click.FloatRange(0.01, 1.0), help="Fraction of examples to train on.")
@click.option("--eval-file", default=None, help="Also report `fishbot eval` figures before and after (default: tests/data/eval.yaml if present).")
@click.option("--no-eval", is_flag=True, help="Skip the before/after evaluation.")
@intents_option
def train_cmd(base, out, extra_pairs, epochs, batch_size, learning_rate, seed, holdout, pairs_per_example, subset,
              eval_file, no_eval, intents_dir) -> None:
    """Fine-tune an encoder on symptom pairs (reference recipe: CosineSimilarityLoss, batch 16, 5 epochs, lr 5e-5)."""
    from bot.encoder import DEFAULT_MODEL_DIR, REPO_ROOT
    from bot.pipeline import default_intents_dir
    from bot.training import TrainConfig, train

    try:
        intents = load_intents(intents_dir or default_intents_dir())
    except IntentsInvalid as exc:
        _fail("The intent files have errors:\n" + "\n".join(f"  {p}" for p in exc.problems))
    default_eval = REPO_ROOT / "tests" / "data" / "eval.yaml"
    if no_eval:
        eval_file = None
    elif eval_file is None and default_eval.exists():
        eval_file = str(default_eval)
    config = TrainConfig(
        base=base or str(DEFAULT_MODEL_DIR.with_name("fishbot-vi-base")),
        out=out or str(DEFAULT_MODEL_DIR),
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        holdout=holdout,
        pairs_per_example=pairs_per_example,
        subset=subset,
        extra_pairs=extra_pairs,
    )
    try:
        figures = train(config, intents, eval_file, log=lambda m: click.echo(m, err=True))
    except (OSError, ValueError) as exc:
        _fail(f"Training failed: {exc}")
    click.echo(json.dumps(figures, ensure_ascii=False, indent=2))


@main.group("intents")
def intents_group() -> None:
    """Check the intent files."""


@intents_group.command("check")
@intents_option
def intents_check(intents_dir: str | None) -> None:
    """Validate symptoms.yaml and conditions.yaml; exit non-zero with file:line messages on errors."""
    from bot.pipeline import default_intents_dir

    folder = Path(intents_dir) if intents_dir else default_intents_dir()
    try:
        intents = load_intents(folder)
    except IntentsInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        _fail(f"{len(exc.problems)} error(s) in {folder}", 1)
    for warning in intents.warnings:
        click.echo(str(warning), err=True)
    examples = sum(len(s.examples) for s in intents.symptoms)
    click.echo(f"OK: {len(intents.symptoms)} signs, {examples} examples, {len(intents.conditions)} conditions in {folder}")


@intents_group.command("lint")
@click.option("--json", "as_json", is_flag=True, help="Findings as a JSON list.")
@click.option("--errors-only", is_flag=True, help="Show only error-level findings.")
@intents_option
@model_option
def intents_lint(as_json: bool, errors_only: bool, intents_dir: str | None, model: str | None) -> None:
    """Quality checks with the encoder: mislabeled or ambiguous examples, duplicates, thin signs, look-alike conditions."""
    from bot.lint import findings_json, lint

    findings = lint(_load_pipeline(intents_dir, model))
    if errors_only:
        findings = [f for f in findings if f.level == "error"]
    errors = sum(f.level == "error" for f in findings)
    if as_json:
        click.echo(json.dumps(findings_json(findings), ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        click.echo(f"{errors} lỗi, {len(findings) - errors} cảnh báo.")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
