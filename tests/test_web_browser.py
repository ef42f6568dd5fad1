"""The playground in a real headless Chromium: play a lesson, get help, Arabic, quick exit."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = Path(os.environ.get("SAFEBOT_SHOTS", "/tmp/shots"))


def _browser_or_skip() -> None:
    if Path(CHROMIUM).exists() and Path(DRIVER).exists():
        return
    message = "needs Debian's chromium and chromium-driver (apt-get install both)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, arabic_overlay: Path) -> Iterator[str]:
    """`safebot demo` itself, on a free port, with its own data folder."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SAFEBOT_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    config = arabic_overlay / "safebot.toml"  # an instance that added an Arabic catalog
    config.write_text('overlay = "."\n')
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "demo", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)


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
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def tap(browser: Any, label: str) -> None:
    from selenium.webdriver.common.by import By

    for _ in range(50):
        for button in reversed(browser.find_elements(By.CSS_SELECTOR, "button.chip")):
            if button.text == label and button.is_enabled():
                button.click()
                return
        time.sleep(0.1)
    raise AssertionError(f"no button {label!r}")


def wait_text(browser: Any, text: str) -> None:
    for _ in range(60):
        if text in browser.find_element("id", "messages").text:
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared")


def shot(browser: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def choices(browser: Any) -> list[str]:
    """The labels of the enabled buttons on the newest message that has some."""
    from selenium.webdriver.common.by import By

    for item in reversed(browser.find_elements(By.CSS_SELECTOR, "#messages li")):
        labels = [b.text for b in item.find_elements(By.CSS_SELECTOR, "button.chip")
                  if b.is_enabled() and b.get_attribute("data-press")]  # fmt: skip
        if labels:
            return labels
    return []


def test_a_lesson_played_to_its_end_in_the_browser(server: str, browser: Any) -> None:
    browser.get(server)
    wait_text(browser, "I am an automatic guide")
    shot(browser, "1-start")
    tap(browser, "Show me the stories")
    tap(browser, "Kenya")
    tap(browser, "Someone who is too nice")
    wait_text(browser, "Two quick questions")
    for turn in range(40):
        if "Was this lesson helpful?" in browser.find_element("id", "messages").text:
            break
        if turn == 8:
            shot(browser, "2-mid-lesson")
        labels = choices(browser)
        assert labels, "the lesson stopped offering choices"
        tap(browser, labels[0])
        time.sleep(0.2)
    messages = browser.find_element("id", "messages").text
    assert "Childline Kenya" in messages
    assert "Secrets, gifts and pressure are warning signs" in messages
    shot(browser, "4-end")


def test_help_arabic_and_quick_exit(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server)
    wait_text(browser, "I am an automatic guide")
    browser.find_element(By.ID, "help").click()
    wait_text(browser, "You are not alone")
    field = browser.find_element(By.ID, "text")
    field.send_keys("/language ar\n")
    for _ in range(50):
        if browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl":
            break
        time.sleep(0.1)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    shot(browser, "5-arabic")
    browser.find_element(By.ID, "exit").click()
    for _ in range(50):
        items = browser.find_elements(By.CSS_SELECTOR, "#messages li")
        if len(items) == 1:
            break
        time.sleep(0.1)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#messages li")) == 1
