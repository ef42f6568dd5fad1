"""What the fake Bot API remembers: chats and their messages, a clock, requests, faults."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any, Literal

HOUR = 3600.0


class Clock:
    """Wall-clock time that a test can move forward (for the 48-hour deletion rule)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float = 0.0, *, hours: float = 0.0) -> None:
        self.offset += seconds + hours * HOUR

    def set(self, timestamp: float) -> None:
        self.offset = timestamp - time.time()


@dataclass(frozen=True)
class Button:
    """One inline button as the chat shows it."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    copy_text: str | None = None

    def __str__(self) -> str:
        if self.url is not None:
            return f"[{self.text} -> {self.url}]"
        if self.copy_text is not None:
            return f"[{self.text} (copies {self.copy_text})]"
        return f"[{self.text}]"


@dataclass(frozen=True)
class ChatMessage:
    """A message as it stands in a chat; an edit replaces it with a new one."""

    message_id: int
    chat_id: int
    date: int
    from_bot: bool
    sender: dict[str, Any]
    text: str = ""
    entities: tuple[dict[str, Any], ...] = ()
    reply_markup: dict[str, Any] | None = None
    kind: str = "text"  # text, photo, document, video, sticker, voice, location, contact
    content: dict[str, Any] = field(default_factory=dict)  # the media fields of a user message
    edit_date: int | None = None

    @property
    def buttons(self) -> list[list[Button]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            [
                Button(
                    b["text"],
                    callback_data=b.get("callback_data"),
                    url=b.get("url"),
                    copy_text=(b.get("copy_text") or {}).get("text"),
                )
                for b in row
            ]
            for row in rows
        ]

    @property
    def labels(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]

    def as_api(self, chat: dict[str, Any]) -> dict[str, Any]:
        """The Message object the Bot API returns or puts in an update."""
        result: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": chat,
            "date": self.date,
            **self.content,
        }
        if self.kind == "text":
            result["text"] = self.text
            if self.entities:
                result["entities"] = list(self.entities)
        elif self.text:
            result["caption"] = self.text
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            result["reply_markup"] = self.reply_markup
        if self.edit_date is not None:
            result["edit_date"] = self.edit_date
        return result


@dataclass(frozen=True)
class ChatEvent:
    """Something the bot did in a chat: sent, edited or deleted a message."""

    kind: Literal["sent", "edited", "deleted"]
    message: ChatMessage
    at: float = field(default_factory=time.monotonic)  # when, on this machine's clock


@dataclass
class Chat:
    id: int
    type: Literal["private", "group", "supergroup"]
    title: str = ""
    user: dict[str, Any] = field(default_factory=dict)  # the other side of a private chat
    messages: list[ChatMessage] = field(default_factory=list)
    events: list[ChatEvent] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # sendChatAction, in order
    next_message_id: int = 1
    started: bool = False  # a private chat: the user has written to the bot
    blocked: bool = False
    bot_is_admin: bool = False
    reply_keyboard: dict[str, Any] | None = None

    def as_api(self) -> dict[str, Any]:
        if self.type == "private":
            chat = {"id": self.id, "type": "private", "first_name": self.user["first_name"]}
            if "username" in self.user:
                chat["username"] = self.user["username"]
            return chat
        return {"id": self.id, "type": self.type, "title": self.title}

    def find(self, message_id: int) -> ChatMessage | None:
        return next((m for m in self.messages if m.message_id == message_id), None)

    def replace(self, old: ChatMessage, new: ChatMessage) -> None:
        self.messages[self.messages.index(old)] = new


@dataclass(frozen=True)
class RequestRecord:
    """One request as the fake saw it, for assertions."""

    method: str
    params: dict[str, Any]
    status: int
    description: str = ""
    fault: str | None = None
    unknown: tuple[str, ...] = ()  # parameters the method does not have (Telegram ignores them)


FaultKind = Literal["429", "500", "403", "hang", "slow"]


@dataclass
class Fault:
    """A planned failure: which requests it hits, how often, and what they get."""

    kind: FaultKind
    method: str | None = None  # None: every method
    chat_id: int | None = None  # None: every chat
    times: int | None = None  # None: no limit
    rate: float = 1.0
    retry_after: int = 1
    delay: float = 30.0  # "hang": longer than a client waits; "slow": then answered
    hits: int = 0

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


class FaultPlan:
    """`fake.faults.add("429", method="sendMessage", retry_after=1, times=3)`."""

    def __init__(self, seed: int = 0) -> None:
        self.random = random.Random(seed)  # noqa: S311 (reproducible plans, not secrets)
        self.faults: list[Fault] = []

    def add(
        self,
        kind: FaultKind,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        times: int | None = None,
        rate: float = 1.0,
        retry_after: int = 1,
        delay: float | None = None,
    ) -> Fault:
        if kind not in ("429", "500", "403", "hang", "slow"):
            raise ValueError(f"unknown fault kind {kind!r}: use 429, 500, 403, hang or slow")
        fault = Fault(kind, method, chat_id, times, rate, retry_after)
        if delay is not None:
            fault.delay = delay
        elif kind == "slow":
            fault.delay = 0.5
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        self.faults.clear()

    def pick(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, params) and self.random.random() < fault.rate:
                fault.hits += 1
                return fault
        return None
