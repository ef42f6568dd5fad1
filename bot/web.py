"""The web chat: the same conversation as on Telegram, in a browser.

It serves one plain page and one JSON endpoint. A child is a random id made in the
browser, hashed like a Telegram id; nothing the child types is kept.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import signal
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import Content, load_content, make_chatbot
from bot.config import Settings
from bot.conversation import Answer, Chatbot, Incoming
from bot.engine import Engine
from bot.i18n import text_direction
from bot.problems import Problem, ProblemsFound
from bot.render import EXIT, HELP
from bot.reply import Reply
from bot.store import Store
from bot.webguard import HEADERS, MAX_BODY, RateLimit, event_of, security_headers

log = logging.getLogger("safebot.web")
STATIC = Path(__file__).parent / "static"
TAG = re.compile(r"<(/?)(b|i)>")
SAFETY = {HELP, EXIT}


def safe_html(text: str) -> str:
    """Telegram-HTML (escaped text with <b> and <i>) -> HTML for the page: every other
    '<' is escaped again, so nothing from content can become markup."""
    parts = []
    last = 0
    for match in TAG.finditer(text):
        parts.append(html.escape(html.unescape(text[last : match.start()]), quote=False))
        parts.append(match.group(0))
        last = match.end()
    parts.append(html.escape(html.unescape(text[last:]), quote=False))
    return "".join(parts).replace("\n", "<br>")


def reply_json(reply: Reply) -> dict[str, Any]:
    rows = []
    for row in reply.buttons:
        cells = []
        for b in row:
            if b.data in SAFETY:
                continue  # the page keeps Get help and Quick exit always in view
            cell: dict[str, str] = {"label": b.label}
            if b.data is not None:
                cell["data"] = b.data
            elif b.url is not None:
                cell["url"] = b.url
            elif b.copy is not None:
                cell["copy"] = b.copy
            cells.append(cell)
        if cells:
            rows.append(cells)
    return {"html": safe_html(reply.text), "buttons": rows, "kind": reply.kind}


@dataclass
class WebChannel:
    """Turns page events into conversation events and answers into JSON."""

    chatbot: Chatbot
    store: Store
    settings: Settings
    author_mode: bool = False
    per_client: RateLimit = field(default_factory=RateLimit)
    per_address: RateLimit = field(default_factory=lambda: RateLimit(rate=30, burst=60))
    problems: list[Problem] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[security_headers])
        app.router.add_get("/", self.page)
        app.router.add_post("/api/event", self.event)
        app.router.add_get("/api/author", self.author)
        app.router.add_get("/health", self.health)
        app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)
        return app

    async def page(self, _request: web.Request) -> web.Response:
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        response = web.Response(text=page, content_type="text/html")
        if self.author_mode:
            response.text = page.replace('data-author="no"', 'data-author="yes"')
            # Mermaid styles its diagrams inline; only the local author mode allows that
            response.headers["Content-Security-Policy"] = HEADERS[
                "Content-Security-Policy"
            ].replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        return response

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def event(self, request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(
                max_size=MAX_BODY, actual_size=request.content_length
            )
        try:
            data = json.loads(await request.read())
        except web.HTTPRequestEntityTooLarge:
            raise
        except ValueError as error:
            raise web.HTTPBadRequest(text="send a JSON object") from error
        event = event_of(data)
        address = request.remote or "?"
        if not self.per_address.allow(address) or not self.per_client.allow(event["client"]):
            raise web.HTTPTooManyRequests(text="slow down a little")
        key = self.store.child_key("web", event["client"])
        incoming = Incoming(event["kind"], name=event["name"].lower(), arg=event["arg"],  # type: ignore[arg-type]
                            language=event["language"] or None)  # fmt: skip
        answer = self.chatbot.handle(key, incoming)
        return web.json_response(self.answer_json(key, answer))

    def labels(self, locale: str) -> dict[str, str]:
        """The page's own words, in the child's language."""
        _ = self.chatbot.catalogs.get(locale).gettext
        return {
            "help": _("Get help"),
            "exit": _("Quick exit"),
            "lessons": _("Lessons"),
            "language": _("Language"),
            "country": _("Country"),
            "privacy": _("Privacy"),
            "placeholder": _("Type here, or tap a button"),
            "send": _("Send"),
        }

    def answer_json(self, key: str, answer: Answer) -> dict[str, Any]:
        locale = self.store.child(key).locale or "en"
        return {
            "labels": self.labels(locale),
            "replies": [reply_json(r) for r in answer.replies],
            "toast": answer.toast,
            "quick_exit": answer.quick_exit,
            "clear_buttons": answer.clear_buttons,
            "lang": locale.replace("_", "-"),
            "dir": text_direction(locale),
        }

    async def author(self, request: web.Request) -> web.Response:
        """Author mode: the problems in the files, and the current lesson's flow."""
        if not self.author_mode:
            raise web.HTTPNotFound()
        from bot.graph import mermaid

        client = request.query.get("client", "")
        flow = ""
        if re.fullmatch(r"[0-9a-f]{32}", client):
            position = self.store.child(self.store.child_key("web", client)).position
            dialog = self.chatbot.engine.dialogs.get(position.dialog) if position else None
            if dialog is not None and position is not None:
                flow = mermaid(dialog, position.step)
        return web.json_response({"problems": [str(p) for p in self.problems], "flow": flow})

    def reload(self) -> None:
        """Author mode: read the dialogs again; keep the old ones if the new have errors."""
        from bot.checks import check_everything

        self.problems = check_everything(self.settings, datetime.now(UTC).date())
        try:
            content = load_content(self.settings)
        except ProblemsFound:
            return
        self.chatbot.engine = Engine(content.dialogs, content.lessons)


def _mtimes(folders: list[Path]) -> dict[Path, float]:
    return {p: p.stat().st_mtime for f in folders for p in f.glob("*.yaml")}


async def watch_dialogs(channel: WebChannel, stopping: asyncio.Event) -> None:
    """Poll the dialog folders once a second; reload when a file changes."""
    folders = channel.settings.folders("dialogs")
    seen = _mtimes(folders)
    while not stopping.is_set():
        await asyncio.sleep(1)
        now = _mtimes(folders)
        if now != seen:
            seen = now
            channel.reload()
            log.info("dialogs reloaded (%d problems)", len(channel.problems))


async def start_web(channel: WebChannel, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(channel.app(), access_log=None)  # access logs would hold addresses
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("web chat on http://%s:%d", host, port)
    return runner


def make_channel(
    settings: Settings, content: Content, store: Store, *, watch_files: bool
) -> WebChannel:
    channel = WebChannel(make_chatbot(settings, content, store), store, settings, watch_files)
    if watch_files:
        channel.reload()
    return channel


async def serve_web(settings: Settings, *, host: str, port: int, watch: bool = False) -> None:
    """Serve the web chat until SIGTERM or SIGINT."""
    content = load_content(settings)
    store = Store(settings.data_dir)
    channel = make_channel(settings, content, store, watch_files=watch)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    runner = await start_web(channel, host, port)
    print(f"safebot playground: http://{host}:{port}  (Ctrl-C to stop)", flush=True)
    watcher = asyncio.create_task(watch_dialogs(channel, stopping)) if watch else None
    try:
        await stopping.wait()
    finally:
        if watcher:
            watcher.cancel()
        await runner.cleanup()
        store.close()
