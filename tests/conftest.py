"""Shared fixtures: a real instance (shipped content, a store in a temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content.load import Content, load_content
from bot.core.store import Store
from bot.core.turn import Turns
from bot.instance import make_turns
from bot.render.text import Reply
from bot.settings import Settings


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped dialogs, languages, helplines and keywords, read once."""
    return load_content(Settings(show_drafts=True))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "data")
    yield store
    store.close()


@pytest.fixture
def turns(content: Content, store: Store) -> Turns[Reply]:
    return make_turns(Settings(show_drafts=True), content, store)
