"""Unit tests of the Telegram handlers: real handler functions, real engine and SQLite, a recording bot.

The end-to-end tests (tests/e2e) run the same handlers through python-telegram-bot and the
Bot API emulator; these check the handlers' decisions directly and quickly.
"""

import asyncio
from types import SimpleNamespace

import pytest
from telegram import Update

from bot.config import BotConfig
from bot.storage import Storage
from bot.telegram_app import FishbotService, on_callback, on_cases, on_other_media, on_reply, on_text

OFFICER = 900
OFFICER_CHAT = -100


class RecordingBot:
    """Stands in for telegram.Bot: records what the handlers send instead of calling Telegram."""

    def __init__(self):
        self.sent, self.answers, self.edits = [], [], []

    async def send_message(self, chat_id, text, reply_markup=None, **_):
        self.sent.append(SimpleNamespace(chat_id=chat_id, text=text, markup=reply_markup))
        return SimpleNamespace(message_id=len(self.sent))

    async def answer_callback_query(self, callback_query_id, text=None, **_):
        self.answers.append(text)
        return True

    async def edit_message_reply_markup(self, *args, **kwargs):
        self.edits.append(kwargs)
        return True

    async def edit_message_text(self, *args, **kwargs):
        self.edits.append(kwargs)
        return True


def message_update(bot, chat_id, user_id, text=None, chat_type="private", update_id=1, **extra):
    message = {"message_id": update_id, "date": 0, "chat": {"id": chat_id, "type": chat_type},
               "from": {"id": user_id, "is_bot": False, "first_name": "Ba"}, **extra}
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return Update.de_json({"update_id": update_id, "message": message}, bot)


def callback_update(bot, chat_id, user_id, data, update_id=2):
    return Update.de_json({"update_id": update_id, "callback_query": {
        "id": str(update_id), "chat_instance": "x", "data": data,
        "from": {"id": user_id, "is_bot": False, "first_name": "Ba"},
        "message": {"message_id": 1, "date": 0, "chat": {"id": chat_id, "type": "private"}, "text": "q"}}}, bot)


@pytest.fixture
def harness(pipeline, tmp_path):
    async def build():
        config = BotConfig(token="1:x", officer_chat_id=OFFICER_CHAT, officer_ids=frozenset({OFFICER}),
                           db_path=str(tmp_path / "db.sqlite3"), rate_limit=5, rate_window=60)
        storage = await Storage.open(config.db_path)
        service = FishbotService(config, pipeline, storage)
        bot = RecordingBot()
        context = SimpleNamespace(bot=bot, application=SimpleNamespace(bot_data={"service": service}), args=[])
        return service, bot, context

    loop = asyncio.new_event_loop()
    service, bot, context = loop.run_until_complete(build())
    yield loop, service, bot, context
    loop.run_until_complete(service.storage.close())
    service.worker.shutdown(wait=True)
    loop.close()


def test_symptom_message_gets_diagnosis_and_buttons(harness):
    loop, service, bot, context = harness
    loop.run_until_complete(on_text(message_update(bot, 7, 7, "cá tra bỏ ăn, bơi lờ đờ"), context))
    reply = bot.sent[-1]
    assert reply.chat_id == 7 and "Bệnh có thể gặp" in reply.text
    assert [b.text for b in reply.markup.inline_keyboard[0]] == ["Có", "Không", "Không rõ"]
    state = loop.run_until_complete(service.storage.get_state(7))
    assert state["pending"] and state["evidence"]["signs"]["bo_an"] == "present"


def test_button_answers_then_stale_press_changes_nothing(harness):
    loop, service, bot, context = harness
    loop.run_until_complete(on_text(message_update(bot, 8, 8, "cá nổi đầu"), context))
    data = bot.sent[-1].markup.inline_keyboard[0][1].callback_data
    loop.run_until_complete(on_callback(callback_update(bot, 8, 8, data), context))
    assert len(bot.sent) == 2 and bot.edits  # new reply; old question's buttons removed
    before = loop.run_until_complete(service.storage.get_state(8))
    loop.run_until_complete(on_callback(callback_update(bot, 8, 8, data, update_id=3), context))
    assert len(bot.sent) == 2 and "cũ" in bot.answers[-1]
    assert loop.run_until_complete(service.storage.get_state(8)) == before


def test_tampered_or_foreign_callback_is_refused(harness):
    loop, service, bot, context = harness
    for data in ("a:9999:1:y", "a:8:x:y", "hack", "c:ABCDE:claim"):
        loop.run_until_complete(on_callback(callback_update(bot, 8, 8, data), context))
    assert len(bot.sent) == 0 and len(bot.answers) == 4


def test_sticker_gets_polite_request_for_words(harness):
    loop, service, bot, context = harness
    update = message_update(bot, 9, 9, sticker={"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                                               "is_animated": False, "is_video": False, "type": "regular"})
    loop.run_until_complete(on_other_media(update, context))
    assert "nhắn bằng chữ" in bot.sent[-1].text


def test_group_message_without_mention_is_ignored(harness):
    loop, service, bot, context = harness
    service.bot_username = "FishBot"
    loop.run_until_complete(on_text(message_update(bot, -5, 10, "cá nổi đầu", chat_type="group"), context))
    assert bot.sent == []
    loop.run_until_complete(on_text(message_update(bot, -5, 10, "@FishBot cá nổi đầu", chat_type="group"), context))
    assert "Bệnh có thể gặp" in bot.sent[-1].text


def test_urgent_case_goes_to_officers_and_only_officers_see_cases(harness):
    loop, service, bot, context = harness
    loop.run_until_complete(on_text(message_update(bot, 11, 11, "cá chết hàng loạt, nổi đầu hết"), context))
    card = next(m for m in bot.sent if m.chat_id == OFFICER_CHAT)
    case_id = card.text.split("#")[1].split()[0]
    assert "chuyển ca này cho cán bộ" in [m for m in bot.sent if m.chat_id == 11][-1].text
    loop.run_until_complete(on_cases(message_update(bot, 11, 11, "/cases"), context))
    assert "chỉ dành cho cán bộ" in bot.sent[-1].text and case_id not in bot.sent[-1].text
    loop.run_until_complete(on_cases(message_update(bot, OFFICER_CHAT, OFFICER, "/cases", chat_type="group"), context))
    assert case_id in bot.sent[-1].text
    context.args = [case_id, "Tăng", "quạt", "nước"]
    loop.run_until_complete(on_reply(message_update(bot, OFFICER_CHAT, OFFICER, f"/reply {case_id} Tăng quạt nước", chat_type="group"), context))
    assert any(m.chat_id == 11 and "Tăng quạt nước" in m.text for m in bot.sent)


def test_flood_is_answered_once_then_dropped(harness):
    loop, service, bot, context = harness
    for i in range(9):
        loop.run_until_complete(on_text(message_update(bot, 12, 12, f"cá bỏ ăn {i}", update_id=i + 1), context))
    texts = [m.text for m in bot.sent if m.chat_id == 12]
    assert len(texts) == 6 and sum("chậm lại" in t for t in texts) == 1
