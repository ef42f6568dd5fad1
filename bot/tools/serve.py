"""Starting and stopping an instance's channels, with clean shutdown on SIGTERM, and the
hourly tidy that erases inactive children whichever channels run."""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from bot.core.turn import Turns
from bot.errors import SafebotError
from bot.instance import open_instance
from bot.render.text import Reply
from bot.settings import Settings

log = logging.getLogger("safebot")
TIDY_EVERY = 3600.0  # seconds


async def tidy_loop(turns: Turns[Reply], stopping: asyncio.Event) -> None:
    """Hourly, and once at start: erase children inactive past the retention period, and
    message ids past Telegram's 48 hours."""
    while not stopping.is_set():
        gone = turns.tidy(datetime.now(UTC))
        if gone:
            log.info("erased %d inactive children", gone)
        try:
            await asyncio.wait_for(stopping.wait(), timeout=TIDY_EVERY)
        except TimeoutError:
            pass


def stop_on_signals(stopping: asyncio.Event) -> None:
    """SIGTERM and SIGINT set `stopping` (where the loop can listen for them)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stopping.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            return


async def run(
    settings: Settings,
    *,
    telegram: bool,
    web: bool,
    host: str | None = None,
    port: int | None = None,
    watch: bool = False,
    review: bool = False,
) -> None:
    """Serve the channels asked for until SIGTERM or SIGINT, from one store and one set of
    turns; each update in hand is finished before the process stops."""
    from bot.channels.web.server import make_channel, start_web

    content, store, turns = open_instance(settings)
    stopping = asyncio.Event()
    stop_on_signals(stopping)
    # dialogs, catalogs and helplines live as long as the process: keep them out of the
    # garbage collector's full passes, which otherwise pause every reply for tens of ms
    gc.collect()
    gc.freeze()
    tasks = [asyncio.create_task(tidy_loop(turns, stopping))]
    web_runner = None
    try:
        if web:
            channel = make_channel(settings, content, turns, author=watch, review=review)
            if channel.author is not None:
                tasks.append(asyncio.create_task(channel.author.watch(stopping)))
            host, port = host or settings.web_host, port or settings.web_port
            with port_in_use(host, port, "--port, or [web] port in safebot.toml"):
                web_runner = await start_web(channel, host, port)
            mode = " in review mode" if review else " in author mode" if watch else ""
            print(f"safebot playground{mode}: http://{host}:{port}  (Ctrl-C to stop)", flush=True)
        if telegram:
            await run_telegram(settings, turns, content.catalogs, stopping, len(content.lessons))
        else:
            await stopping.wait()
    finally:
        stopping.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        if web_runner is not None:
            await web_runner.cleanup()
        store.close()
        log.info("safebot stopped")


@contextmanager
def port_in_use(host: str, port: int, setting: str) -> Iterator[None]:
    """A port another program holds, said in one line."""
    try:
        yield
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise SafebotError(
            f"port {port} on {host} is already in use by another program. Stop that "
            f"program, or choose another port ({setting})."
        ) from None


async def first_contact(application: Any, api_url: str) -> str:
    """Ask Telegram who the bot is, once, before serving: a wrong token or an unreachable
    Bot API is said in one line, with what to check."""
    from telegram.error import InvalidToken, NetworkError

    where = api_url or "https://api.telegram.org"
    try:
        await application.initialize()
    except InvalidToken:
        raise SafebotError(
            "Telegram did not accept the bot token. Copy it again from @BotFather "
            "(/mybots, API Token) into SAFEBOT_TELEGRAM_TOKEN."
        ) from None
    except NetworkError as error:
        raise SafebotError(
            f"could not reach the Telegram Bot API at {where} ({error}). Check this "
            "machine's network and firewall, and telegram_api_url if you set one."
        ) from None
    return str(application.bot.username)


async def run_telegram(
    settings: Settings,
    turns: Turns[Reply],
    catalogs: object,
    stopping: asyncio.Event,
    lessons: int = 0,
) -> None:
    from bot.channels.telegram.chat import TelegramChat
    from bot.channels.telegram.updates import TelegramLoop, build_application
    from bot.content.catalogs import Catalogs

    assert isinstance(catalogs, Catalogs)
    application = build_application(settings.telegram_token, settings.telegram_api_url or None)
    name = await first_contact(application, settings.telegram_api_url)
    log.info("safebot is running on Telegram as @%s with %d lessons", name, lessons)
    loop = TelegramLoop(TelegramChat(turns, application.bot), application, catalogs)
    stopper = asyncio.create_task(_stop_when(stopping, loop.stop))
    try:
        if settings.mode == "webhook" or settings.webhook_url:
            if not settings.webhook_secret:
                raise SafebotError(
                    "webhook mode needs a secret: set SAFEBOT_WEBHOOK_SECRET to "
                    "a long random text (letters, digits, _ and -)."
                )
            with port_in_use(settings.webhook_listen, settings.webhook_port,
                             "--port, or [webhook] port in safebot.toml"):  # fmt: skip
                await loop.serve_webhook(
                    settings.webhook_url,
                    settings.webhook_listen,
                    settings.webhook_port,
                    settings.webhook_secret,
                )
        else:
            await loop.run()
    finally:
        stopper.cancel()


async def _stop_when(stopping: asyncio.Event, stop: object) -> None:
    await stopping.wait()
    if callable(stop):
        stop()
