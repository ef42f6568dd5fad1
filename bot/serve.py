"""Starting and stopping the channels of an instance, with clean shutdown on SIGTERM."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from datetime import timedelta

from bot.app import load_content, make_chatbot
from bot.config import ConfigError, Settings
from bot.store import Store

log = logging.getLogger("safebot")


async def run_web(settings: Settings, *, host: str, port: int, watch: bool = False) -> None:
    """Serve the web chat until SIGTERM or SIGINT."""
    from bot.web import serve_web

    await serve_web(settings, host=host, port=port, watch=watch)


async def run_telegram(settings: Settings, *, with_web: bool = False) -> None:
    """Poll Telegram until SIGTERM or SIGINT; finish the batch in hand, then stop.

    With `with_web`, the web chat is served too, by the same chatbot and store, in the
    same event loop; it stops with the bot.
    """
    from bot.telegram import TelegramChannel, build_application

    content = load_content(settings)
    store = Store(settings.data_dir)
    chatbot = make_chatbot(settings, content, store)
    application = build_application(settings.telegram_token, settings.telegram_api_url or None)
    channel = TelegramChannel(chatbot, store, application)
    channel.retention = timedelta(days=settings.retention_days)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, channel.stop)
    log.info("safebot is running on Telegram with %d lessons", len(content.lessons))
    # dialogs, catalogs and helplines live as long as the process: keep them out of the
    # garbage collector's full passes, which otherwise pause every reply for tens of ms
    gc.collect()
    gc.freeze()
    web_runner = None
    try:
        if with_web:
            from bot.web import WebChannel, start_web

            web = WebChannel(chatbot, store, settings)
            web_runner = await start_web(web, settings.web_host, settings.web_port)
        if settings.mode == "webhook" or settings.webhook_url:
            if not settings.webhook_secret:
                raise ConfigError(
                    "webhook mode needs a secret: set SAFEBOT_WEBHOOK_SECRET to "
                    "a long random text (letters, digits, _ and -)."
                )
            await channel.serve_webhook(
                settings.webhook_url,
                settings.webhook_listen,
                settings.webhook_port,
                settings.webhook_secret,
            )
        else:
            await channel.run()
    finally:
        if web_runner is not None:
            await web_runner.cleanup()
        store.close()
        log.info("safebot stopped")
