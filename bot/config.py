"""Bot configuration from environment variables (documented in the README)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

OFFICIAL_API = "https://api.telegram.org/bot"


class ConfigError(Exception):
    pass


def _int_list(raw: str, name: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in raw.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError(f"{name} must be comma-separated Telegram user ids, got {raw!r}") from None


@dataclass(frozen=True)
class BotConfig:
    token: str
    base_url: str = OFFICIAL_API
    officer_chat_id: int | None = None
    officer_ids: frozenset[int] = field(default_factory=frozenset)
    db_path: str = "data/fishbot.sqlite3"
    model: str | None = None
    intents: str | None = None
    log_text: bool = True
    rate_limit: int = 8  # messages per user per rate_window seconds
    rate_window: float = 10.0
    watch_intents: bool = True

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "BotConfig":
        env = dict(os.environ if env is None else env)
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather and export it, "
                              "or use `fishbot chat` to talk to the bot offline.")
        chat = env.get("FISHBOT_OFFICER_CHAT_ID", "").strip()
        try:
            officer_chat = int(chat) if chat else None
        except ValueError:
            raise ConfigError(f"FISHBOT_OFFICER_CHAT_ID must be a number, got {chat!r}") from None
        return cls(
            token=token,
            base_url=env.get("TELEGRAM_BASE_URL", "").strip() or OFFICIAL_API,
            officer_chat_id=officer_chat,
            officer_ids=_int_list(env.get("FISHBOT_OFFICER_IDS", ""), "FISHBOT_OFFICER_IDS"),
            db_path=env.get("FISHBOT_DB", "").strip() or str(Path("data") / "fishbot.sqlite3"),
            model=env.get("FISHBOT_MODEL") or None,
            intents=env.get("FISHBOT_INTENTS") or None,
            log_text=env.get("FISHBOT_LOG_TEXT", "1").strip().lower() not in ("0", "false", "no", "off"),
            rate_limit=int(env.get("FISHBOT_RATE_LIMIT", "8") or 8),
            rate_window=float(env.get("FISHBOT_RATE_WINDOW", "10") or 10),
        )
