"""The fake Bot API's methods on chats and messages: sending, editing, deleting, answering
presses, as Telegram allows them (the rules are in bot.fakebotapi.rules)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.fakebotapi import rules
from bot.fakebotapi.html import message_text
from bot.fakebotapi.rules import ApiError, bad
from bot.fakebotapi.state import HOUR, Chat, ChatEvent, ChatMessage, Clock

if TYPE_CHECKING:
    from bot.fakebotapi.groups import FakeGroup
    from bot.fakebotapi.users import Click, FakeUser

Params = dict[str, Any]
DELETE_WINDOW = 48 * HOUR
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}  # fmt: skip


class MessageMethods:
    """Mixed into FakeBotAPI: the chats it keeps, and the methods that change them."""

    bot_user: dict[str, Any]
    chats: dict[int, Chat]
    clock: Clock
    groups: dict[int, FakeGroup]
    users: dict[int, FakeUser]
    queries: dict[str, Click]
    warnings: list[str]

    def _chat(self, params: Params, *, writing: bool = True) -> Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad("chat_id is empty")
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad("chat not found")
        if writing and chat.type == "private":
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if writing and chat.type != "private" and chat.id not in self._member_of():
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat

    def _member_of(self) -> set[int]:
        return {g.chat.id for g in self.groups.values() if g.bot_is_member}

    def _message(self, chat: Chat, params: Params, missing: str) -> ChatMessage:
        if "message_id" not in params:
            if params.get("inline_message_id"):
                raise bad("the fake Bot API has no inline messages")
            raise bad("message identifier is not specified")
        found = chat.find(params["message_id"])
        if found is None:
            raise bad(missing)
        return found

    def _deletable(self, chat: Chat, message: ChatMessage) -> bool:
        recent = self.clock.now() - message.date < DELETE_WINDOW
        if chat.type == "private" or message.from_bot:
            return recent
        if chat.type == "supergroup":
            return chat.bot_is_admin
        return chat.bot_is_admin and recent

    def _text(self, method: str, params: Params) -> tuple[str, list[dict[str, Any]]]:
        text, entities, unknown = message_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        self.warnings += [f"{method}: {name} is shown as it is" for name in unknown]
        return text, entities

    def _now(self) -> int:
        return int(self.clock.now())

    def add_message(self, chat: Chat, message: ChatMessage) -> ChatMessage:
        """Give a new message its id in the chat and keep it."""
        message = replace(message, message_id=chat.next_message_id)
        chat.next_message_id += 1
        chat.messages.append(message)
        if message.from_bot:
            chat.events.append(ChatEvent("sent", message))
        return message

    # -- the Bot API methods -------------------------------------------------------------

    async def _api_sendMessage(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        text, entities = self._text("sendMessage", params)
        markup = rules.reply_markup(params.get("reply_markup"))
        reply_to = params.get("reply_to_message_id") or (
            (params.get("reply_parameters") or {}).get("message_id")
        )
        if reply_to and chat.find(reply_to) is None:
            allowed = params.get("allow_sending_without_reply") or (
                params.get("reply_parameters") or {}
            ).get("allow_sending_without_reply")
            if not allowed:
                raise bad("message to be replied not found")
        if markup and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup and "remove_keyboard" in markup:
            chat.reply_keyboard = None
        inline = markup if markup and "inline_keyboard" in markup else None
        message = ChatMessage(
            0, chat.id, self._now(), True, self.bot_user, text, tuple(entities), inline
        )
        return self.add_message(chat, message).as_api(chat.as_api())

    async def _api_editMessageText(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        old = self._message(chat, params, "message to edit not found")
        if not old.from_bot:
            raise bad("message can't be edited")
        if old.kind != "text":
            raise bad("there is no text in the message to edit")
        text, entities = self._text("editMessageText", params)
        markup = _inline_only(rules.reply_markup(params.get("reply_markup")))
        if (text, tuple(entities), markup) == (old.text, old.entities, old.reply_markup):
            raise bad(rules.NOT_MODIFIED.removeprefix("Bad Request: "))
        return self._edit(chat, old, text=text, entities=tuple(entities), reply_markup=markup)

    async def _api_editMessageReplyMarkup(self, params: Params) -> dict[str, Any]:
        chat = self._chat(params)
        old = self._message(chat, params, "message to edit not found")
        if not old.from_bot:
            raise bad("message can't be edited")
        markup = _inline_only(rules.reply_markup(params.get("reply_markup")))
        if markup == old.reply_markup:
            raise bad(rules.NOT_MODIFIED.removeprefix("Bad Request: "))
        return self._edit(chat, old, reply_markup=markup)

    def _edit(self, chat: Chat, old: ChatMessage, **changes: Any) -> dict[str, Any]:
        new = replace(old, edit_date=self._now(), **changes)
        chat.replace(old, new)
        chat.events.append(ChatEvent("edited", new))
        return new.as_api(chat.as_api())

    async def _api_deleteMessage(self, params: Params) -> bool:
        chat = self._chat(params, writing=False)
        message = self._message(chat, params, "message to delete not found")
        if not self._deletable(chat, message):
            raise bad("message can't be deleted")
        self._delete(chat, [message])
        return True

    async def _api_deleteMessages(self, params: Params) -> bool:
        chat = self._chat(params, writing=False)
        ids = params.get("message_ids")
        if not ids:
            raise bad("message identifiers are not specified")
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise bad("can't parse message_ids JSON object")
        if len(ids) > 100:
            raise bad("too many message identifiers specified")
        found = [m for m in (chat.find(i) for i in ids) if m is not None]  # unknown: skipped
        if any(not self._deletable(chat, m) for m in found):
            raise bad("message can't be deleted")
        self._delete(chat, found)
        return True

    def _delete(self, chat: Chat, messages: list[ChatMessage]) -> None:
        for message in messages:
            chat.messages.remove(message)
            chat.events.append(ChatEvent("deleted", message))

    async def _api_answerCallbackQuery(self, params: Params) -> bool:
        query = self.queries.get(str(params.get("callback_query_id", "")))
        if query is None or query.answer is not None:
            raise ApiError(400, rules.QUERY_INVALID)
        if len(str(params.get("text") or "")) > 200:
            raise bad("MESSAGE_TOO_LONG")
        query.answer = {k: params[k] for k in ("text", "show_alert", "url") if k in params}
        return True

    async def _api_sendChatAction(self, params: Params) -> bool:
        chat = self._chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        chat.actions.append(str(action))
        return True

    async def _api_getFile(self, params: Params) -> None:
        # recorded like every request; safebot must never download what a child sends
        raise bad("wrong file_id or the file is temporarily unavailable")

    async def _api_leaveChat(self, params: Params) -> bool:
        chat = self._chat(params, writing=False)
        if chat.type == "private":
            raise bad("chat member status can't be changed in private chats")
        self.groups[chat.id].bot_is_member = False
        return True


def _inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    if markup is not None and "inline_keyboard" not in markup:
        raise bad("inline keyboard expected")
    return markup
