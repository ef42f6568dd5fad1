"""The review booklet (`safebot review LESSON --html FILE`) as a youth group reads it: every
step and choice of every lesson in every band, translations beside the English with the
missing and fuzzy lines marked, a flow drawing that fits the page in a child's words, no
scripts, and in a real browser nothing wider than the screen and flow boxes that jump."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bot.content.load import Content
from bot.content.model import Dialog
from bot.settings import Settings, load_settings
from bot.tools.booklet import band_sections
from bot.tools.cli import main
from bot.tools.review_command import lesson_booklet

VOID = {"br", "meta", "img", "hr", "input", "link", "path", "rect"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        words = "".join(c if isinstance(c, str) else c.text() for c in self.children)
        return " ".join(words.split())

    def all(self, tag: str = "", **wanted: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                classes = child.attrs.get("class", "").split()
                if (not tag or child.tag == tag) and all(
                    (v in classes) if k == "cls" else child.attrs.get(k) == v
                    for k, v in wanted.items()
                ):
                    found.append(child)
                found += child.all(tag, **wanted)
        return found


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.open[-1].tag != tag:  # a tag left open is closed by its parent's end
            self.open.pop()
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parsed(page: str) -> Element:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree.root


def words(text: str) -> str:
    return " ".join(text.split())


def lessons(content: Content) -> list[Dialog]:
    return [d for d in content.dialogs.values() if d.is_lesson]


def instance(tmp_path: Path, po: str | None = None) -> Path:
    config = tmp_path / "safebot.toml"
    config.write_text('overlay = "."\n')
    if po is not None:
        folder = tmp_path / "locales" / "es" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_text(po, encoding="utf-8")
    return config


# -- every step, every choice, every band -------------------------------------------------


def test_the_booklet_holds_every_step_and_choice_of_every_lesson_in_every_band(
    content: Content,
) -> None:
    settings = Settings(show_drafts=True)
    assert len(lessons(content)) >= 10
    for dialog in lessons(content):
        page = lesson_booklet(content, [], settings, dialog.id, [], date(2026, 12, 1))
        assert "<script" not in page.lower() and " src=" not in page and "<link" not in page
        root = parsed(page)
        sections = band_sections(dialog)
        assert [band for band, _h, _k in sections] == (
            list(dialog.bands) if dialog.by_band() else [dialog.bands[0]]
        )
        for band, _heading, key in sections:
            for step in dialog.steps.values():
                found = root.all("section", id=f"{key}-{step.id}")
                assert len(found) == 1, (dialog.id, band, step.id)
                section = found[0]
                english = [c for c in section.all("div", cls="cell") if c.attrs["lang"] == "en"]
                said = [c.text() for c in english]
                assert words(step.text.in_band(band)) in said[0]
                if step.question:
                    assert said[1] == words(step.question.in_band(band))
                labels = [e.text() for c in english for e in c.all("span", cls="choice")]
                assert labels == [words(c.label.in_band(band)) for c in step.choices]
                feedback = [r.all("div", lang="en")[0].text() for r in section.all(
                    "div", cls="line-feedback")]  # fmt: skip
                wanted = [words(c.feedback.in_band(band)) for c in step.choices if c.feedback]
                assert len(feedback) == len(wanted)
                assert all(f.startswith(w) for f, w in zip(feedback, wanted, strict=True))
                right = [r.text() for r in section.all("div", cls="line-choice")
                         if r.all("span", cls="right")]  # fmt: skip
                assert right == [
                    f"{words(c.label.in_band(band))} ✓ right answer" + _leads(c.next, dialog)
                    for c in step.choices
                    if c.correct
                ]
                assert "reading grade" in section.all("p", cls="notes")[0].text()
        assert [a.attrs["href"] for a in root.all("section", id="sources")[0].all("a")] == list(
            dialog.sources
        )
        assert dialog.status in root.all("dl", cls="status")[0].text()


def _leads(step_id: str | None, dialog: Dialog) -> str:
    from bot.tools.booklet_words import reading_order

    order = [s.id for s in reading_order(dialog)]
    return f" → Step {order.index(step_id) + 1}" if step_id in order else ""


def test_the_flow_fits_a_page_and_speaks_in_the_childs_words(content: Content) -> None:
    settings = Settings(show_drafts=True)
    for dialog in lessons(content):
        root = parsed(lesson_booklet(content, [], settings, dialog.id, [], date(2026, 12, 1)))
        for band, _heading, key in band_sections(dialog):
            drawing = root.all("figure", id=f"{key}-flow")[0].all("svg")[0]
            _x, _y, width, _height = map(float, drawing.attrs["viewbox"].split())
            assert width <= 800
            boxes = [" ".join(t.text() for t in g.all("text")) for g in drawing.all("g")]
            assert len(boxes) > len(dialog.steps)
            assert not set(boxes) & set(dialog.steps), dialog.id  # no step ids
            lines = [t.text() for t in drawing.all("text")]
            assert not [line for line in lines if re.search(r"[a-z]_[a-z]", line)]
            for step in dialog.steps.values():
                link = drawing.all("a", href=f"#{key}-{step.id}")
                assert len(link) == 1, (dialog.id, step.id)
                box = " ".join(t.text() for t in link[0].all("text"))
                first = words(step.text.in_band(band)).split()[:3]
                assert box.split()[:3] == first
            # converging choices are arrows of their own: one pill and two arrows per choice
            choices = sum(len(s.choices) for s in dialog.steps.values())
            pills = drawing.all("g", cls="choice") + drawing.all("g", cls="right")
            assert len(pills) == choices
            assert len(drawing.all("path", cls="arrow")) == 2 * choices
            labels = {" ".join(t.text() for t in g.all("text")).removeprefix("✓ ")
                      for g in pills}  # fmt: skip
            assert {words(c.label.in_band(band)) for s in dialog.steps.values()
                    for c in s.choices} <= labels  # fmt: skip


# -- translations beside the English -----------------------------------------------------

CATALOG = """\
# Spanish translations for a test instance.
# Review status: checked by the Lima youth group.
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgctxt "grooming.meet_joy"
msgid "Joy is 13 and lives in Manila. After school, she plays an online game with her friends."
msgstr "Joy tiene 13 años y vive en Manila. Después de clase, juega en línea con sus amigos."

msgctxt "grooming.meet_joy"
msgid "Next"
msgstr ""

#, fuzzy
msgctxt "grooming.new_friend"
msgid "He seems really nice"
msgstr "Parece muy majo"
"""


def test_spanish_stands_beside_the_english_with_missing_and_fuzzy_lines_marked(
    tmp_path: Path,
) -> None:
    config = instance(tmp_path, CATALOG)
    page_file = tmp_path / "grooming.html"
    assert main(["--config", str(config), "review", "grooming", "--lang", "es",
                 "--html", str(page_file)]) == 0  # fmt: skip
    root = parsed(page_file.read_text(encoding="utf-8"))
    assert "checked by the Lima youth group" in root.all("dl", cls="status")[0].text()
    meet = root.all("section", id="ages-10-12-meet_joy")[0]
    heads = [c.text() for c in meet.all("div", cls="head")]
    assert heads == ["English", "Spanish"]
    text_row = meet.all("div", cls="line-text")[0]
    english, spanish = text_row.all("div", cls="cell")
    assert english.text().startswith("Joy is 13 and lives in Manila.")
    assert spanish.attrs["lang"] == "es" and "done" in spanish.attrs["class"].split()
    assert spanish.text() == "Joy tiene 13 años y vive en Manila. Después de clase, juega en " \
        "línea con sus amigos."  # fmt: skip
    _english, empty = meet.all("div", cls="line-choice")[0].all("div", cls="cell")
    assert empty.all("span", cls="mark")[0].text() == "not translated yet"
    assert "missing" in empty.attrs["class"].split()
    friend = root.all("section", id="ages-10-12-new_friend")[0]
    _english, fuzzy = friend.all("div", cls="line-choice")[0].all("div", cls="cell")
    assert fuzzy.all("span", cls="choice")[0].text() == "Parece muy majo"
    assert fuzzy.all("span", cls="mark")[0].text() == "needs checking"
    # a line the small catalog lacks is missing too, and a translated one is not marked
    assert root.all("section", id="ages-13-17-meet_joy")[0].all("span", cls="missing")
    assert not [c for c in root.all("div", cls="done") if c.all("span", cls="mark")]


def test_a_line_left_in_english_is_not_translated_unless_it_is_a_listed_name(
    tmp_path: Path,
) -> None:
    catalog = CATALOG.replace('msgstr ""\n\n#, fuzzy', 'msgstr "Next"\n\n#, fuzzy')
    config = instance(tmp_path, catalog)
    settings = load_settings(config)
    from bot.content.load import read_content

    content, problems = read_content(settings)
    page = lesson_booklet(content, problems, settings, "grooming", ["es"], date(2026, 12, 1))
    meet = parsed(page).all("section", id="ages-10-12-meet_joy")[0]
    _english, same = meet.all("div", cls="line-choice")[0].all("div", cls="cell")
    assert same.all("span", cls="choice")[0].text() == "Next"
    assert same.all("span", cls="mark")[0].text() == "not translated yet"


# -- mistakes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words_typed", "said"),
    [
        (["review", "groming"], "there is no lesson 'groming'. Did you mean 'grooming'?"),
        (
            ["review", "grooming", "--lang", "ess"],
            "there is no translation 'ess'. Did you mean 'es'?",
        ),
    ],
)
def test_an_unknown_lesson_or_language_gets_a_suggestion_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], words_typed: list[str], said: str
) -> None:
    config = instance(tmp_path)
    target = tmp_path / "booklet.html"
    assert main(["--config", str(config), *words_typed, "--html", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"safebot review: {said}\n"
    assert not target.exists() and not list(tmp_path.glob(".*partial"))


# -- in a real browser -------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("size", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_in_a_browser_nothing_is_wider_than_the_screen_and_flow_boxes_jump(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from tests.test_web_browser import CHROMIUM, DRIVER, _browser_or_skip

    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    page_file = tmp_path / "grooming.html"
    config = instance(tmp_path, CATALOG)
    assert main(["--config", str(config), "review", "grooming", "--lang", "es",
                 "--html", str(page_file)]) == 0  # fmt: skip
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(flag)
    driver: Any = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        width, height = size
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": width < 600})  # fmt: skip
        driver.get(page_file.as_uri())
        wide = driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];"
        )
        # innerWidth too: a phone zooms out to fit a page wider than itself
        assert wide[0] <= wide[1] == width, wide
        box = driver.find_element(By.CSS_SELECTOR, 'svg a[href="#ages-13-17-who_to_tell"]')
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
        before = driver.execute_script("return window.scrollY;")
        box.find_element(By.CSS_SELECTOR, "text").click()  # the words a reader taps
        top = driver.execute_script(
            "return document.getElementById('ages-13-17-who_to_tell').getBoundingClientRect().top;"
        )
        assert driver.execute_script("return location.hash;") == "#ages-13-17-who_to_tell"
        assert abs(top) < 2 and driver.execute_script("return window.scrollY;") > before
    finally:
        driver.quit()
