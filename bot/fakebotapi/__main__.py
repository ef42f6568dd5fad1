"""`python -m bot.fakebotapi --port 8081`: a fake Bot API to point a local bot at.

Lines typed here are sent to the bot as one user's messages; `[Label]` presses a button.
The bot's messages are printed as they come.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from bot.fakebotapi.server import FakeBotAPI
from bot.fakebotapi.state import ChatEvent
from bot.fakebotapi.users import FakeUser, message_lines


async def show(fake: FakeBotAPI, user: FakeUser) -> None:
    """Print what the bot does in the user's chat."""
    shown = 0
    while True:
        await fake.wait_change(3600)
        events: list[ChatEvent] = user.chat.events[shown:]
        shown += len(events)
        for event in events:
            lines = message_lines(event.message, "bot")
            if event.kind == "edited":
                lines[0] = "bot (edited): " + lines[0][5:]
            elif event.kind == "deleted":
                lines = [f"(the bot deleted message {event.message.message_id})"]
            print("\n".join(lines), flush=True)


async def chat(fake: FakeBotAPI, user: FakeUser) -> None:
    """Read lines from stdin until it ends; then keep serving."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    except (OSError, ValueError, NotImplementedError):
        return  # stdin is not a pipe or terminal here: just serve
    print("Type a message for the bot; [Label] presses a button.", flush=True)
    while raw := await reader.readline():
        line = raw.decode().strip()
        if not line:
            continue
        try:
            if line.startswith("[") and line.endswith("]"):
                await user.click(line[1:-1])
            else:
                await user.send(line)
        except AssertionError as error:
            print(f"({error})", flush=True)


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.fakebotapi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--user-id", type=int, default=1001)
    parser.add_argument("--name", default="Ana")
    parser.add_argument("--lang", default="en", help="the user's Telegram language_code")
    args = parser.parse_args(argv)
    fake = FakeBotAPI()
    await fake.start(args.host, args.port)
    user = fake.user(args.user_id, args.name, language_code=args.lang)
    print(f"Fake Telegram Bot API at {fake.base_url}")
    print(f"  SAFEBOT_TELEGRAM_API_URL={fake.base_url} SAFEBOT_TELEGRAM_TOKEN=123:fake safebot run")
    printer = asyncio.create_task(show(fake, user))
    try:
        await chat(fake, user)
        await asyncio.Event().wait()
    finally:
        printer.cancel()
        await fake.stop()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
