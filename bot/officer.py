"""What extension officers see: case summaries, case cards, lists and transcripts (plain text)."""

from __future__ import annotations

import time

from bot.diagnosis import Diagnosis, Evidence
from bot.intents import IntentSet
from bot.storage import Case, LoggedMessage

TRIAGE_LABELS = {"khan_cap": "🔴 KHẨN CẤP", "can_tu_van": "🟠 Cần tư vấn", "theo_doi": "🟢 Theo dõi"}


def case_summary(intents: IntentSet, evidence: Evidence, diagnosis: Diagnosis | None, farmer_words: list[str], reason: str) -> dict:
    names = {s.id: s.name for s in intents.symptoms}
    species = {s.id: s.name for s in intents.species}
    return {
        "reason": reason,
        "farmer_words": farmer_words[-5:],
        "species": species.get(evidence.species or "", None),
        "present": [names.get(s, s) for s in evidence.present()],
        "absent": [names.get(s, s) for s in evidence.absent()],
        "conditions": [
            {"name": c.name, "probability": round(c.probability, 3)} for c in (diagnosis.ranked[:3] if diagnosis else [])
        ],
    }


def _when(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


def case_card(case: Case) -> str:
    s = case.summary
    lines = [
        f"Ca #{case.id} — {TRIAGE_LABELS.get(case.triage, case.triage)} — {case.status}",
        f"Thời gian: {_when(case.created_at)} · chat {case.chat_id}",
        f"Lý do: {s.get('reason', '')}",
        f"Loài cá: {s.get('species') or 'chưa rõ'}",
        "Lời bà con:",
    ]
    lines += [f"  « {w} »" for w in s.get("farmer_words", [])] or ["  (không có)"]
    lines.append("Có: " + (", ".join(s.get("present", [])) or "—"))
    lines.append("Không có: " + (", ".join(s.get("absent", [])) or "—"))
    conditions = s.get("conditions", [])
    if conditions:
        lines.append("Bệnh nghi ngờ: " + "; ".join(f"{c['name']} {round(c['probability'] * 100)}%" for c in conditions))
    return "\n".join(lines)


def case_list(cases: list[Case]) -> str:
    if not cases:
        return "Không có ca nào đang mở."
    lines = [f"{len(cases)} ca đang mở (khẩn nhất trước):"]
    for c in cases:
        top = c.summary.get("conditions") or [{"name": "chưa rõ"}]
        lines.append(f"#{c.id} {TRIAGE_LABELS.get(c.triage, c.triage)} · {c.status} · {_when(c.created_at)} · {top[0]['name']}")
    return "\n".join(lines)


def transcript(messages: list[LoggedMessage]) -> str:
    lines = ["Hội thoại gần đây:"]
    for m in messages:
        who = "Bà con" if m.direction == "in" else "Bot/cán bộ"
        text = m.text if len(m.text) < 300 else m.text[:300] + "…"
        lines.append(f"[{_when(m.created_at)}] {who}: {text}")
    return "\n".join(lines)


def unmatched_list(messages: list[LoggedMessage]) -> str:
    if not messages:
        return "Chưa có tin nhắn nào bot không hiểu."
    lines = ["Tin nhắn bot chưa hiểu (dùng /teach MÃ_TIN MÃ_DẤU_HIỆU để dạy):"]
    lines += [f"{m.id}: [{m.match}] {m.text[:120]}" for m in messages]
    return "\n".join(lines)
