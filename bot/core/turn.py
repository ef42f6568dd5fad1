"""A child's turn, the same for every channel: restore the child, let the conversation act,
word what it said, and keep the result, with the update journal, the message ids quick
exit needs, erasing and retention. Channels only turn updates into `Incoming` events and
`Delivery` replies into messages.

The journal makes a turn safe against a crash: the child, the tallies and the journal
entry are one transaction, taken before any reply goes out. An update seen again after
a crash before its replies went out is handled again from the child as they were before
it, and counted once; one whose replies went out is only acknowledged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from bot.content.model import Band
from bot.core.conversation import Conversation, Incoming
from bot.core.engine import Count
from bot.core.presses import Help, decode
from bot.core.said import Erased, GroupNotice, Said, Trouble, Turn
from bot.core.store import Child, Store

R = TypeVar("R")
SentIds = Sequence[tuple[int, datetime]]  # (message id, when): what a channel showed


class Words(Protocol[R]):
    """What puts outputs into words for a channel (bot.render.replies.Renderer)."""

    def render(
        self, said: Sequence[Said], band: Band | None = None, country: str | None = None
    ) -> list[R]: ...

    def stale(self) -> str: ...


@dataclass
class Delivery(Generic[R]):
    """What a channel does for one event: the replies, and what to do in the chat."""

    key: str
    locale: str
    replies: list[R] = field(default_factory=list)
    toast: str | None = None  # a short note on the pressed button
    clear_buttons: bool = False
    quick_exit: bool = False
    delete_incoming: bool = False
    forgotten: bool = False
    update_id: int | None = None
    repeat: bool = False  # handled and delivered before: only acknowledge it
    retry: bool = False  # nothing was kept: the channel tries the update again later
    again: bool = False  # handled before a crash: its replies go out as new messages only


class Turns(Generic[R]):
    """The one writer of a child's state."""

    def __init__(
        self,
        store: Store,
        conversation: Conversation,
        words: Mapping[str, Words[R]],
        *,
        retention_days: int,
    ) -> None:
        self.store = store
        self.conversation = conversation
        self.words = words
        self.retention = timedelta(days=retention_days)

    def key(self, channel: str, user_id: str | int) -> str:
        return self.store.child_key(channel, user_id)

    def words_for(self, locale: str | None) -> Words[R]:
        return self.words.get(locale or "en") or self.words["en"]

    def handle(
        self,
        key: str,
        incoming: Incoming,
        *,
        update_id: int | None = None,
        seen: SentIds = (),
    ) -> Delivery[R]:
        """One event of one child, kept before anything is sent."""
        journal = self.store.journal(update_id) if update_id is not None else None
        if journal is not None and journal.state == "done":
            return Delivery(key, "en", update_id=update_id, repeat=True)
        if journal is not None and journal.forgotten_locale is not None:
            # the child was erased by this update before a crash: say so again, keep nothing
            words = self.words_for(journal.forgotten_locale)
            replies = words.render([Erased()])
            return Delivery(key, journal.forgotten_locale, replies, forgotten=True,
                            update_id=update_id)  # fmt: skip
        replay = journal is not None and journal.before is not None
        before = journal.before if journal and journal.before else self.store.child(key)
        child = replace(before)
        turn = self.conversation.handle(child, incoming)
        counts = () if replay else turn.counts  # counted when it was first handled
        delivery = self._keep(child, before, turn, counts, update_id, seen)
        delivery.again = replay
        return delivery

    def play(
        self, key: str, dialog: str, *, settings: Mapping[str, Any], restart: bool = False
    ) -> Delivery[R]:
        """A reviewer's playthrough of one dialog, with the language, country and band
        given; kept like a child's progress."""
        before = self.store.child(key)
        child = replace(before, **settings)
        turn = self.conversation.play(child, dialog, restart=restart)
        return self._keep(child, before, turn, turn.counts, None, ())

    def jump(self, key: str, step: str) -> Delivery[R] | None:
        """Author and review mode: go to a step of the dialog the child is in, and show it;
        None when there is no such step there."""
        before = self.store.child(key)
        child = replace(before)
        turn = self.conversation.jump(child, step)
        if turn is None:
            return None
        return self._keep(child, before, turn, (), None, ())

    def _keep(
        self,
        child: Child,
        before: Child,
        turn: Turn,
        counts: Sequence[Count],
        update_id: int | None,
        seen: SentIds,
    ) -> Delivery[R]:
        self.store.commit(
            child, counts, before=before, update_id=update_id, seen=seen, forgotten=turn.forgotten
        )
        locale = child.locale or "en"
        words = self.words_for(locale)
        return Delivery(
            child.key,
            locale,
            words.render(turn.said, child.band, child.country),
            toast=words.stale() if turn.stale else None,
            clear_buttons=turn.clear_buttons,
            quick_exit=turn.quick_exit,
            delete_incoming=turn.delete_incoming,
            forgotten=turn.forgotten,
            update_id=update_id,
        )

    def without_store(self, key: str, incoming: Incoming) -> Delivery[R]:
        """When the database cannot be read or written: help still works, from nothing kept
        (help from anywhere, in the app's language), and so does hearing what a child types;
        anything else is asked again later (`retry`)."""
        locale = self.conversation.negotiate(incoming.language) or "en"
        words = self.words_for(locale)
        helps = (
            incoming.kind in ("text", "media")
            or (incoming.kind == "command" and incoming.name == "help")
            or (incoming.kind == "press" and isinstance(decode(incoming.arg), Help))
        )
        if not helps:
            return Delivery(key, locale, words.render([Trouble()]), retry=True)
        child = Child(key, locale=locale)
        turn = self.conversation.handle(child, incoming)
        return Delivery(
            key,
            locale,
            words.render(turn.said, None, None),
            delete_incoming=turn.delete_incoming,
            forgotten=True,  # nothing of this child is noted: there is nothing to note it in
        )

    def delivered(self, delivery: Delivery[R], sent: SentIds = ()) -> None:
        """The replies went out: their ids are kept for quick exit, the update is done."""
        ids = [delivery.update_id] if delivery.update_id is not None else []
        key = "" if delivery.forgotten else delivery.key
        if ids or (key and sent):
            self.store.delivered(ids, key, sent)

    def child(self, key: str) -> Child:
        return self.store.child(key)

    def group_notice(self, locale: str | None) -> R:
        return self.words_for(locale).render([GroupNotice()])[0]

    def erase(self, key: str) -> None:
        """The child blocked the bot or left: keep nothing about them."""
        self.store.forget(key)

    def to_clear(self, key: str, now: datetime) -> list[int]:
        """Quick exit: the chat's messages still young enough to delete."""
        return self.store.chat_messages(key, now - timedelta(hours=48))

    def cleared(self, key: str) -> None:
        self.store.drop_chat_messages(key)

    def tidy(self, now: datetime) -> int:
        """Erase children inactive past the retention period, and what has aged out."""
        return self.store.tidy(self.retention, now)
