"""The store: positions survive restarts in a real SQLite file; nothing identifies a child."""

import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.engine import Count, Position
from bot.store import Store

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
    child.position, child.locale, child.country = Position("example", "meet_mo", 3), "es", "KE"
    store.save(child)
    store.close()
    again = Store(tmp_path)
    restored = again.child(again.child_key("telegram", USER_ID))
    assert (restored.position, restored.locale, restored.country) == (
        Position("example", "meet_mo", 3),
        "es",
        "KE",
    )


def test_the_database_file_holds_no_user_id(tmp_path: Path) -> None:
    store = Store(tmp_path)
    child = store.child(store.child_key("telegram", USER_ID))
    child.position = Position("example", "done", 9)
    store.save(child)
    store.count([Count("lesson_started", "example")], language="en", country="KE")
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("safebot"))
    assert str(USER_ID).encode() not in raw
    assert USER_ID.to_bytes(4, "big") not in raw and USER_ID.to_bytes(4, "little") not in raw


def test_forget_leaves_nothing_behind(tmp_path: Path) -> None:
    store = Store(tmp_path)
    key = store.child_key("telegram", USER_ID)
    child = store.child(key)
    child.position = Position("example", "meet_mo", 3)
    store.save(child)
    store.remember_message(key, 41, datetime.now(UTC))
    store.forget(key)
    assert store.child(key).position is None
    assert store.chat_messages(key, datetime.now(UTC) - timedelta(days=2)) == []
    raw = (tmp_path / "safebot.db").read_bytes() + (tmp_path / "safebot.db-wal").read_bytes()
    assert key.encode() not in raw


def test_purge_erases_only_children_inactive_for_too_long(tmp_path: Path) -> None:
    today = [date(2026, 1, 1)]
    store = Store(tmp_path, today=lambda: today[0])
    old, recent = store.child_key("telegram", 1), store.child_key("telegram", 2)
    store.save(store.child(old))
    today[0] = date(2026, 2, 15)
    store.save(store.child(recent))
    assert store.purge(timedelta(days=30)) == 1
    assert store.children_count() == 1


def test_tallies_count_by_day_lesson_language_and_country(tmp_path: Path) -> None:
    store = Store(tmp_path, today=lambda: date(2026, 11, 24))
    for _ in range(3):
        store.count(
            [Count("check_answer", "example", "trusted_adult", "after", True)],
            language="es",
            country="KE",
        )
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
    assert store.begin_update(100, key) is True
    store.finish_update(100)
    assert store.begin_update(100, key) is False


def test_an_update_cut_off_by_a_crash_starts_again_from_before(tmp_path: Path) -> None:
    store = Store(tmp_path)
    key = store.child_key("telegram", USER_ID)
    child = store.child(key)
    child.position = Position("example", "meet_mo", 2)
    store.save(child)
    assert store.begin_update(7, key)
    child.position = Position("example", "new_follower", 3)  # moved, then the process died
    store.save(child)
    store.close()
    again = Store(tmp_path)
    assert again.begin_update(7, key) is True
    assert again.child(key).position == Position("example", "meet_mo", 2)
