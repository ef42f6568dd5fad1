"""What keeps the web chat safe to put on the internet: headers, sizes, rates, input."""

from __future__ import annotations

import json
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
STEP_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # everything but tab and new line

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


async def json_of(request: web.Request) -> Any:
    """The request's JSON body: small, typed as JSON, or HTTP 413, 415 or 400."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    if request.content_type != "application/json":
        # a page on another site cannot send this type without asking first (CORS)
        raise web.HTTPUnsupportedMediaType(text="send JSON (Content-Type: application/json)")
    try:
        return json.loads(await request.read())
    except ValueError as error:
        raise web.HTTPBadRequest(text="send a JSON object") from error


def client_of(data: Any) -> str:
    """The page's random id, or HTTP 400."""
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="send a JSON object")
    client = data.get("client")
    if not isinstance(client, str) or not CLIENT_ID.match(client):
        raise web.HTTPBadRequest(text="client must be 32 hexadecimal characters")
    return client


def review_of(data: Any, marks: tuple[str, ...], max_note: int, max_session: int) -> dict[str, str]:
    """A checked review mark: client, session, mark and note, or HTTP 400 saying why."""
    checked = {"client": client_of(data)}
    session = data.get("session")
    if not isinstance(session, str) or not 0 < len(session.strip()) <= max_session:
        raise web.HTTPBadRequest(text=f"name the review session (at most {max_session} letters)")
    if "\n" in session or CONTROL.search(session):
        raise web.HTTPBadRequest(text="the session name must be one line of text")
    mark = data.get("mark")
    if mark not in marks:
        raise web.HTTPBadRequest(text=f"mark must be one of: {', '.join(marks)}")
    note = data.get("note", "")
    if not isinstance(note, str) or len(note) > max_note:
        raise web.HTTPBadRequest(text=f"a note is text of at most {max_note} characters")
    if CONTROL.search(note):
        raise web.HTTPBadRequest(text="a note is plain text")
    checked.update(session=" ".join(session.split()), mark=str(mark), note=note.strip())
    return checked


def jump_of(data: Any) -> tuple[str, str]:
    """A checked jump: (client, step id), or HTTP 400."""
    client = client_of(data)
    step = data.get("step")
    if not isinstance(step, str) or not STEP_ID.match(step):
        raise web.HTTPBadRequest(text="step must be a step id, like meet_mo")
    return client, step


def event_of(data: Any) -> dict[str, str]:
    """A checked event, or HTTP 400 with a short reason."""
    client = client_of(data)
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
