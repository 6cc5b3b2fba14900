"""Load test through the Bot API emulator: many farmers at once, each 3 messages and 2 answers.

Each simulated farmer plays one scripted interview in their own chat. Every reply is checked to
land in the right chat (its "Có:" line must name the signs that farmer described), nothing may be
lost, and latency is measured from the moment a message was accepted by the emulator until the
bot's answer is visible there. Optionally the emulator is stopped for a while mid-run.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# (first message, sign name expected in the reply, second message, third message)
SCRIPTS = [
    ("cá tra bỏ ăn, bơi lờ đờ", "cá bỏ ăn", "mổ ra gan có đốm trắng", "cảm ơn em"),
    ("cá nổi đầu lúc sáng sớm", "cá nổi đầu", "mang cá màu nâu", "ok em"),
    ("rô phi lồi mắt, bơi xoay tròn", "mắt lồi", "mắt cá đục", "cảm ơn nha"),
    ("cá có đốm trắng li ti trên da", "đốm trắng nhỏ trên da", "cá cọ mình vô thành ao", "dạ"),
    ("đuôi cá bị trắng, mang thối", "mang thối", "cá chết rải rác", "cảm ơn"),
]
REPLY_TIMEOUT = 120.0


def _retry(call, deadline: float):
    """A farmer's phone keeps trying while the Bot API is unreachable."""
    while True:
        try:
            return call()
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _await_reply(emulator, chat_id: int, after: int, deadline: float, predicate=lambda m: True) -> dict:
    while True:
        try:
            for message in emulator.messages(chat_id):
                if message["message_id"] > after and predicate(message):
                    return message
        except Exception:
            pass  # the emulator is down for a moment
        if time.monotonic() > deadline:
            raise TimeoutError(f"no reply in chat {chat_id}")
        time.sleep(0.2)


def _buttons(message: dict) -> list[dict]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def _farmer(emulator, chat_id: int, script, latencies: list, lock: threading.Lock) -> dict:
    first, expected_sign, second, third = script
    deadline = time.monotonic() + REPLY_TIMEOUT
    outcome = {"steps": 0, "replies": 0, "wrong_chat": 0, "lost": 0}
    last = 0

    def step(action, predicate=lambda m: True):
        nonlocal last
        outcome["steps"] += 1
        sent = _retry(action, deadline)
        started = time.monotonic()
        after = max(last, sent.get("message_id", last))
        reply = _await_reply(emulator, chat_id, after, deadline, predicate)
        with lock:
            latencies.append(time.monotonic() - started)
        last = reply["message_id"]
        outcome["replies"] += 1
        return reply

    try:
        reply = step(lambda: emulator.send_text(chat_id, chat_id, first))
        if expected_sign not in reply.get("text", ""):
            outcome["wrong_chat"] += 1
        for _ in range(2):
            keys = _buttons(reply)
            if not keys:  # the bot was already sure: nothing to answer
                break
            press = lambda k=keys[1]["callback_data"], mid=reply["message_id"]: emulator.press(chat_id, chat_id, mid, k)
            reply = step(press, lambda m: "Bệnh có thể gặp" in m.get("text", ""))
        step(lambda: emulator.send_text(chat_id, chat_id, second))
        step(lambda: emulator.send_text(chat_id, chat_id, third))
    except TimeoutError:
        outcome["lost"] += 1
        outcome["lost_at_step"] = outcome["steps"]
        outcome["chat_id"] = chat_id
    return outcome


def run_load(emulator, farmers: int = 200, outage_seconds: float = 0.0, first_chat: int = 10_000,
             outage_after: float = 3.0) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    started = time.monotonic()
    outage = None
    if outage_seconds:
        def pause():
            time.sleep(outage_after)
            with emulator.paused():
                time.sleep(outage_seconds)

        outage = threading.Thread(target=pause, daemon=True)
        outage.start()
    with ThreadPoolExecutor(max_workers=farmers) as pool:
        futures = [
            pool.submit(_farmer, emulator, first_chat + i, SCRIPTS[i % len(SCRIPTS)], latencies, lock)
            for i in range(farmers)
        ]
        outcomes = [f.result() for f in futures]
    if outage:
        outage.join()
    elapsed = time.monotonic() - started
    replies = sum(o["replies"] for o in outcomes)
    ordered = sorted(latencies)
    return {
        "farmers": farmers,
        "expected_replies": sum(o["steps"] for o in outcomes),
        "replies": replies,
        "lost": sum(o["lost"] for o in outcomes),
        "wrong_chat": sum(o["wrong_chat"] for o in outcomes),
        "lost_at_steps": sorted(o["lost_at_step"] for o in outcomes if "lost_at_step" in o),
        "lost_chats": [o["chat_id"] for o in outcomes if "chat_id" in o][:20],
        "outage_seconds": outage_seconds,
        "seconds": round(elapsed, 1),
        "latency_p50_ms": round(statistics.median(ordered) * 1000) if ordered else None,
        "latency_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000) if ordered else None,
        "messages_per_second": round(replies / elapsed, 1),
    }
