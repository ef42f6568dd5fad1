"""Babel extractors for the files authors write: every text a child reads, with its
translation context and the notes translators need (`safebot i18n extract`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from bot.content.catalogs import BUTTON_NOTE


def extract_dialog(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor for dialogs/*.yaml: every author string, with its context and notes."""
    from bot.content.dialogs import read_dialog

    path = Path(fileobj.name) if hasattr(fileobj, "name") else Path("dialog.yaml")
    dialog, _problems = read_dialog(path)
    if dialog is None:
        return
    buttons = {dialog.title} | {c.label for step in dialog.steps.values() for c in step.choices}
    for text, note, line in dialog.texts():
        comments = [note] if note else []
        if text in buttons:
            comments.append(BUTTON_NOTE)
        for band, words in text.variants():
            notes = [*comments, f"For readers aged {band}."] if band else comments
            yield line or 1, "pgettext", (text.context, words), notes


def extract_helplines(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor for content/helplines/*.yaml: the names and hours a child reads."""
    from bot.content.yamlfile import Located, read_yaml

    path = Path(fileobj.name) if hasattr(fileobj, "name") else Path("helplines.yaml")
    data, _problems = read_yaml(path)
    if not isinstance(data, Located):
        return
    context = f"helplines.{data.get('country', 'global')}"
    for entry in data.get("helplines", []) or []:
        if not isinstance(entry, Located):
            continue
        for key in ("name", "hours"):
            value = entry.get(key)
            if isinstance(value, str) and value.strip():
                yield entry.line_of(key), "pgettext", (context, value.strip()), [f"helpline {key}"]
