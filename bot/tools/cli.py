"""The `safebot` command: check, helplines, play, graph, review, run, demo, stats,
translations."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import Problem, ProblemsFound, SafebotError
from bot.settings import ConfigError, Settings, load_settings
from bot.tools.review_command import add_review


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        settings = load_settings(args.config)
        result: int = args.command(args, settings)
        return result
    except ConfigError as error:
        print(f"safebot: {error}", file=sys.stderr)
        return 2
    except ProblemsFound as error:
        print(error, file=sys.stderr)
        print(
            f"safebot: {_summary(error.problems)}. Run 'safebot check' for the list.",
            file=sys.stderr,
        )
        return 1
    except SafebotError as error:
        print(f"safebot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`safebot ... | head`): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safebot",
        description="Lessons that help children recognise online grooming and sextortion.",
    )
    parser.add_argument("--config", type=Path, help="the instance's safebot.toml")
    sub = parser.add_subparsers(metavar="COMMAND")

    check = sub.add_parser("check", help="check dialogs, helplines, keywords and translations")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files or folders to check (default: everything shipped)",
    )
    check.set_defaults(command=cmd_check)

    table = sub.add_parser("helplines", help="the help directory as a table: kinds, age, doubts")
    table.add_argument("--doubts", action="store_true", help="only countries with doubts")
    table.set_defaults(command=cmd_helplines)

    play = sub.add_parser("play", help="play a dialog in the terminal")
    play.add_argument("dialog", help="the dialog's id, e.g. grooming")
    play.add_argument("--lang", default="en", help="language, e.g. es or pt_BR")
    play.add_argument("--country", default=None, help="country code for the helplines, e.g. KE")
    play.add_argument("--restart", action="store_true", help="start again from the first step")
    play.add_argument("--band", choices=["10-12", "13-17"], help="the age band to read as")
    play.set_defaults(command=cmd_play)

    distress = sub.add_parser("distress", help="what the distress phrases hear in a message")
    distress.add_argument("text", help="the words a child might type, in quotes")
    distress.add_argument(
        "--lang", action="append", help="the child's language, e.g. es (more than one: in order)"
    )
    distress.set_defaults(command=cmd_distress)

    graph = sub.add_parser("graph", help="draw a dialog's flow")
    graph.add_argument("dialog", help="the dialog's id")
    graph.add_argument("--format", choices=["mermaid", "svg"], default="mermaid")
    graph.add_argument("--current", help="a step to highlight")
    graph.add_argument("--output", type=Path, help="write to this file (only once drawn)")
    graph.set_defaults(command=cmd_graph)

    add_review(sub)  # safebot review LESSON --html FILE: bot/tools/review_command.py

    run = sub.add_parser("run", help="run the bot on Telegram (needs SAFEBOT_TELEGRAM_TOKEN)")
    run.add_argument("--web", action="store_true", help="also serve the web chat")
    run.add_argument("--web-only", action="store_true", help="serve only the web chat")
    run.add_argument("--webhook-url", help="webhook mode: the public https URL Telegram posts to")
    run.add_argument("--listen", help="webhook mode: the address to listen on (127.0.0.1)")
    run.add_argument("--port", type=int, help="webhook mode: the port to listen on (8443)")
    run.set_defaults(command=cmd_run)

    demo = sub.add_parser("demo", help="the local playground in your browser; no token needed")
    demo.add_argument("--port", type=int, default=None, help="port (default 8080)")
    demo.add_argument("--host", default=None, help="address (default 127.0.0.1)")
    demo.add_argument(
        "--watch",
        action="store_true",
        help="author mode: reload dialogs on change, show errors and the flow",
    )
    demo.add_argument(
        "--review", action="store_true", help="review mode: author mode and a panel to mark steps"
    )
    demo.set_defaults(command=cmd_demo)

    stats = sub.add_parser("stats", help="anonymous figures: lessons, help, learning gain")
    stats.add_argument("--since", help="from this day on (YYYY-MM-DD)")
    stats.add_argument("--csv", type=Path, help="also write the tallies to a CSV file")
    stats.add_argument("--html", type=Path, help="also write a report with charts")
    stats.set_defaults(command=cmd_stats)

    backup = sub.add_parser("backup", help="copy the live database safely")
    backup.add_argument("path", type=Path, help="the backup file to write")
    backup.set_defaults(command=cmd_backup)

    doctor = sub.add_parser("doctor", help="check the data folder: secret, database, disk")
    doctor.set_defaults(command=cmd_doctor)

    init = sub.add_parser("init", help="start an instance folder with a commented safebot.toml")
    init.add_argument("folder", type=Path)
    init.set_defaults(command=cmd_init)

    i18n = sub.add_parser("i18n", help="translation helpers: extract, update, compile, status")
    i18n.add_argument("action", choices=["extract", "update", "compile", "status", "init"])
    i18n.add_argument("locale", nargs="?", help="with init: the new language, e.g. de")
    i18n.set_defaults(command=cmd_i18n)
    return parser


def _summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


# -- check ---------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Check every file and print each problem and what was checked; exit 1 on errors."""
    from bot.tools.check import check_everything, check_paths, grades_table
    from bot.tools.signoff import signoff_table

    today = datetime.now(UTC).date()
    if args.paths:
        checked = check_paths(args.paths, today, settings)
    else:
        checked = check_everything(settings, today)
    for problem in sorted(checked.problems):
        print(problem)
    for line in [*grades_table(checked.dialogs), *signoff_table(checked.dialogs, checked.locales)]:
        print(line)
    summary = checked.summary()
    if not (checked.dialogs or checked.countries or checked.keywords):
        print("safebot check: nothing was checked. Give a lesson file or folder, or run it "
              "from the instance folder.", file=sys.stderr)  # fmt: skip
        return 1
    problems = checked.problems
    print(f"safebot check: {summary}: " + (_summary(problems) if problems else "all good."))
    return 1 if any(p.severity == "error" for p in problems) else 0


def cmd_helplines(args: argparse.Namespace, settings: Settings) -> int:
    """Print one row per country: entries, kinds, age of the checks, what is in doubt."""
    from bot.tools.helplines_table import print_helplines

    return print_helplines(settings, datetime.now(UTC).date(), doubts_only=args.doubts)


# -- play ----------------------------------------------------------------------------------


def cmd_play(args: argparse.Namespace, settings: Settings) -> int:
    """Play a dialog with numbered choices; progress is kept like a child's."""
    from bot.channels.terminal import play
    from bot.errors import did_you_mean
    from bot.instance import open_instance

    content, store, turns = open_instance(settings)
    try:
        if args.dialog not in content.dialogs:
            hint = did_you_mean(args.dialog, set(content.dialogs))
            print(f"safebot: there is no dialog '{args.dialog}'.{hint}", file=sys.stderr)
            return 2
        locale = content.catalogs.negotiate(args.lang)
        if locale is None:
            print(
                f"safebot: no translation for '{args.lang}'. Known: "
                f"{', '.join(content.catalogs.locales)}.",
                file=sys.stderr,
            )
            return 2
        country = args.country.upper() if args.country else None
        play(turns, args.dialog, locale=locale, country=country, band=args.band,
             restart=args.restart)  # fmt: skip
        return 0
    finally:
        store.close()


# -- distress ------------------------------------------------------------------------------


def cmd_distress(args: argparse.Namespace, settings: Settings) -> int:
    """Say whether a message is heard as distress, which kind, and which rule heard it."""
    from bot.tools.distress_command import distress

    return distress(args, settings)


# -- graph ---------------------------------------------------------------------------------


def cmd_graph(args: argparse.Namespace, settings: Settings) -> int:
    """Print the dialog's flow as Mermaid text, or SVG."""
    from bot.tools.graph_command import graph_command

    return graph_command(args, settings)


# -- stats, backup, init --------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print the anonymous figures; write CSV and HTML reports on request."""
    from bot.tools.stats_command import stats_command

    return stats_command(args, settings)


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Back up the database while the bot runs."""
    from bot.core.store import Store

    store = Store(settings.data_dir, create=False)
    store.backup(args.path)
    store.close()
    print(f"wrote {args.path}")
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Look at the data folder: the secret, the database's integrity, permissions, disk."""
    from bot.core.datafolder import doctor

    findings = doctor(settings.data_dir)
    for finding in findings:
        print(("ok       " if finding.ok else "PROBLEM  ") + finding.line)
    return 0 if all(f.ok for f in findings) else 1


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    """Write an example instance: safebot.toml and empty overlay folders."""
    from bot.settings import example_config

    folder: Path = args.folder
    config = folder / "safebot.toml"
    if config.exists():
        print(f"safebot: {config} exists already; nothing was changed.", file=sys.stderr)
        return 1
    for sub in ("dialogs", "content/helplines", "content/keywords", "locales", "data"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    config.write_text(example_config(), encoding="utf-8")
    print(f"wrote {config}. Edit it, then: safebot --config {config} check")
    return 0


# -- i18n ----------------------------------------------------------------------------------


def cmd_i18n(args: argparse.Namespace, settings: Settings) -> int:
    """The translators' tools, on gettext PO files: an instance's own in its folder."""
    from bot.tools.i18n_command import i18n_command

    return i18n_command(args, settings)


# -- run -----------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Telegram bot (and/or the web chat) until SIGTERM or Ctrl-C."""
    import asyncio

    from bot.tools.serve import run

    web_only = args.web_only or settings.mode == "web"
    if not web_only and not settings.telegram_token:
        print(
            "safebot: set SAFEBOT_TELEGRAM_TOKEN to your bot's token from @BotFather "
            "(or try 'safebot demo', which needs none).",
            file=sys.stderr,
        )
        return 2
    settings.webhook_url = args.webhook_url or settings.webhook_url
    settings.webhook_listen = args.listen or settings.webhook_listen
    settings.webhook_port = args.port or settings.webhook_port
    configure_logging()
    asyncio.run(run(settings, telegram=not web_only, web=web_only or args.web))
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """The playground: the web chat on this computer, with every shipped lesson."""
    from bot.tools.demo_command import demo_command

    return demo_command(args, settings)


def configure_logging() -> None:
    """Log lines as `safebot run` writes them, at SAFEBOT_LOG_LEVEL (INFO by default)."""
    import os

    from bot.tools import logs

    try:
        level = logs.level_from(os.environ)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    logs.configure(level)


if __name__ == "__main__":
    raise SystemExit(main())
