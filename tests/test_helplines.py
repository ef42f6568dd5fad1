"""The helplines directory: shipped content, the hand-off message, and the checker."""

from __future__ import annotations

import gettext
from datetime import date
from pathlib import Path

import pytest

from bot.handoff import build_handoff
from bot.helplines import Directory, check_helplines, load_directory
from bot.problems import ProblemsFound
from bot.reply import MAX_TEXT

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "content" / "helplines"
BAD = Path(__file__).parent / "data" / "bad_helplines"
TSV = ROOT.parent / "shared" / "research" / "helplines.tsv"
TODAY = date(2026, 12, 2)
PLAIN = gettext.NullTranslations()
DIRECTORY = load_directory(SHIPPED)


class Marked(gettext.NullTranslations):
    """Shows which context each content string was looked up in."""

    def pgettext(self, context: str, message: str) -> str:
        return f"[{context}] {message}"


def handoff(country: str | None, topic: str = "general", directory: Directory = DIRECTORY) -> str:
    return build_handoff(directory, country, topic, PLAIN, "").text


def test_shipped_helplines_have_no_errors() -> None:
    problems = check_helplines(SHIPPED, TODAY)
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_at_least_seventy_countries_and_every_researched_one_are_shipped() -> None:
    countries = DIRECTORY.countries()
    assert len(countries) >= 70
    researched = {line.split("\t")[0] for line in TSV.read_text(encoding="utf-8").splitlines()[1:]}
    # every country of the first research (EU rows are about 116 111, in global.yaml)
    assert {c for c in researched if len(c) == 2} - {"EU"} <= set(countries)


@pytest.mark.parametrize("country", DIRECTORY.countries())
def test_every_country_hands_off_to_its_child_helpline(country: str) -> None:
    for topic in ("general", "images", "crisis", "danger", "sextortion", "reporting"):
        reply = build_handoff(DIRECTORY, country, topic, PLAIN, "Somewhere")
        buttons = [b for row in reply.buttons for b in row]
        assert len(reply.text) < MAX_TEXT
        assert len(buttons) <= 6
        assert reply.kind == "help"
        helpline = DIRECTORY.child_helpline(country)
        if helpline and helpline.phone:
            assert helpline.phone[0] in reply.text
        else:  # no child helpline a source confirms: the directory of every country's
            assert "Find a child helpline near you" in reply.text
            assert "Child Helpline International" in reply.text
        crisis_first = topic == "crisis" and DIRECTORY.for_country(country).of_kind("crisis_line")
        if helpline and helpline.phone and not crisis_first:
            assert buttons[0].copy == helpline.phone[0]
        # every shipped country names its own emergency number, never "your local" one
        if DIRECTORY.for_country(country).emergency or DIRECTORY.for_country(country).of_kind(
            "emergency"
        ):
            assert "In danger right now? Call <b>" in reply.text


def test_kenya_hand_off() -> None:
    reply = build_handoff(DIRECTORY, "KE", "general", PLAIN, "Kenya")
    assert reply.text.splitlines()[:4] == [
        "<b>You are not alone. These people in Kenya can help:</b>",
        "",
        "💬 <i>Talk to someone</i>",
        "<b>Childline Kenya</b>",
    ]
    assert "📞 116 · 24/7 · free" in reply.text
    assert reply.buttons[0][0].label == "Copy number 116"


def test_unknown_country_gets_help_from_anywhere() -> None:
    for country in (None, "NO", "zz"):
        text = handoff(country)
        for name in ("Child Helpline International", "Take It Down", "INHOPE", "CyberTipline"):
            assert name in text
        assert "In danger right now? Call your local emergency number." in text


def test_unknown_country_is_named_when_known() -> None:
    reply = build_handoff(DIRECTORY, "NO", "general", PLAIN, "Norway")
    assert reply.text.startswith("<b>You are not alone. I have no list for Norway yet")


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
    text = build_handoff(DIRECTORY, "KE", "images", Marked(), "").text
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


def test_load_directory_refuses_errors() -> None:
    with pytest.raises(ProblemsFound) as raised:
        load_directory(BAD / "bad_phone")
    assert "phone '116a' may only contain digits" in str(raised.value)


def test_load_directory_accepts_warnings(tmp_path: Path) -> None:
    for source in (SHIPPED / "global.yaml", BAD / "old_verified" / "KE.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_directory(tmp_path).countries() == ["KE"]


def test_missing_global_file_is_an_error(tmp_path: Path) -> None:
    assert [str(p) for p in check_helplines(tmp_path, TODAY)] == [
        f"{tmp_path}/global.yaml: there is no global.yaml. Add it: children who do not say "
        "their country see its helplines."
    ]


def _cases() -> list[Path]:
    return sorted(path for path in BAD.glob("*/*.yaml"))


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.parent.name)
def test_bad_helpline_files(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = [
        f"{path}:{line.removeprefix('# expect: ')}"
        for line in lines
        if line.startswith("# expect:")
    ]
    problems = check_helplines(path.parent, TODAY)
    assert [str(p) for p in problems if p.path == str(path)] == expected
