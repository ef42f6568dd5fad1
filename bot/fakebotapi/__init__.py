"""A fake Telegram Bot API over HTTP on loopback, for tests and for trying the bot locally.

It answers the methods safebot uses the way Telegram does and enforces the same rules
(text length after HTML parsing, valid HTML, callback data size, button links, identical
edits, the 48-hour deletion window, answering a button press once), with Telegram's own
error descriptions. Faults can be planned (429 with retry_after, 500, hangs, 403), and
fake users talk to the bot the way people do:

    async with FakeBotAPI() as fake:
        ana = fake.user(4455, "Ana", language_code="es")
        # ... start the bot with base_url=fake.base_url ...
        await ana.send("/start")
        reply = await ana.wait_reply()
        await ana.click("Next")

`python -m bot.fakebotapi --port 8081` runs one on its own.
"""

from bot.fakebotapi.groups import FakeGroup
from bot.fakebotapi.rules import ApiError
from bot.fakebotapi.server import FakeBotAPI
from bot.fakebotapi.state import Button, ChatMessage, Clock, Fault, FaultPlan, RequestRecord
from bot.fakebotapi.users import Click, FakeUser

__all__ = [
    "ApiError",
    "Button",
    "ChatMessage",
    "Click",
    "Clock",
    "FakeBotAPI",
    "FakeGroup",
    "FakeUser",
    "Fault",
    "FaultPlan",
    "RequestRecord",
]
