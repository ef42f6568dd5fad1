"""The Telegram chat adapter: one update in as an `Incoming` event, the turn's replies out
as Bot API calls. The only place, with bot.channels.telegram.updates, that imports
python-telegram-bot.

A press is answered and its message moves on in one go: the pressed step is edited into
the next (its feedback on top), which costs Telegram one call where a new message and
taking the old buttons off would cost two, and leaves no stale buttons behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import deque
from collections.abc import Awaitable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatMemberStatus, ChatType
from telegram.error import (
    BadRequest,
    NetworkError,
    TelegramError,
)

from bot.channels.telegram.calls import Calls, ChildGone
from bot.core.conversation import Incoming
from bot.core.datafolder import StoreUnavailable
from bot.core.turn import Delivery, Turns
from bot.render.formats import telegram_html
from bot.render.text import Reply, split

log = logging.getLogger("safebot.telegram")

T = TypeVar("T")
MEDIA = ("photo", "video", "document", "animation", "video_note", "audio")
OTHER = ("sticker", "voice", "location", "contact", "venue", "poll", "dice", "story")
TYPING_AFTER = 1.0  # seconds without a reply before the child sees "typing..."
TYPING_BUSY = 8  # updates in hand beyond which "typing..." is not sent
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def keyboard(reply: Reply) -> dict[str, Any] | None:
    """The reply's buttons as the Bot API's inline keyboard."""
    if not reply.buttons:
        return None
    rows = []
    for row in reply.buttons:
        buttons: list[dict[str, Any]] = []
        for b in row:
            if b.press is not None:
                buttons.append({"text": b.label, "callback_data": b.press})
            elif b.url is not None:
                buttons.append({"text": b.label, "url": b.url})
            elif b.copy is not None:
                buttons.append({"text": b.label, "copy_text": {"text": b.copy}})
        rows.append(buttons)
    return {"inline_keyboard": rows}


def incoming_of(update: Update) -> Incoming | None:
    """A Telegram update in the conversation's words; None for what needs no answer."""
    user = update.effective_user
    event = functools.partial(
        Incoming, language=user.language_code if user else None, keeps_old_messages=True
    )
    if update.callback_query is not None:
        return event("press", arg=update.callback_query.data or "")
    message = update.message
    if message is None:
        return None
    text = message.text
    if text is not None and text.startswith("/"):
        head, _, arg = text[1:].partition(" ")
        return event("command", name=head.split("@", 1)[0].lower(), arg=arg)
    if text is not None:
        return event("text", arg=text)
    for kind in MEDIA:
        if getattr(message, kind, None):
            return event("media", name=kind)
    return event("other", name=next((k for k in OTHER if getattr(message, k, None)), "other"))


def _message(reply: Reply) -> dict[str, Any]:
    """The text and buttons of a message, as sendMessage and editMessageText take them."""
    found: dict[str, Any] = {
        "text": telegram_html(reply),
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    markup = keyboard(reply)
    if markup is not None:
        found["reply_markup"] = markup
    return found


def _shows_help(markup: InlineKeyboardMarkup) -> bool:
    """A message with links or numbers to copy is a help hand-off."""
    return any(b.url or b.copy_text for row in markup.inline_keyboard for b in row)


class TelegramChat:
    """Handles one update of one chat, end to end."""

    def __init__(self, turns: Turns[Reply], bot: Bot) -> None:
        self.turns = turns
        self.bot = bot
        self.call = Calls(bot)
        # replies that went out while the database could not note them: noted once it can
        self.unnoted: list[tuple[Delivery[Reply], list[tuple[int, datetime]]]] = []
        self.groups_told: dict[int, date] = {}  # a group gets its one line once a day
        self.answered: set[str] = set()  # presses answered by the update in hand
        self.in_hand = 0  # private updates being handled now, for "typing..."
        # messages this process deleted or took the buttons off, by chat (in memory only):
        # a press still on its way from one of them changes nothing there again
        self.done_with: dict[int, deque[int]] = {}

    async def handle(self, update: Update, *, first_try: bool = True) -> None:
        """One update, end to end. StoreUnavailable goes up, unkept, once the child has been
        told to try again (on its first try only): the loop does not confirm the update,
        and tries it again later."""
        chat, user, query = update.effective_chat, update.effective_user, update.callback_query
        answered = not first_try  # a press is answered on its first try, once
        failure: StoreUnavailable | None = None
        try:
            if chat is None or user is None:
                pass
            elif update.my_chat_member is not None:
                await self._membership(update, self.turns.key("telegram", user.id))
            elif chat.type != ChatType.PRIVATE:
                await self._group(update)
            else:
                key = self.turns.key("telegram", user.id)
                typing = asyncio.create_task(self._typing_after(chat.id))
                self.in_hand += 1
                try:
                    answered = await self._private(update, key, first_try) or answered
                finally:
                    self.in_hand -= 1
                    typing.cancel()
        except ChildGone:
            if user is not None:
                self.turns.erase(self.turns.key("telegram", user.id))  # they left: keep nothing
        except StoreUnavailable as error:
            failure = error
            if first_try:
                answered, retry = await self._without_store(update)
                failure = error if retry else None
        finally:
            if query is not None and not answered and query.id not in self.answered:
                await self._answer(query.id, None)  # every press is answered, once
            if query is not None:
                self.answered.discard(query.id)
        if failure is not None:
            raise failure

    async def _typing_after(self, chat_id: int) -> None:
        """ "typing..." in the child's chat when the reply has not gone within a second (a
        slow database, Telegram telling the bot to wait); a hint only, never retried. Not
        when many children are being answered at once: then the wait is the load, and a
        call more for each would make every reply later."""
        await asyncio.sleep(TYPING_AFTER)
        if self.in_hand > TYPING_BUSY:
            return
        with contextlib.suppress(TelegramError):
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)

    async def unkept(self, update: Update) -> bool:
        """An update that must wait behind one the database could not keep: the child is
        helped from nothing kept, or told to try again. True if it must be tried again."""
        query = update.callback_query
        answered, retry = await self._without_store(update)
        if query is not None and not answered:
            await self._answer(query.id, None)
        if query is not None:
            self.answered.discard(query.id)
        return retry

    async def _without_store(self, update: Update) -> tuple[bool, bool]:
        """The database failed: help the child from nothing kept, or tell them to try again
        (the update is then tried again once the database works). (answered, try again)"""
        incoming = incoming_of(update)
        user, query, message = update.effective_user, update.callback_query, update.message
        if incoming is None or user is None or update.effective_chat is None:
            return False, True
        delivery = self.turns.without_store(self.turns.key("telegram", user.id), incoming)
        chat_id = update.effective_chat.id
        answered = False
        if query is not None:
            toast = delivery.replies[0].plain()[:200] if delivery.retry else None
            await self._answer(query.id, toast)
            answered = True
        if delivery.delete_incoming and message is not None:
            await self._delete(chat_id, [message.message_id])
        if not delivery.retry or query is None:
            try:
                await self._send_all(chat_id, delivery.replies)
            except (ChildGone, BadRequest, NetworkError):
                pass
        return answered, delivery.retry

    async def _private(self, update: Update, key: str, first_try: bool = True) -> bool:
        """One update of a private chat; True once its press is answered."""
        incoming = incoming_of(update)
        message, query = update.message, update.callback_query
        if incoming is None:
            return False
        chat_id = update.effective_chat.id if update.effective_chat else 0
        seen = [(message.message_id, message.date or datetime.now(UTC))] if message else []
        delivery = self.turns.handle(key, incoming, update_id=update.update_id, seen=seen)
        if delivery.repeat:
            return query is not None  # answered when it was handled
        first: list[Awaitable[Any]] = []
        if query is not None and first_try:
            first.append(self._answer(query.id, delivery.toast))
        # handled again after a crash: earlier messages may be gone or already changed
        pressed = query.message if query is not None and not delivery.again else None
        if pressed is not None and pressed.message_id in self.done_with.get(chat_id, ()):
            pressed = None  # deleted by a quick exit, or its buttons already taken off
        edit = self._edit_in_place(delivery, pressed)
        edited_at = len(first)
        if edit is not None:
            first.append(edit)
        elif delivery.clear_buttons and isinstance(pressed, Message) and pressed.reply_markup:
            first.append(self._clear_buttons(chat_id, pressed.message_id))
        if delivery.delete_incoming and message is not None:
            first.append(self._delete(chat_id, [message.message_id]))
        results = await asyncio.gather(*first)  # independent calls: one round trip
        sent: list[tuple[int, datetime]] = []
        if edit is None or not results[edited_at]:  # not edited (or it failed): send
            if delivery.quick_exit:
                own = message.message_id if message is not None else None
                await self._clear_chat(delivery.key, chat_id, own)
            sent = await self._send_all(chat_id, delivery.replies)
        self._noted(delivery, sent)
        return query is not None

    def _noted(self, delivery: Delivery[Reply], sent: list[tuple[int, datetime]]) -> None:
        """The update's replies went out: keep their ids and close its journal entry. Its
        handling is already kept, so if the database cannot note this now, it is noted
        after the next turn that it can."""
        self.unnoted.append((delivery, sent))
        try:
            while self.unnoted:
                self.turns.delivered(*self.unnoted[0])
                self.unnoted.pop(0)
        except StoreUnavailable:
            log.warning("%d delivered updates wait for the database", len(self.unnoted))

    def _edit_in_place(self, delivery: Delivery[Reply], pressed: Any) -> Awaitable[bool] | None:
        """The press moved a lesson on: the pressed step becomes the next one (unless it
        shows help: helplines stay in the chat for the child to find again)."""
        replies = delivery.replies
        if not (
            delivery.clear_buttons
            and isinstance(pressed, Message)
            and pressed.reply_markup is not None
            and not _shows_help(pressed.reply_markup)
            and len(replies) == 1
            and replies[0].kind == "step"
            and len(split(replies[0])) == 1
        ):
            return None
        chat_id, message_id, reply = pressed.chat_id, pressed.message_id, replies[0]

        async def edit() -> bool:
            try:
                await self.api(
                    "editmessagetext", chat_id=chat_id, message_id=message_id, **_message(reply)
                )
            except BadRequest:
                return False  # gone (a quick exit in another tab) or unchanged: send instead
            return True

        return edit()

    async def _membership(self, update: Update, key: str) -> None:
        member = update.my_chat_member
        assert member is not None
        status = member.new_chat_member.status
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
                self.turns.erase(key)  # blocked: keep nothing about them
        elif chat is not None and status in (
            ChatMemberStatus.MEMBER,
            ChatMemberStatus.ADMINISTRATOR,
        ):
            await self._group_line(chat.id, update)

    async def _group(self, update: Update) -> None:
        """In groups, a command gets one line inviting a private chat: once a day per group
        (the group's id is held in memory only, never stored)."""
        message = update.message
        if message is None or not message.text or not message.text.startswith("/"):
            return
        today = datetime.now(UTC).date()
        if self.groups_told.get(message.chat_id) == today:
            return
        if len(self.groups_told) > 10_000:
            self.groups_told.clear()
        self.groups_told[message.chat_id] = today
        await self._group_line(message.chat_id, update)

    async def _group_line(self, chat_id: int, update: Update) -> None:
        user = update.effective_user
        locale = self.turns.conversation.negotiate(user.language_code if user else None)
        try:
            await self._send_one(chat_id, self.turns.group_notice(locale))
        except ChildGone:
            pass

    # -- sending -------------------------------------------------------------------------

    async def _send_all(self, chat_id: int, replies: list[Reply]) -> list[tuple[int, datetime]]:
        sent = []
        for reply in replies:
            for part in split(reply):
                message = await self._send_one(chat_id, part)
                if message is not None:
                    sent.append(message)
        return sent

    async def _send_one(self, chat_id: int, reply: Reply) -> tuple[int, datetime] | None:
        """Send one message; its id and time, which quick exit needs."""
        sent = await self.api("sendmessage", chat_id=chat_id, **_message(reply))
        if not isinstance(sent, dict):
            return None
        return sent["message_id"], datetime.fromtimestamp(sent.get("date", 0), UTC)

    async def api(self, method: str, **parameters: Any) -> Any:
        """One Bot API call as plain data, with Telegram's rules for trying again. The
        answers are not made into objects: a tap needs only a message's id from them."""
        return await self.call(lambda: self.bot.do_api_request(method, api_kwargs=parameters))

    async def _answer(self, query_id: str, toast: str | None) -> None:
        self.answered.add(query_id)
        try:
            await self.api("answercallbackquery", callback_query_id=query_id,
                           **({"text": toast} if toast else {}))  # fmt: skip
        except (BadRequest, ChildGone, NetworkError):
            pass  # too old to answer: the child's app has already stopped waiting

    async def _clear_buttons(self, chat_id: int, message_id: int) -> None:
        """Take the buttons off a pressed message, so the chat reads cleanly."""
        self._done_with(chat_id, [message_id])
        try:
            await self.api("editmessagereplymarkup", chat_id=chat_id, message_id=message_id)
        except BadRequest:
            pass  # already edited, or deleted by a quick exit

    def _done_with(self, chat_id: int, message_ids: list[int]) -> None:
        if len(self.done_with) > 10_000:
            self.done_with.clear()
        self.done_with.setdefault(chat_id, deque(maxlen=200)).extend(message_ids)

    async def _delete(self, chat_id: int, message_ids: list[int]) -> None:
        self._done_with(chat_id, message_ids)
        for start in range(0, len(message_ids), 100):
            chunk = message_ids[start : start + 100]
            try:
                await self.call(lambda c=chunk: self.bot.delete_messages(chat_id, c))  # type: ignore[misc]
            except BadRequest:
                for one in chunk:  # some could not go: delete the rest one by one
                    try:
                        await self.call(lambda m=one: self.bot.delete_message(chat_id, m))  # type: ignore[misc]
                    except BadRequest:
                        pass

    async def _clear_chat(self, key: str, chat_id: int, own: int | None) -> None:
        """Quick exit: delete every message the bot may still delete, both sides."""
        ids = self.turns.to_clear(key, datetime.now(UTC))
        if own is not None and own not in ids:
            ids.append(own)
        await self._delete(chat_id, sorted(ids))
        self.turns.cleared(key)
