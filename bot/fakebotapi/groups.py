"""A fake group chat with the bot in it, as Telegram's privacy mode lets messages through."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.fakebotapi.state import Chat, ChatMessage
from bot.fakebotapi.users import FakeUser, _Person

if TYPE_CHECKING:
    from bot.fakebotapi.server import FakeBotAPI


class FakeGroup(_Person):
    """A group chat with the bot in it; privacy mode lets only commands and mentions through."""

    def __init__(
        self, fake: FakeBotAPI, chat_id: int, title: str, supergroup: bool, bot_is_admin: bool
    ) -> None:
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        self.fake = fake
        self.bot_is_member = True
        self.chat = fake.chats.setdefault(
            chat_id,
            Chat(chat_id, "supergroup" if supergroup else "group", title=title,
                 bot_is_admin=bot_is_admin),
        )  # fmt: skip

    def _who(self, message: ChatMessage) -> str:
        return "bot" if message.from_bot else str(message.sender["first_name"])

    async def send(self, user: FakeUser, text: str) -> ChatMessage:
        """`user` writes in the group; the bot sees it if privacy mode lets it through."""
        message = self._post(user.user, "text", text)
        username = str(self.fake.bot_user.get("username", ""))
        addressed = text.startswith("/") or f"@{username}".lower() in text.lower()
        if self.bot_is_member and (
            addressed or not self.fake.privacy_mode or self.chat.bot_is_admin
        ):
            self._update(message)
        await asyncio.sleep(0)
        return message

    async def add_bot(self, by: FakeUser) -> None:
        """`by` adds the bot to the group: my_chat_member, then a new_chat_members message."""
        self.bot_is_member = True
        self._membership(by, "left", "member")
        message = self._post(by.user, "new_chat_members", "", new_chat_members=[self.fake.bot_user])
        self._update(message)
        await asyncio.sleep(0)

    async def remove_bot(self, by: FakeUser) -> None:
        self.bot_is_member = False
        self._membership(by, "member", "left")
        await asyncio.sleep(0)

    def _membership(self, by: FakeUser, old: str, new: str) -> None:
        bot = self.fake.bot_user
        self.fake.queue(
            {
                "my_chat_member": {
                    "chat": self.chat.as_api(),
                    "from": by.user,
                    "date": int(self.fake.clock.now()),
                    "old_chat_member": {"user": bot, "status": old},
                    "new_chat_member": {"user": bot, "status": new},
                }
            }
        )
