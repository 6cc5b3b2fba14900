"""Unit tests of the Telegram edge's pieces: rate limit, callback data, config, logs, storage, officer views."""

import asyncio
import json
import logging
import subprocess
import sys

import pytest

from bot.config import BotConfig, ConfigError
from bot.dialog import Reply
from bot.logs import JsonFormatter
from bot.officer import case_card, case_list
from bot.storage import Storage
from bot.telegram_app import RateLimiter, answer_markup, case_markup

from .test_cli import REPO


def test_rate_limiter_warns_once_then_drops_then_recovers():
    limiter = RateLimiter(limit=3, window=10)
    verdicts = [limiter.check(1, now=t) for t in (0, 1, 2, 3, 4, 5)]
    assert verdicts == ["ok", "ok", "ok", "warn", "drop", "drop"]
    assert limiter.check(2, now=5) == "ok"  # other users are not affected
    assert limiter.check(1, now=12.5) == "ok"  # the window moved on


def test_answer_buttons_fit_telegram_limits():
    reply = Reply("x", [("Có", "yes"), ("Không", "no"), ("Không rõ", "unknown")], "noi_dau", 12)
    markup = answer_markup(-1001234567890123, reply)
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == ["a:-1001234567890123:12:y", "a:-1001234567890123:12:n", "a:-1001234567890123:12:u"]
    assert all(len(d.encode()) <= 64 for d in data)
    assert answer_markup(1, Reply("x")) is None
    assert [b.callback_data for b in case_markup("ABCDE").inline_keyboard[0]] == ["c:ABCDE:claim", "c:ABCDE:close"]


def test_config_from_env():
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        BotConfig.from_env({})
    with pytest.raises(ConfigError, match="FISHBOT_OFFICER_IDS"):
        BotConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "FISHBOT_OFFICER_IDS": "12,abc"})
    config = BotConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "FISHBOT_OFFICER_IDS": "12, 34", "FISHBOT_OFFICER_CHAT_ID": "-100",
                                 "FISHBOT_LOG_TEXT": "0"})
    assert config.officer_ids == {12, 34} and config.officer_chat_id == -100 and not config.log_text
    assert config.base_url == "https://api.telegram.org/bot" and config.db_path.endswith("fishbot.sqlite3")


def test_run_without_token_is_a_clear_error():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    run = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert run.returncode == 2 and "TELEGRAM_BOT_TOKEN" in run.stderr and "Traceback" not in run.stderr


def test_log_lines_are_json_and_never_hold_the_token():
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    formatter = JsonFormatter([token])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, f"POST https://api.telegram.org/bot{token}/getUpdates", None, None)
    line = formatter.format(record)
    assert token not in line and "<token>" in line
    assert json.loads(line)["level"] == "info"
    other = logging.LogRecord("x", logging.INFO, __file__, 1, "leak 987654321:ZZZZZZZZZZZZZZZZZZZZ", None, None)
    assert "ZZZZ" not in JsonFormatter([]).format(other)


def test_storage_cases_and_state(tmp_path):
    async def scenario():
        storage = await Storage.open(tmp_path / "db.sqlite3")
        await storage.save_state(5, 5, {"turns": 1})
        await storage.save_state(5, 5, {"turns": 2})
        assert await storage.get_state(5) == {"turns": 2}
        calm = await storage.open_case(1, 1, "theo_doi", {"reason": "a"})
        urgent = await storage.open_case(2, 2, "khan_cap", {"reason": "b"})
        assert [c.id for c in await storage.open_cases()] == [urgent.id, calm.id]
        await storage.set_case_status(calm.id.lower(), "closed", 99)
        assert [c.id for c in await storage.open_cases()] == [urgent.id]
        first = await storage.log_message(7, 7, "in", "cá lạ", "none")
        await storage.log_message(7, 7, "in", "cá nổi đầu", "matched")
        assert [m.id for m in await storage.unmatched()] == [first]
        await storage.close()
        reopened = await Storage.open(tmp_path / "db.sqlite3")  # nothing is lost across processes
        assert await reopened.get_state(5) == {"turns": 2} and (await reopened.case(urgent.id)).triage == "khan_cap"
        await reopened.close()
        return urgent

    urgent = asyncio.run(scenario())
    assert len(urgent.id) == 5 and urgent.id.isalnum()


def test_officer_views():
    from bot.storage import Case

    case = Case("ABCDE", 42, 42, "open", "khan_cap",
                {"reason": "Khẩn cấp", "farmer_words": ["cá chết nhiều"], "species": "cá tra", "present": ["Cá chết"],
                 "absent": [], "conditions": [{"name": "Thiếu ô-xy", "probability": 0.6}]}, None, 0.0)
    card = case_card(case)
    assert "#ABCDE" in card and "KHẨN CẤP" in card and "cá chết nhiều" in card and "Thiếu ô-xy 60%" in card
    assert "#ABCDE" in case_list([case]) and "Không có ca nào" in case_list([])


def test_message_text_can_be_kept_out_of_logs(caplog):
    from bot.logs import EventLog

    with caplog.at_level(logging.INFO, logger="fishbot"):
        EventLog(log_text=False)("message_in", chat_id=5, text="cá nổi đầu")
        EventLog(log_text=True)("message_in", chat_id=6, text="cá bỏ ăn")
    hidden, shown = (r.fields for r in caplog.records)
    assert hidden == {"t": hidden["t"], "chat_id": 5} and shown["text"] == "cá bỏ ăn"


def test_send_waits_as_long_as_the_bot_api_asks_then_sends():
    import datetime

    from telegram.error import RetryAfter

    from bot.telegram_app import send

    class FloodedBot:
        def __init__(self):
            self.calls = 0

        async def send_message(self, chat_id, text, reply_markup=None):
            self.calls += 1
            if self.calls == 1:
                raise RetryAfter(datetime.timedelta(seconds=0))
            if self.calls == 2:
                raise RetryAfter(0)
            return f"sent to {chat_id}: {text}"

    bot = FloodedBot()
    assert asyncio.run(send(bot, 7, "chào")) == "sent to 7: chào"
    assert bot.calls == 3
