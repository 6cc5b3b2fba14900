"""Structured logs: one JSON object per line, the bot token never written, message text optional."""

from __future__ import annotations

import json
import logging
import re
import time

_TOKEN_PATTERN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{10,}\b")


class JsonFormatter(logging.Formatter):
    def __init__(self, secrets: list[str] | None = None):
        super().__init__()
        self.secrets = [s for s in (secrets or []) if s]

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": getattr(record, "event", None) or record.getMessage(),
        }
        event.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            event["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return self.redact(json.dumps(event, ensure_ascii=False, default=str))

    def redact(self, line: str) -> str:
        for secret in self.secrets:
            line = line.replace(secret, "<token>")
        return _TOKEN_PATTERN.sub("<token>", line)


def setup_logging(token: str | None, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter([token] if token else []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and the Bot API URL contains the token.
    for noisy in ("httpx", "httpcore", "telegram.ext.ExtBot", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class EventLog:
    """Writes domain events; drops message text when the operator switched it off."""

    def __init__(self, log_text: bool):
        self.log_text = log_text
        self.logger = logging.getLogger("fishbot")

    def __call__(self, event: str, level: int = logging.INFO, **fields) -> None:
        if not self.log_text:
            fields = {k: v for k, v in fields.items() if k != "text"}
        self.logger.log(level, event, extra={"event": event, "fields": {"t": round(time.time(), 3), **fields}})
