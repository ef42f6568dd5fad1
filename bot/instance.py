"""Assembles an instance from its settings: content, store, conversation, words, turns."""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.keywords import PhraseList
from bot.content.likeness import Likeness
from bot.content.load import Content, load_content
from bot.core.conversation import Conversation
from bot.core.distress import Hearing
from bot.core.engine import Engine
from bot.core.store import Store
from bot.core.turn import Turns
from bot.render.replies import Renderer
from bot.render.text import Reply
from bot.settings import Settings


def renderers(content: Content) -> dict[str, Renderer]:
    """The words of every enabled language, built once."""
    return {
        locale: Renderer(locale, content.catalogs.get(locale), content.directory)
        for locale in content.catalogs.locales
    }


_HEARINGS: dict[int, tuple[Mapping[str, PhraseList], Hearing]] = {}


def hearing(
    keywords: Mapping[str, PhraseList], likeness: Mapping[str, Likeness] | None = None
) -> Hearing:
    """The phrase lists indexed for hearing, once per loaded content (indexing twelve
    languages takes about a second; author mode and the tests make many turn services
    from one content)."""
    kept = _HEARINGS.get(id(keywords))
    if kept is not None and kept[0] is keywords:  # the same lists, not a new one at that id
        return kept[1]
    while len(_HEARINGS) >= 4:  # the last few: a reloaded content replaces its lists
        del _HEARINGS[next(iter(_HEARINGS))]
    made = Hearing(keywords, likeness)
    _HEARINGS[id(keywords)] = (keywords, made)
    return made


def make_turns(settings: Settings, content: Content, store: Store) -> Turns[Reply]:
    """The turn service of one instance, ready for any channel."""
    conversation = Conversation(
        Engine(content.dialogs, content.lessons, require_approved=settings.require_approved),
        hearing(content.keywords, content.likeness),
        locales=content.catalogs.locales,
        negotiate=content.catalogs.negotiate,
        countries=settings.countries or content.directory.countries(),
        retention_days=settings.retention_days,
        ask_band=any(dialog.by_band() for dialog in content.dialogs.values()),
    )
    return Turns(store, conversation, renderers(content), retention_days=settings.retention_days)


def open_instance(settings: Settings) -> tuple[Content, Store, Turns[Reply]]:
    """Content checked as `safebot check` does, the store opened, the turns made."""
    content = load_content(settings)
    store = Store(settings.data_dir)
    return content, store, make_turns(settings, content, store)
