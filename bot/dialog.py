"""The diagnostic interview, independent of Telegram.

State per conversation is a plain serializable object (the bot persists it as JSON). Input
events are free text, an answer to the pending question (có / không / không rõ) or a reset;
each returns the new state and a reply (text plus answer options). Free text at any point adds
evidence; "không rõ" moves on to the next question.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field

from bot.diagnosis import ABSENT, PRESENT, Diagnosis, Evidence
from bot.normalize import normalize_text
from bot.pipeline import Pipeline, evidence_from
from bot.render import Renderer, templates

YES, NO, UNKNOWN = "yes", "no", "unknown"
MAX_TRANSCRIPT = 20
# A sign found with a score this close to the threshold is logged as a weak match for review.
WEAK_MARGIN = 0.05


@dataclass
class DialogState:
    evidence: dict = field(default_factory=lambda: Evidence().to_dict())
    asked: list[str] = field(default_factory=list)
    pending: str | None = None  # sign id of the question waiting for an answer
    question_no: int = 0  # increases with every question, so an old button can be recognised
    turns: int = 0
    farmer_words: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "DialogState":
        if not data:
            return cls()
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass
class Reply:
    text: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, answer value)
    question: str | None = None
    question_no: int = 0
    diagnosis: Diagnosis | None = None
    handoff: bool = False
    officer_requested: bool = False
    # For free text: matched | weak | none | question | small_talk (weak and none feed /unmatched).
    match: str | None = None


@functools.lru_cache(maxsize=None)
def _words(kind: str) -> frozenset[str]:
    """Answer words of one kind (yes / no / unknown), or another word list of the templates, normalized."""
    words = templates()["answer_words"].get(kind) or templates()[kind]
    return frozenset(normalize_text(w) for w in words)


def _without_polite_words(text: str) -> str:
    """The normalized message without punctuation and the polite words around it ("dạ không ạ" is "không")."""
    words = re.sub(r"[,;.!?]", " ", normalize_text(text)).split()
    before, after = set(templates()["answer_polite_before"]), set(templates()["answer_polite_after"])
    while words and words[0] in before:
        words = words[1:]
    while words and words[-1] in after:
        words = words[:-1]
    return " ".join(words)


def classify_answer(text: str) -> str | None:
    """yes / no / unknown when a message is just an answer word, else None."""
    norm = _without_polite_words(text)
    for kind in (UNKNOWN, YES, NO):  # "không rõ" before "không"
        if norm in _words(kind):
            return kind
    return None


def leading_answer(text: str) -> tuple[str, str] | None:
    """(yes / no / unknown, the rest) when a message opens with an answer word and goes on after a
    comma or a full stop: "có, sáng nào cũng bị", "không, mà cá bị đốm đỏ"."""
    norm = normalize_text(text)
    match = re.match(r"\s*([^,.;!?\n]+)[,.;!?\n]+(.*)", norm, re.S)
    if not match or not match.group(2).strip():
        return None
    kind = classify_answer(match.group(1))
    return (kind, match.group(2).strip()) if kind else None


def _answered(state: DialogState, answer: str) -> DialogState:
    """A copy of the state with the open question answered ("không rõ" adds nothing) and closed."""
    evidence = Evidence.from_dict(state.evidence)
    if answer != UNKNOWN:
        evidence.signs[state.pending] = PRESENT if answer == YES else ABSENT
    return DialogState(**{**state.to_dict(), "evidence": evidence.to_dict(), "pending": None})


def is_thanks(text: str) -> bool:
    """A message that opens with thanks or a closing word ("cảm ơn em nhiều", "ok em")."""
    norm = _without_polite_words(text)
    return any(norm == w or norm.startswith(w + " ") for w in _words("thanks_words"))


def wants_officer(text: str) -> bool:
    norm = normalize_text(text)
    return any(normalize_text(w) in norm for w in templates()["officer_words"])


class DialogEngine:
    def __init__(self, pipeline: Pipeline, handoff_notice: str = "handoff_notice"):
        # Telegram really hands the case over; the console can only advise it (handoff_console).
        self.pipeline = pipeline
        self.renderer = Renderer(pipeline.intents)
        self.handoff_notice = handoff_notice

    def reset(self) -> tuple[DialogState, Reply]:
        return DialogState(), Reply(templates()["reset"])

    def answer(self, state: DialogState, answer: str, question_no: int | None = None) -> tuple[DialogState, Reply] | None:
        """Answer the pending question; None when the question is stale or there is none."""
        if state.pending is None or answer not in (YES, NO, UNKNOWN):
            return None
        if question_no is not None and question_no != state.question_no:
            return None
        state = _answered(state, answer)
        state.turns += 1
        return self._respond(state)

    def text(self, state: DialogState, text: str) -> tuple[DialogState, Reply]:
        answer = classify_answer(text)
        if answer and state.pending:
            return self.answer(state, answer)  # type: ignore[return-value]
        told_before = bool(Evidence.from_dict(state.evidence).present())
        lead = leading_answer(text) if state.pending else None
        if lead:
            # The answer counts, and what follows it is read like any message ("không, mà cá bị đốm đỏ").
            answer, text = lead
            state = _answered(state, answer)
        officer, thanks = wants_officer(text), is_thanks(text)
        understanding = self.pipeline.understand_many([text])[0]
        match = self._match_strength(understanding)
        evidence = evidence_from(understanding, Evidence.from_dict(state.evidence))
        words = (state.farmer_words + [str(text)[:500]])[-MAX_TRANSCRIPT:]
        pending = None if state.pending in evidence.signs else state.pending
        state = DialogState(evidence.to_dict(), list(state.asked), pending, state.question_no, state.turns + 1, words)
        if officer:
            new_state, reply = self._respond(state) if evidence.present() else (state, Reply(templates()["officer_request"]))
            reply.officer_requested = True
        elif understanding.other_animal and not evidence.present():
            new_state, reply = state, Reply(templates()["other_animal"].format(animal=understanding.other_animal))
        elif understanding.about_person and not evidence.present():
            new_state, reply = state, Reply(templates()["about_person"], match="small_talk")
        elif understanding.question and not evidence.present():
            # Only a question about a disease: answer it and invite the farmer to tell the signs.
            new_state, reply = state, Reply(self.renderer.disease_card(understanding.question.conditions[0]))
        elif understanding.talked_of and not evidence.present():
            new_state, reply = state, Reply(self.renderer.talk_card(understanding.talked_of), match="small_talk")
        elif not understanding.symptoms and not evidence.present():
            key = "not_understood" if understanding.unmatched or not understanding.clauses else "no_signs_yet"
            new_state, reply = state, Reply(templates()["thanks" if thanks else key], match="small_talk" if thanks else None)
        elif not understanding.symptoms and told_before and not lead and (answer or thanks):
            new_state, reply = state, self._small_talk(state, thanks)
        else:
            new_state, reply = self._respond(state)
            if understanding.question:
                card = self.renderer.disease_card(understanding.question.conditions[0], reply.diagnosis, standalone=False)
                reply.text = card + "\n\n" + reply.text
        reply.match = reply.match or match
        return new_state, reply

    def _small_talk(self, state: DialogState, thanks: bool) -> Reply:
        """Thanks, or an answer word when no question is open: a short reply, not the whole diagnosis
        again; a question still open is asked again with its buttons."""
        t = templates()
        lines = [t["thanks"] if thanks else t["no_open_question"]]
        if state.pending:
            lines += ["", t["ask_again"].format(question=self.renderer.question(state.pending))]
            return Reply("\n".join(lines), self.renderer.answer_options(), state.pending, state.question_no,
                         match="small_talk")
        return Reply("\n".join(lines + [t["keep_going"]]), match="small_talk")

    def _match_strength(self, understanding) -> str:
        if not understanding.symptoms:
            return "question" if understanding.question else "none"
        margin = self.pipeline.matcher.settings.threshold + WEAK_MARGIN
        return "matched" if max(h.score for h in understanding.symptoms) >= margin else "weak"

    def _respond(self, state: DialogState) -> tuple[DialogState, Reply]:
        evidence = Evidence.from_dict(state.evidence)
        known = set(self.pipeline.intents.symptom_ids)
        evidence.signs = {s: v for s, v in evidence.signs.items() if s in known}  # intents may have been edited
        if state.pending not in known:
            state.pending = None
        if not evidence.present():
            return state, Reply(self.renderer.only_absent(evidence) if evidence.absent() else templates()["no_signs_yet"])
        if state.pending:  # free text did not settle the open question: keep asking it
            diagnosis = self.pipeline.diagnoser.diagnose(evidence, state.asked, len(state.asked) - 1)
            diagnosis.question = state.pending
        else:
            diagnosis = self.pipeline.diagnoser.diagnose(evidence, state.asked, len(state.asked))
        if diagnosis.question and diagnosis.question != state.pending:
            state.asked = state.asked + [diagnosis.question]
            state.pending = diagnosis.question
            state.question_no += 1
        handoff_text = templates()[self.handoff_notice] if diagnosis.handoff else None
        text = self.renderer.diagnosis(diagnosis, evidence, handoff_text)
        options = self.renderer.answer_options() if diagnosis.question else []
        return state, Reply(text, options, diagnosis.question, state.question_no, diagnosis, diagnosis.handoff)
