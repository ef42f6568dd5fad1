"""Left-to-right words in Arabic and Persian replies: commands, numbers, web addresses and
Latin names each between LRI and PDI, and nothing else changed."""

from __future__ import annotations

import pytest

from bot.content.load import Content
from bot.core.said import HelpShown, Privacy
from bot.render.bidi import LRI, PDI, is_right_to_left, isolate, isolated
from bot.render.formats import telegram_html, web_html
from bot.render.replies import Renderer
from bot.render.text import Button, Reply, Run, b, para


def wrapped(text: str) -> str:
    return f"{LRI}{text}{PDI}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اكتب /privacy لتعرف المزيد.", f"اكتب {wrapped('/privacy')} لتعرف المزيد."),
        ("/lessons را امتحان کن", f"{wrapped('/lessons')} را امتحان کن"),
        ("اتصل بالرقم 116 111 الآن", f"اتصل بالرقم {wrapped('116 111')} الآن"),
        ("+1 800 843 5678.", f"{wrapped('+1 800 843 5678')}."),
        (
            "زر https://takeitdown.ncmec.org/ar/ الآن",
            f"زر {wrapped('https://takeitdown.ncmec.org/ar/')} الآن",
        ),
        ("جرّب Take It Down، وهو مجاني.", f"جرّب {wrapped('Take It Down')}، وهو مجاني."),
        ("در Telegram، عدد 30 روز", f"در {wrapped('Telegram')}، عدد {wrapped('30')} روز"),
        ("Childline 116 111 رایگان", f"{wrapped('Childline 116 111')} رایگان"),
        ("كلمات عربية فقط.", "كلمات عربية فقط."),
    ],
)
def test_each_left_to_right_run_is_isolated(text: str, expected: str) -> None:
    assert isolate(text) == expected


def test_isolating_twice_changes_nothing_more() -> None:
    once = isolate("اكتب /forget أو /exit، أو اتصل بـ 116 111")
    assert isolate(once) == once
    assert once.count(LRI) == once.count(PDI) == 3


def test_tags_links_and_button_data_are_never_touched() -> None:
    reply = Reply(
        (para("اتصل بـ ", b("Childline"), " على ", b("116 111"), "."),
         (Run("Take It Down", link="https://takeitdown.ncmec.org/"),)),
        ((Button("انسخ الرقم 116 111", copy="116 111"),
          Button("Take It Down", url="https://takeitdown.ncmec.org/"),
          Button("/privacy", press="c:privacy")),),
    )  # fmt: skip
    shown = isolated(reply)
    assert telegram_html(shown) == (
        f"اتصل بـ <b>{wrapped('Childline')}</b> على <b>{wrapped('116 111')}</b>.\n\n"
        f'<a href="https://takeitdown.ncmec.org/">{wrapped("Take It Down")}</a>'
    )
    assert web_html(shown).startswith(f"اتصل بـ <b>{wrapped('Childline')}</b>")
    assert 'rel="noopener noreferrer" target="_blank"' in web_html(shown)
    copy, link, press = shown.buttons[0]
    assert (copy.label, copy.copy) == (f"انسخ الرقم {wrapped('116 111')}", "116 111")
    assert (link.label, link.url) == (wrapped("Take It Down"), "https://takeitdown.ncmec.org/")
    assert (press.label, press.press) == (wrapped("/privacy"), "c:privacy")


def test_only_arabic_and_persian_are_right_to_left(content: Content) -> None:
    rtl = [code for code in content.catalogs.locales if is_right_to_left(code)]
    assert rtl == ["ar", "fa"]


def renderer(content: Content, locale: str) -> Renderer:
    return Renderer(locale, content.catalogs.get(locale), content.directory)


@pytest.mark.parametrize("locale", ["ar", "fa"])
def test_an_arabic_or_persian_reply_isolates_its_commands_and_numbers(
    content: Content, locale: str
) -> None:
    words = renderer(content, locale)
    privacy = words.render([Privacy(retention_days=30)])[0].plain()
    assert wrapped("/forget") in privacy and wrapped("/exit") in privacy
    assert "/forget" not in privacy.replace(wrapped("/forget"), "")
    shown = words.render([HelpShown(topic="general", country="GB")])[0]
    assert wrapped("0800 1111") in shown.plain()  # Childline
    copy = next(b for row in shown.buttons for b in row if b.copy)
    assert copy.copy == "0800 1111" and wrapped("0800 1111") in copy.label


@pytest.mark.parametrize("locale", ["en", "es", "fr", "ru", "hi"])
def test_left_to_right_languages_are_not_changed(content: Content, locale: str) -> None:
    replies = renderer(content, locale).render(
        [Privacy(retention_days=30), HelpShown(topic="general", country="GB")]
    )
    for reply in replies:
        labels = "".join(b.label for row in reply.buttons for b in row)
        assert LRI not in reply.plain() + labels and PDI not in reply.plain() + labels
