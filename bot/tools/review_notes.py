"""`safebot review notes LESSON`: what youth review groups said, for the lesson's authors."""

from __future__ import annotations

import argparse
import sys

from bot.content.model import ID_PATTERN
from bot.errors import did_you_mean
from bot.settings import Settings


def notes_command(args: argparse.Namespace, settings: Settings) -> int:
    """The notes on one lesson as Markdown (grouped by step) or CSV."""
    from bot.content.load import read_content
    from bot.review.notes import ReviewFile, review_folder
    from bot.review.report import csv_text, markdown

    lesson: str = args.lesson
    if not ID_PATTERN.match(lesson):
        print(f"safebot review: '{lesson}' is not a lesson id; ids are like 'grooming' "
              "(small letters, digits and _).", file=sys.stderr)  # fmt: skip
        return 2
    # read even when a lesson has mistakes: the notes are needed most while it is changing
    content, _problems = read_content(settings)
    review = ReviewFile(review_folder(settings), lesson)
    dialog = content.dialogs.get(lesson)
    notes = review.notes()
    if dialog is None and not notes:
        print(f"safebot review: there is no lesson '{lesson}' and no notes on it in "
              f"{review.path}.{did_you_mean(lesson, set(content.dialogs))}",
              file=sys.stderr)  # fmt: skip
        return 2
    text = (
        csv_text(lesson, dialog, notes) if args.format == "csv" else markdown(lesson, dialog, notes)
    )
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(notes)} notes)")
    else:
        sys.stdout.write(text)
    return 0
