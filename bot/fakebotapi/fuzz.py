"""Randomized updates from many people, the way Telegram delivers them: taps on real and
forged buttons, typed words in many scripts, commands right and wrong, media, edits,
blocking, group chats and updates the library cannot read. Each person waits for the
bot's answer to what needs one, as a child would, and counts what got none.

    figures = await Fuzzer(api, seed=7, people=400).run(updates=10_000)

Every person's id, name, username and some of their words are canaries: whoever runs the
fuzzer searches the bot's log and data folder for `fuzzer.canaries()` afterwards.
"""

from __future__ import annotations

import asyncio
import random
import string
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.fakebotapi.groups import FakeGroup
from bot.fakebotapi.server import FakeBotAPI
from bot.fakebotapi.users import FakeUser

Expect = Literal["reply", "answer", "nothing"]
SAFETY = ("Get help", "Quick exit")
LANGUAGES = (None, "", "en", "en-GB", "es", "es-MX", "fr", "pt-br", "pt", "ar", "fil", "tl",
             "sw", "hi", "ru", "ru-RU", "uk", "uk-UA", "fa", "fa-IR", "id", "zh-hans",
             "xx")  # fmt: skip
COMMANDS = ("/start", "/lessons", "/help", "/privacy", "/age", "/language", "/language es",
            "/language zz", "/country", "/country KE", "/country GB", "/country zz",
            "/country EU", "/country united kingdom", "/forget", "/exit", "/start grooming",
            "/start l-grooming_c-KE", "/start ../../etc", "/nonsense", "/", "/start@other_bot",
            "/START", "/country " + "x" * 300)  # fmt: skip
WORDS = ("i want to die", "he says he will share my pics if i dont pay", "hello", "ok", "lol",
         "can you help", "what is sextortion", "i ran 5 kms today", "مرحبا", "هل يمكنك", "привет",
         "мне страшно", "سلام", "tolong aku", "नमस्ते", "habari", "kumusta", "¿qué hago?",
         "🙂🙂🙂", "\u202eevil", "a\u200bb", "<b>bold</b>", "&amp;", "x" * 4096, "",
         "👨‍👩‍👧" * 50, "\x00\x01", "١٢٣", "²³")  # fmt: skip
FORGED = ("c².0", "c9999999999999999999.0", "", " ", "x", "l:", "c-1.-1", "c0.0" * 16, "💥",
          "L:xx", "F:yes", "None", "c1.٣", "h" * 64)  # fmt: skip


@dataclass
class FuzzFigures:
    """What a run did and what went wrong (all but `updates` and `kinds` should be 0)."""

    updates: int = 0
    unanswered: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    unanswered_kinds: Counter[str] = field(default_factory=Counter)
    unanswered_chats: list[int] = field(default_factory=list)  # to look at in the fake


class Fuzzer:
    """`people` fake users sending random updates until `updates` have gone."""

    def __init__(
        self, api: FakeBotAPI, *, seed: int, people: int = 400, wait: float = 20.0
    ) -> None:
        self.api = api
        self.rng = random.Random(seed)  # noqa: S311 (repeatable, not secret)
        self.wait = wait
        self.people = [
            api.user(
                7_700_000_000 + seed * 100_000 + n,
                f"Fz{seed}n{n}Name",
                username=f"fz{seed}u{n}name",
                language_code=self.rng.choice(LANGUAGES),
            )
            for n in range(people)
        ]
        self.group: FakeGroup = api.group(-1_007_700_000 - seed)
        self.figures = FuzzFigures()
        self._left = 0
        self._kinds: list[tuple[str, int, Callable[[FakeUser], Awaitable[Expect]]]] = [
            ("tap", 34, self.tap), ("safety tap", 3, self.safety_tap),
            ("words", 14, self.words), ("command", 16, self.command),
            ("forged press", 6, self.forged_press), ("old press", 4, self.old_press),
            ("media", 9, self.media), ("edit", 3, self.edit), ("block", 2, self.block),
            ("group", 3, self.group_command), ("unreadable", 2, self.unreadable),
            ("no text", 2, self.no_text), ("canary words", 2, self.canary_words),
        ]  # fmt: skip

    def canaries(self) -> list[str]:
        """What must never reach the log or the data folder."""
        found = []
        for person in self.people:
            found += [str(person.id), str(person.user["first_name"]), str(person.user["username"])]
        return [*found, *(f"fzsecret{person.id}words" for person in self.people)]

    async def run(
        self, updates: int, *, between: Callable[[int], Awaitable[None]] | None = None
    ) -> FuzzFigures:
        """Send `updates` updates; `between(n)` is awaited after every 500th (to kill the
        bot and start it again, say)."""
        self._left = updates
        self._between = between
        await asyncio.gather(*(self._person(p) for p in self.people))
        return self.figures

    async def _person(self, person: FakeUser) -> None:
        while self._left > 0:
            self._left -= 1
            name, _weight, act = self.rng.choices(self._kinds, [k[1] for k in self._kinds])[0]
            self.figures.updates += 1
            number = self.figures.updates  # this update's number: one person per 500th
            self.figures.kinds[name] += 1
            events = len(person.chat.events)
            expect = await act(person)
            if not await self._answered(person, expect, events):
                self.figures.unanswered += 1
                self.figures.unanswered_kinds[name] += 1
                self.figures.unanswered_chats.append(person.id)
            if self._between and number % 500 == 0:
                await self._between(number)

    async def _answered(self, person: FakeUser, expect: Expect, events: int) -> bool:
        if expect == "nothing":
            await asyncio.sleep(0)
            return True
        latest = list(self.api.queries.values())[-1] if expect == "answer" else None

        def done() -> bool | None:
            if expect == "answer":
                return True if latest is not None and latest.answered else None
            replies = person.chat.events[events:]
            return True if any(e.kind != "deleted" for e in replies) else None

        try:
            await self.api.wait_until(done, self.wait, lambda: "unanswered")
        except AssertionError:
            return False
        return True

    # -- what people do ---------------------------------------------------------------

    def _buttons(self, person: FakeUser) -> tuple[int | None, list[str]]:
        last = next((m for m in reversed(person.bot_messages) if m.buttons), None)
        if last is None:
            return None, []
        labels = [b.text for row in last.buttons for b in row if b.callback_data]
        return last.message_id, labels

    async def tap(self, person: FakeUser) -> Expect:
        message_id, labels = self._buttons(person)
        choices = [label for label in labels if label not in SAFETY]
        if message_id is None or not choices:
            return await self.command(person)
        await person.click(self.rng.choice(choices), message=message_id)
        return "answer"

    async def safety_tap(self, person: FakeUser) -> Expect:
        message_id, labels = self._buttons(person)
        safety = [label for label in labels if label in SAFETY]
        if message_id is None or not safety:
            return await self.command(person)
        await person.click(self.rng.choice(safety), message=message_id)
        return "answer"

    async def forged_press(self, person: FakeUser) -> Expect:
        data = self.rng.choice(FORGED)
        if not data.strip():
            data = "".join(self.rng.choices(string.printable, k=self.rng.randint(1, 64)))
        await person.click_data(data[:64])
        return "answer"

    async def old_press(self, person: FakeUser) -> Expect:
        older = [m for m in person.bot_messages if m.buttons][:-1]
        if not older:
            return await self.forged_press(person)
        message = self.rng.choice(older)
        data = next(b.callback_data for row in message.buttons for b in row if b.callback_data)
        await person.click_data(data or "x", message_id=message.message_id)
        return "answer"

    async def words(self, person: FakeUser) -> Expect:
        text = self.rng.choice(WORDS)
        if not text:
            text = "".join(
                chr(self.rng.randint(32, 0x2FFF)) for _ in range(self.rng.randint(1, 80))
            )
        await person.send(text[:4096])
        return "reply"

    async def canary_words(self, person: FakeUser) -> Expect:
        await person.send(f"my fzsecret{person.id}words are here")
        return "reply"

    async def command(self, person: FakeUser) -> Expect:
        await person.send(self.rng.choice(COMMANDS))
        return "reply"

    async def media(self, person: FakeUser) -> Expect:
        send: list[Callable[[], Awaitable[Any]]] = [
            lambda: person.send_photo(f"fzsecret{person.id}words"), person.send_document,
            person.send_video, person.send_sticker, person.send_voice, person.send_location,
            person.send_contact,
        ]  # fmt: skip
        await self.rng.choice(send)()
        return "reply"

    async def edit(self, person: FakeUser) -> Expect:
        own = [m for m in person.chat.messages if not m.from_bot and m.kind == "text"]
        if not own:
            return await self.words(person)
        await person.edit(self.rng.choice(own), "edited words")
        return "nothing"  # an edit gets no answer

    async def block(self, person: FakeUser) -> Expect:
        await person.block()
        await asyncio.sleep(self.rng.random() / 5)
        await person.unblock()
        await person.send("/start")  # back again: answered from the start
        return "reply"

    async def group_command(self, person: FakeUser) -> Expect:
        await self.group.send(person, self.rng.choice(COMMANDS))
        return "nothing"  # one line a day at most, checked by the tests

    async def unreadable(self, person: FakeUser) -> Expect:
        """A poll in the shape before Bot API 9.6: the library cannot read it."""
        poll = {
            "id": str(self.rng.randint(1, 10**18)), "question": f"fzsecret{person.id}words",
            "options": [{"text": "a", "voter_count": 0}], "total_voter_count": 0,
            "is_closed": False, "is_anonymous": True, "type": "regular",
            "allows_multiple_answers": False,
        }  # fmt: skip
        person.deliver(person.post("poll", "", poll=poll))
        await asyncio.sleep(0)
        return "nothing"

    async def no_text(self, person: FakeUser) -> Expect:
        """A message with nothing the bot knows (no text, no media)."""
        person.deliver(person.post("other", ""))
        await asyncio.sleep(0)
        return "reply"
