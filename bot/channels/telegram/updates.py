"""The Telegram update loop: polling or a webhook, offsets, and Telegram's retries.

Updates are fetched by our own loop over `getUpdates` and confirmed to Telegram only
after they are handled, so a message in flight when the process dies is answered after
restart (PTB's `Updater` would confirm a batch as soon as it is fetched). Each update is
read on its own: one the library cannot read is skipped and counted, never logged, and
its batch-mates are answered. Each chat's updates are handled in order, one at a time;
different chats side by side.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import logging
import os
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

# opt in to PTB's coming timedelta durations now (and avoid its deprecation warnings)
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ApplicationBuilder

from bot.channels.telegram.calls import seconds
from bot.channels.telegram.chat import TelegramChat
from bot.channels.telegram.connections import Connections
from bot.channels.telegram.waiting import Waiting, chat_of
from bot.content.catalogs import TWO_LETTER, Catalogs
from bot.core.datafolder import StoreUnavailable
from bot.render.system import command_menu, description

log = logging.getLogger("safebot.telegram")

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
LARGEST_UPDATE_ID = 2**52  # Telegram's ids fit 52 bits; anything else is not an update


def telegram_language(locale: str) -> str:
    """The language_code Telegram uses for one of our locales ('pt_BR' -> 'pt')."""
    code = locale.split("_")[0]
    return TWO_LETTER.get(code, code)


class _ChatLocks:
    """One lock per chat while it has updates in hand, forgotten once nobody waits."""

    def __init__(self) -> None:
        self.locks: dict[int, tuple[asyncio.Lock, int]] = {}

    def hold(self, chat_id: int) -> _Held:
        lock, users = self.locks.get(chat_id, (asyncio.Lock(), 0))
        self.locks[chat_id] = (lock, users + 1)
        return _Held(self, chat_id, lock)

    def release(self, chat_id: int) -> None:
        lock, users = self.locks[chat_id]
        if users <= 1:
            del self.locks[chat_id]
        else:
            self.locks[chat_id] = (lock, users - 1)


class _Held:
    def __init__(self, locks: _ChatLocks, chat_id: int, lock: asyncio.Lock) -> None:
        self.owner, self.chat_id, self.lock = locks, chat_id, lock

    async def __aenter__(self) -> None:
        await self.lock.acquire()

    async def __aexit__(self, *_exc: object) -> None:
        self.lock.release()
        self.owner.release(self.chat_id)


class TelegramLoop:
    """Fetches updates and hands each chat's to the chat adapter, in order."""

    def __init__(
        self,
        chat: TelegramChat,
        application: Application[Any, Any, Any, Any, Any, Any],
        catalogs: Catalogs,
    ) -> None:
        self.chat = chat
        self.app = application
        self.bot = application.bot
        self.catalogs = catalogs
        self.stopping = asyncio.Event()
        self.poll_timeout = 25
        self.retry_pause = 0.5  # first wait after a failed getUpdates
        self.locks = _ChatLocks()
        # updates being handled, by id: a chat told to wait (429) or a slow reply goes on
        # in the background after `batch_wait` seconds, so other children are not held up
        self.in_hand: dict[int, asyncio.Future[None]] = {}
        self.handled: set[int] = set()  # handled, but above one in hand: not confirmed yet
        self.batch_wait = 1.0
        self.unreadable = 0  # updates skipped because the library could not read them
        self.waiting = Waiting()  # updates the database could not keep: tried again

    # -- polling ---------------------------------------------------------------------

    async def run(self) -> None:
        """Poll until `stop()`; confirm each batch only once it is handled."""
        await self.app.initialize()
        try:
            await self.chat.call(lambda: self.bot.delete_webhook(drop_pending_updates=False))
            await self.register_commands()
            offset: int | None = None
            while not self.stopping.is_set():
                if self.waiting:  # the database failed: wait, then try those again first
                    await self._sleep(self.waiting.pause)
                    await self.handle_batch([], wait_at_most=self.batch_wait)
                try:
                    batch = await self._fetch(offset, wait=not self.waiting)
                except InvalidToken:
                    raise
                except RetryAfter as error:
                    await self._sleep(seconds(error.retry_after))
                    continue
                except (NetworkError, TimedOut):
                    log.warning("getUpdates failed; trying again")
                    await self._sleep(self.retry_pause)
                    continue
                if batch is None:
                    continue
                updates, last_id = batch
                seen = self.in_hand.keys() | self.handled | self.waiting.ids()
                fresh = [u for u in updates if u.update_id not in seen]
                await self.handle_batch(fresh, wait_at_most=self.batch_wait)
                offset = self._confirmable(last_id + 1)
            if self.in_hand:
                await asyncio.wait(set(self.in_hand.values()), timeout=10)
            if offset is not None:
                # confirm what was handled before going, so it is not handled twice
                offset = self._confirmable(offset)
                await self.bot.get_updates(offset=offset, timeout=timedelta(0), limit=1)
        finally:
            await self.app.shutdown()

    def stop(self) -> None:
        self.stopping.set()

    async def _fetch(
        self, offset: int | None, *, wait: bool = True
    ) -> tuple[list[Update], int] | None:
        """One long poll (or a quick look, without `wait`), read update by update; None
        when there was nothing, or the bot is asked to stop (updates not confirmed come
        again next time)."""
        arguments: dict[str, Any] = {
            "timeout": self.poll_timeout if wait else 0,
            "allowed_updates": ALLOWED_UPDATES,
        }
        if offset is not None:
            arguments["offset"] = offset
        fetch = asyncio.ensure_future(
            # raw, so that each update is read on its own; Bot API method names are
            # case-insensitive, and this spelling is not one of PTB's own methods
            self.bot.do_api_request(
                "getupdates",
                api_kwargs=arguments,
                read_timeout=self.poll_timeout + 10,
            )
        )
        stop = asyncio.ensure_future(self.stopping.wait())
        await asyncio.wait({fetch, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if not fetch.done():
            fetch.cancel()
            await asyncio.gather(fetch, return_exceptions=True)
            return None
        raw = fetch.result()
        if not isinstance(raw, list) or not raw:
            return None
        updates, last_id = [], -1
        for data in raw:
            update_id = data.get("update_id") if isinstance(data, dict) else None
            if isinstance(update_id, int) and _is_update_id(update_id):
                last_id = max(last_id, update_id)
            update = self.read(data)
            if update is not None:
                updates.append(update)
        return (updates, last_id) if last_id >= 0 else None

    def read(self, data: object) -> Update | None:
        """One update as the library reads it, or None (counted, never logged: it may hold a
        child's id, name and words)."""
        try:
            readable = isinstance(data, dict) and _is_update_id(data.get("update_id"))
            update = Update.de_json(data, self.bot) if isinstance(data, dict) and readable else None
        except Exception:
            update = None
        if update is None:
            self.unreadable += 1
            log.warning("an update could not be read and was skipped (%d so far)", self.unreadable)
        return update

    # -- webhook ---------------------------------------------------------------------

    async def serve_webhook(self, url: str, listen: str, port: int, secret: str) -> None:
        """Webhook mode: Telegram posts updates to us; each is answered 200 once handled,
        so Telegram sends it again if we die first. Pending updates are kept on start."""
        from aiohttp import web

        expected = secret.encode()

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            given_bytes = given.encode("utf-8", "surrogateescape")
            if not secret or not hmac.compare_digest(given_bytes, expected):
                return web.Response(status=403, text="forbidden")
            try:
                data = await request.json(loads=json.loads)
            except (ValueError, UnicodeDecodeError):
                return web.Response(status=400, text="not JSON")
            update = self.read(data)
            if update is None:
                return web.Response(status=400, text="not an update")
            await self._handle_in_order([update])  # answered 200 once handled
            if self.waiting.take(update.update_id):
                # not kept: Telegram sends it again later (the child was told to try again)
                return web.Response(status=503, text="the database is not available")
            return web.Response(text="ok")

        async def health(_request: web.Request) -> web.Response:
            return web.json_response({"status": "ok"})

        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(urlsplit(url).path or "/", receive)
        app.router.add_get("/health", health)
        runner = web.AppRunner(app, shutdown_timeout=30)
        await self.app.initialize()
        await runner.setup()
        site = web.TCPSite(runner, listen, port)
        await site.start()
        try:
            await self.register_commands()
            await self.chat.call(
                lambda: self.bot.set_webhook(
                    url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                    drop_pending_updates=False,
                )
            )  # fmt: skip
            log.info("webhook listening on %s:%d", listen, port)
            await self.stopping.wait()
        finally:
            # stop taking requests; updates already in hand are finished first
            await runner.cleanup()
            await self.app.shutdown()

    async def _sleep(self, wait: float) -> None:
        try:
            await asyncio.wait_for(self.stopping.wait(), timeout=wait)
        except TimeoutError:
            pass

    async def register_commands(self) -> None:
        """The command menu and the bot's descriptions, for every language (Telegram shows
        the child's)."""
        for locale in self.catalogs.locales:
            t = self.catalogs.get(locale)
            menu = [{"command": name, "description": text} for name, text in command_menu(t)]
            code = {} if locale == "en" else {"language_code": telegram_language(locale)}
            long, short = description(t)
            await self.chat.api("setmycommands", commands=menu, **code)
            await self.chat.api("setmydescription", description=long, **code)
            await self.chat.api("setmyshortdescription", short_description=short, **code)

    # -- handing updates out, in order per chat ----------------------------------------

    async def handle_batch(
        self, updates: Sequence[Update], *, wait_at_most: float | None = None
    ) -> None:
        """Each child's updates in order, one at a time; different children side by side.

        With `wait_at_most`, return after that many seconds even if some child's updates
        are still being handled (they stay in `in_hand` until done); with nothing new,
        wait that long for one of them to finish, so the loop does not spin."""
        by_chat: dict[int, list[Update]] = defaultdict(list)
        for update in updates:
            by_chat[chat_of(update)].append(update)
        for chat_id in list(by_chat) if updates else self.waiting.chats():
            # a chat's updates that wait for the database go first, in order
            by_chat[chat_id] = self.waiting.take_chat(chat_id) + by_chat[chat_id]
        tasks: list[asyncio.Future[None]] = []
        for batch in by_chat.values():
            task = asyncio.ensure_future(self._handle_in_order(batch))
            for update in batch:
                self.in_hand[update.update_id] = task
            task.add_done_callback(functools.partial(self._done, batch))
            tasks.append(task)
        waiting = tasks or list(self.in_hand.values())
        if waiting:
            when = asyncio.ALL_COMPLETED if tasks else asyncio.FIRST_COMPLETED
            await asyncio.wait(set(waiting), timeout=wait_at_most, return_when=when)

    def _done(self, updates: list[Update], _task: object) -> None:
        for update in updates:
            self.in_hand.pop(update.update_id, None)
            if update.update_id not in self.waiting:
                self.handled.add(update.update_id)

    def _confirmable(self, after_last: int) -> int:
        """The offset to send: up to the first update still in hand or waiting for the
        database (it comes again after a crash, and is skipped meanwhile); those handled
        above it are skipped too."""
        offset = min(self.in_hand.keys() | self.waiting.ids(), default=after_last)
        self.handled = {i for i in self.handled if i >= offset}
        return offset

    async def _handle_in_order(self, updates: list[Update]) -> None:
        """One chat's updates in order. Once the database fails on one, it and those after
        it wait (their children helped from nothing kept, or told to try again)."""
        async with self.locks.hold(chat_of(updates[0])):  # webhook deliveries may overlap
            for n, update in enumerate(updates):
                try:
                    await self.chat.handle(update, first_try=self.waiting.first_try(update))
                    self.waiting.kept(update)
                except StoreUnavailable as error:
                    self.waiting.add(update, str(error))
                    for later in updates[n + 1 :]:
                        await self._unkept(later)
                    return
                except Exception:  # one bad update must never stop the bot
                    log.exception("an update could not be handled (type %s)", _kind(update))

    async def _unkept(self, update: Update) -> None:
        """Behind one that waits: help from nothing kept now, or wait too."""
        try:
            if not self.waiting.first_try(update) or await self.chat.unkept(update):
                self.waiting.add(update, None)
        except Exception:
            log.exception("an update could not be handled (type %s)", _kind(update))


def _is_update_id(value: object) -> bool:
    return type(value) is int and 0 <= value < LARGEST_UPDATE_ID


def _kind(update: Update) -> str:
    for kind in ("message", "callback_query", "my_chat_member", "edited_message"):
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


POOL = 8  # connections for the bot's calls, and calls at once (getUpdates has its own)


def build_application(token: str, api_url: str | None) -> Application[Any, Any, Any, Any, Any, Any]:
    """A PTB Application without PTB's Updater: our loop fetches and confirms updates."""
    builder = ApplicationBuilder().token(token).updater(None)
    if api_url:
        builder = builder.base_url(api_url)
    # no global defaults: a default parse_mode is sent with calls that have no such
    # parameter (editMessageReplyMarkup); each call says what it needs
    builder = builder.get_updates_read_timeout(35)
    # Children are answered concurrently, over POOL shared connections (PTB opens up to
    # 256, and httpx looks over every one, and every call waiting, on each call);
    # Telegram allows about 30 messages a second, which 8 carry even at 250 ms a call.
    # A call waits up to 10 s for a free one instead of PTB's 1 s.
    builder = builder.request(Connections(POOL, 10, read_timeout=10, connect_timeout=5))
    return builder.build()
