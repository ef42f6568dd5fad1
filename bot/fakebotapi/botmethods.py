"""The fake Bot API's methods on the bot itself: who it is, its updates (long polls and
webhooks, with Telegram's conflicts), and its command menus."""

from __future__ import annotations

import asyncio
import re
import time
from typing import TYPE_CHECKING, Any

from bot.fakebotapi.rules import ApiError, bad

if TYPE_CHECKING:
    from bot.fakebotapi.server import Pending

Params = dict[str, Any]
# getUpdates sends these unless allowed_updates says otherwise
DEFAULT_UPDATES = {
    "message", "edited_message", "channel_post", "edited_channel_post", "callback_query",
    "inline_query", "chosen_inline_result", "my_chat_member", "chat_join_request",
    "shipping_query", "pre_checkout_query", "poll", "poll_answer",
}  # fmt: skip
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class BotMethods:
    """Mixed into FakeBotAPI: updates, webhooks and commands."""

    bot_user: dict[str, Any]
    privacy_mode: bool
    webhook: dict[str, Any]
    allowed_updates: set[str]
    pending: list[Pending]
    commands: dict[str, list[dict[str, Any]]]
    scoped_commands: dict[tuple[str, str], list[dict[str, Any]]]
    descriptions: dict[tuple[str, str], str]  # (kind, language_code) -> text
    _poll_generation: int
    _closing: asyncio.Event

    if TYPE_CHECKING:  # FakeBotAPI's own

        def _pulse(self) -> None: ...

        async def wait_change(self, seconds: float) -> None: ...

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

    def _description(self, kind: str, params: Params, limit: int) -> bool:
        code = str(params.get("language_code") or "")
        if code and not re.fullmatch(r"[a-z]{2}", code):
            raise bad("invalid language code")
        text = params.get(kind)
        if text is None or text == "":
            self.descriptions.pop((kind, code), None)
            return True
        if not isinstance(text, str) or len(text) > limit:
            raise bad(f"{kind} is too long")
        self.descriptions[(kind, code)] = text
        return True

    async def _api_setMyDescription(self, params: Params) -> bool:
        return self._description("description", params, 512)

    async def _api_setMyShortDescription(self, params: Params) -> bool:
        return self._description("short_description", params, 120)

    async def _api_getMyDescription(self, params: Params) -> dict[str, str]:
        code = str(params.get("language_code") or "")
        return {"description": self.descriptions.get(("description", code), "")}

    async def _api_getMyShortDescription(self, params: Params) -> dict[str, str]:
        code = str(params.get("language_code") or "")
        return {"short_description": self.descriptions.get(("short_description", code), "")}
