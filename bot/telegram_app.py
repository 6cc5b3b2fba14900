"""The Telegram edge: python-telegram-bot v22 handlers around the transport-free dialog engine.

Farmers talk in private chats (or mention the bot in groups); officers triage cases in the officer
chat. State lives in SQLite and is read and written around every update, so a killed bot resumes
each interview where it stopped. Matching runs on one worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import BotConfig
from bot.diagnosis import Evidence
from bot.dialog import DialogEngine, DialogState, Reply
from bot.intents import IntentsInvalid, content_hash
from bot.live_intents import TeachError, reload_pipeline, teach_example
from bot.logs import EventLog
from bot.officer import case_card, case_list, case_summary, transcript, unmatched_list
from bot.pipeline import Pipeline, default_intents_dir
from bot.render import templates
from bot.storage import Storage

ANSWER_CODES = {"y": "yes", "n": "no", "u": "unknown"}
SEND_RETRY_SECONDS = 60.0
MAX_TEXT = 4000  # Telegram's limit is 4096 characters
WATCH_INTERVAL = 1.0  # seconds between checks of the intent files


class RateLimiter:
    """Per-user sliding window: the first message over the limit gets a warning, the rest are dropped."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self.seen: dict[int, deque] = defaultdict(deque)
        self.warned: dict[int, float] = {}

    def check(self, user_id: int, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        times = self.seen[user_id]
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self.warned.pop(user_id, None)
            return "ok"
        if user_id in self.warned:
            return "drop"
        self.warned[user_id] = now
        return "warn"


class FishbotService:
    """What the handlers share: the serving engine (swapped on reload), storage, locks, limits."""

    def __init__(self, config: BotConfig, pipeline: Pipeline, storage: Storage):
        self.config = config
        self.engine = DialogEngine(pipeline)
        self.storage = storage
        self.intents_dir = Path(config.intents) if config.intents else default_intents_dir()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fishbot-nlu")
        self.locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.rate = RateLimiter(config.rate_limit, config.rate_window)
        self.events = EventLog(config.log_text)
        self.bot_username: str | None = None

    async def in_worker(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

    def is_officer(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.config.officer_ids


# -- sending, with retries so a short outage of the Bot API loses no reply -----------------------

async def send(bot, chat_id: int, text: str, markup=None) -> Message | None:
    deadline = time.monotonic() + SEND_RETRY_SECONDS
    delay = 0.5
    while True:
        try:
            return await bot.send_message(chat_id, text[:MAX_TEXT], reply_markup=markup)
        except RetryAfter as exc:
            wait = exc.retry_after  # seconds, or a timedelta in newer library versions
            await asyncio.sleep(wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait))
        except (TimedOut, NetworkError) as exc:
            if isinstance(exc, BadRequest) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def answer_query(query, text: str | None = None) -> None:
    """Acknowledge a button press. Only cosmetic (stops the spinner), so a failure never aborts a turn."""
    try:
        await query.answer(text)
    except TelegramError:
        pass


def answer_markup(chat_id: int, reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.options:
        return None
    code = {v: k for k, v in ANSWER_CODES.items()}
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(label, callback_data=f"a:{chat_id}:{reply.question_no}:{code[value]}")
        for label, value in reply.options
    ]])


def case_markup(case_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("Nhận", callback_data=f"c:{case_id}:claim"),
        InlineKeyboardButton("Đóng", callback_data=f"c:{case_id}:close"),
    ]])


def service_of(context: ContextTypes.DEFAULT_TYPE) -> FishbotService:
    return context.application.bot_data["service"]


# -- farmer side ---------------------------------------------------------------------------------

def _addressed_text(update: Update, service: FishbotService) -> str | None:
    """The text to handle, or None when a group message is not addressed to the bot."""
    message = update.effective_message
    text = message.text or message.caption or ""
    if update.effective_chat.type == ChatType.PRIVATE:
        return text
    name = service.bot_username
    reply_to = message.reply_to_message
    if reply_to and reply_to.from_user and reply_to.from_user.is_bot and reply_to.from_user.username == name:
        return text
    if name and f"@{name}".lower() in text.lower():
        return text.replace(f"@{name}", " ").replace(f"@{name.lower()}", " ").strip()
    return None


async def _rate_ok(update: Update, service: FishbotService) -> bool:
    user = update.effective_user
    verdict = service.rate.check(user.id if user else 0)
    if verdict == "warn":
        service.events("rate_limited", chat_id=update.effective_chat.id, user_id=user.id if user else None)
        await send(update.get_bot(), update.effective_chat.id, templates()["slow_down"])
    return verdict == "ok"


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    service = service_of(context)
    if _addressed_text(update, service) is None and update.effective_chat.type != ChatType.PRIVATE:
        return
    await send(context.bot, update.effective_chat.id, templates()["greeting"])


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(context.bot, update.effective_chat.id, templates()["help"])


async def on_reset(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    service = service_of(context)
    chat_id = update.effective_chat.id
    async with service.locks[chat_id]:
        state, reply = service.engine.reset()
        await service.storage.save_state(chat_id, update.effective_user.id, state.to_dict())
    service.events("reset", chat_id=chat_id)
    await send(context.bot, chat_id, reply.text)


async def on_officer_request(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _handle_text(update, context, "gặp cán bộ")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = _addressed_text(update, service_of(context))
    if text is None:
        return
    await _handle_text(update, context, text)


async def on_other_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    service = service_of(context)
    if _addressed_text(update, service) is None and update.effective_chat.type != ChatType.PRIVATE:
        return
    if not await _rate_ok(update, service):
        return
    await send(context.bot, update.effective_chat.id, templates()["ask_photo_caption"])


async def _handle_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    service = service_of(context)
    if not await _rate_ok(update, service):
        return
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    async with service.locks[chat_id]:
        engine = service.engine  # one engine for the whole turn, even if a reload swaps it meanwhile
        state = DialogState.from_dict(await service.storage.get_state(chat_id))
        new_state, reply = await service.in_worker(engine.text, state, text)
        await service.storage.log_message(chat_id, user_id, "in", text, reply.match)
        await service.storage.save_state(chat_id, user_id, new_state.to_dict())
        service.events("message_in", chat_id=chat_id, match=reply.match, text=text,
                       question=reply.question, triage=reply.diagnosis.triage if reply.diagnosis else None)
        await _deliver(context, chat_id, user_id, engine, new_state, reply)


async def _deliver(context, chat_id: int, user_id: int, engine: DialogEngine, state: DialogState, reply: Reply) -> None:
    service = service_of(context)
    text = reply.text
    case = None
    if reply.handoff or reply.officer_requested:
        case = await _open_case(context, chat_id, user_id, engine, state, reply)
        if case and templates()["handoff_notice"] not in text:
            text += "\n\n" + templates()["handoff_notice"]
    await send(context.bot, chat_id, text, answer_markup(chat_id, reply))
    await service.storage.log_message(chat_id, None, "out", text)


async def _open_case(context, chat_id, user_id, engine: DialogEngine, state: DialogState, reply: Reply):
    """Open (or update) the chat's case and post it to the officer chat."""
    service = service_of(context)
    evidence = Evidence.from_dict(state.evidence)
    reason = "Bà con xin gặp cán bộ" if reply.officer_requested else (
        "Khẩn cấp" if reply.diagnosis and reply.diagnosis.triage == "khan_cap" else "Bot chưa chắc chắn")
    summary = case_summary(engine.pipeline.intents, evidence, reply.diagnosis, state.farmer_words, reason)
    triage = reply.diagnosis.triage if reply.diagnosis else "can_tu_van"
    existing = await service.storage.open_case_for_chat(chat_id)
    if existing:
        await service.storage.update_case_summary(existing.id, triage, summary)
        return None  # already with an officer: do not post it twice
    case = await service.storage.open_case(chat_id, user_id, triage, summary)
    service.events("case_opened", case_id=case.id, chat_id=chat_id, triage=triage)
    if service.config.officer_chat_id is not None:
        try:
            await send(context.bot, service.config.officer_chat_id, "🆕 " + case_card(case), case_markup(case.id))
        except (BadRequest, Forbidden) as exc:
            service.events("officer_chat_unreachable", logging.WARNING, error=str(exc))
    return case


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    service = service_of(context)
    query = update.callback_query
    parts = (query.data or "").split(":")
    if len(parts) == 4 and parts[0] == "a":
        await _answer_button(update, context, parts)
    elif len(parts) == 3 and parts[0] == "c":
        await _case_button(update, context, parts[1], parts[2])
    else:
        service.events("bad_callback", chat_id=update.effective_chat.id if update.effective_chat else None)
        await answer_query(query, "Nút này không hợp lệ.")


async def _answer_button(update: Update, context, parts: list[str]) -> None:
    service = service_of(context)
    query = update.callback_query
    chat = update.effective_chat
    try:
        button_chat, question_no, answer = int(parts[1]), int(parts[2]), ANSWER_CODES[parts[3]]
    except (ValueError, KeyError):
        await answer_query(query, "Nút này không hợp lệ.")
        return
    if chat is None or button_chat != chat.id:
        await answer_query(query, templates()["stale_button"])
        return
    if not await _rate_ok(update, service):
        await answer_query(query)
        return
    async with service.locks[chat.id]:
        engine = service.engine
        state = DialogState.from_dict(await service.storage.get_state(chat.id))
        asked = state.pending
        result = await service.in_worker(engine.answer, state, answer, question_no)
        if result is None:
            await answer_query(query, templates()["stale_button"])
            return
        new_state, reply = result
        label = dict((v, l) for l, v in engine.renderer.answer_options())[answer]
        await service.storage.log_message(chat.id, update.effective_user.id, "in", f"[{label}] {engine.renderer.question(asked)}", "answer")
        await service.storage.save_state(chat.id, update.effective_user.id, new_state.to_dict())
        await answer_query(query)
        try:  # show the chosen answer on the old question and take its buttons away
            await query.edit_message_reply_markup(None)
        except (BadRequest, NetworkError):
            pass
        service.events("answer", chat_id=chat.id, sign=asked, answer=answer)
        await _deliver(context, chat.id, update.effective_user.id, engine, new_state, reply)


# -- officer side --------------------------------------------------------------------------------

async def _officer_only(update: Update, context) -> bool:
    service = service_of(context)
    user = update.effective_user
    if service.is_officer(user.id if user else None):
        return True
    service.events("officer_refused", user_id=user.id if user else None, chat_id=update.effective_chat.id)
    await send(context.bot, update.effective_chat.id, "Lệnh này chỉ dành cho cán bộ thủy sản.")
    return False


async def _case_button(update: Update, context, case_id: str, action: str) -> None:
    service = service_of(context)
    query = update.callback_query
    if not service.is_officer(update.effective_user.id):
        await answer_query(query, "Chỉ cán bộ thủy sản mới dùng được nút này.")
        return
    if action not in ("claim", "close"):
        await answer_query(query, "Nút này không hợp lệ.")
        return
    case = await service.storage.case(case_id)
    if case is None:
        await answer_query(query, "Không tìm thấy ca này.")
        return
    status = "claimed" if action == "claim" else "closed"
    case = await service.storage.set_case_status(case_id, status, update.effective_user.id)
    service.events("case_" + status, case_id=case_id, officer_id=update.effective_user.id)
    await answer_query(query, "Đã nhận ca." if status == "claimed" else "Đã đóng ca.")
    try:
        await query.edit_message_text(case_card(case), reply_markup=None if status == "closed" else case_markup(case.id))
    except (BadRequest, NetworkError):
        pass


async def on_cases(update: Update, context) -> None:
    if await _officer_only(update, context):
        await send(context.bot, update.effective_chat.id, case_list(await service_of(context).storage.open_cases()))


async def _case_from_args(update: Update, context, usage: str, min_args: int = 1):
    """The case named by an officer command's first argument, or None after telling the officer why."""
    if not await _officer_only(update, context):
        return None
    chat_id = update.effective_chat.id
    if len(context.args) < min_args:
        await send(context.bot, chat_id, f"Cách dùng: {usage}")
        return None
    case = await service_of(context).storage.case(context.args[0])
    if case is None:
        await send(context.bot, chat_id, f"Không tìm thấy ca {context.args[0]}.")
    return case


async def on_case(update: Update, context) -> None:
    case = await _case_from_args(update, context, "/case MÃ_CA")
    if case is None:
        return
    service = service_of(context)
    text = case_card(case) + "\n\n" + transcript(await service.storage.transcript(case.chat_id))
    await send(context.bot, update.effective_chat.id, text, case_markup(case.id) if case.status != "closed" else None)


async def on_reply(update: Update, context) -> None:
    case = await _case_from_args(update, context, "/reply MÃ_CA nội dung trả lời", min_args=2)
    if case is None:
        return
    service = service_of(context)
    body = update.effective_message.text.split(None, 2)[2]
    text = templates()["officer_reply"].format(text=body)
    await send(context.bot, case.chat_id, text)
    await service.storage.log_message(case.chat_id, update.effective_user.id, "out", text)
    if case.status == "open":
        await service.storage.set_case_status(case.id, "claimed", update.effective_user.id)
    service.events("officer_reply", case_id=case.id, officer_id=update.effective_user.id, text=body)
    await send(context.bot, update.effective_chat.id, f"Đã gửi cho bà con (ca #{case.id}).")


async def on_close(update: Update, context) -> None:
    case = await _case_from_args(update, context, "/close MÃ_CA")
    if case is None:
        return
    case = await service_of(context).storage.set_case_status(case.id, "closed", update.effective_user.id)
    service_of(context).events("case_closed", case_id=case.id, officer_id=update.effective_user.id)
    await send(context.bot, update.effective_chat.id, f"Đã đóng ca #{case.id}.")


async def on_unmatched(update: Update, context) -> None:
    if await _officer_only(update, context):
        await send(context.bot, update.effective_chat.id, unmatched_list(await service_of(context).storage.unmatched()))


async def on_teach(update: Update, context) -> None:
    if not await _officer_only(update, context):
        return
    service = service_of(context)
    chat_id = update.effective_chat.id
    if len(context.args) != 2 or not context.args[0].isdigit():
        await send(context.bot, chat_id, "Cách dùng: /teach MÃ_TIN MÃ_DẤU_HIỆU (xem /unmatched)")
        return
    message = await service.storage.message(int(context.args[0]))
    if message is None or message.direction != "in":
        await send(context.bot, chat_id, f"Không tìm thấy tin nhắn {context.args[0]}.")
        return
    try:
        await service.in_worker(teach_example, service.intents_dir, context.args[1], message.text)
    except TeachError as exc:
        await send(context.bot, chat_id, f"Không thêm được: {exc}.")
        return
    service.events("taught", message_id=message.id, sign=context.args[1])
    outcome = await reload_intents(context.application, force=True)
    await send(context.bot, chat_id, f"Đã thêm «{message.text}» vào ví dụ của {context.args[1]}. {outcome}")


async def on_reload(update: Update, context) -> None:
    if await _officer_only(update, context):
        await send(context.bot, update.effective_chat.id, await reload_intents(context.application, force=True))


async def reload_intents(application: Application, force: bool = False) -> str:
    """Check the intent files and swap in a new pipeline if they changed and are valid."""
    service: FishbotService = application.bot_data["service"]
    try:
        pipeline = await service.in_worker(reload_pipeline, service.engine.pipeline, service.intents_dir, force)
    except IntentsInvalid as exc:
        problems = "\n".join(str(p) for p in exc.problems[:20])
        service.events("intents_rejected", logging.ERROR, problems=[str(p) for p in exc.problems])
        if service.config.officer_chat_id is not None:
            try:
                await send(application.bot, service.config.officer_chat_id,
                           "⚠️ Tệp ý định bị lỗi, bot vẫn dùng bản cũ:\n" + problems)
            except (BadRequest, Forbidden):
                pass
        return "Tệp ý định bị lỗi, bot vẫn dùng bản cũ:\n" + problems
    if pipeline is None:
        return "Tệp ý định không đổi."
    service.engine = DialogEngine(pipeline)  # atomic swap: a turn in flight keeps its own engine
    service.events("intents_reloaded", signs=len(pipeline.intents.symptoms), hash=pipeline.intents.content_hash)
    return f"Đã nạp lại: {len(pipeline.intents.symptoms)} dấu hiệu, {len(pipeline.intents.conditions)} bệnh."


async def watch_intents(application: Application, interval: float = WATCH_INTERVAL) -> None:
    """Reload whenever the intent files change (edits by agronomists, /teach).

    Polls a hash of the three small files instead of relying on file-system events, which are
    missing or limited on some mounts and containers.
    """
    service: FishbotService = application.bot_data["service"]
    seen = service.engine.pipeline.intents.content_hash
    while True:
        await asyncio.sleep(interval)
        try:
            current = await asyncio.get_running_loop().run_in_executor(None, content_hash, service.intents_dir)
            if current != seen:
                seen = current
                await reload_intents(application)
        except Exception as exc:  # a failed check must never stop the watcher
            service.events("intents_watch_error", logging.ERROR, error=str(exc))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    service = service_of(context)
    service.events("handler_error", logging.ERROR, error=repr(context.error))
    if isinstance(update, Update) and update.effective_chat and not isinstance(context.error, NetworkError):
        try:
            await context.bot.send_message(update.effective_chat.id, "Xin lỗi, em gặp trục trặc. Anh/chị nhắn lại giúp em nha.")
        except Exception:
            pass


# -- assembly ------------------------------------------------------------------------------------

def build_application(config: BotConfig, pipeline: Pipeline) -> Application:
    async def post_init(app: Application) -> None:
        storage = await Storage.open(config.db_path)
        service = FishbotService(config, pipeline, storage)
        app.bot_data["service"] = service
        me = await app.bot.get_me()
        service.bot_username = me.username
        service.events("started", bot=me.username, db=config.db_path, officer_chat=config.officer_chat_id)
        if config.watch_intents:
            app.bot_data["watcher"] = asyncio.create_task(watch_intents(app))

    async def post_shutdown(app: Application) -> None:
        service: FishbotService | None = app.bot_data.get("service")
        watcher = app.bot_data.get("watcher")
        if watcher:
            watcher.cancel()
        if service:
            await service.storage.close()
            service.worker.shutdown(wait=False)

    app = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.base_url)
        .concurrent_updates(256)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("help", on_help))
    app.add_handler(CommandHandler("reset", on_reset))
    app.add_handler(CommandHandler("canbo", on_officer_request))
    app.add_handler(CommandHandler("cases", on_cases))
    app.add_handler(CommandHandler("case", on_case))
    app.add_handler(CommandHandler("reply", on_reply))
    app.add_handler(CommandHandler("close", on_close))
    app.add_handler(CommandHandler("reload", on_reload))
    app.add_handler(CommandHandler("unmatched", on_unmatched))
    app.add_handler(CommandHandler("teach", on_teach))
    app.add_handler(CallbackQueryHandler(on_callback))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(filters.PHOTO & filters.CAPTION, on_text))
    app.add_handler(MessageHandler(~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_other_media))
    app.add_error_handler(on_error)
    return app
