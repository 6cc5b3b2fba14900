"""Persistence: conversation state, message log and officer cases, in SQLite (WAL) via aiosqlite.

Everything the bot stores goes through this one class, so another database can replace SQLite by
reimplementing it. Every write is committed before the bot replies: a process killed at any moment
keeps everything it had acknowledged.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import aiosqlite
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    chat_id     INTEGER PRIMARY KEY,
    user_id     INTEGER,
    state       TEXT NOT NULL,
    updated_at  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER,
    direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text        TEXT NOT NULL,
    match       TEXT,              -- for farmer messages: matched | weak | none | question | small_talk
    created_at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_chat ON messages (chat_id, id);
CREATE INDEX IF NOT EXISTS messages_match ON messages (match, id);
CREATE TABLE IF NOT EXISTS cases (
    id          TEXT PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER,
    status      TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'closed')),
    triage      TEXT NOT NULL,
    summary     TEXT NOT NULL,
    officer_id  INTEGER,
    created_at  REAL NOT NULL,
    updated_at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_status ON cases (status, created_at);
"""

URGENCY = {"khan_cap": 0, "can_tu_van": 1, "theo_doi": 2}
# Case ids are read aloud and typed by officers: no 0/O or 1/I confusion.
CASE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class StorageError(Exception):
    pass


@dataclass
class Case:
    id: str
    chat_id: int
    user_id: int | None
    status: str
    triage: str
    summary: dict
    officer_id: int | None
    created_at: float


@dataclass
class LoggedMessage:
    id: int
    chat_id: int
    user_id: int | None
    direction: str
    text: str
    match: str | None
    created_at: float


class Storage:
    def __init__(self, db: aiosqlite.Connection):
        self.db = db

    @classmethod
    async def open(cls, path: str | Path) -> "Storage":
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Probe synchronously first: a failed aiosqlite connect leaves a worker thread that
            # prints a traceback at exit, and an operator deserves one clear line instead.
            sqlite3.connect(str(path)).close()
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from None
        db = await aiosqlite.connect(str(path))
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.executescript(SCHEMA)
        await db.commit()
        return cls(db)

    async def close(self) -> None:
        await self.db.close()

    async def check(self) -> None:
        """Raise if the database cannot be read (used by the health check)."""
        async with self.db.execute("SELECT count(*) FROM conversations") as cursor:
            await cursor.fetchone()

    # -- conversations -------------------------------------------------------------------------

    async def get_state(self, chat_id: int) -> dict | None:
        async with self.db.execute("SELECT state FROM conversations WHERE chat_id = ?", (chat_id,)) as cursor:
            row = await cursor.fetchone()
        return json.loads(row["state"]) if row else None

    async def save_state(self, chat_id: int, user_id: int | None, state: dict) -> None:
        await self.db.execute(
            "INSERT INTO conversations (chat_id, user_id, state, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET user_id = excluded.user_id, state = excluded.state, updated_at = excluded.updated_at",
            (chat_id, user_id, json.dumps(state, ensure_ascii=False), time.time()),
        )
        await self.db.commit()

    # -- message log ----------------------------------------------------------------------------

    async def log_message(self, chat_id: int, user_id: int | None, direction: str, text: str, match: str | None = None) -> int:
        cursor = await self.db.execute(
            "INSERT INTO messages (chat_id, user_id, direction, text, match, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (chat_id, user_id, direction, text, match, time.time()),
        )
        await self.db.commit()
        return int(cursor.lastrowid)

    async def message(self, message_id: int) -> LoggedMessage | None:
        async with self.db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)) as cursor:
            row = await cursor.fetchone()
        return LoggedMessage(**dict(row)) if row else None

    async def transcript(self, chat_id: int, limit: int = 30) -> list[LoggedMessage]:
        async with self.db.execute(
            "SELECT * FROM (SELECT * FROM messages WHERE chat_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id", (chat_id, limit)
        ) as cursor:
            return [LoggedMessage(**dict(r)) for r in await cursor.fetchall()]

    async def unmatched(self, limit: int = 20) -> list[LoggedMessage]:
        async with self.db.execute(
            "SELECT * FROM messages WHERE direction = 'in' AND match IN ('none', 'weak') ORDER BY id DESC LIMIT ?", (limit,)
        ) as cursor:
            return [LoggedMessage(**dict(r)) for r in await cursor.fetchall()]

    # -- cases ----------------------------------------------------------------------------------

    async def open_case(self, chat_id: int, user_id: int | None, triage: str, summary: dict) -> Case:
        now = time.time()
        for _ in range(10):
            case_id = "".join(secrets.choice(CASE_ALPHABET) for _ in range(5))
            try:
                await self.db.execute(
                    "INSERT INTO cases (id, chat_id, user_id, status, triage, summary, created_at, updated_at) "
                    "VALUES (?, ?, ?, 'open', ?, ?, ?, ?)",
                    (case_id, chat_id, user_id, triage, json.dumps(summary, ensure_ascii=False), now, now),
                )
                await self.db.commit()
                return Case(case_id, chat_id, user_id, "open", triage, summary, None, now)
            except aiosqlite.IntegrityError:
                continue
        raise RuntimeError("could not allocate a case id")

    async def case(self, case_id: str) -> Case | None:
        async with self.db.execute("SELECT * FROM cases WHERE id = ?", (case_id.strip().upper(),)) as cursor:
            row = await cursor.fetchone()
        return self._case(row) if row else None

    async def open_case_for_chat(self, chat_id: int) -> Case | None:
        async with self.db.execute(
            "SELECT * FROM cases WHERE chat_id = ? AND status != 'closed' ORDER BY created_at DESC LIMIT 1", (chat_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return self._case(row) if row else None

    async def open_cases(self) -> list[Case]:
        async with self.db.execute("SELECT * FROM cases WHERE status != 'closed'") as cursor:
            cases = [self._case(r) for r in await cursor.fetchall()]
        return sorted(cases, key=lambda c: (URGENCY.get(c.triage, 9), c.created_at))

    async def set_case_status(self, case_id: str, status: str, officer_id: int | None) -> Case | None:
        await self.db.execute(
            "UPDATE cases SET status = ?, officer_id = COALESCE(?, officer_id), updated_at = ? WHERE id = ?",
            (status, officer_id, time.time(), case_id.strip().upper()),
        )
        await self.db.commit()
        return await self.case(case_id)

    async def update_case_summary(self, case_id: str, triage: str, summary: dict) -> None:
        await self.db.execute(
            "UPDATE cases SET triage = ?, summary = ?, updated_at = ? WHERE id = ?",
            (triage, json.dumps(summary, ensure_ascii=False), time.time(), case_id),
        )
        await self.db.commit()

    @staticmethod
    def _case(row) -> Case:
        data = dict(row)
        data["summary"] = json.loads(data["summary"])
        data.pop("updated_at", None)
        return Case(**data)
