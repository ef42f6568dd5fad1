"""The yardstick: a bare python-telegram-bot bot that answers each tap with one message
and two buttons, as little as a Telegram bot can do. Used by benchmarks/endtoend.py."""

from __future__ import annotations

import os
import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Next", callback_data="n")],
        [InlineKeyboardButton("Help", callback_data="h")],
    ]
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /start with a message and buttons."""
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "Hello", reply_markup=KEYBOARD)


async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a tap: acknowledge it, send one message with buttons."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, "Step", reply_markup=KEYBOARD)


def main() -> None:
    base_url = sys.argv[1]
    app = ApplicationBuilder().token(os.environ.get("TOKEN", "123:BARE")).base_url(base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(tap))
    app.run_polling(poll_interval=0, timeout=25)


if __name__ == "__main__":
    main()
