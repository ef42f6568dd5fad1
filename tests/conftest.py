"""Shared fixtures: a real instance (shipped content, a store in a temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Content, load_content, make_chatbot
from bot.config import Settings
from bot.conversation import Chatbot
from bot.store import Store


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
def chatbot(content: Content, store: Store) -> Chatbot:
    return make_chatbot(Settings(show_drafts=True), content, store)
