"""Everything an instance reads from files, read one way for start-up and `safebot check`.

Each content kind has one reader, and one overlay rule picks its files: the shipped
folder first, then the instance's overlay, whose file of the same name replaces the
shipped one. Start-up refuses what `safebot check` calls an error, and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bot.content.catalogs import Catalogs, Wanted, po_files, read_catalog, read_catalogs
from bot.content.dialogs import read_dialogs
from bot.content.helpline_files import read_directory
from bot.content.helplines import Directory
from bot.content.keywords import PhraseList, read_keywords
from bot.content.likeness import Likeness
from bot.content.likeness_files import read_likeness
from bot.content.model import Dialog
from bot.content.quality import Flagged, check_quality, read_flagged
from bot.content.same_as_english import read_names
from bot.content.signoff import unapproved_languages, unknown_languages
from bot.errors import Problem, ProblemsFound, did_you_mean, shown_path
from bot.settings import Settings

FLAGGED = Path("language") / "flagged-phrases.yaml"


@dataclass(frozen=True)
class Content:
    """Everything read from files, checked, and shared by every child."""

    dialogs: Mapping[str, Dialog]
    lessons: tuple[str, ...]  # the lessons shown, in order
    catalogs: Catalogs
    directory: Directory
    keywords: Mapping[str, PhraseList]
    flagged: tuple[Flagged, ...] = ()
    likeness: Mapping[str, Likeness] = field(default_factory=dict)


def chosen(folders: Iterable[Path], pattern: str) -> list[Path]:
    """The overlay rule: files of the shipped folder, replaced or added to by the overlay's."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob(pattern)):
            found[str(path.relative_to(folder))] = path
    return list(found.values())


def content_files(settings: Settings, kind: str) -> list[Path]:
    """The files of one kind an instance uses: dialogs, helplines or keywords."""
    if kind == "dialogs":
        folders = settings.folders("dialogs")
        return chosen(folders, "*.yaml") + chosen(folders, "*.yml")
    return chosen((f / kind for f in settings.folders("content")), "*.yaml")


def likeness_files(settings: Settings) -> list[Path]:
    """The likeness weights an instance uses (content/keywords/likeness/<lang>.tsv)."""
    return chosen((f / "keywords" for f in settings.folders("content")), "likeness/*.tsv")


def read_content(settings: Settings, today: date | None = None) -> tuple[Content, list[Problem]]:
    """Read and check every dialog, helpline, keyword and catalog file, and the settings that
    name them; return what could be read and every problem found."""
    today = today or datetime.now(UTC).date()
    flagged_files = chosen(settings.folders("content"), str(FLAGGED))
    flagged, problems = read_flagged(flagged_files[-1]) if flagged_files else ((), [])
    dialogs, found = read_dialogs(content_files(settings, "dialogs"), today)
    problems += found
    for dialog in dialogs.values():
        problems += check_quality(dialog, flagged)
    directory, found = read_directory(content_files(settings, "helplines"), today)
    problems += found
    problems += _banned_names(directory, flagged)
    keywords, found = read_keywords(content_files(settings, "keywords"))
    problems += found
    likeness, found = read_likeness(likeness_files(settings))
    problems += found
    files = po_files(settings.folders("locales"))
    catalogs, found = read_catalogs(
        files,
        settings.languages,
        _wanted(settings, dialogs, directory),
        read_names(settings.folders("locales")),  # the shipped names and the instance's
    )
    problems += found
    problems += unknown_languages(dialogs.values(), {"en", *files})
    lessons = _lessons(settings, dialogs)
    problems += _settings_problems(settings, dialogs, directory, files)
    if settings.require_approved:
        where = shown_path(settings.config_path) if settings.config_path else "safebot.toml"
        problems += unapproved_languages(where, dialogs, lessons, catalogs.locales)
    content = Content(dialogs, lessons, catalogs, directory, keywords, flagged, likeness)
    return content, problems


def load_content(settings: Settings) -> Content:
    """Everything the instance needs, or ProblemsFound with every error `check` reports."""
    content, problems = read_content(settings)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProblemsFound(errors)
    return content


def _lessons(settings: Settings, dialogs: Mapping[str, Dialog]) -> tuple[str, ...]:
    from bot.core.engine import default_lesson_order

    shown = {
        d.id
        for d in dialogs.values()
        if d.is_lesson and (settings.show_drafts or d.status != "draft")
    }
    order = settings.lessons or list(default_lesson_order(dialogs))
    return tuple(lesson for lesson in order if lesson in shown)


def _wanted(settings: Settings, dialogs: Mapping[str, Dialog], directory: Directory) -> Wanted:
    """Every text the bot may show: the template's (the code's own words) and the content's."""
    wanted: Wanted = set()
    templates = chosen(settings.folders("locales"), "messages.pot")
    if templates:
        catalog, _status = read_catalog(templates[0], "en")
        wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    for dialog in dialogs.values():
        for text, _note, _line in dialog.texts():
            wanted.update((text.context, words) for _band, words in text.variants())
    for place in (*directory.by_country.values(), directory.worldwide):
        context = f"helplines.{place.country}"
        for helpline in place.helplines:
            wanted.add((context, helpline.name))
            if helpline.hours:
                wanted.add((context, helpline.hours))
    return wanted


def _banned_names(directory: Directory, flagged: tuple[Flagged, ...]) -> list[Problem]:
    """A helpline's name is shown to children: the terminology rules apply to it too."""
    found = []
    for place in (*directory.by_country.values(), directory.worldwide):
        for helpline in place.helplines:
            for rule in flagged:
                if rule.found_in(helpline.name):
                    found.append(
                        Problem(
                            f"content/helplines/{place.country}.yaml",
                            0,
                            f"the name '{helpline.name}' shows children '{rule.phrase}'. Name "
                            f"the service without it (say instead: {rule.instead}) and say "
                            "why in its notes.",
                        )
                    )
    return found


def _settings_problems(
    settings: Settings,
    dialogs: Mapping[str, Dialog],
    directory: Directory,
    catalogs: Mapping[str, Path],
) -> list[Problem]:
    """Languages, lessons and countries the config names must exist, or children lose them."""
    where = shown_path(settings.config_path) if settings.config_path else "safebot.toml"
    lessons = {d.id for d in dialogs.values() if d.is_lesson}
    known = {
        "languages": {"en", *catalogs},
        "lessons": lessons,
        "countries": set(directory.countries()),
    }
    problems = []
    for name, values in (
        ("languages", settings.languages),
        ("lessons", settings.lessons),
        ("countries", settings.countries),
    ):
        for value in values or ():
            if value not in known[name]:
                hint = did_you_mean(value, known[name]) or (
                    f" Known: {', '.join(sorted(known[name]))}."
                )
                problems.append(
                    Problem(where, 0, f"'{name}' names '{value}', which does not exist.{hint}")
                )
    return problems
