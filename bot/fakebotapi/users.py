"""People on the other side of the fake Bot API; tests read like a conversation.

ana = fake.user(4455, "Ana", language_code="es")
await ana.send("/start")
reply = await ana.wait_reply()
await ana.click("Next")
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.fakebotapi.rules import utf16_len
from bot.fakebotapi.state import Chat, ChatMessage

if TYPE_CHECKING:
    from bot.fakebotapi.server import FakeBotAPI

# tdlib's bot command pattern: "/word" (1-64) with an optional "@botname", not inside a word
COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")


@dataclass
class Click:
    """A button press on its way to the bot: a callback query and how it was answered."""

    id: str
    data: str
    message_id: int | None
    update_id: int
    answer: dict[str, Any] | None = None  # answerCallbackQuery's text, show_alert, url

    @property
    def answered(self) -> bool:
        return self.answer is not None


def command_entities(text: str) -> list[dict[str, Any]]:
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in COMMAND.finditer(text)
    ]


def message_lines(message: ChatMessage, who: str) -> list[str]:
    """A message as plain transcript lines: `who: text`, then a line per row of buttons."""
    body = message.text
    if message.kind != "text":
        body = f"[{message.kind}]" + (f" {message.text}" if message.text else "")
    first, *rest = body.split("\n")
    indent = " " * (len(who) + 2)
    lines = [f"{who}: {first}".rstrip()] + [(indent + line).rstrip() for line in rest]
    lines += ["  " + " ".join(str(b) for b in row) for row in message.buttons]
    return lines


class _Person:
    """What a user and a group share: a chat whose messages can be looked at."""

    fake: FakeBotAPI
    chat: Chat

    @property
    def messages(self) -> list[ChatMessage]:
        """The messages in the chat now, in order (deleted ones are gone)."""
        return list(self.chat.messages)

    @property
    def bot_messages(self) -> list[ChatMessage]:
        return [m for m in self.chat.messages if m.from_bot]

    @property
    def last_bot_message(self) -> ChatMessage | None:
        return self.bot_messages[-1] if self.bot_messages else None

    def _who(self, message: ChatMessage) -> str:
        raise NotImplementedError

    def transcript(self) -> str:
        """The chat as it reads now: `bot: ...`, `  [Button] [Button]`, `child: ...`."""
        lines: list[str] = []
        for message in self.chat.messages:
            lines += message_lines(message, self._who(message))
        return "\n".join(lines)

    def _post(self, sender: dict[str, Any], kind: str, text: str, **content: Any) -> ChatMessage:
        entities = tuple(command_entities(text)) if kind == "text" else ()
        message = self.fake.add_message(
            self.chat,
            ChatMessage(
                0, self.chat.id, int(self.fake.clock.now()), False, sender, text, entities,
                kind=kind, content=content,
            ),
        )  # fmt: skip
        return message

    def _update(self, message: ChatMessage, key: str = "message") -> None:
        self.fake.queue({key: message.as_api(self.chat.as_api())})


class FakeUser(_Person):
    """A person in a private chat with the bot."""

    def __init__(
        self,
        fake: FakeBotAPI,
        user_id: int,
        first_name: str,
        language_code: str | None,
        username: str | None,
        last_name: str | None,
        label: str,
    ) -> None:
        self.fake = fake
        self.id = user_id
        self.label = label
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name), ("username", username), ("language_code", language_code),
        ):  # fmt: skip
            if value:
                self.user[key] = value
        self.chat = fake.chats.setdefault(user_id, Chat(user_id, "private", user=self.user))
        self._seen = 0  # chat events before this index are not "new" any more

    def __repr__(self) -> str:
        return f"FakeUser({self.id}, {self.user['first_name']!r})"

    def post(self, kind: str, text: str, **content: Any) -> ChatMessage:
        """A message of any kind and content in the chat (not yet sent to the bot)."""
        return self._post(self.user, kind, text, **content)

    def deliver(self, message: ChatMessage) -> None:
        """Send a message made with `post` to the bot (writing to it starts the chat)."""
        self.chat.started = True
        self._update(message)

    def _who(self, message: ChatMessage) -> str:
        return "bot" if message.from_bot else self.label

    # -- what a person does ------------------------------------------------------------

    async def send(self, text: str) -> ChatMessage:
        """Type and send a message; commands get a bot_command entity as Telegram adds."""
        return await self._say("text", text)

    async def send_photo(self, caption: str = "") -> ChatMessage:
        n = self.chat.next_message_id
        photo = [
            {"file_id": f"AgACphoto{self.id}x{n}s{size}", "file_unique_id": f"AQphoto{n}{size}",
             "width": size, "height": size, "file_size": size * 40}
            for size in (90, 320, 800)
        ]  # fmt: skip
        return await self._say("photo", caption, photo=photo)

    async def send_document(
        self, file_name: str = "document.pdf", mime_type: str = "application/pdf"
    ) -> ChatMessage:
        n = self.chat.next_message_id
        document = {
            "file_id": f"BQACdoc{self.id}x{n}", "file_unique_id": f"AgADdoc{n}",
            "file_name": file_name, "mime_type": mime_type, "file_size": 48_213,
        }  # fmt: skip
        return await self._say("document", "", document=document)

    async def send_video(self, caption: str = "") -> ChatMessage:
        n = self.chat.next_message_id
        video = {
            "file_id": f"BAACvideo{self.id}x{n}", "file_unique_id": f"AgADvideo{n}",
            "width": 640, "height": 360, "duration": 7, "mime_type": "video/mp4",
        }  # fmt: skip
        return await self._say("video", caption, video=video)

    async def send_sticker(self, emoji: str = "🙂") -> ChatMessage:
        n = self.chat.next_message_id
        sticker = {
            "file_id": f"CAACsticker{self.id}x{n}", "file_unique_id": f"AgADsticker{n}",
            "type": "regular", "width": 512, "height": 512, "is_animated": False,
            "is_video": False, "emoji": emoji,
        }  # fmt: skip
        return await self._say("sticker", "", sticker=sticker)

    async def send_voice(self, duration: int = 3) -> ChatMessage:
        n = self.chat.next_message_id
        voice = {
            "file_id": f"AwACvoice{self.id}x{n}", "file_unique_id": f"AgADvoice{n}",
            "duration": duration, "mime_type": "audio/ogg",
        }  # fmt: skip
        return await self._say("voice", "", voice=voice)

    async def send_location(
        self, latitude: float = 51.5072, longitude: float = -0.1276
    ) -> ChatMessage:
        return await self._say(
            "location", "", location={"latitude": latitude, "longitude": longitude}
        )

    async def send_contact(
        self, phone_number: str = "+15555550123", first_name: str = "Sam"
    ) -> ChatMessage:
        return await self._say(
            "contact", "", contact={"phone_number": phone_number, "first_name": first_name}
        )

    async def edit(self, message: ChatMessage, text: str) -> ChatMessage:
        """Edit one of this user's own messages; the bot gets an edited_message."""
        current = self.chat.find(message.message_id)
        if current is None or current.from_bot:
            raise AssertionError(f"{self!r} has no message {message.message_id} to edit")
        edited = ChatMessage(
            current.message_id, self.chat.id, current.date, False, self.user, text,
            tuple(command_entities(text)), edit_date=int(self.fake.clock.now()),
        )  # fmt: skip
        self.chat.replace(current, edited)
        self._seen = len(self.chat.events)
        self._update(edited, "edited_message")
        await asyncio.sleep(0)
        return edited

    async def delete(self, message: ChatMessage) -> None:
        """Delete a message on this side; Telegram does not tell the bot."""
        current = self.chat.find(message.message_id)
        if current is not None:
            self.chat.messages.remove(current)

    async def click(
        self, button: str | int = 0, *, message: ChatMessage | int | None = None
    ) -> Click:
        """Press a button (by label, or by its position) on the bot's latest message with
        buttons, or on `message`; the bot gets a callback_query with its callback_data."""
        shown = self._with_buttons(message)
        buttons = [b for row in shown.buttons for b in row]
        if isinstance(button, int):
            if not 0 <= button < len(buttons):
                raise AssertionError(f"no button number {button}; the buttons are {shown.labels}")
            chosen = buttons[button]
        else:
            matching = [b for b in buttons if b.text == button]
            if not matching:
                raise AssertionError(f"no button {button!r}; the buttons are {shown.labels}")
            chosen = matching[0]
        if chosen.callback_data is None:
            raise AssertionError(f"button {chosen.text!r} does not call the bot: {chosen}")
        return await self._press(chosen.callback_data, shown.message_id)

    async def click_data(self, data: str, *, message_id: int | None = None) -> Click:
        """Send a callback query with any data (a forged or stale press), from `message_id`
        (default: the bot's latest message; a deleted one arrives as inaccessible)."""
        if message_id is None:
            last = self.last_bot_message
            message_id = last.message_id if last else 1
        return await self._press(data, message_id)

    async def block(self) -> None:
        """Block the bot: it gets my_chat_member "kicked", then 403 on every send."""
        self.chat.blocked = True
        self._member_update("member", "kicked")
        await asyncio.sleep(0)

    async def unblock(self) -> None:
        self.chat.blocked = False
        self._member_update("kicked", "member")
        await asyncio.sleep(0)

    # -- waiting for the bot -----------------------------------------------------------

    async def wait_reply(self, timeout: float = 5.0) -> ChatMessage:  # noqa: ASYNC109
        """The next message the bot sent or edited in this chat since this user last did
        something (or since the last reply waited for), as it was then."""

        def next_reply() -> ChatMessage | None:
            events = self.chat.events
            for index in range(self._seen, len(events)):
                if events[index].kind != "deleted":
                    self._seen = index + 1
                    return events[index].message
            return None

        return await self.fake.wait_until(
            next_reply, timeout, lambda: f"the bot sent nothing to {self!r} in {timeout} s"
        )

    async def wait_for(self, text: str, timeout: float = 5.0) -> ChatMessage:  # noqa: ASYNC109
        """The latest bot message in the chat that contains `text`, once there is one."""

        def showing() -> ChatMessage | None:
            return next((m for m in reversed(self.bot_messages) if text in m.text), None)

        def failure() -> str:
            said = [m.text[:80] for m in self.bot_messages[-3:]]
            return f"the bot never said {text!r} to {self!r}; its last messages: {said}"

        return await self.fake.wait_until(showing, timeout, failure)

    async def settle(self, *, quiet: float = 0.05, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has taken every update and gone quiet."""
        await self.fake.settle(quiet=quiet, timeout=timeout)

    async def replies(self, timeout: float = 5.0) -> list[ChatMessage]:  # noqa: ASYNC109
        """Once the bot is quiet: the messages it sent or edited since this user last did
        something, as they stand now (deleted ones left out)."""
        await self.settle(timeout=timeout)
        ids: list[int] = []
        for event in self.chat.events[self._seen :]:
            if event.kind != "deleted" and event.message.message_id not in ids:
                ids.append(event.message.message_id)
        self._seen = len(self.chat.events)
        return [m for m in self.chat.messages if m.message_id in ids]

    @property
    def buttons(self) -> list[str]:
        """The labels on the bot's latest message with buttons."""
        found = self._latest_with_buttons()
        return found.labels if found else []

    # -- helpers -------------------------------------------------------------------------

    async def _say(self, kind: str, text: str, **content: Any) -> ChatMessage:
        if self.chat.blocked:  # writing to a blocked bot means pressing "Restart"
            await self.unblock()
        self.chat.started = True
        message = self._post(self.user, kind, text, **content)
        self._seen = len(self.chat.events)
        self._update(message)
        await asyncio.sleep(0)
        return message

    def _latest_with_buttons(self) -> ChatMessage | None:
        return next((m for m in reversed(self.bot_messages) if m.buttons), None)

    def _with_buttons(self, message: ChatMessage | int | None) -> ChatMessage:
        if message is None:
            found = self._latest_with_buttons()
            if found is None:
                raise AssertionError(f"the bot has shown {self!r} no buttons")
            return found
        message_id = message if isinstance(message, int) else message.message_id
        current = self.chat.find(message_id)
        if current is None:
            raise AssertionError(f"message {message_id} is not in the chat any more")
        return current

    async def _press(self, data: str, message_id: int) -> Click:
        shown = self.chat.find(message_id)
        message = (
            shown.as_api(self.chat.as_api())
            if shown
            else {"chat": self.chat.as_api(), "message_id": message_id, "date": 0}
        )
        query_id = self.fake.new_query_id()
        update = self.fake.queue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user,
                    "message": message,
                    "chat_instance": str(abs(self.chat.id) * 7919),
                    "data": data,
                }
            }
        )
        click = Click(query_id, data, message_id, update["update_id"])
        self.fake.queries[query_id] = click
        self._seen = len(self.chat.events)
        await asyncio.sleep(0)
        return click

    def _member_update(self, old: str, new: str) -> None:
        now = int(self.fake.clock.now())
        bot = self.fake.bot_user
        new_member: dict[str, Any] = {"user": bot, "status": new}
        if new == "kicked":
            new_member["until_date"] = 0
        old_member: dict[str, Any] = {"user": bot, "status": old}
        if old == "kicked":
            old_member["until_date"] = 0
        self.fake.queue(
            {
                "my_chat_member": {
                    "chat": self.chat.as_api(),
                    "from": self.user,
                    "date": now,
                    "old_chat_member": old_member,
                    "new_chat_member": new_member,
                }
            }
        )
