"""`safebot i18n`: extract, update, compile, init and status. For an instance (a
safebot.toml with an overlay folder) everything happens in the instance's own locales
folder; in a source checkout without one, on the shipped catalogs; never inside an
installed package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.content.catalogs import po_path
from bot.content.same_as_english import read_names
from bot.settings import PROJECT_ROOT, Settings
from bot.tools import translations
from bot.tools.instance_catalogs import extract_instance, instance_locales, start_from_shipped


def i18n_command(args: argparse.Namespace, settings: Settings) -> int:
    instance = settings.overlay is not None
    if not instance and not (PROJECT_ROOT / "pyproject.toml").is_file():
        instance_locales(settings)  # raises: say how to make an instance
    locales = instance_locales(settings) if instance else settings.locales_dir
    if args.action == "extract":
        pot = extract_instance(settings) if instance else translations.extract()
        print(f"wrote {pot}")
    elif args.action == "update":
        translations.update(locales)
    elif args.action == "compile":
        translations.compile_catalogs(locales)
    elif args.action == "init":
        return _init(settings, locales, args.locale, instance)
    else:  # an instance's catalogs may keep the shipped names, and its own
        return _status(locales, read_names(settings.folders("locales")) if instance else None)
    return 0


def _init(settings: Settings, locales: Path, locale: str | None, instance: bool) -> int:
    if not locale:
        print("safebot: say which language, e.g. 'safebot i18n init de'.", file=sys.stderr)
        return 2
    if po_path(locales, locale).exists():
        print(f"safebot: {po_path(locales, locale)} exists already; 'safebot i18n update' "
              "brings it up to date without losing a translation.", file=sys.stderr)  # fmt: skip
        return 2
    if instance and start_from_shipped(settings, locale):
        translations.update(locales)  # the instance's own texts added, the shipped kept
        print(f"wrote {po_path(locales, locale)}, from the shipped translation")
        return 0
    translations.init(locales, locale)
    print(f"wrote {po_path(locales, locale)}")
    return 0


def _status(locales: Path, names: frozenset[str] | None) -> int:
    rows = translations.status(locales, names)
    print(f"{'language':<10}{'translated':>12}{'fuzzy':>8}{'missing':>9}  review")
    for row in rows:
        share = "100%" if row.complete else f"{min(row.share, 0.99):.0%}"
        print(
            f"{row.locale:<10}{share:>12}{row.fuzzy:>8}{row.untranslated:>9}  {row.review or '-'}"
        )
        for problem in row.mismatches:
            print(f"  {problem}")
    return 1 if any(not row.complete for row in rows) else 0
