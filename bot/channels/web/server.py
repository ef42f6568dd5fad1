"""The web chat: the same conversation as on Telegram, in a browser.

It serves one plain page and one JSON endpoint. A child is a random id made in the
browser, hashed like a Telegram id; nothing the child types is kept, and neither the
id nor the address is logged. `safebot demo --watch` adds author mode (bot.channels.web.
author): the dialogs are read again when a file changes, and the page shows their problems
and the flow, whose steps take the chat there when clicked. `safebot demo --review` adds
review mode to it (bot.channels.web.review): a panel to mark each step.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from aiohttp import web

if TYPE_CHECKING:
    from bot.channels.web.author import AuthorMode
    from bot.channels.web.review import ReviewMode

from bot.channels.web.guard import MAX_BODY, RateLimit, event_of, json_of, jump_of, security_headers
from bot.content.load import Content
from bot.content.places import text_direction
from bot.core.conversation import Incoming
from bot.core.presses import Exit, Help, encode
from bot.core.turn import Delivery, Turns
from bot.instance import renderers
from bot.render.formats import web_html
from bot.render.replies import Renderer
from bot.render.text import Reply
from bot.settings import Settings

log = logging.getLogger("safebot.web")
STATIC = Path(__file__).parent / "static"
PAGE = (STATIC / "index.html").read_text(encoding="utf-8")
SAFETY = {encode(Help()), encode(Exit())}  # the page keeps Get help and Quick exit in view

Kind = Literal["command", "press", "text"]


def reply_json(reply: Reply, direction: str = "ltr") -> dict[str, Any]:
    """One reply for the page: its HTML, its direction ("rtl" in Arabic and Persian),
    and rows of buttons without the safety row."""
    rows = []
    for row in reply.buttons:
        cells = []
        for b in row:
            if b.press in SAFETY:
                continue
            cell: dict[str, str] = {"label": b.label}
            if b.press is not None:
                cell["data"] = b.press
            elif b.url is not None:
                cell["url"] = b.url
            elif b.copy is not None:
                cell["copy"] = b.copy
            cells.append(cell)
        if cells:
            rows.append(cells)
    return {"html": web_html(reply), "dir": direction, "buttons": rows, "kind": reply.kind}


@dataclass
class WebChannel:
    """Turns page events into conversation events and answers into JSON."""

    turns: Turns[Reply]
    renderers: dict[str, Renderer]
    per_client: RateLimit = field(default_factory=RateLimit)
    per_address: RateLimit = field(default_factory=lambda: RateLimit(rate=30, burst=60))
    author: AuthorMode | None = None  # in `safebot demo --watch` and `--review`
    review: ReviewMode | None = None  # in `safebot demo --review`

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[security_headers])
        app.router.add_get("/", self.page)
        app.router.add_post("/api/event", self.event)
        app.router.add_get("/health", self.health)
        if self.author is not None:
            app.router.add_get("/api/author", self.author.view)
            app.router.add_post("/api/jump", self.jump)
        if self.review is not None:
            app.router.add_get("/api/review", self.review.view)
            app.router.add_post("/api/review", self.review.mark)
        app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)
        return app

    async def page(self, _request: web.Request) -> web.Response:
        """The chat page; in author mode it also loads Mermaid and shows the panel."""
        if self.author is None:
            return web.Response(text=PAGE, content_type="text/html")
        page = (
            PAGE if self.review is None else PAGE.replace('data-review="no"', 'data-review="yes"')
        )
        return self.author.page(page)

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def event(self, request: web.Request) -> web.Response:
        """One thing the child did -> what the bot answers, as JSON."""
        # behind a reverse proxy every child shares its address: raise this limit there
        if not self.per_address.allow(request.remote or "?"):
            raise web.HTTPTooManyRequests(text="slow down a little")
        data = await json_of(request)
        event = event_of(data)
        if not self.per_client.allow(event["client"]):
            raise web.HTTPTooManyRequests(text="slow down a little")
        incoming = Incoming(
            cast(Kind, event["kind"]),
            name=event["name"].strip().lower(),
            arg=event["arg"],
            language=event["language"] or None,
        )
        delivery = self.turns.handle(self.turns.key("web", event["client"]), incoming)
        self.turns.delivered(delivery)
        return web.json_response(self.answer_json(delivery))

    async def jump(self, request: web.Request) -> web.Response:
        """Author and review mode: the chat goes to a step of its lesson, which is shown."""
        client, step = jump_of(await json_of(request))
        if not self.per_client.allow(client):
            raise web.HTTPTooManyRequests(text="slow down a little")
        delivery = self.turns.jump(self.turns.key("web", client), step)
        if delivery is None:
            raise web.HTTPConflict(text=f"the lesson being played has no step '{step}'")
        self.turns.delivered(delivery)
        return web.json_response(self.answer_json(delivery))

    def answer_json(self, delivery: Delivery[Reply]) -> dict[str, Any]:
        renderer = self.renderers.get(delivery.locale) or self.renderers["en"]
        direction = text_direction(delivery.locale)
        return {
            "labels": renderer.system.page_labels(),
            "replies": [reply_json(r, direction) for r in delivery.replies],
            "toast": delivery.toast,
            "quick_exit": delivery.quick_exit,
            "clear_buttons": delivery.clear_buttons,
            "forgotten": delivery.forgotten,
            "lang": delivery.locale.replace("_", "-"),
            "dir": direction,
        }


def make_channel(
    settings: Settings,
    content: Content,
    turns: Turns[Reply],
    *,
    author: bool = False,
    review: bool = False,
) -> WebChannel:
    """The web chat of an instance; in author mode it reads the files again on change, and
    in review mode (author mode too) a review group can mark the steps."""
    channel = WebChannel(turns, renderers(content))
    if author or review:
        from bot.channels.web.author import AuthorMode

        channel.author = AuthorMode(settings, turns)
        channel.author.reload()
    if review:
        from bot.channels.web.review import ReviewMode
        from bot.review.notes import review_folder

        channel.review = ReviewMode(turns, review_folder(settings))
    return channel


async def start_web(channel: WebChannel, host: str, port: int) -> web.AppRunner:
    """Start serving the page; the caller cleans the runner up."""
    # no access log: it would hold the children's addresses
    runner = web.AppRunner(channel.app(), access_log=None, shutdown_timeout=5)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("web chat on http://%s:%d", host, port)
    return runner
