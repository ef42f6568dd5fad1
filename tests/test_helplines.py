"""The helplines directory: shipped content, the hand-off message, and the checker."""

from __future__ import annotations

import gettext
from datetime import date
from pathlib import Path

import pytest

from bot.content.helpline_files import read_directory
from bot.content.helplines import Directory
from bot.content.load import load_content
from bot.content.model import MAX_TEXT
from bot.errors import Problem, ProblemsFound, shown_path
from bot.render.handoff import build_handoff
from bot.settings import Settings
from tests.transcript import html

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "content" / "helplines"
BAD = Path(__file__).parent / "data" / "bad_helplines"
# the countries of the first research (research/helplines.tsv), all shipped
RESEARCHED = [
    "AR",
    "AT",
    "AU",
    "BD",
    "BE",
    "BR",
    "CA",
    "CL",
    "CO",
    "CZ",
    "DE",
    "DK",
    "EG",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "HU",
    "ID",
    "IE",
    "IN",
    "IT",
    "JO",
    "JP",
    "KE",
    "LK",
    "MX",
    "MY",
    "NG",
    "NL",
    "NP",
    "NZ",
    "PE",
    "PH",
    "PK",
    "PL",
    "PT",
    "RO",
    "SA",
    "SE",
    "TH",
    "TZ",
    "UA",
    "UG",
    "US",
    "VN",
    "ZA",
]
TODAY = date(2026, 12, 2)
PLAIN = gettext.NullTranslations()


def check_helplines(folder: Path, today: date) -> list[Problem]:
    """Every problem in one folder of helplines files."""
    return sorted(read_directory(sorted(folder.glob("*.yaml")), today, folder)[1])


def load_directory(folder: Path) -> Directory:
    directory, problems = read_directory(sorted(folder.glob("*.yaml")), TODAY, folder)
    assert not [p for p in problems if p.severity == "error"], problems
    return directory


DIRECTORY = load_directory(SHIPPED)


class Marked(gettext.NullTranslations):
    """Shows which context each content string was looked up in."""

    def pgettext(self, context: str, message: str) -> str:
        return f"[{context}] {message}"


def handoff(country: str | None, topic: str = "general", directory: Directory = DIRECTORY) -> str:
    return html(build_handoff(directory, country, topic, PLAIN, ""))


def test_shipped_helplines_have_no_errors() -> None:
    problems = check_helplines(SHIPPED, TODAY)
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_at_least_seventy_countries_and_every_researched_one_are_shipped() -> None:
    countries = DIRECTORY.countries()
    assert len(countries) >= 70
    assert set(RESEARCHED) <= set(countries)


@pytest.mark.parametrize("country", DIRECTORY.countries())
def test_every_country_hands_off_to_its_child_helpline(country: str) -> None:
    for topic in ("general", "images", "crisis", "danger", "sextortion", "reporting"):
        reply = build_handoff(DIRECTORY, country, topic, PLAIN, "Somewhere")
        buttons = [b for row in reply.buttons for b in row]
        assert len(reply.plain()) < MAX_TEXT
        assert len(buttons) <= 6
        assert reply.kind == "help"
        helpline = DIRECTORY.child_helpline(country)
        if helpline and helpline.phone:
            assert helpline.phone[0] in html(reply)
        else:  # no child helpline a source confirms: the directory of every country's
            assert "Find a child helpline near you" in html(reply)
            assert "Child Helpline International" in html(reply)
        crisis_first = topic == "crisis" and DIRECTORY.for_country(country).of_kind("crisis_line")
        if helpline and helpline.phone and not crisis_first:
            assert buttons[0].copy == helpline.phone[0]
        # every shipped country names its own emergency number, never "your local" one
        if DIRECTORY.for_country(country).emergency or DIRECTORY.for_country(country).of_kind(
            "emergency"
        ):
            assert "In danger right now? Call <b>" in html(reply)


def test_kenya_hand_off() -> None:
    reply = build_handoff(DIRECTORY, "KE", "general", PLAIN, "Kenya")
    assert html(reply).splitlines()[:4] == [
        "<b>You are not alone. These people in Kenya can help:</b>",
        "",
        "💬 <i>Talk to someone</i>",
        "<b>Childline Kenya</b>",
    ]
    assert "📞 116 · 24/7 · free" in html(reply)
    assert reply.buttons[0][0].label == "Copy number 116"


def test_unknown_country_gets_help_from_anywhere() -> None:
    for country in (None, "NO", "zz"):
        text = handoff(country)
        for name in ("Child Helpline International", "Take It Down", "INHOPE", "CyberTipline"):
            assert name in text
        assert "In danger right now? Call your local emergency number." in text


def test_unknown_country_is_named_when_known() -> None:
    reply = build_handoff(DIRECTORY, "NO", "general", PLAIN, "Norway")
    assert html(reply).startswith("<b>You are not alone. I have no list for Norway yet")


def test_images_topic_adds_removal_tools() -> None:
    assert "Take It Down" not in handoff("KE")
    assert "Take It Down" in handoff("KE", "images")
    british = handoff("GB", "images")
    assert "Report Remove" in british
    assert "Take It Down" in british


def test_images_topic_puts_removal_buttons_first() -> None:
    reply = build_handoff(DIRECTORY, "GB", "images", PLAIN, "")
    labels = [b.label for row in reply.buttons for b in row]
    assert labels == [
        "Copy number 0800 1111",
        "Chat with Childline",
        "Use Report Remove",
        "Use Take It Down",
        "Report: Internet Watch Foundation",
    ]
    # after a threat, the police route comes too
    reply = build_handoff(DIRECTORY, "GB", "sextortion", PLAIN, "")
    labels = [b.label for row in reply.buttons for b in row]
    assert "Report: CEOP Safety Centre" in labels


def test_report_remove_is_shown_only_in_britain() -> None:
    """Report Remove is for UK young people: no other country, nor help from anywhere."""
    for country in [*DIRECTORY.countries(), None]:
        for topic in ("images", "sextortion", "general", "crisis", "danger", "reporting"):
            shown = "Report Remove" in handoff(country, topic)
            assert shown == (country == "GB" and topic in ("images", "sextortion")), (
                country,
                topic,
            )


def test_a_worldwide_entry_scoped_to_a_country_is_shown_only_there(tmp_path: Path) -> None:
    for name in ("GB.yaml", "KE.yaml"):
        (tmp_path / name).write_text((SHIPPED / name).read_text(encoding="utf-8"))
    (tmp_path / "global.yaml").write_text(
        (SHIPPED / "global.yaml").read_text(encoding="utf-8") + "  - name: Test Removal Tool\n"
        "    kind: removal_tool\n"
        "    website: https://example.org/remove\n"
        "    countries: [GB]\n"
        "    source: https://example.org/remove\n"
        "    verified: 2026-11-01\n"
        '    evidence: "for young people in the UK"\n'
    )
    directory = load_directory(tmp_path)
    assert "Test Removal Tool" in handoff("GB", "images", directory)
    assert "Test Removal Tool" not in handoff("KE", "images", directory)
    assert "Test Removal Tool" not in handoff(None, "images", directory)


def test_emergency_line() -> None:
    assert "🚨 In danger right now? Call <b>999</b>." in handoff("GB")
    assert "🚨 In danger right now? Call <b>17</b> or <b>112</b>." in handoff("FR")
    # Italy's number for children in danger (114) is an entry of kind emergency
    assert "🚨 In danger right now? Call <b>112</b>, <b>113</b> or <b>114</b>." in handoff("IT")
    assert "🚨 In danger right now? Call <b>112</b> or <b>133</b>." in handoff("AT")


def test_country_without_child_helpline_points_to_the_network() -> None:
    text = handoff("MX")
    assert "Find a child helpline near you" in text
    assert "Child Helpline International" in text


def test_country_without_hotline_gets_the_cybertipline() -> None:
    assert "NCMEC CyberTipline" in handoff("KE")
    assert "NCMEC CyberTipline" not in handoff("GB")


def test_content_goes_through_its_translation_context() -> None:
    text = html(build_handoff(DIRECTORY, "KE", "images", Marked(), ""))
    assert "<b>[helplines.KE] Childline Kenya</b>" in text
    assert "[helplines.KE] 24/7" in text
    assert "<b>[helplines.global] Take It Down (NCMEC)</b>" in text


def test_content_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "global.yaml").write_text((SHIPPED / "global.yaml").read_text(encoding="utf-8"))
    (tmp_path / "KE.yaml").write_text(
        "country: KE\n"
        'emergency: ["112"]\n'
        "emergency_source: https://example.org/emergency\n"
        "helplines:\n"
        "  - name: Kids & Teens <Line>\n"
        "    kind: child_helpline\n"
        '    phone: ["116"]\n'
        '    hours: "<b>always</b>"\n'
        "    source: https://example.org/line\n"
        "    verified: 2026-11-01\n"
        '    evidence: "Call 116."\n'
    )
    text = handoff("KE", directory=load_directory(tmp_path))
    assert "<b>Kids &amp; Teens &lt;Line&gt;</b>" in text
    assert "&lt;b&gt;always&lt;/b&gt;" in text


def test_directory_lookups() -> None:
    assert DIRECTORY.for_country("ke") == DIRECTORY.for_country("KE")
    assert DIRECTORY.for_country(None).country == "global"
    assert DIRECTORY.for_country("NO").country == "global"
    kenya = DIRECTORY.child_helpline("KE")
    assert kenya is not None
    assert (kenya.name, kenya.phone, kenya.verified) == (
        "Childline Kenya",
        ("116",),
        date(2026, 12, 2),
    )


def test_entries_come_in_reading_order() -> None:
    kinds = [h.kind for h in DIRECTORY.for_country("GB").helplines]
    assert kinds == [
        "child_helpline",
        "crisis_line",
        "crisis_line",
        "crisis_line",
        "report_hotline",
        "removal_tool",
        "police",
    ]


def instance_with(tmp_path: Path, *files: Path) -> Settings:
    """An instance whose overlay holds these helplines files."""
    folder = tmp_path / "content" / "helplines"
    folder.mkdir(parents=True)
    for source in files:
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return Settings(overlay=tmp_path)


def test_start_up_refuses_a_helplines_file_with_errors(tmp_path: Path) -> None:
    with pytest.raises(ProblemsFound) as raised:
        load_content(instance_with(tmp_path, BAD / "bad_phone" / "KE.yaml"))
    assert "phone '116a' may only contain digits" in str(raised.value)


def test_start_up_accepts_warnings(tmp_path: Path) -> None:
    settings = instance_with(tmp_path, BAD / "old_verified" / "KE.yaml")
    kenya = load_content(settings).directory.child_helpline("KE")
    assert kenya is not None and kenya.source == "https://example.org/childline"


def test_missing_global_file_is_an_error(tmp_path: Path) -> None:
    assert [str(p) for p in check_helplines(tmp_path, TODAY)] == [
        f"{shown_path(tmp_path)}/global.yaml: there is no global.yaml. Add it: children who "
        "do not say their country see its helplines."
    ]


def _cases() -> list[Path]:
    return sorted(path for path in BAD.glob("*/*.yaml"))


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.parent.name)
def test_bad_helpline_files(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = [
        f"{shown_path(path)}:{line.removeprefix('# expect: ')}"
        for line in lines
        if line.startswith("# expect:")
    ]
    problems = check_helplines(path.parent, TODAY)
    assert [str(p) for p in problems if p.path == shown_path(path)] == expected
