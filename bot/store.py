"""Storage in SQLite through sqlite-utils: positions, settings, anonymous tallies.

Nothing here identifies a child: a child is a keyed hash (HMAC-SHA256) of the channel
and the channel's user id, made with a secret that never leaves the data folder.
No names, no ids, no message texts are written.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot.engine import Count, Position
from bot.migrations import migrations
from bot.model import BANDS, Band

SECRET_FILE = "instance.secret"  # noqa: S105 (a file name, not a secret)
DATABASE_FILE = "safebot.db"


@dataclass
class Child:
    """What is kept about one child: settings and place in a dialog, nothing else."""

    key: str
    locale: str | None = None
    country: str | None = None  # ISO code; "" when the child preferred not to say
    position: Position | None = None
    exit_hint_shown: bool = False
    band: Band | None = None  # 10-12 or 13-17, as the child said; never an age

    @property
    def country_known(self) -> bool:
        return self.country is not None


def load_secret(data_dir: Path) -> bytes:
    """The instance secret, created on first run and readable by its owner only."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


class Store:
    """One SQLite file per instance; every method is one short transaction."""

    def __init__(self, data_dir: Path, *, today: Callable[[], date] | None = None) -> None:
        self.secret = load_secret(data_dir)
        self.path = data_dir / DATABASE_FILE
        connection = sqlite3.connect(self.path, isolation_level=None)
        self.db = Database(connection)
        # deleted rows are overwritten, so /forget leaves nothing readable behind
        self.db.execute("PRAGMA secure_delete = ON")
        if self.db.journal_mode != "wal":
            self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA busy_timeout = 5000")
        migrations.apply(self.db)
        self._today: Callable[[], date] = today or (lambda: datetime.now(UTC).date())

    def transaction(self) -> AbstractContextManager[Any]:
        """Group writes into one commit."""
        return self.db.atomic()

    def close(self) -> None:
        self.db.close()

    def child_key(self, channel: str, user_id: str | int) -> str:
        message = f"{channel}:{user_id}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def child(self, key: str) -> Child:
        """The stored child, or a new one (not saved until `save`)."""
        row = self.db.execute(
            "SELECT locale, country, dialog, step, turn, exit_hint_shown, band "
            "FROM children WHERE key = ?",
            [key],
        ).fetchone()
        if row is None:
            return Child(key)
        locale, country, dialog, step, turn, hint, band = row
        position = Position(dialog, step, turn) if dialog else None
        return Child(key, locale, country, position, bool(hint), band if band in BANDS else None)

    def save(self, child: Child) -> None:
        position = child.position
        self.db.execute(
            "INSERT INTO children (key, locale, country, dialog, step, turn, exit_hint_shown, "
            "seen_on, band) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
            "locale = excluded.locale, country = excluded.country, dialog = excluded.dialog, "
            "step = excluded.step, turn = excluded.turn, "
            "exit_hint_shown = excluded.exit_hint_shown, seen_on = excluded.seen_on, "
            "band = excluded.band",
            [
                child.key,
                child.locale,
                child.country,
                position.dialog if position else None,
                position.step if position else None,
                position.turn if position else 0,
                int(child.exit_hint_shown),
                self._today().isoformat(),
                child.band,
            ],
        )

    def count(self, counts: Iterable[Count], *, language: str, country: str | None) -> None:
        """Add one to each tally, by day, lesson, language and country: never by child."""
        day = self._today().isoformat()
        for c in counts:
            outcome = c.outcome or (
                "" if c.correct is None else ("correct" if c.correct else "other")
            )
            self.add_tally(
                day, c.name, c.dialog, language, country or "", c.question, c.phase, outcome
            )

    def add_tally(
        self,
        day: str,
        name: str,
        dialog: str,
        language: str,
        country: str,
        question: str = "",
        phase: str = "",
        outcome: str = "",
    ) -> None:
        self.db.execute(
            "INSERT INTO tallies (day, name, dialog, language, country, question, phase, "
            "outcome, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET "
            "value = value + 1",
            [day, name, dialog, language, country, question, phase, outcome],
        )

    def tallies(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM tallies ORDER BY day, name, dialog"))

    def forget(self, key: str) -> None:
        """Erase everything kept about one child, including the chat's message list."""
        with self.db.atomic():
            self.db.execute("DELETE FROM children WHERE key = ?", [key])
            self.db.execute("DELETE FROM chat_messages WHERE child = ?", [key])
            self.db.execute("DELETE FROM update_journal WHERE child = ?", [key])
        self.checkpoint()

    def purge(self, inactive_for: timedelta) -> int:
        """Erase children not seen for longer than `inactive_for`; returns how many."""
        cutoff = (self._today() - inactive_for).isoformat()
        with self.db.atomic():
            gone = [
                row[0]
                for row in self.db.execute(
                    "SELECT key FROM children WHERE seen_on < ?", [cutoff]
                ).fetchall()
            ]
            self.db.execute("DELETE FROM children WHERE seen_on < ?", [cutoff])
            for key in gone:
                self.db.execute("DELETE FROM chat_messages WHERE child = ?", [key])
        self.checkpoint()
        return len(gone)

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database so erased rows leave no copy there."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def children_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM children").fetchone()[0])

    def today(self) -> date:
        return self._today()

    def backup(self, destination: Path) -> None:
        """A consistent copy of the live database (SQLite's online backup API)."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(destination)
        try:
            self.db.conn.backup(target)
        finally:
            target.close()
        destination.chmod(0o600)

    def remember_message(self, key: str, message_id: int, sent_at: datetime) -> None:
        """Note a message of the child's chat, so quick exit can delete it later."""
        self.db.execute(
            "INSERT OR IGNORE INTO chat_messages (child, message_id, sent_at) VALUES (?, ?, ?)",
            [key, message_id, int(sent_at.timestamp())],
        )

    def chat_messages(self, key: str, newer_than: datetime) -> list[int]:
        rows = self.db.execute(
            "SELECT message_id FROM chat_messages WHERE child = ? AND sent_at > ? "
            "ORDER BY message_id",
            [key, int(newer_than.timestamp())],
        ).fetchall()
        return [row[0] for row in rows]

    def drop_chat_messages(self, key: str, older_than: datetime | None = None) -> None:
        if older_than is None:
            self.db.execute("DELETE FROM chat_messages WHERE child = ?", [key])
        else:
            self.db.execute(
                "DELETE FROM chat_messages WHERE sent_at <= ?", [int(older_than.timestamp())]
            )

    def begin_update(self, update_id: int, key: str | None) -> bool:
        """Start handling an update; False when it was fully handled before.

        If an earlier attempt was cut off (the process died), the child is put back where
        they were before it, so the update is handled as if for the first time.
        """
        row = self.db.execute(
            "SELECT done, before FROM update_journal WHERE update_id = ?", [update_id]
        ).fetchone()
        if row is not None and row[0]:
            return False
        if row is not None and key is not None:
            self._restore(key, row[1])
            return True
        before = self._snapshot(key) if key else ""
        self.db.execute(
            "INSERT OR REPLACE INTO update_journal (update_id, child, done, day, before) "
            "VALUES (?, ?, 0, ?, ?)",
            [update_id, key or "", self._today().isoformat(), before],
        )
        return True

    def finish_update(self, update_id: int) -> None:
        self.db.execute(
            "UPDATE update_journal SET done = 1, before = '', child = '' WHERE update_id = ?",
            [update_id],
        )

    def _snapshot(self, key: str) -> str:
        child = self.child(key)
        if child.position is None and child.locale is None and child.country is None:
            return ""
        p = child.position
        parts = [
            child.locale or "",
            "-" if child.country is None else child.country,
            p.dialog if p else "",
            p.step if p else "",
            str(p.turn if p else 0),
        ]
        return "|".join(parts)

    def _restore(self, key: str, snapshot: str) -> None:
        if not snapshot:
            self.db.execute("DELETE FROM children WHERE key = ?", [key])
            return
        locale, country, dialog, step, turn = snapshot.split("|")
        child = self.child(key)
        child.locale = locale or None
        child.country = None if country == "-" else country
        child.position = Position(dialog, step, int(turn)) if dialog else None
        self.save(child)

    def forget_updates(self, before: date) -> None:
        self.db.execute("DELETE FROM update_journal WHERE day < ?", [before.isoformat()])
