"""The bot's connections to Telegram: a few, shared, and no call kept waiting inside httpx."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.error import TimedOut
from telegram.request import HTTPXRequest


class Connections(HTTPXRequest):
    """PTB's HTTPX requests, at most `size` at once; the others wait here, in turn.

    httpcore looks over every waiting call and every open connection each time a call
    starts or ends, so calls queued inside it cost more the more children are answered at
    once (with 60 children tapping, about a fifth of the bot's CPU). Waiting here costs
    nothing, and a call that finds no free connection within `wait` seconds fails as a
    time-out, which the caller tries again.
    """

    def __init__(
        self, size: int, wait: float, *, read_timeout: float, connect_timeout: float
    ) -> None:
        super().__init__(
            connection_pool_size=size,
            pool_timeout=wait,
            read_timeout=read_timeout,
            connect_timeout=connect_timeout,
        )
        self.free = asyncio.Semaphore(size)
        self.wait = wait

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            async with asyncio.timeout(self.wait):
                await self.free.acquire()
        except TimeoutError as error:
            raise TimedOut("no free connection to Telegram") from error
        try:
            return await super().do_request(*args, **kwargs)
        finally:
            self.free.release()
