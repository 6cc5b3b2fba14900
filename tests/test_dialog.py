"""The interview engine and the console chat, on the shipped model."""

import json
import subprocess
import sys

import pytest

from bot.dialog import DialogEngine, DialogState, classify_answer
from bot.simulate import run_simulation

from .test_cli import REPO


@pytest.fixture(scope="module")
def engine(pipeline):
    return DialogEngine(pipeline)


def test_interview_flow_and_state_round_trip(engine):
    state, reply = engine.text(DialogState(), "cá tra bỏ ăn, bơi lờ đờ")
    assert reply.question and reply.options and reply.diagnosis.ranked
    assert "không thay cho xét nghiệm" in reply.text
    first_question = reply.question
    state = DialogState.from_dict(json.loads(json.dumps(state.to_dict())))  # persisted and restored
    state, reply = engine.text(state, "không rõ")
    assert first_question in state.asked and reply.question != first_question
    assert first_question not in state.evidence["signs"]  # "không rõ" adds nothing
    second = reply.question
    state, reply = engine.answer(state, "yes")
    assert state.evidence["signs"][second] == "present"


def test_only_denied_signs_are_acknowledged_then_kept(engine):
    state, reply = engine.text(DialogState(), "mang không nâu, cũng không thối")
    assert "không có" in reply.text and "mang màu nâu" in reply.text and not reply.question
    assert state.evidence["signs"] == {"mang_nau": "absent", "mang_thoi": "absent"}
    state, reply = engine.text(state, "mà cá bỏ ăn")
    assert reply.diagnosis.ranked and "Không có: mang thối" in reply.text


def test_answer_word_then_more_words_answers_and_reads_the_rest(engine):
    state, reply = engine.text(DialogState(), "cá tra bỏ ăn, bơi lờ đờ")
    asked = reply.question
    state, reply = engine.text(state, "có, sáng nào cũng vậy")
    assert state.evidence["signs"][asked] == "present" and state.pending != asked
    state, reply = engine.text(DialogState(), "cá tra bỏ ăn, bơi lờ đờ")
    asked = reply.question
    state, reply = engine.text(state, "không, mà có đốm đỏ trên vây")
    assert state.evidence["signs"][asked] == "absent" and state.evidence["signs"]["xuat_huyet"] == "present"


@pytest.mark.parametrize(
    "text, kind",
    [("có", "yes"), ("Dạ có ạ", "yes"), ("hình như có", "yes"), ("có chút chút", "yes"), ("dạ không ạ", "no"),
     ("hổng thấy", "no"), ("không có đâu anh ơi", "no"), ("chưa mổ coi", "unknown"), ("không rõ nha", "unknown"),
     ("có, , ,", "yes"), ("dạ, không", "no"), ("dạ", None), ("cá bỏ ăn ạ", None), ("da do", None)],
)
def test_answer_words_with_polite_words_around_them(text, kind):
    assert classify_answer(text) == kind


def test_stale_answer_changes_nothing(engine):
    state, reply = engine.text(DialogState(), "cá nổi đầu")
    old_no = reply.question_no
    state, reply = engine.answer(state, "no", old_no)
    assert engine.answer(state, "yes", old_no) is None


def test_free_text_adds_evidence_and_can_answer_the_question(engine):
    state, reply = engine.text(DialogState(), "cá bỏ ăn")
    pending = reply.question
    sign_name = engine.pipeline.intents.symptom(pending).examples[0]
    state, reply = engine.text(state, sign_name)
    assert state.evidence["signs"].get(pending) == "present"


def test_question_about_a_disease_gets_a_card_and_adds_no_evidence(engine):
    state, reply = engine.text(DialogState(), "làm sao biết cá bị trùng bánh xe?")
    assert "trùng bánh xe" in reply.text and "Dấu hiệu hay gặp" in reply.text
    assert "không thay cho xét nghiệm" in reply.text and "hỏi ý kiến cán bộ" in reply.text
    assert reply.match == "question" and not reply.question
    assert not state.evidence["signs"]
    # With signs told, the card says how likely the disease is, and the interview goes on.
    state, reply = engine.text(state, "cá cọ mình, nhớt nhiều, có phải trùng bánh xe không")
    assert "Với những gì anh/chị kể" in reply.text and reply.question and reply.diagnosis.ranked
    assert {"co_than", "nhot_nhieu"} <= set(state.evidence["signs"])


def test_other_animal_gets_a_kind_no(engine):
    state, reply = engine.text(DialogState(), "heo nhà em bị lở mồm, bỏ ăn")
    assert "chỉ rành bệnh cá" in reply.text and "heo" in reply.text
    assert not state.evidence["signs"] and not reply.question


@pytest.mark.parametrize("text", ["cá tra nổi đầu thì nên làm gì?", "phân trắng ở cá là bệnh gì vậy mọi người",
                                  "cá có bị nổi đầu không?"])
def test_a_general_question_about_a_sign_gets_what_it_usually_means(engine, text):
    state, reply = engine.text(DialogState(), text)
    assert "hỏi chung" in reply.text and reply.match == "small_talk" and not reply.question
    assert not state.evidence["signs"] and "không thay cho xét nghiệm" in reply.text


def test_a_sign_only_asked_about_or_heard_of_gets_what_it_usually_means(engine):
    state, reply = engine.text(DialogState(), "vì sao cá hay bị nổi đầu vào sáng sớm")
    assert "hỏi chung" in reply.text and "nổi đầu" in reply.text and "thiếu ô-xy" in reply.text
    assert "không thay cho xét nghiệm" in reply.text
    assert not state.evidence["signs"] and not reply.question and reply.match == "small_talk"
    # Then the farmer's own fish: the interview starts as usual.
    state, reply = engine.text(state, "cá nhà em cũng nổi đầu mấy bữa nay")
    assert state.evidence["signs"] == {"noi_dau": "present"} and reply.question


def test_a_person_who_is_ill_gets_a_kind_no(engine):
    state, reply = engine.text(DialogState(), "ông xã em bỏ ăn từ hôm qua tới giờ")
    assert "trạm y tế" in reply.text and not state.evidence["signs"] and reply.match == "small_talk"


def test_chit_chat_gets_guidance(engine):
    state, reply = engine.text(DialogState(), "chào em")
    assert reply.diagnosis is None and "cá đang bị gì" in reply.text and not reply.options


def test_thanks_and_stray_answers_get_a_short_reply_not_the_diagnosis_again(engine):
    state, reply = engine.text(DialogState(), "cá rô phi lồi mắt")
    pending, number = reply.question, reply.question_no
    state, reply = engine.text(state, "cảm ơn em nhiều nha")
    assert "không có chi" in reply.text and "Bệnh có thể gặp" not in reply.text
    # The open question is asked again, and its buttons still answer it.
    assert reply.question == pending and reply.options and engine.renderer.question(pending) in reply.text
    assert reply.match == "small_talk" and state.pending == pending
    state, reply = engine.answer(state, "no", number)
    while reply.question:  # answer until the interview has nothing left to ask
        state, reply = engine.answer(state, "unknown", reply.question_no)
    signs = dict(state.evidence["signs"])
    for text in ("không", "ok em", "Cám ơn!"):
        state, reply = engine.text(state, text)
        assert "Bệnh có thể gặp" not in reply.text and "/reset" in reply.text and not reply.options
    assert state.evidence["signs"] == signs
    state, reply = engine.text(state, "cảm ơn, mà cá còn bị đốm đỏ")  # thanks with a new sign: read as a message
    assert state.evidence["signs"]["xuat_huyet"] == "present" and "Bệnh có thể gặp" in reply.text


def test_officer_request(engine):
    state, reply = engine.text(DialogState(), "cho tôi gặp cán bộ")
    assert reply.officer_requested


def test_piped_console_session():
    run = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="cá tra bỏ ăn, bơi lờ đờ\nkhông rõ\ncó\n",
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    turns = run.stdout.split("\n> ")[1:]
    assert len(turns) == 3
    assert "Bệnh có thể gặp" in turns[0] and "Cho em hỏi thêm" in turns[0] and "[1] Có" in turns[0]
    assert turns[1] != turns[0] and turns[2] != turns[1]
    assert all("không thay cho xét nghiệm" in t for t in turns)


def test_simulation_lower_bound(engine):
    result = run_simulation(engine, cases=1000, seed=7)
    assert result.max_questions <= 4
    assert result.top3 >= 0.90 and result.top1 >= 0.70, result
