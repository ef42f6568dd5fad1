"""The database schema, one migration at a time (sqlite-utils `Migrations`)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Migrations

migrations = Migrations("safebot")


@migrations()
def create_children(db: Any) -> None:
    """A child: keyed hash, settings, position. No id, no name, no texts."""
    db["children"].create(
        {
            "key": str,
            "locale": str,
            "country": str,
            "dialog": str,
            "step": str,
            "turn": int,
            "exit_hint_shown": int,
            "seen_on": str,
        },
        pk="key",
        not_null={"turn", "exit_hint_shown", "seen_on"},
        defaults={"turn": 0, "exit_hint_shown": 0},
    )
    db["children"].create_index(["seen_on"])


@migrations()
def create_tallies(db: Any) -> None:
    """Anonymous counts by day, lesson, language and country."""
    db["tallies"].create(
        {
            "day": str,
            "name": str,
            "dialog": str,
            "language": str,
            "country": str,
            "question": str,
            "phase": str,
            "outcome": str,
            "value": int,
        },
        pk=("day", "name", "dialog", "language", "country", "question", "phase", "outcome"),
        not_null={"value"},
    )


@migrations()
def create_chat_messages(db: Any) -> None:
    """Message ids of a child's chat (never their content), for quick exit; kept 48 h."""
    db["chat_messages"].create(
        {"child": str, "message_id": int, "sent_at": int}, pk=("child", "message_id")
    )
    db["chat_messages"].create_index(["sent_at"])


@migrations()
def create_update_journal(db: Any) -> None:
    """Updates being or already handled: a repeat is handled once, and an update cut off
    by a crash is handled again from the child's position before it (never the text)."""
    db["update_journal"].create(
        {"update_id": int, "child": str, "done": int, "day": str, "before": str},
        pk="update_id",
        not_null={"done", "day"},
        defaults={"done": 0},
    )


@migrations()
def add_age_band(db: Any) -> None:
    """The age band a child chose (10-12 or 13-17): the band only, never an age."""
    db["children"].add_column("band", str)


@migrations()
def add_questions(db: Any) -> None:
    """The question the bot waits for (language, country, band, forget) and what follows."""
    db["children"].add_column("asking", str)
    db["children"].add_column("after_answer", str)


@migrations()
def journal_with_states(db: Any) -> None:
    """The journal keeps the child as the children table does (one format), whether the
    update's changes are committed ('handled') and whether its replies went out ('done')."""
    db["update_journal"].drop()
    db["update_journal"].create(
        {"update_id": int, "child": str, "state": str, "day": str, "before": str},
        pk="update_id",
        not_null={"state", "day"},
    )
    db["update_journal"].create_index(["child"])
    db["update_journal"].create_index(["day"])
