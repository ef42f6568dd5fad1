"""The fake Bot API server: aiohttp on loopback, Telegram's methods, rules and faults."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

from bot.fakebotapi.botmethods import DEFAULT_UPDATES, BotMethods
from bot.fakebotapi.groups import FakeGroup
from bot.fakebotapi.messages import MessageMethods
from bot.fakebotapi.parameters import unknown_parameters
from bot.fakebotapi.rules import ApiError, bad
from bot.fakebotapi.state import (
    Chat,
    Clock,
    Fault,
    FaultPlan,
    RequestRecord,
)
from bot.fakebotapi.users import Click, FakeUser

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
TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")


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


class FakeBotAPI(BotMethods, MessageMethods):
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
        self.descriptions: dict[tuple[str, str], str] = {}
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
        self.in_flight = 0  # calls being answered now, getUpdates aside
        self.most_in_flight = 0  # the most there were at once
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
        counted = name.lower() != "getupdates"
        if counted:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await self._answer(request, handler, method)
        finally:
            if counted:
                self.in_flight -= 1

    async def _answer(
        self,
        request: web.Request,
        handler: Callable[[Params], Awaitable[Any]] | None,
        method: str,
    ) -> web.Response:
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
        unknown = tuple(unknown_parameters(method, params))
        self.requests.append(
            RequestRecord(
                method, params, status, description, fault.kind if fault else None, unknown
            )
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
