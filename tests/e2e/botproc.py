"""Run `fishbot run` as a real process against the emulator (so tests can SIGKILL it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OFFICER_CHAT = -1001
OFFICER_ID = 900


class BotProcess:
    def __init__(self, emulator, db_path: Path, intents_dir: Path, **env: str):
        self.emulator = emulator
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_BASE_URL": emulator.base_url,
            "FISHBOT_DB": str(db_path),
            "FISHBOT_INTENTS": str(intents_dir),
            "FISHBOT_OFFICER_CHAT_ID": str(OFFICER_CHAT),
            "FISHBOT_OFFICER_IDS": str(OFFICER_ID),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.proc: subprocess.Popen | None = None
        self.lines: deque[str] = deque(maxlen=5000)

    def start(self, timeout: float = 120.0) -> "BotProcess":
        self.lines.clear()
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=REPO, env=self.env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started = threading.Event()

        def pump() -> None:
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                if '"started"' in line:
                    started.set()

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not started.wait(0.2) and self.proc.poll() is None and time.monotonic() < deadline:
            pass
        if not started.is_set():
            self.kill()
            raise AssertionError("bot did not start:\n" + "\n".join(list(self.lines)[-40:]))
        return self

    def events(self, name: str) -> list[dict]:
        out = []
        for line in list(self.lines):
            if line.startswith("{"):
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if record.get("event") == name:
                    out.append(record)
        return out

    def wait_event(self, name: str, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.events(name)
            if found:
                return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"no '{name}' event; log tail:\n" + "\n".join(list(self.lines)[-30:]))

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
