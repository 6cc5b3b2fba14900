"""End to end: `fishbot run` against the telegram-test-api emulator, playing farmers and an officer."""

from __future__ import annotations

import time

import pytest
from botproc import OFFICER_CHAT, OFFICER_ID, BotProcess
from emulator import Emulator

FARMER = 101


def buttons(message) -> list[dict]:
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def test_start_and_help(emulator, bot):
    sent = emulator.send_text(FARMER, FARMER, "/start")
    reply = emulator.wait_for(FARMER, after=sent["message_id"], timeout=15)
    assert "Fishbot" in reply["text"] and "cá" in reply["text"]


def test_interview_with_buttons(emulator, bot):
    farmer = 102
    sent = emulator.send_text(farmer, farmer, "cá tra bỏ ăn, bơi lờ đờ")
    first = emulator.wait_for(farmer, lambda m: "Bệnh có thể gặp" in m.get("text", ""), after=sent["message_id"], timeout=15)
    keys = buttons(first)
    assert [b["text"] for b in keys] == ["Có", "Không", "Không rõ"]
    assert "không thay cho xét nghiệm" in first["text"]
    emulator.press(farmer, farmer, first["message_id"], keys[0]["callback_data"])
    second = emulator.wait_for(farmer, lambda m: "Bệnh có thể gặp" in m.get("text", ""), after=first["message_id"], timeout=15)
    assert second["text"] != first["text"]
    # The answered question lost its buttons; pressing its old button changes nothing.
    old = next(m for m in emulator.messages(farmer) if m["message_id"] == first["message_id"])
    assert not buttons(old)
    count = len(emulator.messages(farmer))
    emulator.press(farmer, farmer, first["message_id"], keys[1]["callback_data"])
    time.sleep(1.5)
    assert len(emulator.messages(farmer)) == count
    assert any("cũ" in (a.get("text") or "") for a in emulator.answers())


def test_tampered_and_foreign_buttons_change_nothing(emulator, bot):
    farmer = 103
    sent = emulator.send_text(farmer, farmer, "cá nổi đầu, thở gấp")
    first = emulator.wait_for(farmer, lambda m: bool(buttons(m)), after=sent["message_id"], timeout=15)
    count = len(emulator.messages(farmer))
    data = buttons(first)[0]["callback_data"]
    other_chat = data.replace(f"a:{farmer}:", "a:999999:")
    for bad in (other_chat, "a:x:y:z", "zzz", data[:-1] + "q"):
        emulator.press(farmer, farmer, first["message_id"], bad)
    time.sleep(1.5)
    assert len(emulator.messages(farmer)) == count
    texts = [a.get("text") or "" for a in emulator.answers()]
    assert sum("không hợp lệ" in t or "cũ" in t for t in texts) >= 4


def test_photo_sticker_voice_location(emulator, bot):
    farmer = 104
    sent = emulator.send_photo(farmer, farmer)
    reply = emulator.wait_for(farmer, after=sent["message_id"], timeout=15)
    assert "nhắn bằng chữ" in reply["text"]
    sent = emulator.send_photo(farmer, farmer, caption="cá nổi đầu sáng sớm")
    reply = emulator.wait_for(farmer, after=sent["message_id"], timeout=15)
    assert "Bệnh có thể gặp" in reply["text"]
    for send in (lambda: emulator.send_sticker(farmer, farmer), lambda: emulator.send_voice(farmer, farmer),
                 lambda: emulator.send_location(farmer, farmer, 10.0, 105.7)):
        sent = send()
        assert "nhắn bằng chữ" in emulator.wait_for(farmer, after=sent["message_id"], timeout=15)["text"]


def test_reset(emulator, bot):
    farmer = 105
    sent = emulator.send_text(farmer, farmer, "cá bỏ ăn")
    emulator.wait_for(farmer, after=sent["message_id"], timeout=15)
    sent = emulator.send_text(farmer, farmer, "/reset")
    assert "xóa ca cũ" in emulator.wait_for(farmer, after=sent["message_id"], timeout=15)["text"]
    sent = emulator.send_text(farmer, farmer, "chào em")
    after_reset = emulator.wait_for(farmer, after=sent["message_id"], timeout=15)["text"]
    assert "cá đang bị gì" in after_reset and "Bệnh có thể gặp" not in after_reset  # the old case is gone


def test_urgent_case_reaches_officer_and_reply_reaches_farmer(emulator, bot):
    farmer = 106
    sent = emulator.send_text(farmer, farmer, "cá chết hàng loạt từ sáng, con nào cũng nổi đầu")
    reply = emulator.wait_for(farmer, after=sent["message_id"], timeout=15)
    assert "KHẨN CẤP" in reply["text"] and "chuyển ca này cho cán bộ" in reply["text"]
    card = emulator.wait_for(OFFICER_CHAT, lambda m: f"chat {farmer}" in m.get("text", ""), timeout=15)
    assert "KHẨN CẤP" in card["text"] and [b["text"] for b in buttons(card)] == ["Nhận", "Đóng"]
    case_id = card["text"].split("#")[1].split()[0]

    # A farmer who is not an officer gets no case data.
    sent = emulator.send_text(farmer, farmer, "/cases")
    refusal = emulator.wait_for(farmer, after=sent["message_id"], timeout=15)
    assert "chỉ dành cho cán bộ" in refusal["text"] and case_id not in refusal["text"]

    sent = emulator.send_text(OFFICER_ID, OFFICER_CHAT, "/cases", chat_type="group")
    listing = emulator.wait_for(OFFICER_CHAT, lambda m: "ca đang mở" in m.get("text", ""), after=sent["message_id"], timeout=15)
    assert f"#{case_id}" in listing["text"]

    sent = emulator.send_text(OFFICER_ID, OFFICER_CHAT, f"/case {case_id}", chat_type="group")
    details = emulator.wait_for(OFFICER_CHAT, lambda m: "Hội thoại" in m.get("text", ""), after=sent["message_id"], timeout=15)
    assert "cá chết hàng loạt" in details["text"]

    before = emulator.messages(farmer)[-1]["message_id"]
    emulator.send_text(OFFICER_ID, OFFICER_CHAT, f"/reply {case_id} Anh tăng quạt nước ngay, chiều em ghé.", chat_type="group")
    message = emulator.wait_for(farmer, lambda m: "Cán bộ thủy sản nhắn" in m.get("text", ""), after=before, timeout=15)
    assert "chiều em ghé" in message["text"]

    emulator.press(OFFICER_ID, OFFICER_CHAT, card["message_id"], f"c:{case_id}:close", chat_type="group")
    closed = emulator.wait_for(OFFICER_CHAT, lambda m: m["message_id"] == card["message_id"] and "closed" in m.get("text", ""), timeout=15)
    assert not buttons(closed)


def test_farmer_asks_for_officer(emulator, bot):
    farmer = 107
    sent = emulator.send_text(farmer, farmer, "/canbo")
    reply = emulator.wait_for(farmer, after=sent["message_id"], timeout=15)
    assert "cán bộ" in reply["text"]
    emulator.wait_for(OFFICER_CHAT, lambda m: f"chat {farmer}" in m.get("text", "") and "xin gặp cán bộ" in m.get("text", ""), timeout=15)


def test_group_answers_only_when_mentioned(emulator, bot):
    group = -2002
    sent = emulator.send_text(108, group, "cá nổi đầu quá", chat_type="group")
    time.sleep(2)
    assert not [m for m in emulator.messages(group) if m["message_id"] > sent["message_id"]]
    sent = emulator.send_text(108, group, "@TestNameBot cá nổi đầu quá", chat_type="group")
    assert "Bệnh có thể gặp" in emulator.wait_for(group, after=sent["message_id"], timeout=15)["text"]


def test_flood_gets_one_warning(emulator, bot):
    farmer = 109
    first = None
    for i in range(12):
        sent = emulator.send_text(farmer, farmer, f"cá bỏ ăn {i}")
        first = first or sent["message_id"]
    time.sleep(6)
    texts = [m["text"] for m in emulator.messages(farmer) if m["message_id"] > first]
    assert sum("chậm lại" in t for t in texts) == 1
    assert len(texts) == 7  # 6 answered within the window, one warning, the rest dropped
    sent = emulator.send_text(farmer, farmer, "cá nổi đầu")  # the window has passed: served again
    assert "Bệnh có thể gặp" in emulator.wait_for(farmer, after=sent["message_id"], timeout=15)["text"]


def test_invalid_intents_edit_keeps_old_intents(emulator, bot, intents_dir):
    path = intents_dir / "symptoms.yaml"
    good = path.read_text(encoding="utf-8")
    try:
        path.write_text(good.replace("  - id: tho_gap", "  - idx: tho_gap", 1), encoding="utf-8")
        alert = emulator.wait_for(OFFICER_CHAT, lambda m: "Tệp ý định bị lỗi" in m.get("text", ""), timeout=20)
        assert "symptoms.yaml:" in alert["text"]
        farmer = 110
        sent = emulator.send_text(farmer, farmer, "cá thở gấp, há miệng")
        assert "Bệnh có thể gặp" in emulator.wait_for(farmer, after=sent["message_id"], timeout=15)["text"]
    finally:
        path.write_text(good, encoding="utf-8")
    time.sleep(1.5)  # the restored file equals the serving intents: nothing to reload, still serving
    sent = emulator.send_text(110, 110, "/reset")
    assert "xóa ca cũ" in emulator.wait_for(110, after=sent["message_id"], timeout=15)["text"]


def test_unmatched_and_teach(emulator, bot, intents_dir):
    farmer = 111
    sent = emulator.send_text(farmer, farmer, "con cá cứ khục khặc")
    emulator.wait_for(farmer, after=sent["message_id"], timeout=15)
    sent = emulator.send_text(OFFICER_ID, OFFICER_CHAT, "/unmatched", chat_type="group")
    listing = emulator.wait_for(OFFICER_CHAT, lambda m: "chưa hiểu" in m.get("text", ""), after=sent["message_id"], timeout=15)
    line = next(l for l in listing["text"].splitlines() if "khục khặc" in l)
    message_id = line.split(":")[0]
    sent = emulator.send_text(OFFICER_ID, OFFICER_CHAT, f"/teach {message_id} tho_gap", chat_type="group")
    done = emulator.wait_for(OFFICER_CHAT, lambda m: "Đã thêm" in m.get("text", ""), after=sent["message_id"], timeout=20)
    assert "Đã nạp lại" in done["text"]
    text = (intents_dir / "symptoms.yaml").read_text(encoding="utf-8")
    assert "- con cá cứ khục khặc" in text
    assert text.startswith("# Danh mục triệu chứng")  # comments kept
    sent = emulator.send_text(farmer, farmer, "con cá cứ khục khặc")
    assert "Bệnh có thể gặp" in emulator.wait_for(farmer, after=sent["message_id"], timeout=15)["text"]


def test_token_never_logged(bot, emulator):
    assert all(emulator.token not in line for line in bot.lines)
    assert bot.events("message_in")


def test_sigkill_mid_interview_resumes(intents_dir, tmp_path):
    with Emulator() as emulator:
        _kill_and_resume(emulator, intents_dir, tmp_path / "kill.sqlite3")


def _kill_and_resume(emulator, intents_dir, db):
    farmer = 120
    first_bot = BotProcess(emulator, db, intents_dir).start()
    try:
        sent = emulator.send_text(farmer, farmer, "cá tra bỏ ăn, bơi lờ đờ")
        question = emulator.wait_for(farmer, lambda m: bool(buttons(m)), after=sent["message_id"], timeout=15)
    finally:
        first_bot.kill()
    second_bot = BotProcess(emulator, db, intents_dir).start()
    try:
        emulator.press(farmer, farmer, question["message_id"], buttons(question)[0]["callback_data"])
        nxt = emulator.wait_for(farmer, lambda m: "Bệnh có thể gặp" in m.get("text", ""), after=question["message_id"], timeout=20)
        assert "Có:" in nxt["text"]
    finally:
        second_bot.stop()


@pytest.mark.slow
def test_small_load_with_outage(intents_dir, tmp_path):
    """30 farmers at once; the Bot API disappears for 10 s in the middle; nothing is lost."""
    from bot.loadtest import run_load

    with Emulator() as emulator:
        process = BotProcess(emulator, tmp_path / "load.sqlite3", intents_dir).start()
        try:
            result = run_load(emulator, farmers=30, outage_seconds=10, first_chat=5000)
        finally:
            process.stop()
    assert result["lost"] == 0 and result["wrong_chat"] == 0, result
    assert result["replies"] == result["expected_replies"]
