"""Smoke check: a minimal python-telegram-bot v22 bot against the emulator.

    .venv/bin/python tests/e2e/smoke_ptb.py      (exit status 0 when every step passes)

Not a pytest file: it proves the emulator + harness patches are enough for PTB's
polling, commands, inline buttons, callback answers, edits and media messages.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from emulator import Emulator, run_bot_in_thread  # noqa: E402
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update  # noqa: E402
from telegram.ext import (  # noqa: E402
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

TOKEN = "123:ABC"
USER = CHAT = 4242


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Bấm", callback_data="b1")]])
    await update.message.reply_text("hi", reply_markup=keyboard)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("ok")
    await query.edit_message_text("pressed")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    # Also exercises getFile + the file download route.
    data = await (await update.message.photo[-1].get_file()).download_as_bytearray()
    await update.message.reply_text(f"photo {len(data)} bytes: {update.message.caption}")


def build_app(emu: Emulator):
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.PHOTO, photo))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


def main() -> int:
    results: list[bool] = []

    def step(name: str, fn: Callable[[], str]) -> None:
        t0 = time.monotonic()
        try:
            detail = fn()
            results.append(True)
            print(f"PASS {name} ({time.monotonic() - t0:.2f}s) {detail}")
        except Exception as exc:  # noqa: BLE001 - report and go on
            results.append(False)
            print(f"FAIL {name}: {exc}")

    t0 = time.monotonic()
    with Emulator(TOKEN) as emu:
        print(f"emulator ready in {emu.startup_seconds:.2f}s (total with npm check "
              f"{time.monotonic() - t0:.2f}s) at {emu.base_url}")
        with run_bot_in_thread(build_app(emu)):
            state: dict = {}

            def s_start() -> str:
                sent = emu.send_text(USER, CHAT, "/start")
                m = emu.wait_for(CHAT, lambda m: m.get("text") == "hi", after=sent["message_id"])
                buttons = m["reply_markup"]["inline_keyboard"]
                assert buttons[0][0]["callback_data"] == "b1", buttons
                state["hi"] = m
                return f"message_id={m['message_id']} keyboard={buttons}"

            def s_press() -> str:
                hi = state["hi"]
                emu.press(USER, CHAT, hi["message_id"], "b1")
                m = emu.wait_for(CHAT, lambda m: m["message_id"] == hi["message_id"] and m.get("text") == "pressed")
                assert "reply_markup" not in m, "edit without reply_markup must drop the keyboard"
                answers = emu.answers()
                assert answers and answers[-1]["text"] == "ok", answers
                return f"edited text={m['text']!r} answer={answers[-1]['text']!r}"

            def s_echo() -> str:
                sent = emu.send_text(USER, CHAT, "xin chào")
                m = emu.wait_for(CHAT, lambda m: m.get("text") == "xin chào", after=sent["message_id"])
                return f"echo={m['text']!r}"

            def s_photo() -> str:
                sent = emu.send_photo(USER, CHAT, caption="cá bị nấm", data=b"\xff\xd8fake-jpeg")
                m = emu.wait_for(CHAT, lambda m: m.get("text", "").startswith("photo"), after=sent["message_id"])
                assert m["text"] == "photo 11 bytes: cá bị nấm", m["text"]
                return f"reply={m['text']!r}"

            def s_no_unsupported() -> str:
                bad = [c["method"] for c in emu.calls() if c.get("unsupported")]
                assert not bad, f"unsupported methods called: {bad}"
                return "methods: " + ", ".join(sorted({c["method"] for c in emu.calls()}))

            step("/start -> 'hi' with button b1", s_start)
            step("press b1 -> 'pressed'", s_press)
            step("text 'xin chào' -> echo", s_echo)
            step("photo with caption -> reply", s_photo)
            step("only supported Bot API methods used", s_no_unsupported)

    ok = all(results)
    print(f"{'PASS' if ok else 'FAIL'}: {sum(results)}/{len(results)} steps, {time.monotonic() - t0:.2f}s total")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
