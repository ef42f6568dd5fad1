"""A translation word for word its English is an error in `safebot check`, unless it is a
name listed in locales/same-as-english.txt or has no letters at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.content.catalogs import po_path, read_catalog
from bot.content.same_as_english import FILE_NAME, read_names, says_words

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"

# a small Swahili catalog of an instance: one line left in English, the rest allowed
SMALL_CATALOG = """\
msgid ""
msgstr ""
"Language: sw\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Get help"
msgstr "Pata msaada"

msgid "Quick exit"
msgstr "Quick exit"

msgctxt "helplines.KE"
msgid "Childline Kenya"
msgstr "Childline Kenya"

msgctxt "helplines.KE"
msgid "24/7"
msgstr "24/7"

msgid "SMS: {numbers}"
msgstr "SMS: {numbers}"

msgctxt "helplines.XK"
msgid "Kinderlinja Veri"
msgstr "Kinderlinja Veri"
"""


def instance(tmp_path: Path, listed: str = "") -> Path:
    """An instance folder whose overlay holds the small catalog (and maybe its own list)."""
    path = po_path(tmp_path / "locales", "sw")
    path.parent.mkdir(parents=True)
    path.write_text(SMALL_CATALOG, encoding="utf-8")
    if listed:
        (tmp_path / "locales" / FILE_NAME).write_text(listed, encoding="utf-8")
    config = tmp_path / "safebot.toml"
    config.write_text('overlay = "."\nlanguages = ["en", "sw"]\n', encoding="utf-8")
    return config


def check(config: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.tools.cli", "--config", str(config), "check"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip


def same_as_english_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "is the same as the English" in line]


def test_a_line_left_in_english_is_an_error_with_its_file_and_line(tmp_path: Path) -> None:
    result = check(instance(tmp_path))
    assert result.returncode == 1
    catalog = po_path(tmp_path / "locales", "sw")
    assert same_as_english_lines(result.stdout) == [
        f"{catalog}:9: the translation of 'Quick exit' is the same as the English: a child "
        "would read it in English. Translate it; if it is a name that every language writes "
        "this way, add it to locales/same-as-english.txt with a comment saying why.",
        f"{catalog}:24: the translation of 'Kinderlinja Veri' is the same as the English: a "
        "child would read it in English. Translate it; if it is a name that every language "
        "writes this way, add it to locales/same-as-english.txt with a comment saying why.",
    ]  # "Childline Kenya" and "SMS" are listed in the shipped file, "24/7" has no letters


def test_a_name_the_instance_lists_passes(tmp_path: Path) -> None:
    listed = "Kinderlinja Veri  # the helpline's own name\nQuick exit  # for this test only\n"
    result = check(instance(tmp_path, listed))
    assert same_as_english_lines(result.stdout) == []
    assert " 0 errors" in result.stderr + result.stdout


def test_the_shipped_catalogs_leave_nothing_in_english() -> None:
    names = read_names([LOCALES])
    assert {"Take It Down (NCMEC)", "Childline Kenya", "WhatsApp"} <= names
    for path in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        _catalog, status = read_catalog(path, path.parent.parent.name)
        assert [p for p in status.mismatches if "same as the English" in p.message] == []


def test_only_letters_need_translating() -> None:
    names = frozenset({"SMS", "Childline", "Childline Kenya"})
    assert not says_words("24/7", names)
    assert not says_words("{number} · 116", names)
    assert not says_words("SMS: {numbers}", names)
    assert not says_words("Childline Kenya", names)
    assert says_words("Childline Uganda", names)  # a listed word is not a listed name
    assert says_words("Quick exit", names)
