"""Plain-text and JSON views of analyses and evaluation results for operators (CLI output)."""

from __future__ import annotations

from bot.pipeline import Analysis


def analysis_dict(analysis: Analysis) -> dict:
    u, d = analysis.understanding, analysis.diagnosis
    return {
        "text": u.text,
        "normalized": u.normalized,
        "clauses": u.clauses,
        "species": u.species,
        "symptoms": [{"id": h.id, "negated": h.negated, "score": h.score, "span": h.span} for h in u.symptoms],
        "conditions": [
            {"id": c.id, "name": c.name, "score": round(c.probability, 4), "supporting": c.supporting, "against": c.against}
            for c in d.ranked
        ],
        "triage": d.triage if d.ranked else None,
        "question": d.question,
        "handoff": d.handoff,
        "asks_about": {"conditions": list(u.question.conditions), "kind": u.question.kind} if u.question else None,
    }


def format_analysis(analysis: Analysis) -> str:
    data = analysis_dict(analysis)
    lines = [f"text:       {data['text']}", f"normalized: {data['normalized']}", "clauses:"]
    lines += [f"  - {c}" for c in data["clauses"]] or ["  (none)"]
    lines.append("symptoms:" if data["symptoms"] else "symptoms:   (none matched)")
    for s in data["symptoms"]:
        mark = "NOT " if s["negated"] else ""
        lines.append(f"  - {mark}{s['id']:<20} score {s['score']:.2f}  ← \"{s['span']}\"")
    if data["species"]:
        lines.append(f"species:    {data['species']}")
    if data["asks_about"]:
        asks = data["asks_about"]
        lines.append(f"asks about: {', '.join(asks['conditions'])} ({asks['kind']})")
    if data["conditions"]:
        lines.append("conditions:")
        for c in data["conditions"][:5]:
            lines.append(f"  - {c['id']:<18} {c['score']:.0%}  {c['name']}")
        lines.append(f"triage:     {data['triage']}{'  (hand to officer)' if data['handoff'] else ''}")
        lines.append(f"next question: {data['question'] or '(none)'}")
    return "\n".join(lines)


def format_eval(result: dict) -> str:
    s = result["symptoms"]
    c = result["conditions"]
    lines = [
        f"items: {result['items']}",
        f"symptoms: precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}  (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})",
        f"negation accuracy: {result['negation_accuracy'] if result['negation_accuracy'] is not None else 'n/a'} over {result['negation_pairs']} sign(s)",
        f"out-of-domain false positives: {result['ood_false_positives']} of {result['ood_items']}",
        f"conditions: top-1 {c['top1']}  top-3 {c['top3']}  over {c['items']} item(s)",
        "per tag:",
    ]
    for tag, t in result["tags"].items():
        lines.append(f"  {tag:<8} n={t['items']:<4} P {t['precision']:.3f}  R {t['recall']:.3f}  F1 {t['f1']:.3f}")
    if result.get("report_files"):
        lines.append("report: " + ", ".join(result["report_files"]))
    return "\n".join(lines)
