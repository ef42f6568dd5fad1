"""Review mode (`safebot demo --review`) in a real headless Chromium: on a phone, a review
group names its session, marks steps while playing a lesson, the notes survive a restart
and a removed step, and authors read them with `safebot review notes`; on a phone and on a
desktop screen, clicking a step of the flow takes the chat there."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.test_web_browser import (
    CHROMIUM,
    DRIVER,
    ROOT,
    Demo,
    _browser_or_skip,
    console_errors,
    flow_svg,
    messages,
    settle,
    shot,
    stored,
    tap,
    until,
    wait_text,
)

pytestmark = pytest.mark.browser

SESSION = "Youth panel Nairobi, 3 Dec"
SCREENS = {
    "phone": {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    "desktop": {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
}
NOTE_FIELDS = {"step", "session", "language", "band", "mark", "note", "day", "words"}


@pytest.fixture(params=list(SCREENS))
def browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    screen = SCREENS[request.param]
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--window-size={screen['width']},{screen['height']}",
                 f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", screen)
    driver.screen_name = request.param
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """An instance folder whose overlay holds its own copy of the example lesson."""
    folder = tmp_path / "instance"
    (folder / "dialogs").mkdir(parents=True)
    shutil.copy(ROOT / "dialogs" / "example.yaml", folder / "dialogs" / "example.yaml")
    (folder / "safebot.toml").write_text('overlay = "."\n')
    return folder


def review_demo(instance: Path, port: int = 0) -> Demo:
    return Demo(instance / "safebot.toml", instance / "data", "--review", port=port)


# -- what a review group does on the page ------------------------------------------------


def start_session(browser: Any, name: str) -> None:
    field = until(lambda: browser.find_element("id", "review-session"), "the session field")
    assert "never your own names" in browser.find_element("id", "review-start").text
    field.send_keys(name + "\n")
    until(lambda: browser.find_element("id", "review-mark").is_displayed(), "the marks")
    assert browser.find_element("id", "review-session-name").text == name


def open_example(browser: Any) -> None:
    tap(browser, "Show me the stories")
    tap(browser, "Kenya")
    tap(browser, "10 to 12")
    tap(browser, "Mo and the new follower")  # a draft: shown in review mode


def on_step(browser: Any, step: str) -> None:
    until(lambda: f"“{step}”" in browser.find_element("id", "review-step").text,
          f"the panel on the step {step}")  # fmt: skip


def mark_button(browser: Any, mark: str) -> Any:
    return browser.find_element("css selector", f'#review [data-mark="{mark}"]')


def saved(browser: Any, mark: str, step: str) -> None:
    until(lambda: browser.find_element("id", "review-status").text
          == f"Saved: “{mark}” on the step “{step}”.", f"{mark} saved on {step}")  # fmt: skip


def note_field(browser: Any) -> Any:
    return browser.find_element("id", "review-note")


def click_flow_step(browser: Any, step: str) -> None:
    found = f'#flow g.node.jump[data-step="{step}"]'
    node = until(lambda: browser.find_elements("css selector", found), f"{step} in the flow")[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", node)
    node.click()


def mark(browser: Any, step: str, how: str, note: str = "") -> None:
    """On the step shown, type the note (if any) and tap the mark, then see it saved."""
    on_step(browser, step)
    if note:
        note_field(browser).send_keys(note)
    mark_button(browser, how).click()
    saved(browser, how, step)


def start_example(browser: Any, demo: Any) -> None:
    browser.get(demo.url)
    wait_text(browser, "automatic guide")
    start_session(browser, SESSION)
    open_example(browser)


def review_notes(instance: Path, *options: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.tools.cli", "--config", str(instance / "safebot.toml"),
         "review", "notes", "example", *options],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("browser", ["phone"], indirect=True)  # the layouts: below
def test_notes_on_three_steps_survive_a_restart_and_reach_the_authors(
    browser: Any, instance: Path
) -> None:
    demo = review_demo(instance)
    try:
        start_example(browser, demo)
        mark(browser, "check_before", "clear")  # a mark alone: one tap

        tap(browser, "An adult I trust")
        mark(browser, "meet_mo", "confusing", "We did not get who Mo is, a boy or a girl?")

        tap(browser, "Next")
        on_step(browser, "new_follower")
        mark_button(browser, "not right").click()
        saved(browser, "not right", "new_follower")
        note_field(browser).send_keys("Nobody says 'just us' any more; say 'DM me'.")
        assert browser.find_element("id", "review-status").text == "Press Save to keep the note."
        browser.find_element("id", "review-save").click()
        saved(browser, "not right", "new_follower")
        shot(browser, f"review-1-marked-{browser.screen_name}")
        client = stored(browser, "localStorage", "safebot-client")
    finally:
        demo.stop()

    # the review file: plain YAML, the three notes, nothing about the people or the chat
    text = (instance / "reviews" / "example.yaml").read_text(encoding="utf-8")
    assert client not in text
    assert not re.search(r"[0-9a-f]{16,}", text)  # no client id, no child key, no hash
    notes = yaml.safe_load(text)["notes"]
    assert [set(n) for n in notes] == [NOTE_FIELDS] * 3
    assert [(n["step"], n["mark"]) for n in notes] == [
        ("check_before", "clear"), ("meet_mo", "confusing"), ("new_follower", "not right"),
    ]  # fmt: skip
    assert {(n["session"], n["language"], n["band"]) for n in notes} == {(SESSION, "en", "10-12")}
    assert not (instance / "data" / "reviews").exists()

    # started again on the same port, so the browser's page is the same chat
    demo = review_demo(instance, demo.port)
    try:
        browser.get(demo.url)
        browser.get_log("browser")  # forget the polls that found the demo stopped
        on_step(browser, "new_follower")
        until(lambda: mark_button(browser, "not right").get_attribute("aria-pressed") == "true",
              "the group's mark on new_follower")  # fmt: skip
        assert "DM me" in note_field(browser).get_attribute("value")
        click_flow_step(browser, "meet_mo")
        on_step(browser, "meet_mo")
        until(lambda: mark_button(browser, "confusing").get_attribute("aria-pressed") == "true",
              "the group's mark on meet_mo")  # fmt: skip
        assert "who Mo is" in note_field(browser).get_attribute("value")
        assert console_errors(browser) == []
    finally:
        demo.stop()

    page = review_notes(instance)
    assert page.startswith("# Review notes: Mo and the new follower (example)")
    assert f"3 notes from 1 review session: {SESSION}." in page
    steps = [page.index(f"## Step `{s}`") for s in ("check_before", "meet_mo", "new_follower")]
    assert steps == sorted(steps)  # in the lesson's order
    meet_mo = page[steps[1] : steps[2]]
    assert "- **confusing**: We did not get who Mo is, a boy or a girl?" in meet_mo
    assert f"session: {SESSION}; language: en; band: 10-12" in meet_mo
    assert "> Mo is 13 and lives in Nairobi. Mo posts drawings online." in meet_mo
    assert "> [Next]" in meet_mo
    assert "- **clear**: (no note written)" in page[steps[0] : steps[1]]
    assert "- **not right**: Nobody says 'just us' any more; say 'DM me'." in page[steps[2] :]
    assert "step removed" not in page

    written = instance / "notes.csv"
    assert review_notes(instance, "--format", "csv", "--output", str(written)).startswith(
        f"wrote {written}"
    )
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8"))))
    assert [(r["step"], r["mark"], r["step_removed"]) for r in rows] == [
        ("check_before", "clear", "no"), ("meet_mo", "confusing", "no"),
        ("new_follower", "not right", "no"),
    ]  # fmt: skip
    assert rows[1]["session"] == SESSION and rows[1]["band"] == "10-12"
    assert rows[2]["words_then"].startswith("A new follower says Mo's drawings are the best")


@pytest.mark.parametrize("browser", ["phone"], indirect=True)  # the layouts: below
def test_a_note_on_a_step_later_removed_is_kept_and_marked(browser: Any, instance: Path) -> None:
    demo = review_demo(instance)
    try:
        start_example(browser, demo)
        tap(browser, "An adult I trust")
        mark(browser, "meet_mo", "confusing", "Too short: who is Mo?")

        # the authors take the step out (the demo reads the lesson again) and go on
        lesson = instance / "dialogs" / "example.yaml"
        words = lesson.read_text(encoding="utf-8")
        cut = words[: words.index("  meet_mo:\n")] + words[words.index("  new_follower:\n") :]
        lesson.write_text(cut.replace("next: meet_mo", "next: new_follower"), encoding="utf-8")
        until(lambda: "meet_mo" not in flow_svg(browser), "the flow without meet_mo", within=15)
        browser.find_element("css selector", "[data-command=lessons]").click()
        tap(browser, "Mo and the new follower")
        tap(browser, "An adult I trust")
        on_step(browser, "new_follower")
        mark_button(browser, "clear").click()
        saved(browser, "clear", "new_follower")
    finally:
        demo.stop()

    notes = yaml.safe_load((instance / "reviews" / "example.yaml").read_text())["notes"]
    assert [(n["step"], n["mark"]) for n in notes] == [
        ("meet_mo", "confusing"), ("new_follower", "clear"),
    ]  # fmt: skip
    page = review_notes(instance)
    kept, removed = page.index("## Step `new_follower`"), page.index("## Step `meet_mo`")
    assert kept < removed  # the lesson's steps first, then the removed ones
    assert "## Step `meet_mo` (step removed)" in page
    assert "> Mo is 13 and lives in Nairobi. Mo posts drawings online." in page[removed:]
    assert "- **confusing**: Too short: who is Mo?" in page[removed:]
    rows = list(csv.DictReader(io.StringIO(review_notes(instance, "--format", "csv"))))
    assert [(r["step"], r["step_removed"]) for r in rows] == [
        ("new_follower", "no"), ("meet_mo", "yes"),
    ]  # fmt: skip


def test_clicking_a_step_of_the_flow_takes_the_chat_there(browser: Any, instance: Path) -> None:
    demo = review_demo(instance)
    try:
        browser.get(demo.url)
        wait_text(browser, "automatic guide")
        start_session(browser, "Jump test group")
        open_example(browser)
        until(lambda: "check_before" in flow_svg(browser), "the flow of the lesson")
        assert "Mo feels unsure" not in messages(browser)

        click_flow_step(browser, "what_mo_does")
        wait_text(browser, "Mo feels unsure. That feeling matters.")
        on_step(browser, "what_mo_does")
        until(lambda: "(what_mo_does)" in browser.find_element("id", "flow-title").text,
              "the flow title on what_mo_does")  # fmt: skip
        shot(browser, f"review-2-jumped-{browser.screen_name}")
        tap(browser, "Tell an adult Mo trusts")  # the lesson goes on from the new step
        wait_text(browser, "Telling someone is brave")
        on_step(browser, "help")
        # the first step's buttons, from before the jump, are old now: they move nothing
        old = [b for b in browser.find_elements("css selector", "#messages button.chip:enabled")
               if b.text == "Nobody, I should handle it alone"]  # fmt: skip
        old[0].click()
        until(lambda: browser.find_element("id", "toast").is_displayed(), "the old-button note")
        settle(browser)
        assert "(help)" in browser.find_element("id", "flow-title").text
        assert console_errors(browser) == []
    finally:
        demo.stop()
