"""`safebot helplines` and the helplines warnings of `safebot check`, as an NGO reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.content.helpline_files import read_directory
from tests.test_cli import ROOT, safebot

SHIPPED = ROOT / "content" / "helplines"
TODAY = datetime.now(UTC).date()  # the day the command reads as today


def kenya(verified: date) -> str:
    """A Kenya file of test entries (not real helpline data): one verified, one in doubt."""
    return (
        "# test data, not real helplines\n"
        "country: KE\n"
        'emergency: ["112"]\n'
        "emergency_source: https://example.org/emergency\n"
        "helplines:\n"
        "  - name: Test Childline\n"
        "    kind: child_helpline\n"
        '    phone: ["116"]\n'
        "    source: https://example.org/childline\n"
        f"    verified: {verified.isoformat()}\n"
        '    evidence: "The page says: call 116."\n'
        "  - name: Test Crisis Line (Kenya)\n"
        "    kind: crisis_line\n"
        '    phone: ["1199"]\n'
        "    source: https://example.org/crisis\n"
        '    unverified: "only a 2020 news page gives the number; the service may have closed '
        'since then, and nobody answered when we called it in the test"\n'
    )


def instance(tmp_path: Path, verified: date) -> Path:
    """An instance whose overlay replaces the Kenya file; returns its safebot.toml."""
    folder = tmp_path / "instance"
    assert safebot("init", str(folder)).returncode == 0
    (folder / "content/helplines/KE.yaml").write_text(kenya(verified), encoding="utf-8")
    return folder / "safebot.toml"


def row(output: str, code: str) -> str:
    found = [line for line in output.splitlines() if line.startswith(f"{code} ")]
    assert len(found) == 1, output
    return found[0]


def test_the_table_has_a_row_per_country_and_a_total_line() -> None:
    result = safebot("helplines")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["code", "country", "entries", "kinds", "verified", "doubts"]
    directory, _problems = read_directory(sorted(SHIPPED.glob("*.yaml")), TODAY)
    assert len(lines) == 1 + len(directory.countries()) + 1 + 1  # heading, countries, global
    britain = row(result.stdout, "GB").split("  ")
    cells = [cell.strip() for cell in britain if cell.strip()]
    assert cells[:4] == [
        "GB",
        "United Kingdom",
        "7",
        "child, crisis, report, removal, police, emergency",
    ]
    assert "from anywhere (global.yaml)" in row(result.stdout, "global")
    entries = sum(len(p.helplines) for p in (*directory.by_country.values(), directory.worldwide))
    total = lines[-1]
    assert total.startswith(
        f"total: {len(directory.countries())} countries and the worldwide list; {entries} entries ("
    )
    assert "child " in total and "crisis " in total
    assert total.endswith(" unverified")


def test_the_table_reads_the_overlay_and_says_how_old_and_what_is_in_doubt(
    tmp_path: Path,
) -> None:
    config = instance(tmp_path, TODAY - timedelta(days=400))
    result = safebot("--config", str(config), "helplines")
    assert result.returncode == 0, result.stderr
    line = row(result.stdout, "KE")
    assert "Kenya" in line and " 2 " in line and "child, crisis, emergency" in line
    assert "13 months" in line  # 400 days
    # the doubt, shortened, under the entry's short name
    assert "Test Crisis Line: only a 2020 news page gives the number;…" in line
    assert "nobody answered" not in line


def test_doubts_shows_only_countries_in_doubt(tmp_path: Path) -> None:
    config = instance(tmp_path, TODAY - timedelta(days=20))
    result = safebot("--config", str(config), "helplines", "--doubts")
    assert result.returncode == 0, result.stderr
    assert "20 days" in row(result.stdout, "KE")  # in doubt for its unverified entry
    assert not any(line.startswith("GB ") for line in result.stdout.splitlines())
    directory, _problems = read_directory(sorted(SHIPPED.glob("*.yaml")), TODAY)
    shown = [line.split()[0] for line in result.stdout.splitlines()[1:-1]]
    assert all(
        any(h.verified is None for h in directory.for_country(code).helplines)
        for code in shown
        if code not in ("KE", "global")
    )
    assert result.stdout.splitlines()[-1].startswith(
        f"total: {len(shown) - 1} of {len(directory.countries())} countries and the worldwide list"
    )


def test_an_entry_verified_over_a_year_ago_is_in_doubt(tmp_path: Path) -> None:
    config = instance(tmp_path, TODAY - timedelta(days=400))
    (tmp_path / "instance/content/helplines/KE.yaml").write_text(
        kenya(TODAY - timedelta(days=400)).split("  - name: Test Crisis")[0], encoding="utf-8"
    )
    result = safebot("--config", str(config), "helplines", "--doubts")
    line = row(result.stdout, "KE")
    assert "13 months" in line and line.endswith("-")  # old, though nothing is unverified


def test_check_warns_on_unverified_and_old_entries(tmp_path: Path) -> None:
    folder = tmp_path / "helplines"
    folder.mkdir()
    (folder / "global.yaml").write_text((SHIPPED / "global.yaml").read_text(encoding="utf-8"))
    (folder / "KE.yaml").write_text(kenya(TODAY - timedelta(days=400)), encoding="utf-8")
    result = safebot("check", str(folder))
    assert result.returncode == 0, result.stdout  # warnings do not fail the check
    old = (TODAY - timedelta(days=400)).isoformat()
    assert (
        f"KE.yaml:10: warning: 'Test Childline' was last verified on {old}, more than 12 "
        "months ago. Check it against its source again, then update 'verified'." in result.stdout
    )
    assert (
        "KE.yaml:16: warning: 'Test Crisis Line (Kenya)' is not verified: only a 2020 news "
        "page gives the number;" in result.stdout
    )
