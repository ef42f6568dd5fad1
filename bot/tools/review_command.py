"""`safebot review LESSON --html FILE`: the review booklet a youth group reads, on paper or a
screen. The `review` parser takes the lesson first, so other review words
(`safebot review notes LESSON`) can sit beside it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import Problem
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.content.load import Content


def add_review(sub: Any) -> argparse.ArgumentParser:
    """The `review` command's parser, on cli.py's subparsers."""
    review: argparse.ArgumentParser = sub.add_parser(
        "review", help="a review booklet for a youth group: a lesson as one printable page"
    )
    review.add_argument("lesson", help="the lesson's id, e.g. grooming")
    review.add_argument(
        "--lang",
        action="append",
        default=[],
        help="a translation to show beside the English, e.g. es (again for more)",
    )
    review.add_argument("--html", type=Path, help="the page to write, e.g. grooming.html")
    review.add_argument(
        "notes_lesson", nargs="?", metavar="LESSON",
        help="with 'notes' first: safebot review notes LESSON, the notes groups left",
    )  # fmt: skip
    review.add_argument("--format", choices=["md", "csv"], default="md", help="notes: md or csv")
    review.add_argument("--output", type=Path, help="notes: write to this file")
    review.set_defaults(command=review_command)
    return review


def review_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write the booklet, only once it is whole; exit 2 on an unknown lesson or language.
    `safebot review notes LESSON` gives the notes review groups left instead."""
    if args.lesson == "notes":
        from bot.tools.review_notes import notes_command

        if not args.notes_lesson:
            print("safebot review: say which lesson, e.g. 'safebot review notes grooming'.",
                  file=sys.stderr)  # fmt: skip
            return 2
        args.lesson = args.notes_lesson
        return notes_command(args, settings)
    from bot.content.catalogs import po_files
    from bot.content.load import read_content
    from bot.errors import did_you_mean, shown_path

    if args.html is None:
        example = f"safebot review {args.lesson} --html {args.lesson}.html"
        print(f"safebot review: say where to write the booklet, e.g. '{example}'.", file=sys.stderr)
        return 2
    content, problems = read_content(settings)  # the instance's overlay, as check reads it
    lessons = {key for key, dialog in content.dialogs.items() if dialog.is_lesson}
    if args.lesson not in lessons:
        hint = did_you_mean(args.lesson, lessons) or f" Lessons: {', '.join(sorted(lessons))}."
        print(f"safebot review: there is no lesson '{args.lesson}'.{hint}", file=sys.stderr)
        return 2
    catalogs = po_files(settings.folders("locales"))
    for locale in args.lang:
        if locale not in catalogs:
            hint = did_you_mean(locale, set(catalogs)) or f" Known: {', '.join(sorted(catalogs))}."
            print(f"safebot review: there is no translation '{locale}'.{hint}", file=sys.stderr)
            return 2
    today = datetime.now(UTC).date()
    page = lesson_booklet(content, problems, settings, args.lesson, args.lang, today)
    target: Path = args.html
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, target)  # a reader never finds half a booklet
    print(f"wrote {shown_path(target)}: the booklet of '{args.lesson}'")
    return 0


def lesson_booklet(
    content: Content,
    problems: Sequence[Problem],
    settings: Settings,
    lesson: str,
    languages: Sequence[str],
    today: date,
) -> str:
    """The booklet's page for a lesson of the instance, with these languages beside it."""
    from bot.content.catalogs import po_files
    from bot.content.same_as_english import read_names
    from bot.tools.booklet import booklet
    from bot.tools.booklet_words import Translation

    catalogs = po_files(settings.folders("locales"))
    names = read_names(settings.folders("locales"))
    translations = [Translation(locale, catalogs[locale], names) for locale in languages]
    dialog = content.dialogs[lesson]
    titles = {key: d.title.source for key, d in content.dialogs.items()}
    mine = [p for p in sorted(problems) if p.path == dialog.path]
    return booklet(dialog, translations, titles, mine, today)
