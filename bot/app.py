"""Assembles an instance from its settings: dialogs, languages, helplines, store, chatbot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.support import NullTranslations

from bot.config import Settings
from bot.conversation import Chatbot
from bot.distress import DistressPhrases, load_keywords
from bot.engine import Engine, default_lesson_order
from bot.handoff import build_handoff
from bot.helplines import Directory, load_directory
from bot.i18n import Catalogs, country_names
from bot.loader import dialog_files, read_dialogs
from bot.model import Dialog
from bot.problems import ProblemsFound
from bot.reply import Reply
from bot.store import Store


@dataclass
class Content:
    """Everything read from files, checked, and shared by every child."""

    dialogs: dict[str, Dialog]
    lessons: tuple[str, ...]
    catalogs: Catalogs
    directory: Directory
    keywords: dict[str, DistressPhrases]


def overlaid(folders: list[Path], pattern: str) -> list[Path]:
    """Files of the shipped folder, replaced or added to by the instance's overlay."""
    chosen: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob(pattern)):
            chosen[path.name] = path
    return list(chosen.values())


def load_content(settings: Settings) -> Content:
    """Read and check every dialog, catalog, helpline and keyword file, or raise."""
    paths = [p for folder in settings.folders("dialogs") for p in dialog_files(folder)]
    by_name = {p.name: p for p in paths}  # an overlay's file replaces the shipped one
    dialogs, problems = read_dialogs(by_name.values())
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProblemsFound(errors)
    shown = {
        d.id
        for d in dialogs.values()
        if d.is_lesson and (settings.show_drafts or d.status != "draft")
    }
    order = settings.lessons or list(default_lesson_order(dialogs))
    lessons = tuple(lesson for lesson in order if lesson in shown)
    shipped, *overlay = settings.folders("content")
    locales = settings.folders("locales")
    return Content(
        dialogs=dialogs,
        lessons=lessons,
        catalogs=Catalogs.load(
            locales[0], settings.languages, locales[1] if len(locales) > 1 else None
        ),
        directory=load_directory(shipped / "helplines", *_existing(overlay, "helplines")),
        keywords=load_keywords(shipped / "keywords", *_existing(overlay, "keywords")),
    )


def _existing(folders: list[Path], name: str) -> list[Path]:
    return [f / name for f in folders if (f / name).is_dir()]


def make_chatbot(settings: Settings, content: Content, store: Store) -> Chatbot:
    """The conversation for one instance, ready for any channel."""
    directory = content.directory

    def handoff(country: str | None, topic: str, t: NullTranslations, locale: str) -> Reply:
        name = country_names(locale).get(country, country) if country else ""
        return build_handoff(directory, country, topic, t, name)

    help_countries = settings.countries or directory.countries()
    return Chatbot(
        Engine(content.dialogs, content.lessons),
        store,
        content.catalogs,
        handoff,
        content.keywords,
        help_countries,
        retention_days=settings.retention_days,
    )
