"""Storage in SQLite through sqlite-utils: children's settings and place, message ids for
quick exit, the update journal, anonymous tallies.

Nothing here identifies a child: a child is a keyed hash (HMAC-SHA256) of the channel
and the channel's user id, made with a secret that never leaves the data folder.
No names, no ids, no message texts are written.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from bot.content.model import BANDS, Band
from bot.core.datafolder import DATABASE_FILE, StoreUnavailable, connect, prepare
from bot.core.engine import Count, Position
from bot.core.migrations import migrations
from bot.core.presses import QUESTIONS, Question

F = TypeVar("F", bound=Callable[..., Any])
COLUMNS = (
    "locale", "country", "band", "dialog", "step", "turn", "asking", "after_answer",
    "exit_hint_shown",
)  # fmt: skip

_READ_CHILD = f"SELECT {', '.join(COLUMNS)} FROM children WHERE key = ?"  # noqa: S608


@dataclass
class Child:
    """What is kept about one child: settings and place, nothing else."""

    key: str
    locale: str | None = None
    country: str | None = None  # ISO code; "" when the child preferred not to say
    band: Band | None = None  # 10-12 or 13-17, as the child said; never an age
    position: Position | None = None
    turn: int = 0  # bumped each time the child is shown buttons that answer something
    asking: Question | None = None  # the question the bot waits for an answer to
    after_answer: str | None = None  # what follows the answer: "menu", "back", "welcome"
    exit_hint_shown: bool = False

    @property
    def country_known(self) -> bool:
        return self.country is not None

    def row(self) -> dict[str, Any]:
        """The child as the children table and the journal keep it: one format."""
        p = self.position
        return {
            "locale": self.locale,
            "country": self.country,
            "band": self.band,
            "dialog": p.dialog if p else None,
            "step": p.step if p else None,
            "turn": self.turn,
            "asking": self.asking,
            "after_answer": self.after_answer,
            "exit_hint_shown": int(self.exit_hint_shown),
        }

    @classmethod
    def from_row(cls, key: str, row: dict[str, Any]) -> Child:
        dialog, step = row.get("dialog"), row.get("step")
        return cls(
            key,
            locale=row.get("locale"),
            country=row.get("country"),
            band=row["band"] if row.get("band") in BANDS else None,
            position=Position(dialog, step) if dialog and step else None,
            turn=int(row.get("turn") or 0),
            asking=row["asking"] if row.get("asking") in QUESTIONS else None,
            after_answer=row.get("after_answer"),
            exit_hint_shown=bool(row.get("exit_hint_shown")),
        )


@dataclass(frozen=True)
class Journal:
    """What the journal knows of an update seen before."""

    state: str  # "handled": its changes are committed; "done": its replies went out too
    before: Child | None  # the child as they were before it, to handle it again
    forgotten_locale: str | None = None  # it erased the child: their language, for the reply


def _guarded(action: str) -> Callable[[F], F]:
    """A database error while reading or writing is StoreUnavailable: the turn is not kept
    (its transaction rolled back), and the channel tries it again later."""

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except sqlite3.Error as error:
                raise StoreUnavailable(f"the database could not be {action}: {error}") from error

        return guarded  # type: ignore[return-value]

    return wrap


class Store:
    """One SQLite file per instance; every write is one short transaction."""

    def __init__(
        self,
        data_dir: Path,
        *,
        today: Callable[[], date] | None = None,
        create: bool = True,
    ) -> None:
        """Open the instance's data; `create=False` refuses a folder with no database yet
        (a report or a backup run in the wrong folder must not make a new, empty one)."""
        self.secret = prepare(data_dir, create=create)
        self.path = data_dir / DATABASE_FILE
        self.db = Database(connect(self.path))
        # deleted rows are overwritten, so /forget leaves nothing readable behind
        self.db.execute("PRAGMA secure_delete = ON")
        if self.db.journal_mode != "wal":
            self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA busy_timeout = 5000")
        migrations.apply(self.db)
        self._today: Callable[[], date] = today or (lambda: datetime.now(UTC).date())

    def close(self) -> None:
        self.db.close()

    def today(self) -> date:
        return self._today()

    def child_key(self, channel: str, user_id: str | int) -> str:
        message = f"{channel}:{user_id}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    # -- a child's turn --------------------------------------------------------------

    @_guarded("read")
    def child(self, key: str) -> Child:
        """The stored child, or a new one (not saved until `commit`)."""
        found = self.db.execute(_READ_CHILD, [key]).fetchone()
        if found is None:
            return Child(key)
        return Child.from_row(key, dict(zip(COLUMNS, found, strict=True)))

    @_guarded("read")
    def journal(self, update_id: int) -> Journal | None:
        """What happened to an update before, if it was seen."""
        found = self.db.execute(
            "SELECT state, child, before FROM update_journal WHERE update_id = ?", [update_id]
        ).fetchone()
        if found is None:
            return None
        state, key, before = found
        if state == "done" or not before:
            return Journal(state, None)
        saved = json.loads(before)
        if saved.get("forgotten"):
            return Journal(state, None, forgotten_locale=saved.get("locale") or "en")
        return Journal(state, Child.from_row(key, saved))

    @_guarded("written")
    def commit(
        self,
        child: Child,
        counts: Iterable[Count],
        *,
        before: Child | None = None,
        update_id: int | None = None,
        seen: Sequence[tuple[int, datetime]] = (),
        forgotten: bool = False,
    ) -> None:
        """One transaction for everything a turn changes: the child (or their erasure), the
        day's tallies, the message ids seen, and the journal entry saying it is handled."""
        with self.db.atomic():
            if forgotten:
                self._erase(child.key)
            else:
                self._save(child)
                for message_id, sent_at in seen:
                    self._remember(child.key, message_id, sent_at)
            for count in counts:
                self._count(count, child)
            if update_id is not None:
                if forgotten:  # nothing keyed to the child, only the language of the reply
                    snapshot, key = {"forgotten": True, "locale": child.locale}, ""
                else:
                    snapshot, key = (before or Child(child.key)).row(), child.key
                self.db.execute(
                    "INSERT OR REPLACE INTO update_journal (update_id, child, state, day, "
                    "before) VALUES (?, ?, 'handled', ?, ?)",
                    [update_id, key, self._today().isoformat(), json.dumps(snapshot)],
                )

    @_guarded("written")
    def delivered(
        self, update_ids: Iterable[int], key: str = "", sent: Sequence[tuple[int, datetime]] = ()
    ) -> None:
        """The replies went out: keep their ids for quick exit, and close the journal entries."""
        with self.db.atomic():
            for message_id, sent_at in sent:
                if key:
                    self._remember(key, message_id, sent_at)
            self.db.conn.executemany(
                "UPDATE update_journal SET state = 'done', before = '', child = '' "
                "WHERE update_id = ?",
                [[update_id] for update_id in update_ids],
            )

    def _save(self, child: Child) -> None:
        row = child.row()
        row["seen_on"] = self._today().isoformat()
        names = ", ".join(row)
        updates = ", ".join(f"{name} = excluded.{name}" for name in row)
        self.db.execute(
            f"INSERT INTO children (key, {names}) VALUES (?{', ?' * len(row)}) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET {updates}",
            [child.key, *row.values()],
        )

    def _count(self, c: Count, child: Child) -> None:
        """Add one to a tally, by day, lesson, language, country and band: never by child."""
        outcome = c.outcome or ("" if c.correct is None else ("correct" if c.correct else "other"))
        self.db.execute(
            "INSERT INTO tallies (day, name, dialog, language, country, question, phase, "
            "outcome, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET "
            "value = value + 1",
            [
                self._today().isoformat(),
                c.name,
                c.dialog,
                child.locale or "",
                child.country or "",
                c.question,
                c.phase,
                outcome,
            ],
        )

    def _remember(self, key: str, message_id: int, sent_at: datetime) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO chat_messages (child, message_id, sent_at) VALUES (?, ?, ?)",
            [key, message_id, int(sent_at.timestamp())],
        )

    def _erase(self, key: str) -> None:
        for table, column in (
            ("children", "key"),
            ("chat_messages", "child"),
            ("update_journal", "child"),
        ):
            self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", [key])  # noqa: S608

    # -- quick exit --------------------------------------------------------------------

    @_guarded("read")
    def chat_messages(self, key: str, newer_than: datetime) -> list[int]:
        rows = self.db.execute(
            "SELECT message_id FROM chat_messages WHERE child = ? AND sent_at > ? "
            "ORDER BY message_id",
            [key, int(newer_than.timestamp())],
        ).fetchall()
        return [row[0] for row in rows]

    @_guarded("written")
    def drop_chat_messages(self, key: str) -> None:
        self.db.execute("DELETE FROM chat_messages WHERE child = ?", [key])

    # -- erasing -------------------------------------------------------------------------

    @_guarded("written")
    def forget(self, key: str) -> None:
        """Erase everything kept about one child (they asked, blocked the bot or left)."""
        with self.db.atomic():
            self._erase(key)
        self.checkpoint()

    @_guarded("written")
    def tidy(self, inactive_for: timedelta, now: datetime) -> int:
        """Erase children not seen for longer than `inactive_for`, message ids past
        Telegram's 48-hour delete window, and old journal entries; returns how many children."""
        cutoff = (self._today() - inactive_for).isoformat()
        with self.db.atomic():
            gone = [
                row[0]
                for row in self.db.execute(
                    "SELECT key FROM children WHERE seen_on < ?", [cutoff]
                ).fetchall()
            ]
            for key in gone:
                self._erase(key)
            window = int((now - timedelta(hours=48)).timestamp())
            self.db.execute("DELETE FROM chat_messages WHERE sent_at <= ?", [window])
            two_days = (now.date() - timedelta(days=2)).isoformat()
            self.db.execute("DELETE FROM update_journal WHERE day < ?", [two_days])
        self.checkpoint()
        return len(gone)

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database so erased rows leave no copy there."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- reports and backups -----------------------------------------------------------

    def tallies(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM tallies ORDER BY day, name, dialog"))

    def children_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM children").fetchone()[0])

    def backup(self, destination: Path) -> None:
        """A consistent copy of the live database (SQLite's online backup API)."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(destination)
        try:
            self.db.conn.backup(target)
        finally:
            target.close()
        destination.chmod(0o600)
