"""`safebot stats`: the anonymous figures of an instance, as text, CSV or an HTML page."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from bot.settings import Settings


def stats_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the anonymous figures; write CSV and HTML reports on request."""
    from bot.content.load import read_content
    from bot.core.store import Store
    from bot.tools import stats, stats_report

    try:
        if args.since and len(args.since) != len("2026-11-01"):
            raise ValueError(args.since)
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"safebot stats: --since {args.since} is not a day; write it as YYYY-MM-DD, "
              "for example 2026-11-01.", file=sys.stderr)  # fmt: skip
        return 2
    store = Store(settings.data_dir, create=False)
    rows = store.tallies()
    store.close()
    content, _problems = read_content(settings)
    lessons = [(lesson, content.dialogs[lesson].title.source) for lesson in content.lessons]
    report = stats.report(stats.figures(rows, since), lessons, settings.organisation, since)
    print(stats_report.text_report(report))
    if args.csv:
        stats_report.write_csv(report, args.csv)
        print(f"wrote {args.csv}")
    if args.html:
        args.html.write_text(stats_report.html_report(report), encoding="utf-8")
        print(f"wrote {args.html}")
    return 0
