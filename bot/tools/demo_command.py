"""`safebot demo`: the playground, with author mode (`--watch`) and review mode (`--review`)."""

from __future__ import annotations

import argparse
import asyncio

from bot.settings import Settings


def demo_command(args: argparse.Namespace, settings: Settings) -> int:
    """The web chat on this computer, with every shipped lesson; drafts too in author and
    review mode, since those are the lessons being written and reviewed."""
    from bot.tools.cli import configure_logging
    from bot.tools.serve import run

    configure_logging()
    settings.show_drafts = settings.show_drafts or args.watch or args.review
    asyncio.run(
        run(settings, telegram=False, web=True, host=args.host, port=args.port,
            watch=args.watch or args.review, review=args.review)
    )  # fmt: skip
    return 0
