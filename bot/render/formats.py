"""Structured replies in each channel's own markup: Telegram's HTML subset, the web page's
HTML, and plain text for the terminal. Every word is escaped here, once."""

from __future__ import annotations

import html

from bot.render.text import Paragraph, Reply, Run

_SAFE_LINK = ("https://", "http://")


def _escaped(text: str) -> str:
    return html.escape(text, quote=False)


def _html_run(run: Run, *, web: bool) -> str:
    text = _escaped(run.text)
    if web:
        text = text.replace("\n", "<br>")
    if run.style:
        text = f"<{run.style}>{text}</{run.style}>"
    if run.link and run.link.startswith(_SAFE_LINK):
        href = html.escape(run.link, quote=True)
        extra = ' rel="noopener noreferrer" target="_blank"' if web else ""
        text = f'<a href="{href}"{extra}>{text}</a>'
    return text


def _html(paragraph: Paragraph, *, web: bool) -> str:
    return "".join(_html_run(run, web=web) for run in paragraph)


def telegram_html(reply: Reply) -> str:
    """For sendMessage with parse_mode HTML: <b>, <i> and <a>, paragraphs a blank line apart."""
    return "\n\n".join(_html(p, web=False) for p in reply.paragraphs)


def web_html(reply: Reply) -> str:
    """For the web page: <b>, <i>, <a> to http(s) pages opening in a new tab, and <br>."""
    return "<br><br>".join(_html(p, web=True) for p in reply.paragraphs)


def plain(reply: Reply) -> str:
    """For the terminal: the words, with a link's address after its words."""
    return "\n\n".join("".join(map(_plain_run, p)) for p in reply.paragraphs)


def _plain_run(run: Run) -> str:
    return f"{run.text} ({run.link})" if run.link and run.link != run.text else run.text
