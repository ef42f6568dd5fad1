"""The Telegram channel: the only module that imports python-telegram-bot.

Updates are fetched by our own loop over `getUpdates` and confirmed to Telegram only
after they are handled, so a message in flight when the process dies is answered after
restart. PTB's `Updater` would confirm a batch as soon as it is fetched.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import logging
import os
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

# opt in to PTB's coming timedelta durations now (and avoid its deprecation warnings)
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import (
    BotCommand,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.conversation import Answer, Chatbot, Incoming
from bot.i18n import Catalogs, telegram_language
from bot.reply import Reply, split_text
from bot.store import Store

log = logging.getLogger("safebot.telegram")

T = TypeVar("T")
DELETE_WINDOW = timedelta(hours=48)  # Telegram lets bots delete messages younger than this
MEDIA = ("photo", "video", "document", "animation", "video_note", "audio")
OTHER = ("sticker", "voice", "location", "contact", "venue", "poll", "dice", "story")
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
MAX_ATTEMPTS = 6


class ChildGone(Exception):
    """The child blocked the bot or deleted the chat: stop sending to them."""


def commands(catalogs: Catalogs, locale: str) -> list[BotCommand]:
    """The command menu, in one language."""
    _ = catalogs.get(locale).gettext
    return [
        BotCommand("start", _("Start, or start again")),
        BotCommand("lessons", _("See the lessons")),
        BotCommand("help", _("Find people who can help")),
        BotCommand("language", _("Change the language")),
        BotCommand("country", _("Change your country")),
        BotCommand("privacy", _("What I keep about you")),
        BotCommand("forget", _("Erase everything I keep")),
        BotCommand("exit", _("Quick exit: clear this chat")),
    ]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = []
    for row in reply.buttons:
        buttons = []
        for b in row:
            if b.data is not None:
                buttons.append(InlineKeyboardButton(b.label, callback_data=b.data))
            elif b.url is not None:
                buttons.append(InlineKeyboardButton(b.label, url=b.url))
            elif b.copy is not None:
                buttons.append(InlineKeyboardButton(b.label, copy_text=CopyTextButton(b.copy)))
        rows.append(buttons)
    return InlineKeyboardMarkup(rows)


def incoming_of(update: Update) -> Incoming | None:
    """A Telegram update in the conversation's words; None for what needs no answer."""
    user = update.effective_user
    language = user.language_code if user else None
    if update.callback_query is not None:
        return Incoming("press", arg=update.callback_query.data or "", language=language)
    message = update.message
    if message is None:
        return None
    text = message.text
    if text is not None and text.startswith("/"):
        head, _, arg = text[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        return Incoming("command", name=name, arg=arg, language=language)
    if text is not None:
        return Incoming("text", arg=text, language=language)
    for kind in MEDIA:
        if getattr(message, kind, None):
            return Incoming("media", name=kind, language=language)
    kind = next((k for k in OTHER if getattr(message, k, None)), "other")
    return Incoming("other", name=kind, language=language)


class TelegramChannel:
    """Fetches updates, hands them to the chatbot one child at a time, sends the answers."""

    def __init__(
        self, chatbot: Chatbot, store: Store, application: Application[Any, Any, Any, Any, Any, Any]
    ) -> None:
        self.chatbot = chatbot
        self.store = store
        self.app = application
        self.bot = application.bot
        self.stopping = asyncio.Event()
        self.poll_timeout = 25
        self.retry_pause = 0.5  # first wait after a 5xx or a time-out; doubles each time
        self.last_tidy = datetime.min.replace(tzinfo=UTC)
        self.retention = timedelta(days=30)
        self.chat_locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        # updates being handled, by id: a chat told to wait (429) or a slow reply goes on
        # in the background after `batch_wait` seconds, so other children are not held up
        self.in_hand: dict[int, asyncio.Future[None]] = {}
        self.handled: set[int] = set()  # handled, but above one in hand: not confirmed yet
        self.batch_wait = 1.0

    # -- the loop ------------------------------------------------------------------------

    async def run(self) -> None:
        """Poll until `stop()`; confirm each batch only once it is handled."""
        await self.app.initialize()
        try:
            await self._with_retries(lambda: self.bot.delete_webhook(drop_pending_updates=False))
            await self.register_commands()
            offset: int | None = None
            while not self.stopping.is_set():
                self._tidy()
                try:
                    updates = await self._fetch(offset)
                except InvalidToken:
                    raise
                except RetryAfter as error:
                    await self._sleep(_seconds(error.retry_after))
                    continue
                except (NetworkError, TimedOut):
                    log.warning("getUpdates failed; trying again")
                    await self._sleep(self.retry_pause)
                    continue
                if updates:
                    seen = self.in_hand.keys() | self.handled
                    fresh = [u for u in updates if u.update_id not in seen]
                    await self.handle_batch(fresh, wait_at_most=self.batch_wait)
                    offset = self._confirmable(updates[-1].update_id + 1)
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

    async def _fetch(self, offset: int | None) -> tuple[Update, ...]:
        """One long poll, given up at once when the bot is asked to stop (updates that
        were not confirmed come again next time)."""
        fetch = asyncio.ensure_future(
            self.bot.get_updates(
                offset=offset,
                timeout=timedelta(seconds=self.poll_timeout),
                allowed_updates=ALLOWED_UPDATES,
            )
        )
        stop = asyncio.ensure_future(self.stopping.wait())
        await asyncio.wait({fetch, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if not fetch.done():
            fetch.cancel()
            await asyncio.gather(fetch, return_exceptions=True)
            return ()
        updates: tuple[Update, ...] = fetch.result()
        return updates

    async def serve_webhook(self, url: str, listen: str, port: int, secret: str) -> None:
        """Webhook mode: Telegram posts updates to us; each is answered 200 once handled,
        so Telegram sends it again if we die first. Pending updates are kept on start."""
        from aiohttp import web

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not secret or not hmac.compare_digest(given, secret):
                return web.Response(status=403, text="forbidden")
            try:
                data = await request.json()
                update = Update.de_json(data, self.bot)
            except (ValueError, KeyError, TypeError):
                return web.Response(status=400, text="not an update")
            if update is None:
                return web.Response(status=400, text="not an update")
            await self._handle_in_order([update])  # answered 200 once handled
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
            await self._with_retries(
                lambda: self.bot.set_webhook(
                    url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                    drop_pending_updates=False,
                )
            )  # fmt: skip
            log.info("webhook listening on %s:%d", listen, port)
            while not self.stopping.is_set():
                self._tidy()
                await self._sleep(60)
        finally:
            # stop taking requests; updates already in hand are finished first
            await runner.cleanup()
            await self.app.shutdown()

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)
        except TimeoutError:
            pass

    async def register_commands(self) -> None:
        """The command menu, for every language (Telegram picks the child's)."""
        catalogs = self.chatbot.catalogs
        await self._with_retries(lambda: self.bot.set_my_commands(commands(catalogs, "en")))
        for locale in catalogs.locales:
            if locale == "en":
                continue
            code = telegram_language(locale)
            await self._with_retries(
                lambda c=code, loc=locale: self.bot.set_my_commands(  # type: ignore[misc]
                    commands(catalogs, loc), language_code=c
                )
            )

    async def handle_batch(
        self, updates: Sequence[Update], *, wait_at_most: float | None = None
    ) -> None:
        """Each child's updates in order, one at a time; different children side by side.

        With `wait_at_most`, return after that many seconds even if some child's updates
        are still being handled (they stay in `in_hand` until done); with nothing new,
        wait that long for one of them to finish, so the loop does not spin."""
        by_chat: dict[int, list[Update]] = defaultdict(list)
        for update in updates:
            chat = update.effective_chat
            by_chat[chat.id if chat else 0].append(update)
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
            self.handled.add(update.update_id)

    def _confirmable(self, after_last: int) -> int:
        """The offset to send: up to the first update still in hand (it comes again after a
        crash, and is skipped while in hand); those handled above it are skipped too."""
        offset = min(self.in_hand, default=after_last)
        self.handled = {i for i in self.handled if i >= offset}
        return offset

    async def _handle_in_order(self, updates: list[Update]) -> None:
        chat = updates[0].effective_chat
        chat_id = chat.id if chat else 0
        async with self.chat_locks[chat_id]:  # webhook deliveries may overlap
            for update in updates:
                try:
                    await self.handle(update)
                except Exception:  # one bad update must never stop the bot
                    log.exception("an update could not be handled (type %s)", _kind(update))
        lock = self.chat_locks[chat_id]
        if not lock.locked() and not getattr(lock, "_waiters", None):
            del self.chat_locks[chat_id]  # nobody waits: don't keep a lock per child forever

    # -- one update ----------------------------------------------------------------------

    async def handle(self, update: Update) -> None:
        chat = update.effective_chat
        user = update.effective_user
        query = update.callback_query
        key = self.store.child_key("telegram", user.id) if user else None
        private = chat is not None and chat.type == ChatType.PRIVATE
        if not self.store.begin_update(update.update_id, key if private else None):
            if query is not None:
                await self._answer_query(query.id, None)
            return
        answered = False
        try:
            if chat is not None and user is not None:
                if update.my_chat_member is not None:
                    await self._membership(update, key or "")
                elif not private:
                    await self._group(update)
                else:
                    answered = await self._private(update, key or "", chat.id)
        except ChildGone:
            if key:
                self.store.forget(key)  # they left: keep nothing about them
        except Exception:  # a bad update is logged and let go, never retried forever
            log.exception("an update could not be handled (type %s)", _kind(update))
        # not in a `finally`: an update cut off mid-way must stay unfinished, to be redone
        if query is not None and not answered:
            await self._answer_query(query.id, None)  # every press is answered
        self.store.finish_update(update.update_id)

    async def _private(self, update: Update, key: str, chat_id: int) -> bool:
        """Handle one update of a private chat; True once its button press is answered."""
        incoming = incoming_of(update)
        if incoming is None:
            return False
        now = datetime.now(UTC)
        message = update.message
        if message is not None:
            self.store.remember_message(key, message.message_id, message.date or now)
        answer = self.chatbot.handle(key, incoming)
        query = update.callback_query
        first: list[Awaitable[None]] = []
        if query is not None:
            first.append(self._answer_query(query.id, answer.toast))
            if answer.clear_buttons:
                first.append(self._clear_buttons(query.message, chat_id))
        if answer.delete_incoming and message is not None:
            first.append(self._delete(chat_id, [message.message_id]))
        await asyncio.gather(*first)  # independent calls: one round trip, not three
        if answer.quick_exit:
            own = message.message_id if message is not None else None
            await self._clear_chat(key, chat_id, own)
        await self.send(key, chat_id, answer)
        return query is not None

    async def _membership(self, update: Update, key: str) -> None:
        member = update.my_chat_member
        assert member is not None
        status = member.new_chat_member.status
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
                self.store.forget(key)  # blocked: keep nothing about them
        elif chat is not None and status in (
            ChatMemberStatus.MEMBER,
            ChatMemberStatus.ADMINISTRATOR,
        ):
            await self._group_line(chat.id, update)

    async def _group(self, update: Update) -> None:
        """In groups, only a command gets an answer: one line inviting a private chat."""
        message = update.message
        if message is not None and message.text and message.text.startswith("/"):
            await self._group_line(message.chat_id, update)

    async def _group_line(self, chat_id: int, update: Update) -> None:
        user = update.effective_user
        reply = self.chatbot.group_notice(user.language_code if user else None)
        try:
            await self._send_one(chat_id, reply)
        except ChildGone:
            pass

    # -- sending, with retries -------------------------------------------------------------

    async def send(self, key: str, chat_id: int, answer: Answer) -> None:
        for reply in answer.replies:
            for part in split_text(reply):
                sent = await self._send_one(chat_id, part)
                if sent is not None:
                    self.store.remember_message(key, sent.message_id, sent.date)

    async def _send_one(self, chat_id: int, reply: Reply) -> Message | None:
        return await self._with_retries(
            lambda: self.bot.send_message(
                chat_id,
                reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )

    async def _with_retries(self, call: Callable[[], Awaitable[T]]) -> T:
        """429: wait as told and try again; 5xx and time-outs: back off; 403: the child left."""
        pause = self.retry_pause
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await call()
            except RetryAfter as error:
                await asyncio.sleep(_seconds(error.retry_after))
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

    async def _answer_query(self, query_id: str, toast: str | None) -> None:
        try:
            await self._with_retries(lambda: self.bot.answer_callback_query(query_id, text=toast))
        except (BadRequest, ChildGone, NetworkError):
            pass  # too old to answer: the child's app has already stopped waiting

    async def _clear_buttons(self, message: Any, chat_id: int) -> None:
        """Take the buttons off a pressed message, so the chat reads cleanly."""
        if not isinstance(message, Message) or message.reply_markup is None:
            return  # inaccessible, or no buttons: an edit would change nothing
        try:
            await self._with_retries(
                lambda: self.bot.edit_message_reply_markup(
                    chat_id, message.message_id, reply_markup=None
                )
            )
        except BadRequest:
            pass  # already edited, or deleted by a quick exit

    async def _delete(self, chat_id: int, message_ids: list[int]) -> None:
        for start in range(0, len(message_ids), 100):
            chunk = message_ids[start : start + 100]
            try:
                await self._with_retries(lambda c=chunk: self.bot.delete_messages(chat_id, c))  # type: ignore[misc]
            except BadRequest:
                for one in chunk:  # some could not go: delete the rest one by one
                    try:
                        await self._with_retries(lambda m=one: self.bot.delete_message(chat_id, m))  # type: ignore[misc]
                    except BadRequest:
                        pass

    async def _clear_chat(self, key: str, chat_id: int, own: int | None) -> None:
        """Quick exit: delete every message the bot may still delete, both sides."""
        since = datetime.now(UTC) - DELETE_WINDOW
        ids = self.store.chat_messages(key, since)
        if own is not None and own not in ids:
            ids.append(own)
        await self._delete(chat_id, sorted(ids))
        self.store.drop_chat_messages(key)

    def _tidy(self) -> None:
        """Hourly: forget message ids past Telegram's delete window, and inactive children."""
        now = datetime.now(UTC)
        if now - self.last_tidy < timedelta(hours=1):
            return
        self.last_tidy = now
        self.store.drop_chat_messages("", older_than=now - DELETE_WINDOW)
        gone = self.store.purge(self.retention)
        self.store.forget_updates(now.date() - timedelta(days=2))
        if gone:
            log.info("erased %d inactive children", gone)


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _kind(update: Update) -> str:
    for kind in ("message", "callback_query", "my_chat_member", "edited_message"):
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


def build_application(token: str, api_url: str | None) -> Application[Any, Any, Any, Any, Any, Any]:
    """A PTB Application without PTB's Updater: our loop fetches and confirms updates."""
    builder = ApplicationBuilder().token(token).updater(None)
    if api_url:
        builder = builder.base_url(api_url)
    builder = builder.defaults(Defaults(parse_mode=ParseMode.HTML))
    builder = builder.get_updates_read_timeout(35).read_timeout(10).connect_timeout(5)
    return builder.build()
