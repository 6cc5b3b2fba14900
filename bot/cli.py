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
    from bot.evaluate import EvalFileInvalid, Prediction, confusion, load_eval, run_eval, write_report
    from bot.report import format_eval

    try:
        items = load_eval(file)
    except EvalFileInvalid as exc:
        _fail(str(exc))
    pipeline = _load_pipeline(intents_dir, model, lexical_only)

    def predict(texts: list[str]) -> list[Prediction]:
        return [
            Prediction(a.understanding.present(), a.understanding.absent(), [c.id for c in a.diagnosis.ranked])
            for a in pipeline.analyze_many(texts)
        ]

    result, predictions = run_eval(items, predict)
    if report_dir:
        files = write_report(report_dir, result, confusion(items, predictions), list(pipeline.intents.symptom_ids))
        result["report_files"] = [str(f) for f in files]
    if as_json:
        click.echo(json.dumps({k: v for k, v in result.items() if k != "misses"}, ensure_ascii=False, indent=2))
    else:
        click.echo(format_eval(result))


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


if __name__ == "__main__":
    main()
