"""`safebot graph`: a dialog's flow as Mermaid text or SVG, printed or written to a file."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def graph_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the dialog's flow as Mermaid text, or SVG."""
    from bot.content.load import load_content
    from bot.errors import did_you_mean
    from bot.tools.graph import mermaid, svg

    dialogs = load_content(settings).dialogs
    dialog = dialogs.get(args.dialog)
    if dialog is None:
        print(
            f"safebot: there is no dialog '{args.dialog}'."
            f"{did_you_mean(args.dialog, set(dialogs))}",
            file=sys.stderr,
        )
        return 2
    drawn = svg(dialog) if args.format == "svg" else mermaid(dialog, args.current).encode()
    if args.output:  # written only once drawn: never an empty file
        args.output.write_bytes(drawn)
        print(f"wrote {args.output}")
    else:
        sys.stdout.buffer.write(drawn)
    return 0
