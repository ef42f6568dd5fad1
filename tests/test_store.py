"""The store: positions survive restarts in a real SQLite file; nothing identifies a child."""

import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.core.engine import Count, Position
from bot.core.store import Store

USER_ID = 987654321


def test_the_secret_is_created_once_and_private(tmp_path: Path) -> None:
    first = Store(tmp_path)
    key = first.child_key("telegram", USER_ID)
    first.close()
    mode = stat.S_IMODE(os.stat(tmp_path / "instance.secret").st_mode)
    assert mode == 0o600
    assert Store(tmp_path).child_key("telegram", USER_ID) == key


def test_a_position_survives_a_new_process(tmp_path: Path) -> None:
    store = Store(tmp_path)
    child = store.child(store.child_key("telegram", USER_ID))
    child.position, child.turn, child.locale, child.country = (
        Position("example", "meet_mo"), 3, "es", "KE"
    )  # fmt: skip
    child.band, child.asking, child.after_answer = "13-17", "country", "menu"
    store.commit(child, ())
    store.close()
    again = Store(tmp_path)
    restored = again.child(again.child_key("telegram", USER_ID))
    assert restored == child


def test_the_database_file_holds_no_user_id(tmp_path: Path) -> None:
    store = Store(tmp_path)
    child = store.child(store.child_key("telegram", USER_ID))
    child.position, child.turn, child.locale, child.country = (
        Position("example", "done"), 9, "en", "KE"
    )  # fmt: skip
    store.commit(child, [Count("lesson_started", "example")], update_id=5)
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("safebot"))
    assert str(USER_ID).encode() not in raw
    assert USER_ID.to_bytes(4, "big") not in raw and USER_ID.to_bytes(4, "little") not in raw


def test_forget_leaves_nothing_behind(tmp_path: Path) -> None:
    store = Store(tmp_path)
    key = store.child_key("telegram", USER_ID)
    child = store.child(key)
    child.position = Position("example", "meet_mo")
    store.commit(child, (), update_id=3, seen=[(41, datetime.now(UTC))])
    store.forget(key)
    assert store.child(key).position is None
    assert store.chat_messages(key, datetime.now(UTC) - timedelta(days=2)) == []
    raw = (tmp_path / "safebot.db").read_bytes() + (tmp_path / "safebot.db-wal").read_bytes()
    assert key.encode() not in raw


def test_purge_erases_only_children_inactive_for_too_long(tmp_path: Path) -> None:
    today = [date(2026, 1, 1)]
    store = Store(tmp_path, today=lambda: today[0])
    old, recent = store.child_key("telegram", 1), store.child_key("telegram", 2)
    store.commit(store.child(old), ())
    today[0] = date(2026, 2, 15)
    store.commit(store.child(recent), ())
    assert store.tidy(timedelta(days=30), datetime(2026, 2, 15, tzinfo=UTC)) == 1
    assert store.children_count() == 1


def test_tallies_count_by_day_lesson_language_and_country(tmp_path: Path) -> None:
    store = Store(tmp_path, today=lambda: date(2026, 11, 24))
    child = store.child("k")
    child.locale, child.country = "es", "KE"
    for _ in range(3):
        store.commit(child, [Count("check_answer", "example", "trusted_adult", "after", True)])
    rows = store.tallies()
    assert rows == [
        {
            "day": "2026-11-24",
            "name": "check_answer",
            "dialog": "example",
            "language": "es",
            "country": "KE",
            "question": "trusted_adult",
            "phase": "after",
            "outcome": "correct",
            "value": 3,
        }
    ]


def test_a_repeated_update_is_handled_once(tmp_path: Path) -> None:
    store = Store(tmp_path)
    key = store.child_key("telegram", USER_ID)
    assert store.journal(100) is None
    store.commit(store.child(key), (), update_id=100)
    store.delivered([100], key)
    journal = store.journal(100)
    assert journal is not None and journal.state == "done"


def test_an_update_cut_off_by_a_crash_starts_again_from_before(tmp_path: Path) -> None:
    store = Store(tmp_path)
    key = store.child_key("telegram", USER_ID)
    child = store.child(key)
    child.position = Position("example", "meet_mo")
    store.commit(child, ())
    before = store.child(key)
    child.position = Position("example", "new_follower")  # moved, then the process died
    store.commit(child, (), before=before, update_id=7)
    store.close()
    again = Store(tmp_path)
    journal = again.journal(7)
    assert journal is not None and journal.state == "handled"
    assert journal.before is not None
    assert journal.before.position == Position("example", "meet_mo")
