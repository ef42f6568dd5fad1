"""The playground in a real headless Chromium, on a phone-sized screen: play a lesson,
get help, Arabic (with its commands and numbers left to right), quick exit, forget, a
reload, the keyboard, and author mode."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = Path(os.environ.get("SAFEBOT_SHOTS", "/tmp/shots"))
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
ROOT = Path(__file__).resolve().parent.parent


def _browser_or_skip() -> None:
    if Path(CHROMIUM).exists() and Path(DRIVER).exists():
        return
    message = (
        f"the browser tests need Debian's chromium and chromium-driver ({CHROMIUM}, "
        f"{DRIVER}): apt-get install -y chromium chromium-driver"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class Demo:
    """`safebot demo` itself, in its own process, on a free port."""

    def __init__(self, config: Path, data: Path, *options: str, port: int = 0) -> None:
        """`port` 0: a free one; the same port again is the same page for the browser."""
        if not port:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
        self.port = port
        env = {**os.environ, "SAFEBOT_DATA_DIR": str(data)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.tools.cli", "--config", str(config), "demo",
             "--port", str(port), *options],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90  # a busy machine loads the content slowly
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=1):
                    return
            except OSError:
                assert self.process.poll() is None, self.process.communicate()[1].decode()
                time.sleep(0.1)
        self.process.kill()
        _out, err = self.process.communicate()
        raise AssertionError(f"safebot demo did not start: {err.decode()[-2000:]}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        _out, err = self.process.communicate(timeout=15)
        assert self.process.returncode == 0, err.decode()  # SIGTERM stops it cleanly


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config = tmp_path_factory.mktemp("instance") / "safebot.toml"
    config.write_text("")  # the shipped dialogs, content and languages
    demo = Demo(config, tmp_path_factory.mktemp("data"))
    yield demo.url
    demo.stop()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=390,844",
                 f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Service with a path: selenium never looks for or downloads a driver
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


# -- what a child does on the page -------------------------------------------------------


def until(check: Callable[[], Any], what: str, within: float = 8) -> Any:
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        StaleElementReferenceException,
    )

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            found = check()
        except (StaleElementReferenceException, ElementClickInterceptedException):
            found = None  # redrawn meanwhile, or a note is over it for a moment: again
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what} never happened")


def messages(browser: Any) -> str:
    # innerText, not WebDriver's text: a bubble still fading in counts as shown
    return str(browser.execute_script("return document.getElementById('messages').innerText;"))


def settled(browser: Any) -> str:
    """The chat once every bubble of the last answer is in and its buttons are shown."""
    seen: list[str] = []

    def still() -> str | None:
        seen.append(messages(browser) if choices(browser) else "")
        time.sleep(0.3)
        quiet = len(seen) >= 2 and seen[-1] and seen[-1] == seen[-2]
        return seen[-1] if quiet else None

    return str(until(still, "the answer to settle"))


def wait_text(browser: Any, text: str) -> None:
    until(lambda: text in messages(browser), f"{text!r} to appear")


def choices(browser: Any) -> list[Any]:
    """The enabled answer buttons of the newest bot message that has some."""
    from selenium.webdriver.common.by import By

    for item in reversed(browser.find_elements(By.CSS_SELECTOR, "#messages li.bot")):
        found = item.find_elements(By.CSS_SELECTOR, "button.chip[data-press]:enabled")
        if found:
            return list(found)
    return []


def tap(browser: Any, label: str) -> str:
    def click() -> str | None:
        for button in reversed(choices(browser)):
            if button.text == label:
                button.click()
                return label
        return None

    return str(until(click, f"a button {label!r} to tap"))


def tap_first(browser: Any) -> str:
    count = len(browser.find_elements("css selector", "#messages li"))

    def click() -> str | None:
        found = choices(browser)
        if not found:
            return None
        label = str(found[0].text)
        found[0].click()
        return label

    label = str(until(click, "a button to tap"))
    until(lambda: len(browser.find_elements("css selector", "#messages li")) > count + 1,
          f"an answer to {label!r}")  # fmt: skip
    return label


def settle(browser: Any) -> None:
    """Wait for the answer in flight, and for the bubbles to finish appearing."""
    until(lambda: browser.find_element("id", "typing").get_attribute("hidden") is not None,
          "the answer")  # fmt: skip
    time.sleep(0.4)


def shot(browser: Any, name: str) -> None:
    settle(browser)
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def html_attribute(browser: Any, name: str) -> str:
    return str(browser.find_element("tag name", "html").get_attribute(name))


def stored(browser: Any, area: str, key: str) -> Any:
    return browser.execute_script(f"return window.{area}.getItem(arguments[0]);", key)


def flow_svg(browser: Any) -> str:
    return str(browser.execute_script(
        "const svg = document.querySelector('#flow svg'); return svg ? svg.outerHTML : '';"
    ))  # fmt: skip


def console_errors(browser: Any) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


# -- tests ----------------------------------------------------------------------------------


def test_a_lesson_played_to_its_end_with_help_on_the_way(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "automatic guide")
    assert html_attribute(browser, "lang") == "en" and html_attribute(browser, "dir") == "ltr"
    shot(browser, "1-start")
    tap(browser, "Show me the stories")
    tap(browser, "Kenya")
    wait_text(browser, "How old are you?")
    tap(browser, "10 to 12")
    wait_text(browser, "Pick a story")
    tap_first(browser)  # the first lesson of the list
    for _ in range(4):
        tap_first(browser)
    shot(browser, "2-mid-lesson")
    assert "Childline Kenya" not in messages(browser)

    browser.find_element("id", "help").click()  # the sticky button, mid-lesson
    wait_text(browser, "Childline Kenya")
    help_bubble = browser.find_elements("css selector", "#messages li.kind-help")[-1]
    assert help_bubble.find_elements("css selector", "a.chip[target=_blank]")  # URL buttons
    assert help_bubble.find_elements("css selector", "button.chip.copy")  # copy the number
    shot(browser, "3-help")
    tap(browser, "Back to the lesson")

    for _ in range(40):
        if "Was this lesson helpful?" in messages(browser):
            break
        tap_first(browser)
    wait_text(browser, "Was this lesson helpful?")
    shot(browser, "4-end")
    assert console_errors(browser) == []
    # the child's taps show on the right, the bot's words on the left
    assert browser.find_elements("css selector", "#messages li.child")


def test_arabic_turns_the_page_right_to_left(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "automatic guide")
    browser.find_element("id", "text").send_keys("/language ar\n")
    until(lambda: html_attribute(browser, "dir") == "rtl", "dir=rtl on <html>")
    assert html_attribute(browser, "lang") == "ar"
    wait_text(browser, "حسنًا")  # the bot answers in Arabic
    shot(browser, "5-arabic")
    browser.find_element("id", "text").send_keys("/language en\n")
    until(lambda: html_attribute(browser, "dir") == "ltr", "dir=ltr on <html>")


# where the two parts of a word are drawn, in the newest bot message that holds it
_DRAWN = """
const [word, cut] = arguments;
const bubbles = [...document.querySelectorAll('#messages li.bot .text')];
const bubble = bubbles.reverse().find(b => b.textContent.includes(word));
if (!bubble) return null;
const walk = document.createTreeWalker(bubble, NodeFilter.SHOW_TEXT);
for (let node = walk.nextNode(); node; node = walk.nextNode()) {
  const at = node.data.indexOf(word);
  if (at < 0) continue;
  const box = (from, to) => {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top};
  };
  return {dir: bubble.dir, head: box(at, at + cut), tail: box(at + cut, at + word.length)};
}
return null;
"""


def drawn(browser: Any, word: str, cut: int) -> dict[str, Any]:
    """The boxes of word[:cut] and word[cut:] on the screen, and the bubble's direction."""
    return dict(until(lambda: browser.execute_script(_DRAWN, word, cut), f"{word!r} shown"))


def test_in_arabic_commands_and_numbers_read_left_to_right(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "automatic guide")
    browser.find_element("id", "text").send_keys("/language ar\n")
    wait_text(browser, "حسنًا")
    browser.find_element("id", "text").send_keys("/start\n")
    wait_text(browser, "مرحبًا")
    settle(browser)
    privacy = drawn(browser, "/privacy", 1)
    assert privacy["dir"] == "rtl"  # the bubble is Arabic, even where a line starts in Latin
    # "/" to the left of "privacy" on the same line: "privacy/" would have it on the right
    assert privacy["head"]["top"] == privacy["tail"]["top"]
    assert privacy["head"]["right"] <= privacy["tail"]["left"] + 0.5
    browser.find_element("id", "text").send_keys("/country GB\n")
    settle(browser)
    browser.find_element("id", "help").click()
    wait_text(browser, "0800 1111")
    settle(browser)
    number = drawn(browser, "0800 1111", 4)  # Childline: "0800" first, never "1111 0800"
    assert number["dir"] == "rtl"
    assert number["head"]["right"] <= number["tail"]["left"] + 0.5
    shot(browser, "5b-arabic-help")
    assert console_errors(browser) == []


def test_quick_exit_clears_the_page_and_the_stored_chat(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "automatic guide")
    tap(browser, "Show me the stories")
    wait_text(browser, "Which country are you in?")
    client = stored(browser, "localStorage", "safebot-client")
    assert "automatic guide" in stored(browser, "sessionStorage", "safebot-chat")

    browser.find_element("id", "exit").click()
    until(lambda: messages(browser) == "Chat cleared.", "the page to be cleared")
    assert len(browser.find_elements("css selector", "#messages li")) == 1
    assert "automatic guide" not in (stored(browser, "sessionStorage", "safebot-chat") or "")
    assert stored(browser, "localStorage", "safebot-client") == client  # same child
    shot(browser, "6-quick-exit")
    browser.refresh()  # nothing comes back
    wait_text(browser, "automatic guide")
    assert "Which country" not in messages(browser)


def test_typed_words_are_never_stored_in_the_browser(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "automatic guide")
    browser.find_element("id", "text").send_keys("he says he will share my pics if i don't pay\n")
    until(lambda: browser.find_elements("css selector", "#messages li.kind-help"), "help")
    assert "share my pics" in messages(browser)  # on screen, until the tab is closed
    for area in ("sessionStorage", "localStorage"):
        everything = browser.execute_script(f"return JSON.stringify(window.{area});")
        assert "pics" not in everything


def test_typed_words_get_the_warm_reply_with_the_childs_helpline(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "automatic guide")
    browser.find_element("id", "text").send_keys("/country KE\n")
    settle(browser)
    browser.find_element("id", "text").send_keys("hey whats up\n")
    wait_text(browser, "you can talk to Childline Kenya: call 116")
    assert "can't chat" in messages(browser)
    shot(browser, "5c-typed-words")
    assert console_errors(browser) == []


def test_a_reload_keeps_the_chat_and_the_place_in_the_lesson(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "automatic guide")
    tap(browser, "Show me the stories")
    tap(browser, "Kenya")
    tap_first(browser)
    before = settled(browser)
    browser.refresh()
    until(lambda: messages(browser) == before, "the same chat after a reload")
    tap_first(browser)  # the buttons still work: the lesson goes on


def test_forget_erases_and_the_page_takes_a_new_id(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "automatic guide")
    first = stored(browser, "localStorage", "safebot-client")
    browser.find_element("css selector", "[data-command=forget]").click()
    tap(browser, "Yes, erase it")
    wait_text(browser, "I erased everything")
    assert stored(browser, "localStorage", "safebot-client") is None
    browser.find_element("css selector", "[data-command=privacy]").click()
    wait_text(browser, "What I keep about you")
    assert stored(browser, "localStorage", "safebot-client") not in (None, first)


def test_the_chat_works_with_the_keyboard_alone(server: str, browser: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.get(server)
    wait_text(browser, "automatic guide")
    chip = choices(browser)[0]
    browser.execute_script("arguments[0].focus();", chip)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_text(browser, "Which country are you in?")
    settle(browser)
    # the focus moved to the first new button: Enter answers again
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-press") is not None
    focused.send_keys(Keys.ENTER)
    wait_text(browser, "How old are you?")  # and again for the age group
    settle(browser)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_text(browser, "Pick a story")
    focus_ring = browser.execute_script(
        "const b = document.querySelector('#messages button.chip:enabled'); b.focus();"
        "return getComputedStyle(b).outlineStyle;"
    )
    assert focus_ring != "none"


def test_author_mode_shows_mistakes_and_the_flow(
    tmp_path_factory: pytest.TempPathFactory, browser: Any
) -> None:
    instance = tmp_path_factory.mktemp("author")
    dialogs = instance / "dialogs"
    dialogs.mkdir()
    for name in ("welcome.yaml", "menu.yaml", "example.yaml"):
        text = (ROOT / "dialogs" / name).read_text().replace("next_lesson: grooming\n", "")
        (dialogs / name).write_text(text)
    config = instance / "safebot.toml"
    config.write_text('dialogs_dir = "dialogs"\n')
    demo = Demo(config, instance / "data", "--watch")
    try:
        browser.get(demo.url)
        wait_text(browser, "automatic guide")
        assert not browser.find_element("id", "author").get_attribute("hidden")
        tap(browser, "Show me the stories")
        tap(browser, "Kenya")
        tap(browser, "10 to 12")
        tap(browser, "Mo and the new follower")  # a draft: shown in author mode
        tap(browser, "An adult I trust")
        until(lambda: "meet_mo" in flow_svg(browser), "the flow with the step on it")
        assert "No mistakes found." in browser.find_element("id", "problems").text

        example = dialogs / "example.yaml"
        example.write_text(example.read_text().replace("next: new_follower", "next: new_folower"))
        until(lambda: "new_folower" in browser.find_element("id", "problems").text,
              "the mistake in the panel", within=10)  # fmt: skip
        assert browser.find_element("id", "not-loaded").is_displayed()
        browser.execute_script("document.getElementById('author').scrollIntoView();")
        shot(browser, "7-author-mode")
        assert console_errors(browser) == []
    finally:
        demo.stop()
