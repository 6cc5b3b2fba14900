"""Drive the Telegram Bot API emulator (tests/e2e/harness.js) from Python tests.

    with Emulator() as emu:
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
        with run_bot_in_thread(app):
            sent = emu.send_text(user_id=7, chat_id=7, text="/start")
            reply = emu.wait_for(7, lambda m: m.get("text") == "hi", after=sent["message_id"])
            emu.press(7, 7, reply["message_id"], "b1")

The emulator runs as a `node harness.js` subprocess on free ports. Bot messages are
read back through the harness's JSON control API (`/messages`), users act through
`/send` and `/callback`. All methods are synchronous (httpx), so run the bot in
another thread (run_bot_in_thread) or another process, never on the caller's loop.

pause()/resume() stop the node process and start it again on the same ports, to
simulate the Bot API going away. The harness writes its state (stored messages,
pending updates, id counters) to a state file on SIGTERM and reloads it, so
messages and unconfirmed updates survive a pause; anything sent *during* the pause
fails (the control API is down too). Only stop() discards the state.

Dependencies: stdlib + httpx; Node.js >= 18 and npm for the harness itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
DEFAULT_TOKEN = "123:ABC"

Message = dict[str, Any]


class EmulatorError(RuntimeError):
    pass


def ensure_node_modules(directory: Path = HERE) -> None:
    """Install the pinned harness dependencies once (npm ci with the lock file)."""
    if (directory / "node_modules" / "telegram-test-api").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise EmulatorError("npm is not installed; the e2e emulator needs Node.js >= 18 and npm")
    # A file lock, so parallel test workers do not run two installs into one folder.
    with open(directory / ".npm-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (directory / "node_modules" / "telegram-test-api").is_dir():
            return
        cmd = "ci" if (directory / "package-lock.json").exists() else "install"
        proc = subprocess.run(
            [npm, cmd, "--no-audit", "--no-fund", "--silent"],
            cwd=directory, capture_output=True, text=True, timeout=300,
        )
        if proc.returncode != 0:
            raise EmulatorError(f"npm {cmd} failed in {directory}:\n{proc.stdout}\n{proc.stderr}")


def _free_ports(n: int) -> list[int]:
    """n distinct free TCP ports (held open together so they differ)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Emulator:
    """A running telegram-test-api harness plus helpers to act as Telegram users."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        control_port: int | None = None,
        startup_timeout: float = 30.0,
        verbose: bool = False,
    ) -> None:
        self.token = token
        self.host = host
        self._want_ports = (port, control_port)
        self.port: int | None = None
        self.control_port: int | None = None
        self.startup_timeout = startup_timeout
        self.verbose = verbose
        self.startup_seconds: float | None = None  # last time from spawn to READY
        self._proc: subprocess.Popen[str] | None = None
        self._log: deque[str] = deque(maxlen=2000)  # harness stderr, for failure messages
        self._state_dir = tempfile.mkdtemp(prefix="tg-emulator-")
        self._state_file = os.path.join(self._state_dir, "state.json")
        self._http = httpx.Client(timeout=10.0)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> Emulator:
        ensure_node_modules()
        port, control_port = self._want_ports
        attempts = 1 if port else 3  # a free port can be taken between probing and binding
        for attempt in range(attempts):
            if port:
                self.port, self.control_port = port, control_port or port + 1
            else:
                self.port, self.control_port = _free_ports(2)
            try:
                self._spawn()
                return self
            except EmulatorError:
                if attempt == attempts - 1:
                    raise
        return self

    def _spawn(self) -> None:
        env = dict(
            os.environ,
            PORT=str(self.port),
            CONTROL_PORT=str(self.control_port),
            HOST=self.host,
            STATE_FILE=self._state_file,
            WATCH_STDIN="1",  # the harness exits if this Python process dies
            HARNESS_VERBOSE="1" if self.verbose else "0",
        )
        started = time.monotonic()
        proc = subprocess.Popen(
            ["node", str(HERE / "harness.js")],
            cwd=HERE, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        ready = threading.Event()

        def read_stdout() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("READY "):
                    ready.set()
                else:
                    self._log.append(line.rstrip("\n"))

        def read_stderr() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                self._log.append(line.rstrip("\n"))

        threading.Thread(target=read_stdout, daemon=True).start()
        threading.Thread(target=read_stderr, daemon=True).start()
        deadline = started + self.startup_timeout
        while not ready.wait(0.05):
            if proc.poll() is not None or time.monotonic() > deadline:
                self._kill(proc)
                raise EmulatorError(
                    f"emulator did not start on {self.host}:{self.port} "
                    f"(exit {proc.returncode}):\n" + self.logs()
                )
        self.startup_seconds = time.monotonic() - started
        self._proc = proc

    @staticmethod
    def _kill(proc: subprocess.Popen[str], grace: float = 5.0) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # harness saves state and closes its ports
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream:
                with contextlib.suppress(Exception):
                    stream.close()

    def pause(self) -> None:
        """Stop the emulator (ports close, the bot sees connection errors); see resume()."""
        if self._proc is None:
            raise EmulatorError("emulator is not running")
        self._kill(self._proc)
        self._proc = None

    def resume(self) -> None:
        """Start again on the same ports with the state saved by pause()."""
        if self._proc is not None:
            raise EmulatorError("emulator is already running")
        self._spawn()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """`with emu.paused(): time.sleep(10)` - the API is unreachable inside the block."""
        self.pause()
        try:
            yield
        finally:
            self.resume()

    def stop(self) -> None:
        """Stop for good and discard all state."""
        if self._proc is not None:
            self._kill(self._proc)
            self._proc = None
        self._http.close()
        shutil.rmtree(self._state_dir, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def logs(self) -> str:
        """The harness's stderr so far (unsupported Bot API methods are reported there)."""
        return "\n".join(self._log)

    # ------------------------------------------------------------ addresses

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(...): PTB requests {base_url}{token}/{method}."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder().base_file_url(...), needed by File.download_*()."""
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def control_url(self) -> str:
        return f"http://{self.host}:{self.control_port}"

    # ------------------------------------------------------------ control API

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        if not self.running:
            raise EmulatorError("emulator is not running (paused or stopped)")
        resp = self._http.request(method, self.control_url + path, **kwargs)
        data = resp.json()
        if resp.status_code != 200 or not data.get("ok"):
            raise EmulatorError(f"{method} {path} failed: {data.get('error', data)}")
        return data["result"]

    def _user(self, user_id: int, chat_id: int, chat_type: str, first_name: str | None,
              title: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"token": self.token, "userId": user_id, "chatId": chat_id, "type": chat_type}
        if first_name:
            user["firstName"] = first_name
        if title:
            user["title"] = title
        return user

    def send(self, user_id: int, chat_id: int, *, chat_type: str = "private",
             first_name: str | None = None, title: str | None = None, **fields: Any) -> dict[str, Any]:
        """Queue any user message; fields as in the harness's POST /send (text, photo, caption...).

        Returns {"update_id", "message_id"}; the bot's replies get larger message ids,
        so pass message_id as wait_for(after=...) to skip older messages.
        """
        body = self._user(user_id, chat_id, chat_type, first_name, title)
        body.update({k: v for k, v in fields.items() if v is not None})
        return self._call("POST", "/send", json=body)

    def send_text(self, user_id: int, chat_id: int, text: str, chat_type: str = "private",
                  **kw: Any) -> dict[str, Any]:
        """A text message; text starting with "/" is sent as a command (bot_command entity)."""
        return self.send(user_id, chat_id, chat_type=chat_type, text=text, **kw)

    def send_photo(self, user_id: int, chat_id: int, caption: str | None = None,
                   chat_type: str = "private", data: bytes | None = None, **kw: Any) -> dict[str, Any]:
        """A photo (two PhotoSizes); `data` are the bytes the bot gets from getFile/download."""
        import base64

        photo: Any = base64.b64encode(data).decode() if data else True
        return self.send(user_id, chat_id, chat_type=chat_type, photo=photo, caption=caption, **kw)

    def send_sticker(self, user_id: int, chat_id: int, emoji: str = "🐟",
                     chat_type: str = "private", **kw: Any) -> dict[str, Any]:
        return self.send(user_id, chat_id, chat_type=chat_type, sticker=emoji, **kw)

    def send_voice(self, user_id: int, chat_id: int, duration: int = 2,
                   chat_type: str = "private", **kw: Any) -> dict[str, Any]:
        return self.send(user_id, chat_id, chat_type=chat_type, voice=duration, **kw)

    def send_location(self, user_id: int, chat_id: int, latitude: float, longitude: float,
                      chat_type: str = "private", **kw: Any) -> dict[str, Any]:
        return self.send(user_id, chat_id, chat_type=chat_type,
                         location={"latitude": latitude, "longitude": longitude}, **kw)

    def press(self, user_id: int, chat_id: int, message_id: int, data: str,
              chat_type: str = "private", **kw: Any) -> dict[str, Any]:
        """The user presses the inline button with callback_data `data` on bot message message_id.

        Returns {"update_id", "callback_query_id"}. A message_id the emulator does not
        know (deleted, never sent) reaches the bot as Telegram's inaccessible message
        (date 0; in PTB query.message.is_accessible is False).
        """
        body = self._user(user_id, chat_id, chat_type, kw.pop("first_name", None), kw.pop("title", None))
        body.update(data=data, messageId=message_id, **kw)
        return self._call("POST", "/callback", json=body)

    def messages(self, chat_id: int) -> list[Message]:
        """The bot's messages in that chat, oldest first, as they are now (edits applied).

        Telegram Message dicts plus x_method ("sendMessage", "sendPhoto"...), x_parse_mode
        and x_reply_markup (the markup as sent, reply keyboards included).
        """
        return self._call("GET", "/messages", params={"token": self.token, "chatId": chat_id})

    def wait_for(self, chat_id: int, predicate: Callable[[Message], bool] = lambda m: True,
                 timeout: float = 5.0, *, after: int | None = None, interval: float = 0.05) -> Message:
        """Poll until a bot message in chat_id satisfies predicate; return the first such.

        after: only messages with message_id > after (e.g. the id send_text returned).
        Raises AssertionError with the chat's messages and the harness log on timeout.
        """
        deadline = time.monotonic() + timeout
        seen: list[Message] = []
        while True:
            seen = self.messages(chat_id)
            for m in seen:
                if (after is None or m["message_id"] > after) and predicate(m):
                    return m
            if time.monotonic() >= deadline:
                texts = [(m["message_id"], m.get("text", m.get("caption"))) for m in seen]
                raise AssertionError(
                    f"no matching bot message in chat {chat_id} within {timeout}s; "
                    f"messages: {texts}\nharness log:\n{self.logs()[-3000:]}"
                )
            time.sleep(interval)

    def answers(self) -> list[dict[str, Any]]:
        """answerCallbackQuery calls made by the bot."""
        return self._call("GET", "/answers", params={"token": self.token})

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Recent Bot API calls by the bot; entries with "unsupported": True got a dummy True."""
        params = {"token": self.token}
        if method:
            params["method"] = method
        return self._call("GET", "/calls", params=params)

    def pending(self) -> int:
        """Updates the bot has not confirmed (fetched and acknowledged) yet."""
        return self._call("GET", "/pending", params={"token": self.token})["count"]

    def commands(self) -> list[dict[str, Any]]:
        """The command list the bot set with setMyCommands."""
        return self._call("GET", "/commands", params={"token": self.token})

    def reset(self) -> None:
        """Forget all messages, updates, answers and calls (id counters keep counting)."""
        self._call("POST", "/reset")


@contextlib.contextmanager
def run_bot_in_thread(app: Any, *, poll_timeout: float = 1.0, startup_timeout: float = 15.0,
                      **polling_kwargs: Any) -> Iterator[Any]:
    """Run a python-telegram-bot Application like run_polling() does, but in a
    background thread with its own event loop, so synchronous Emulator calls in the
    test thread never block the bot. Stops and shuts the application down on exit.

    Yields the application. Exceptions from startup are re-raised in the caller.
    """
    loop = asyncio.new_event_loop()
    started = threading.Event()
    failure: list[BaseException] = []
    stop: asyncio.Event | None = None

    async def main() -> None:
        nonlocal stop
        stop = asyncio.Event()
        # Same order as Application.run_polling, including the post_* hooks (a bot
        # may call set_my_commands in post_init), minus signal handling.
        try:
            await app.initialize()
            try:
                if app.post_init:
                    await app.post_init(app)
                await app.updater.start_polling(timeout=poll_timeout, **polling_kwargs)
                await app.start()
                started.set()
                await stop.wait()
                await app.updater.stop()
                await app.stop()
                if app.post_stop:
                    await app.post_stop(app)
            finally:
                await app.shutdown()
                if app.post_shutdown:
                    await app.post_shutdown(app)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failure.append(exc)
            started.set()

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()), name="ptb-bot", daemon=True)
    thread.start()
    if not started.wait(startup_timeout):
        raise EmulatorError("the bot did not start polling in time")
    if failure:
        thread.join(5)
        raise failure[0]
    try:
        yield app
    finally:
        if stop is not None:
            loop.call_soon_threadsafe(stop.set)
        thread.join(poll_timeout + 15)
        if not thread.is_alive():
            loop.close()
        if failure:
            raise failure[0]
