"""Bot API calls with Telegram's rules for trying again: 429 waits as told, 5xx and time-outs
back off, 403 means the child has left."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

log = logging.getLogger("safebot.telegram")
T = TypeVar("T")
MAX_ATTEMPTS = 6


class ChildGone(Exception):
    """The child blocked the bot or deleted the chat: stop sending to them."""


def seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Calls:
    """Bot API calls with Telegram's rules for trying again."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.retry_pause = 0.5  # first wait after a 5xx or a time-out; doubles each time

    async def __call__(self, call: Callable[[], Awaitable[T]]) -> T:
        """429: wait as told and try again; 5xx and time-outs: back off; 403: the child left."""
        pause = self.retry_pause
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await call()
            except RetryAfter as error:
                await asyncio.sleep(seconds(error.retry_after))
            except Forbidden as error:
                raise ChildGone() from error
            except BadRequest:
                raise
            except (TimedOut, NetworkError):
                if attempt == MAX_ATTEMPTS:
                    raise
                log.warning("Telegram did not answer (attempt %d); retrying", attempt)
                await asyncio.sleep(pause)
                pause *= 2
        return await call()
