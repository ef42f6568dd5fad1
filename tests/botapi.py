"""A stand-in for the Telegram Bot API over HTTP on loopback, for tests.

It keeps each chat's messages, enforces the API's rules (text length after HTML
parsing, valid HTML, callback data size, URL schemes, identical edits, 48-hour
deletion, answering a callback twice) and injects faults (429 with retry_after, 500,
hangs, 403), so the real bot is driven over real HTTP as Telegram would drive it.
"""

from __future__ import annotations

import asyncio
import html
import json
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
    "span",
}
TAG = re.compile(r"<(/?)([a-z-]+)([^>]*)>")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
NO_END_TAG = "Bad Request: can't parse entities: can't find end tag corresponding to start tag"
ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


class Refused(Exception):
    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Fault:
    method: str
    kind: str  # "429", "500", "hang", "403"
    times: int = 1_000_000
    rate: float = 1.0
    retry_after: int = 1
    chat_id: int | None = None
    hang_for: float = 12.0  # longer than the bot's read timeout (10 s)


@dataclass
class Sent:
    message_id: int
    text: str
    markup: dict[str, Any] | None
    date: float
    from_bot: bool


@dataclass
class Chat:
    id: int
    type: str = "private"
    messages: list[Sent] = field(default_factory=list)


def visible_text(text: str) -> str:
    """Telegram's HTML parsing: check tags and entities, return the visible text."""
    stack: list[str] = []
    for match in TAG.finditer(text):
        closing, name = match.group(1), match.group(2)
        if name not in ALLOWED_TAGS:
            raise Refused(
                400, f'Bad Request: can\'t parse entities: unsupported start tag "{name}"'
            )
        if closing:
            if not stack or stack.pop() != name:
                raise Refused(
                    400,
                    f'{NO_END_TAG} "{name}"',
                )
        else:
            stack.append(name)
    if stack:
        raise Refused(
            400,
            f'{NO_END_TAG} "{stack[-1]}"',
        )
    stripped = TAG.sub("", text)
    for entity in ENTITY.finditer(stripped):
        name = entity.group(1)
        if not name.startswith("#") and name.lower() not in {"lt", "gt", "amp", "quot"}:
            raise Refused(400, f"Bad Request: can't parse entities: unsupported entity &{name};")
    if re.search(r"&(?!(#\d+|#x[0-9a-f]+|[a-z]+);)", stripped, re.I) or "<" in stripped:
        raise Refused(400, "Bad Request: can't parse entities: unescaped character")
    return html.unescape(stripped)


def check_markup(markup: dict[str, Any] | None) -> None:
    if not markup:
        return
    rows = markup.get("inline_keyboard", [])
    if sum(len(r) for r in rows) > 100 or any(len(r) > 8 for r in rows):
        raise Refused(400, "Bad Request: too many buttons")
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise Refused(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            if "callback_data" in button:
                size = len(button["callback_data"].encode())
                if not 1 <= size <= 64:
                    raise Refused(400, "Bad Request: BUTTON_DATA_INVALID")
            if "url" in button and not re.match(r"^(https?|tg)://", button["url"]):
                raise Refused(
                    400,
                    f"Bad Request: inline keyboard button URL '{button['url']}' is invalid: "
                    "Unsupported URL protocol",
                )
            if "copy_text" in button and not 1 <= len(button["copy_text"]["text"]) <= 256:
                raise Refused(400, "Bad Request: COPY_TEXT_INVALID")


class FakeBotAPI:
    """`await api.start()`, then point the bot at `api.base_url`."""

    def __init__(self, seed: int = 1) -> None:
        self.updates: list[dict[str, Any]] = []
        self.chats: dict[int, Chat] = {}
        self.log: list[tuple[str, dict[str, Any], int]] = []
        self.faults: list[Fault] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.answered: set[str] = set()
        self.received: dict[str, int] = {}
        self.sent_at: list[tuple[float, int]] = []  # (when, chat) of each message sent
        self.open_queries: set[str] = set()
        self.next_update = 1
        self.next_message = 1
        self.random = random.Random(seed)
        self.clock_offset = 0.0
        self.changed = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.base_url = ""

    # -- server ------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/bot"

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()

    def now(self) -> float:
        return time.time() + self.clock_offset

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.received[method] = self.received.get(method, 0) + 1
        params = await self._params(request)
        try:
            await self._fault(method, params)
            handler = getattr(self, f"api_{method}", None)
            if handler is None:
                raise Refused(404, "Not Found")
            result = await handler(params)
            self.log.append((method, params, 200))
            if method == "sendMessage":
                self.sent_at.append((time.monotonic(), int(params["chat_id"])))
            self._notify()
            return web.json_response({"ok": True, "result": result})
        except Refused as refused:
            self.log.append((method, params, refused.code))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": refused.code,
                "description": refused.description,
            }
            if refused.parameters:
                body["parameters"] = refused.parameters
            return web.json_response(body, status=refused.code)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            raw = await request.json()
        else:
            raw = dict(await request.post())
        params = {}
        for key, value in raw.items():
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            params[key] = value
        return params

    async def _fault(self, method: str, params: dict[str, Any]) -> None:
        for fault in self.faults:
            if fault.method != method or fault.times <= 0:
                continue
            if fault.chat_id is not None and int(params.get("chat_id", 0)) != fault.chat_id:
                continue
            if self.random.random() >= fault.rate:
                continue
            fault.times -= 1
            if fault.kind == "429":
                raise Refused(
                    429,
                    f"Too Many Requests: retry after {fault.retry_after}",
                    retry_after=fault.retry_after,
                )
            if fault.kind == "500":
                raise Refused(500, "Internal Server Error")
            if fault.kind == "403":
                raise Refused(403, "Forbidden: bot was blocked by the user")
            if fault.kind == "hang":
                await asyncio.sleep(fault.hang_for)
                raise Refused(500, "Internal Server Error")

    def _notify(self) -> None:
        self.changed.set()
        self.changed = asyncio.Event()

    # -- what a test does --------------------------------------------------------------

    def chat(self, chat_id: int, kind: str = "private") -> Chat:
        return self.chats.setdefault(chat_id, Chat(chat_id, kind))

    def queue(self, update: dict[str, Any]) -> int:
        update = {"update_id": self.next_update, **update}
        self.next_update += 1
        self.updates.append(update)
        self._notify()
        return int(update["update_id"])

    def requests(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params, status in self.log if name == method and status == 200]

    # -- the Bot API -------------------------------------------------------------------

    async def api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": 999,
            "is_bot": True,
            "first_name": "Guide",
            "username": "guide_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def api_setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def api_setMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands[params.get("language_code", "")] = params["commands"]
        return True

    async def api_getFile(self, params: dict[str, Any]) -> None:
        raise Refused(400, "Bad Request: getFile is watched in these tests")

    async def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while not self.updates and time.monotonic() < deadline:
            changed = self.changed
            try:
                await asyncio.wait_for(changed.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        limit = int(params.get("limit") or 100)
        return self.updates[:limit]

    def _message(self, chat: Chat, message_id: int) -> Sent:
        for sent in chat.messages:
            if sent.message_id == message_id:
                return sent
        raise Refused(400, "Bad Request: message to edit not found")

    def _as_message(self, chat: Chat, sent: Sent) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(sent.date),
            "chat": {"id": chat.id, "type": chat.type},
            "text": sent.text,
            "from": {"id": 999, "is_bot": True, "first_name": "Guide"},
        }
        if sent.markup:
            result["reply_markup"] = sent.markup
        return result

    async def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        shown = visible_text(text) if params.get("parse_mode") == "HTML" else text
        if not 1 <= len(shown) <= 4096:
            raise Refused(
                400,
                "Bad Request: message is too long"
                if shown
                else "Bad Request: message text is empty",
            )
        markup = params.get("reply_markup")
        check_markup(markup)
        chat = self.chat(int(params["chat_id"]))
        sent = Sent(self.next_message, shown, markup, self.now(), True)
        self.next_message += 1
        chat.messages.append(sent)
        return self._as_message(chat, sent)

    async def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.chat(int(params["chat_id"]))
        sent = self._message(chat, int(params["message_id"]))
        markup = params.get("reply_markup") or None
        check_markup(markup)
        if markup == sent.markup:
            raise Refused(
                400,
                NOT_MODIFIED,
            )
        sent.markup = markup
        return self._as_message(chat, sent)

    async def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.chat(int(params["chat_id"]))
        sent = self._message(chat, int(params["message_id"]))
        text = (
            visible_text(str(params["text"]))
            if params.get("parse_mode") == "HTML"
            else str(params["text"])
        )
        markup = params.get("reply_markup") or None
        if text == sent.text and markup == sent.markup:
            raise Refused(
                400,
                NOT_MODIFIED,
            )
        sent.text, sent.markup = text, markup
        return self._as_message(chat, sent)

    def _delete_one(self, chat: Chat, message_id: int) -> bool:
        for sent in chat.messages:
            if sent.message_id == message_id:
                if self.now() - sent.date > 48 * 3600:
                    return False
                chat.messages.remove(sent)
                return True
        return False

    async def api_deleteMessage(self, params: dict[str, Any]) -> bool:
        chat = self.chat(int(params["chat_id"]))
        if not self._delete_one(chat, int(params["message_id"])):
            raise Refused(400, "Bad Request: message can't be deleted")
        return True

    async def api_deleteMessages(self, params: dict[str, Any]) -> bool:
        chat = self.chat(int(params["chat_id"]))
        ids = params["message_ids"]
        if not 1 <= len(ids) <= 100:
            raise Refused(400, "Bad Request: too many messages to delete")
        for message_id in ids:
            self._delete_one(chat, int(message_id))  # unknown or old ids are skipped
        return True

    async def api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id in self.answered or query_id not in self.open_queries:
            raise Refused(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.answered.add(query_id)
        return True

    async def api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True


class FakeUser:
    """A child in a private chat with the bot: reads like a conversation."""

    def __init__(
        self,
        api: FakeBotAPI,
        user_id: int,
        first_name: str = "Ana",
        language_code: str | None = "en",
        username: str = "ana_k",
    ) -> None:
        self.api = api
        self.id = user_id
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name, "username": username}
        if language_code:
            self.user["language_code"] = language_code
        self.chat = api.chat(user_id)
        self.queries = 0

    def _own(self, **content: Any) -> dict[str, Any]:
        sent = Sent(self.api.next_message, content.get("text", ""), None, self.api.now(), False)
        self.api.next_message += 1
        self.chat.messages.append(sent)
        return {
            "message_id": sent.message_id,
            "date": int(sent.date),
            "from": self.user,
            "chat": {"id": self.id, "type": "private", "first_name": self.user["first_name"]},
            **content,
        }

    def send(self, text: str) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return self.api.queue({"message": self._own(**content)})

    def send_photo(self) -> int:
        photo = [
            {
                "file_id": "AgACAgQAAx0secretfileid",
                "file_unique_id": "AQADsecret",
                "width": 90,
                "height": 90,
            }
        ]
        return self.api.queue({"message": self._own(photo=photo)})

    def send_sticker(self) -> int:
        sticker = {
            "file_id": "CAACsticker",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.api.queue({"message": self._own(sticker=sticker)})

    def send_location(self) -> int:
        return self.api.queue({"message": self._own(location={"latitude": 1.0, "longitude": 2.0})})

    def bot_messages(self) -> list[Sent]:
        return [m for m in self.chat.messages if m.from_bot]

    def texts(self) -> list[str]:
        return [m.text for m in self.bot_messages()]

    def buttons(self) -> list[str]:
        """Labels on the bot's latest message that has buttons."""
        for sent in reversed(self.bot_messages()):
            if sent.markup:
                return [b["text"] for row in sent.markup["inline_keyboard"] for b in row]
        return []

    def choices(self) -> list[str]:
        """Labels of the tappable (callback) buttons on the bot's latest message with some."""
        for sent in reversed(self.bot_messages()):
            rows = (sent.markup or {}).get("inline_keyboard", [])
            found = [b["text"] for row in rows for b in row if "callback_data" in b]
            if found:
                return found
        return []

    def click(self, label: str) -> int:
        for sent in reversed(self.bot_messages()):
            for row in (sent.markup or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label and "callback_data" in button:
                        return self.click_data(button["callback_data"], sent)
        raise AssertionError(f"no button {label!r}; the chat shows {self.buttons()}")

    def click_data(self, data: str, sent: Sent | None = None) -> int:
        sent = sent or self.bot_messages()[-1]
        self.queries += 1
        query_id = f"{self.id}-{self.queries}"
        self.api.open_queries.add(query_id)
        message = self.api._as_message(self.chat, sent)
        return self.api.queue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user,
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                }
            }
        )

    async def wait_for(self, text: str, within: float = 10.0) -> str:
        """Wait until a bot message containing `text` is in the chat; return it."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for message in reversed(self.bot_messages()):
                if text in message.text:
                    return message.text
            await asyncio.sleep(0.02)
        raise AssertionError(f"the bot never said {text!r}; it said {self.texts()[-3:]}")

    async def settled(self, within: float = 10.0) -> None:
        """Wait until every queued update was confirmed and nothing moves for a moment."""
        deadline = time.monotonic() + within
        last = -1
        while time.monotonic() < deadline:
            count = len(self.api.log)
            if not self.api.updates and count == last:
                return
            last = count
            await asyncio.sleep(0.15)
        raise AssertionError("the bot did not settle")
