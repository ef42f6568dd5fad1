"""The fake Bot API server: aiohttp on loopback, Telegram's methods, rules and faults."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from aiohttp import web

from bot.fakebotapi import rules
from bot.fakebotapi.rules import ApiError, bad
from bot.fakebotapi.state import (
    HOUR,
    Chat,
    ChatEvent,
    ChatMessage,
    Clock,
    Fault,
    FaultPlan,
    RequestRecord,
)
from bot.fakebotapi.users import Click, FakeGroup, FakeUser

T = TypeVar("T")
Params = dict[str, Any]

INTS = {
    "message_id", "offset", "limit", "timeout", "cache_time", "max_connections",
    "message_thread_id", "user_id", "reply_to_message_id",
}  # fmt: skip
BOOLS = {
    "show_alert", "drop_pending_updates", "disable_notification", "protect_content",
    "allow_sending_without_reply", "disable_web_page_preview",
}  # fmt: skip
JSONS = {
    "commands", "scope", "message_ids", "allowed_updates", "entities",
    "link_preview_options", "reply_parameters",
}  # fmt: skip
# getUpdates sends these unless allowed_updates says otherwise
DEFAULT_UPDATES = {
    "message", "edited_message", "channel_post", "edited_channel_post", "callback_query",
    "inline_query", "chosen_inline_result", "my_chat_member", "chat_join_request",
    "shipping_query", "pre_checkout_query", "poll", "poll_answer",
}  # fmt: skip
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}  # fmt: skip
DELETE_WINDOW = 48 * HOUR
TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass
class Pending:
    """An update waiting to be confirmed by a getUpdates offset."""

    update: dict[str, Any]
    forced: bool = False  # a re-queued duplicate: kept until delivered once more
    delivered: bool = False

    @property
    def id(self) -> int:
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        return next(key for key in self.update if key != "update_id")


class FakeBotAPI:
    """A Telegram Bot API on loopback: `await fake.start()`, then `Bot(token, base_url=...)`."""

    def __init__(
        self,
        *,
        token: str | None = None,
        seed: int = 0,
        first_name: str = "safebot",
        username: str = "safebot_test_bot",
        privacy_mode: bool = True,
    ) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":")[0]) if token else 1000,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.privacy_mode = privacy_mode
        self.clock = Clock()
        self.faults = FaultPlan(seed)
        self.requests: list[RequestRecord] = []
        self.chats: dict[int, Chat] = {}
        self.users: dict[int, FakeUser] = {}
        self.groups: dict[int, FakeGroup] = {}
        self.queries: dict[str, Click] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}  # default scope, by language_code
        self.scoped_commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] = {}
        self.allowed_updates: set[str] = set(DEFAULT_UPDATES)
        self.warnings: list[str] = []  # things Telegram accepts but a child would see oddly
        self.pending: list[Pending] = []
        self.history: dict[int, dict[str, Any]] = {}
        self.base_url = ""
        self._next_update_id = 1
        self._next_query = 0
        self._poll_generation = 0
        self._last_activity = time.monotonic()
        self._changed = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[Params], Awaitable[Any]]] = {
            name[5:].lower(): getattr(self, name) for name in dir(self) if name.startswith("_api")
        }

    # -- running -------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (0: any free port) and set `base_url`."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        bound = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound}/bot"

    async def stop(self) -> None:
        """Answer the long polls and hangs still open, then close the server."""
        self._closing.set()
        self._pulse()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    @property
    def base_file_url(self) -> str:
        return self.base_url.replace("/bot", "/file/bot")

    # -- people and chats ----------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Ana",
        *,
        language_code: str | None = "en",
        username: str | None = None,
        last_name: str | None = None,
        label: str = "child",
    ) -> FakeUser:
        """A person with a private chat with the bot (the same one for the same id)."""
        if user_id not in self.users:
            self.users[user_id] = FakeUser(
                self, user_id, first_name, language_code, username, last_name, label
            )
        return self.users[user_id]

    def group(
        self,
        chat_id: int,
        title: str = "Class chat",
        *,
        supergroup: bool = False,
        bot_is_admin: bool = False,
    ) -> FakeGroup:
        """A group chat (negative id) that the bot is a member of."""
        if chat_id not in self.groups:
            self.groups[chat_id] = FakeGroup(self, chat_id, title, supergroup, bot_is_admin)
        return self.groups[chat_id]

    def chat(self, chat_id: int) -> Chat:
        return self.chats[chat_id]

    # -- updates -------------------------------------------------------------------------

    def queue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Add an update the way Telegram does; returns it with its update_id."""
        update = {"update_id": self._next_update_id, **update}
        self._next_update_id += 1
        self.history[update["update_id"]] = update
        pending = Pending(update)
        if pending.kind in self.allowed_updates:
            self.pending.append(pending)
        self._touch()
        return update

    def requeue(self, update_id: int) -> None:
        """Deliver an update again with the same update_id, as after a lost confirmation."""
        self.pending.append(Pending(self.history[update_id], forced=True))
        self._touch()

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return [p.update for p in self.pending]

    def new_query_id(self) -> str:
        self._next_query += 1
        return str(4_000_000_000_000_000_000 + self._next_query)

    # -- assertions ----------------------------------------------------------------------

    def calls(self, method: str) -> list[RequestRecord]:
        """Every request to `method`, whatever its answer (faulted ones included)."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    def ok_calls(self, method: str) -> list[Params]:
        """The parameters of the requests to `method` that succeeded."""
        return [r.params for r in self.calls(method) if r.status == 200]

    async def settle(self, *, quiet: float = 0.05, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every update is confirmed and no request came for `quiet` seconds."""

        def settled() -> bool | None:
            idle = time.monotonic() - self._last_activity >= quiet
            return True if idle and not self.pending else None

        await self.wait_until(
            settled,
            timeout,
            lambda: f"the bot did not settle: {len(self.pending)} updates not confirmed",
            poll=quiet,
        )

    async def wait_until(
        self,
        check: Callable[[], T | None],
        within: float,
        failure: Callable[[], str],
        *,
        poll: float | None = None,
    ) -> T:
        """Wait until `check()` returns something other than None; AssertionError on timeout."""
        deadline = time.monotonic() + within
        while True:
            found = check()
            if found is not None:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(failure())
            if self._closing.is_set():
                raise AssertionError(f"the fake Bot API was stopped; {failure()}")
            await self.wait_change(min(remaining, poll) if poll else remaining)

    async def wait_change(self, seconds: float) -> None:
        """Return when any state changes (or after `seconds`)."""
        if self._closing.is_set():
            return
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), seconds)

    def _pulse(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _touch(self) -> None:
        self._last_activity = time.monotonic()
        self._pulse()

    # -- HTTP ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        handler = self._methods.get(name.lower())
        method = handler.__name__[5:] if handler else name
        params: Params = {}
        fault: Fault | None = None
        try:
            params = await _params(request)
            self._check_token(request.match_info["token"])
            fault = self.faults.pick(method, params)
            if fault:
                await self._fault(fault, params)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as error:
            self._record(method, params, error.code, error.description, fault)
            return web.json_response(error.body(), status=error.code)
        self._record(method, params, 200, fault=fault, quiet=method == "getUpdates" and not result)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        error = ApiError(404, "Not Found")
        self._record("file", {"path": request.match_info["path"]}, 404, error.description)
        return web.json_response(error.body(), status=404)

    def _record(
        self,
        method: str,
        params: Params,
        status: int,
        description: str = "",
        fault: Fault | None = None,
        *,
        quiet: bool = False,
    ) -> None:
        self.requests.append(
            RequestRecord(method, params, status, description, fault.kind if fault else None)
        )
        if quiet:  # an empty long poll is not the bot doing something
            self._pulse()
        else:
            self._touch()

    def _check_token(self, token: str) -> None:
        if not TOKEN.fullmatch(token):
            raise ApiError(404, "Not Found")
        if self.token is not None and token != self.token:
            raise ApiError(401, "Unauthorized")
        if self.token is None:
            self.bot_user["id"] = int(token.split(":")[0])

    async def _fault(self, fault: Fault, params: Params) -> None:
        """A faulted request changes nothing; "slow" is answered normally, only late."""
        if fault.kind == "429":
            raise ApiError(
                429, f"Too Many Requests: retry after {fault.retry_after}",
                retry_after=fault.retry_after,
            )  # fmt: skip
        if fault.kind == "500":
            raise ApiError(500, "Internal Server Error")
        if fault.kind == "403":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), fault.delay)
        if fault.kind == "hang":
            raise ApiError(502, "Bad Gateway")

    # -- chats and messages --------------------------------------------------------------

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
        text, entities, unknown = rules.message_text(
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

    async def _api_getMe(self, params: Params) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_logOut(self, params: Params) -> bool:
        return True

    async def _api_close(self, params: Params) -> bool:
        return True

    async def _api_getUpdates(self, params: Params) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise ApiError(409, CONFLICT_WEBHOOK)
        self._poll_generation += 1
        generation = self._poll_generation
        self._pulse()  # an older long poll ends with a conflict
        if "allowed_updates" in params:
            self._allow(params["allowed_updates"])
        offset = params.get("offset") or 0
        if offset > 0:
            self.pending = [
                p for p in self.pending if p.id >= offset or (p.forced and not p.delivered)
            ]
        elif offset < 0:
            self.pending = self.pending[offset:]
        limit = min(max(params.get("limit") or 100, 1), 100)
        deadline = time.monotonic() + max(params.get("timeout") or 0, 0)
        while not self.pending and not self._closing.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            await self.wait_change(remaining)
            if self._poll_generation != generation:
                raise ApiError(409, CONFLICT_POLL)
        batch = self.pending[:limit]
        for pending in batch:
            pending.delivered = True
        return [p.update for p in batch]

    def _allow(self, kinds: Any) -> None:
        if not isinstance(kinds, list):
            raise bad("can't parse allowed_updates JSON object")
        self.allowed_updates = set(kinds) if kinds else set(DEFAULT_UPDATES)

    async def _api_setWebhook(self, params: Params) -> bool:
        url = params.get("url") or ""
        if url and not str(url).lower().startswith("https://"):
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {key: params[key] for key in params if key != "certificate"}
        if "allowed_updates" in params:
            self._allow(params["allowed_updates"])
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    async def _api_deleteWebhook(self, params: Params) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    async def _api_getWebhookInfo(self, params: Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if info["url"]:
            info["max_connections"] = self.webhook.get("max_connections", 40)
            if "allowed_updates" in self.webhook:
                info["allowed_updates"] = sorted(self.allowed_updates)
        return info

    def _commands_key(self, params: Params) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad("can't parse BotCommandScope JSON object")
        extra = "".join(f":{scope[k]}" for k in ("chat_id", "user_id") if k in scope)
        return scope["type"] + extra, str(params.get("language_code") or "")

    async def _api_setMyCommands(self, params: Params) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict):
                raise bad("can't parse BotCommand JSON object")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad("command description is empty")
        key = self._commands_key(params)
        self.scoped_commands[key] = commands
        if key[0] == "default":
            self.commands[key[1]] = commands
        return True

    async def _api_getMyCommands(self, params: Params) -> list[dict[str, Any]]:
        return self.scoped_commands.get(self._commands_key(params), [])

    async def _api_deleteMyCommands(self, params: Params) -> bool:
        key = self._commands_key(params)
        self.scoped_commands.pop(key, None)
        if key[0] == "default":
            self.commands.pop(key[1], None)
        return True

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


async def _params(request: web.Request) -> Params:
    """Query string and body (JSON, form or multipart), each value decoded by its type."""
    raw: dict[str, Any] = dict(request.query)
    if request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad("can't parse JSON encoded request") from None
            if not isinstance(body, dict):
                raise bad("JSON encoded request must be an Object")
            raw.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            raw.update((k, v) for k, v in form.items() if isinstance(v, str))
    return {key: _decode(key, value) for key, value in raw.items()}


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key == "chat_id":
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if key in INTS:
        try:
            return int(value)
        except ValueError:
            raise bad(f"invalid {key} specified") from None
    if key in BOOLS:
        return value.lower() in ("true", "1")
    if key in JSONS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad(f"can't parse {key} JSON object") from None
    return value
