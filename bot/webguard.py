"""What keeps the web chat safe to put on the internet: headers, sizes, rates, input, HTML."""

from __future__ import annotations

import html
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

MAX_BODY = 4096  # bytes: an event is a few words; anything bigger is refused
CLIENT_ID = re.compile(r"^[0-9a-f]{32}$")
KINDS = ("command", "press", "text")
MAX_FIELD = {"name": 32, "arg": 1000, "language": 35}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# Mermaid writes its diagrams' styles inline. Only author mode, on the author's own
# computer, loosens styles for it; scripts stay 'self' everywhere.
AUTHOR_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Server": "safebot",  # not aiohttp's name and version
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer, errors included, carries the same strict headers."""
    try:
        response = await handler(request)
    except web.HTTPException as error:
        for name, value in HEADERS.items():
            error.headers.setdefault(name, value)
        raise
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


class RateLimit:
    """A token bucket per key (client id or address): `rate` a second, bursts of `burst`."""

    def __init__(self, rate: float = 10.0, burst: float = 20.0, keep: int = 10_000) -> None:
        self.rate, self.burst, self.keep = rate, burst, keep
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        tokens, last = self.buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1
        self.buckets[key] = (tokens - 1 if allowed else tokens, now)
        while len(self.buckets) > self.keep:  # forget the quietest first
            self.buckets.popitem(last=False)
        return allowed


def event_of(data: Any) -> dict[str, str]:
    """A checked event, or HTTP 400 with a short reason."""
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="send a JSON object")
    client = data.get("client")
    if not isinstance(client, str) or not CLIENT_ID.match(client):
        raise web.HTTPBadRequest(text="client must be 32 hexadecimal characters")
    kind = data.get("kind")
    if kind not in KINDS:
        raise web.HTTPBadRequest(text="kind must be command, press or text")
    event = {"client": client, "kind": str(kind)}
    for name, limit in MAX_FIELD.items():
        value = data.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > limit:
            raise web.HTTPBadRequest(text=f"{name} must be text of at most {limit} characters")
        event[name] = value
    return event


# -- reply text: Telegram's HTML subset -> HTML the page may insert ---------------------

SAFE_TAGS = {"b": "b", "strong": "b", "i": "i", "em": "i"}
SAFE_URL = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)


class _Sanitiser(HTMLParser):
    """Keeps <b>, <i> and <a href="http(s)://...">; every other '<' becomes text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def _text(self, text: str) -> None:
        self.out.append(html.escape(text, quote=False).replace("\n", "<br>"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag in SAFE_TAGS:
            self.open.append(SAFE_TAGS[tag])
            self.out.append(f"<{SAFE_TAGS[tag]}>")
        elif tag == "a" and SAFE_URL.match(href):
            self.open.append("a")
            self.out.append(
                f'<a href="{html.escape(href)}" rel="noopener noreferrer" target="_blank">'
            )
        else:
            self._text(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._text(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        wanted = "a" if tag == "a" else SAFE_TAGS.get(tag)
        if self.open and self.open[-1] == wanted:
            self.out.append(f"</{self.open.pop()}>")
        else:
            self._text(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_comment(self, data: str) -> None:
        self._text(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._text(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._text(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._text(f"<![{data}]>")

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def safe_html(text: str) -> str:
    """A reply's text (Telegram HTML) as HTML for the page: <b>, <i>, <a> to http(s)
    pages opening in a new tab, line breaks as <br>; everything else shows as text."""
    sanitiser = _Sanitiser()
    sanitiser.feed(text)
    return sanitiser.result()
