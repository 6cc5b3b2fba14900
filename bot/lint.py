"""``fishbot intents lint``: quality checks on the intent files for agronomists.

Uses the same similarity as the matcher (encoder + accent-free lexical) to find examples that sit
closer to another sign than to their own, near-duplicates, thin or accent-only signs, signs no
condition uses, and conditions no question can tell apart. Messages are Vietnamese, with file:line.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass

import numpy as np

from bot.intents import CONDITIONS_FILE, SYMPTOMS_FILE
from bot.matcher import OUT_OF_SCOPE
from bot.normalize import fold_accents
from bot.pipeline import Pipeline

MIN_EXAMPLES = 8  # below this a sign cannot be matched reliably (error)
FEW_EXAMPLES = 15  # below this, warn
MISLABEL_MARGIN = 0.12  # closer to another sign by this much: almost surely the wrong sign
NEAR_DUPLICATE = 0.97
# Two conditions need a sign whose likelihoods differ this much for a question to separate them.
SEPARATING_DIFFERENCE = 0.3


@dataclass
class Finding:
    level: str  # error | warning
    file: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        label = "LỖI" if self.level == "error" else "cảnh báo"
        return f"{self.file}:{self.line}: {label}: {self.message}"


def _similarities(pipeline: Pipeline) -> tuple[np.ndarray, list]:
    """Similarity of every reference sentence (as one span) with every other one."""
    refs = pipeline.matcher.references
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for ref in refs:
        tokens = ref.text.split() or [""]
        spans.append((len(words), len(words) + len(tokens)))
        words += tokens
    scores = pipeline.matcher.scorer.score(words, spans)
    np.fill_diagonal(scores, -1.0)
    return scores, refs


def lint(pipeline: Pipeline) -> list[Finding]:
    intents = pipeline.intents
    findings: list[Finding] = []
    scores, refs = _similarities(pipeline)
    index = 0
    positions: dict[str, list[int]] = {}
    for i, ref in enumerate(refs):
        if ref.label != OUT_OF_SCOPE and not ref.negative:
            positions.setdefault(ref.label, []).append(i)
    labels = np.array([r.label if not r.negative else r.label + "!absent" for r in refs])

    for symptom in intents.symptoms:
        rows = positions.get(symptom.id, [])
        for k, i in enumerate(rows):
            line = symptom.example_lines[k] if k < len(symptom.example_lines) else symptom.line
            own_mask = labels == symptom.id
            own = float(scores[i][own_mask].max()) if own_mask.sum() > 1 else 0.0
            other_mask = (labels != symptom.id) & (labels != symptom.id + "!absent")
            j = int(np.flatnonzero(other_mask)[np.argmax(scores[i][other_mask])])
            other = float(scores[i, j])
            other_label = refs[j].label if refs[j].label != OUT_OF_SCOPE else "chuyện ngoài lề (out_of_scope)"
            example = symptom.examples[k]
            if other >= own + MISLABEL_MARGIN:
                findings.append(Finding("error", SYMPTOMS_FILE, line, "mislabeled",
                                        f"ví dụ «{example}» của '{symptom.id}' giống '{other_label}' («{refs[j].text}», {other:.2f}) "
                                        f"hơn hẳn giống dấu hiệu của nó ({own:.2f}): có thể gán nhầm"))
            elif other > own:
                findings.append(Finding("warning", SYMPTOMS_FILE, line, "ambiguous",
                                        f"ví dụ «{example}» của '{symptom.id}' gần '{other_label}' («{refs[j].text}», {other:.2f}) "
                                        f"ngang hoặc hơn dấu hiệu của nó ({own:.2f}): nên viết rõ hơn"))
        findings += _near_duplicates(symptom, rows, scores)
        findings += _out_of_place(pipeline, symptom, [refs[i].text for i in rows])
        if len(symptom.examples) < MIN_EXAMPLES:
            findings.append(Finding("error", SYMPTOMS_FILE, symptom.line, "too_few",
                                    f"'{symptom.id}' chỉ có {len(symptom.examples)} ví dụ; cần ít nhất {MIN_EXAMPLES}"))
        elif len(symptom.examples) < FEW_EXAMPLES:
            findings.append(Finding("warning", SYMPTOMS_FILE, symptom.line, "few",
                                    f"'{symptom.id}' có {len(symptom.examples)} ví dụ; nên có từ {FEW_EXAMPLES} trở lên"))
        if not any(fold_accents(e) == e for e in symptom.examples):
            findings.append(Finding("warning", SYMPTOMS_FILE, symptom.line, "no_accent_free",
                                    f"'{symptom.id}' chưa có ví dụ viết không dấu (bà con hay gõ không dấu)"))
        index += 1

    used = {s for c in intents.conditions for s in c.likelihoods}
    for symptom in intents.symptoms:
        if symptom.id not in used:
            findings.append(Finding("error", SYMPTOMS_FILE, symptom.line, "unused_sign",
                                    f"không bệnh nào dùng dấu hiệu '{symptom.id}'"))
    findings += _indistinguishable(pipeline)
    return sorted(findings, key=lambda f: (f.level != "error", f.file, f.line))


def _near_duplicates(symptom, rows: list[int], scores: np.ndarray) -> list[Finding]:
    out = []
    for (a, i), (b, j) in itertools.combinations(enumerate(rows), 2):
        if scores[i, j] >= NEAR_DUPLICATE:
            line = symptom.example_lines[b] if b < len(symptom.example_lines) else symptom.line
            out.append(Finding("warning", SYMPTOMS_FILE, line, "near_duplicate",
                               f"ví dụ «{symptom.examples[b]}» gần như trùng «{symptom.examples[a]}» ({scores[i, j]:.2f})"))
    return out


def _out_of_place(pipeline: Pipeline, symptom, normalized: list[str]) -> list[Finding]:
    """Examples that name only body parts outside the sign's own ``body_parts``: never matchable.

    ``normalized`` holds the examples as the matcher keeps them (its reference texts).
    """
    out = []
    for k, (example, text) in enumerate(zip(symptom.examples, normalized)):
        if not pipeline.matcher.fits_body_parts([text.split()], 0, symptom.id):
            line = symptom.example_lines[k] if k < len(symptom.example_lines) else symptom.line
            out.append(Finding("error", SYMPTOMS_FILE, line, "out_of_place",
                               f"ví dụ «{example}» của '{symptom.id}' chỉ nói bộ phận ngoài body_parts "
                               f"{list(symptom.body_parts)}: bot sẽ không bao giờ đọc ra dấu hiệu này; thêm bộ phận vào "
                               f"body_parts hoặc chuyển ví dụ"))
    return out


def _indistinguishable(pipeline: Pipeline) -> list[Finding]:
    diagnoser = pipeline.diagnoser
    out = []
    for (i, a), (j, b) in itertools.combinations(enumerate(diagnoser.conditions), 2):
        gap = float(np.abs(diagnoser.likelihood[i] - diagnoser.likelihood[j]).max())
        if gap < SEPARATING_DIFFERENCE:
            out.append(Finding("warning", CONDITIONS_FILE, b.line, "indistinguishable",
                               f"không câu hỏi nào phân biệt được '{a.id}' và '{b.id}' (khác nhau nhiều nhất {gap:.2f}); "
                               f"thêm một dấu hiệu riêng cho một bên"))
    return out


def findings_json(findings: list[Finding]) -> list[dict]:
    return [asdict(f) for f in findings]
