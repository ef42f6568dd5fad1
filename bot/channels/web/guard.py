"""What keeps the web chat safe to put on the internet: headers, sizes, rates, input."""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
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
