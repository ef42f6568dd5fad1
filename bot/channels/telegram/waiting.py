"""Updates the database could not keep (a full disk, a damaged or locked file): kept in
memory, unconfirmed to Telegram, and tried again with a growing pause until it works.

The operator reads one line when it starts and one when it is over; each child is told to
try again once, on the update's first try, never at every retry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram import Update

log = logging.getLogger("safebot.telegram")

FIRST_PAUSE = 1.0  # seconds before the first retry
LONGEST_PAUSE = 30.0
MAX_TOLD = 10_000  # ids of updates whose child was already told: bounded


class Waiting:
    """What waits for the database, by update id, and the outage it belongs to."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.updates: dict[int, Update] = {}
        self.told: set[int] = set()  # tried once: the child has been told
        self.trying: set[int] = set()  # taken out to be tried again, not done yet
        self.since: float | None = None  # when the outage began
        self.answered_late = 0
        self.clock = clock

    def __bool__(self) -> bool:
        return bool(self.updates)

    def __contains__(self, update_id: int) -> bool:
        return update_id in self.updates

    def ids(self) -> set[int]:
        return set(self.updates)

    def chats(self) -> list[int]:
        return sorted({chat_of(u) for u in self.updates.values()})

    @property
    def pause(self) -> float:
        """Longer the longer it lasts: a second at first, then half the time it has lasted."""
        if self.since is None:
            return FIRST_PAUSE
        return min(max(FIRST_PAUSE, (self.clock() - self.since) / 2), LONGEST_PAUSE)

    def first_try(self, update: Update) -> bool:
        return update.update_id not in self.told

    def add(self, update: Update, reason: str | None) -> None:
        """It could not be kept (or waits behind one that could not)."""
        self.updates[update.update_id] = update
        self.trying.discard(update.update_id)
        if len(self.told) >= MAX_TOLD:
            self.told.clear()
        self.told.add(update.update_id)
        if self.since is None:
            self.since = self.clock()
            self.answered_late = 0
            log.error(
                "%s. Updates wait unconfirmed and are tried again until it works; "
                "children are told to try again in a moment. Run 'safebot doctor'.",
                reason or "the database could not be written",
            )

    def take_chat(self, chat_id: int) -> list[Update]:
        """A chat's waiting updates, in order, taken out to be tried again."""
        taken = sorted(
            (u for u in self.updates.values() if chat_of(u) == chat_id),
            key=lambda u: u.update_id,
        )
        for update in taken:
            del self.updates[update.update_id]
            self.trying.add(update.update_id)
        return taken

    def take(self, update_id: int) -> bool:
        """Taken out (the webhook answers it with an error, and Telegram sends it again)."""
        return self.updates.pop(update_id, None) is not None

    def kept(self, update: Update) -> None:
        """It was handled and kept: if it was the last one waiting, the outage is over."""
        self.trying.discard(update.update_id)
        if update.update_id in self.told:
            self.told.discard(update.update_id)
            self.answered_late += 1
        if self.since is not None and not self.updates and not self.trying:
            log.warning(
                "the database works again after %.0f seconds; %d updates that waited were answered",
                self.clock() - self.since,
                self.answered_late,
            )
            self.since = None


def chat_of(update: Update) -> int:
    chat = update.effective_chat
    return chat.id if chat else 0
