"""The `safebot` command as authors and deployers type it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def safebot(
    *args: str, stdin: str = "", data: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEBOT_")}
    if data is not None:
        env["SAFEBOT_DATA_DIR"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "bot.tools.cli", *args], input=stdin, capture_output=True,
        text=True, cwd=ROOT, env=env, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests/data/bad").glob("*.yaml")), ids=lambda p: p.stem
)
def test_check_fails_with_file_and_line_on_every_bad_file(path: Path) -> None:
    result = safebot("check", str(path.relative_to(ROOT)))
    assert result.returncode == 1
    assert f"tests/data/bad/{path.name}:" in result.stdout


def test_check_passes_on_the_shipped_dialogs_and_content() -> None:
    result = safebot("check", "dialogs", "content/helplines", "content/keywords")
    assert result.returncode == 0, result.stdout


def test_piped_choices_play_a_dialog_to_its_end(tmp_path: Path) -> None:
    result = safebot("play", "example", "--country", "KE", stdin="1\n" * 8, data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "You can always say no, and you can always ask for help." in result.stdout
    assert result.stdout.rstrip().endswith("(the end)")


def test_typed_words_in_play_get_the_warm_reply_with_the_helpline(tmp_path: Path) -> None:
    result = safebot("play", "example", "--country", "KE", stdin="hello\n", data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "I'm an automatic guide, so I can't chat" in result.stdout
    assert "you can talk to Childline Kenya: call 116" in result.stdout


def test_distress_says_what_heard_a_message_and_why() -> None:
    heard = safebot("distress", "he says pay or he posts my pics", "--lang", "en")
    assert heard.returncode == 0, heard.stderr
    assert "heard: sextortion (help first: sextortion)" in heard.stdout
    assert "rule: '" in heard.stdout and "content/keywords/en.yaml:" in heard.stdout
    ordinary = safebot("distress", "what time is the football on", "--lang", "en")
    assert "not heard as distress (tried: en)" in ordinary.stdout
    assert "with their helpline's number" in ordinary.stdout


def test_play_resumes_where_the_player_stopped(tmp_path: Path) -> None:
    safebot("play", "example", stdin="1\n1\n", data=tmp_path)  # input ends: like a kill
    result = safebot("play", "example", stdin="", data=tmp_path)
    assert "A new follower says Mo's drawings are the best" in result.stdout
    assert "Before the story" not in result.stdout


def test_the_database_holds_no_player_id_after_playing(tmp_path: Path) -> None:
    safebot("play", "example", stdin="1\n" * 8, data=tmp_path)
    raw = (tmp_path / "safebot.db").read_bytes()
    assert b"player" not in raw and b"terminal" not in raw
    rows = sqlite3.connect(tmp_path / "safebot.db").execute("SELECT key FROM children").fetchall()
    assert len(rows) == 1 and len(rows[0][0]) == 64  # a keyed hash, nothing else


def test_graph_draws_the_flow_as_mermaid() -> None:
    result = safebot("graph", "grooming", "--current", "gifts")
    assert result.returncode == 0
    assert result.stdout.startswith("---\n")
    assert "stateDiagram-v2" in result.stdout and "Class gifts s_active" in result.stdout
    assert "done --> [*]" in result.stdout


def test_unknown_dialog_gets_a_suggestion() -> None:
    result = safebot("play", "groming")
    assert result.returncode == 2 and "Did you mean 'grooming'?" in result.stderr


def test_stats_backup_and_init(tmp_path: Path) -> None:
    data = tmp_path / "data"
    safebot("play", "example", stdin="1\n" * 8, data=data)
    stats = safebot("stats", "--html", str(tmp_path / "report.html"), data=data)
    assert stats.returncode == 0 and "example" in stats.stdout
    assert "Learning gain per lesson" in (tmp_path / "report.html").read_text()
    backup = safebot("backup", str(tmp_path / "copy.db"), data=data)
    assert backup.returncode == 0
    assert sqlite3.connect(tmp_path / "copy.db").execute(
        "SELECT count(*) FROM children"
    ).fetchone() == (1,)
    init = safebot("init", str(tmp_path / "instance"))
    assert init.returncode == 0 and (tmp_path / "instance/safebot.toml").exists()
    checked = safebot("--config", str(tmp_path / "instance/safebot.toml"), "check", "dialogs")
    assert checked.returncode == 0


def test_every_command_has_help() -> None:
    for command in (
        "check",
        "helplines",
        "play",
        "graph",
        "review",
        "run",
        "demo",
        "review",
        "stats",
        "backup",
        "init",
        "i18n",
    ):
        result = safebot(command, "--help")
        assert result.returncode == 0 and "usage: safebot" in result.stdout
        assert f"`safebot {command}" in (ROOT / "README.md").read_text() or (
            command in ("backup", "init", "stats", "i18n")
            and f"safebot {command}"
            in (ROOT / "docs/deploying.md").read_text() + (ROOT / "README.md").read_text()
        )


def test_check_shows_each_lessons_sign_off_per_language_and_band() -> None:
    result = safebot("check", "dialogs/grooming.yaml")
    assert result.returncode == 0, result.stdout
    table = result.stdout[result.stdout.index("sign-off per lesson, language and age band:") :]
    assert table.splitlines()[1:3] == [
        "  grooming           en     10-12, 13-17: drafted by safebot project on 2026-11-24",
        "  grooming           ar     10-12, 13-17: drafted by safebot project on 2026-11-24",
    ]
    assert "reviewed by" not in table and "approved by" not in table  # nobody has, yet


def test_check_refuses_a_language_with_no_approved_lesson_when_approval_is_required(
    tmp_path: Path,
) -> None:
    (tmp_path / "dialogs").mkdir()
    lesson = (ROOT / "docs/examples/two_paths.yaml").read_text(encoding="utf-8")
    (tmp_path / "dialogs/two_paths.yaml").write_text(lesson, encoding="utf-8")
    config = tmp_path / "safebot.toml"
    config.write_text('overlay = "."\nlanguages = ["en", "sw"]\nrequire_approved = true\n')
    result = safebot("--config", str(config), "check")
    assert result.returncode == 1
    assert (
        f"{config}: require_approved is on, but no lesson is approved in 'sw'. Record a youth "
        "group's approval under 'review: sw:' of a lesson (docs/authoring.md), or take 'sw' "
        "out of 'languages'.\n"
    ) in result.stdout
    assert (
        "  two_paths          en     10-12: approved by Safeguarding lead, Example NGO on "
        "2026-12-01, reviewed by Youth panel, Nairobi on 2026-11-28\n"
        "  two_paths          sw     10-12: drafted by Translators, Example NGO Mombasa on "
        "2026-11-30\n"
    ) in result.stdout
    assert "  grooming           sw     10-12, 13-17: drafted by safebot project" in result.stdout


def test_check_names_a_sign_off_for_a_language_the_instance_cannot_have(tmp_path: Path) -> None:
    lesson = (ROOT / "docs/examples/first_story.yaml").read_text(encoding="utf-8")
    lesson = lesson.replace(
        "review:\n", "review:\n  de:\n    drafted: {by: our group, on: 2026-11-24}\n"
    )
    (tmp_path / "first_story.yaml").write_text(lesson, encoding="utf-8")
    result = safebot("check", str(tmp_path / "first_story.yaml"))
    assert result.returncode == 1
    assert ":9: review: 'de' has no translation in locales/, so nobody reads the lesson in it." in (
        result.stdout
    )
