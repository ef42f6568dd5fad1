"""The web chat: the same conversation as on Telegram, in a browser.

It serves one plain page and one JSON endpoint. A child is a random id made in the
browser, hashed like a Telegram id; nothing the child types is kept, and neither the
id nor the address is logged. `safebot demo --watch` adds author mode: the dialogs are
read again when a file changes, and the page shows their problems and the flow.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast

from aiohttp import web

from bot.app import Content, load_content, make_chatbot
from bot.config import PROJECT_ROOT, Settings
from bot.conversation import Answer, Chatbot, Incoming
from bot.engine import Engine
from bot.i18n import text_direction
from bot.problems import Problem, ProblemsFound
from bot.render import EXIT, HELP, escape
from bot.reply import Reply
from bot.store import Store
from bot.webguard import (
    AUTHOR_CSP,
    CLIENT_ID,
    MAX_BODY,
    RateLimit,
    event_of,
    safe_html,
    security_headers,
)

__all__ = ["WebChannel", "make_channel", "safe_html", "serve_web", "start_web", "watch_dialogs"]

log = logging.getLogger("safebot.web")
STATIC = Path(__file__).parent / "static"
PAGE = (STATIC / "index.html").read_text(encoding="utf-8")
SAFETY = {HELP, EXIT}  # the page keeps Get help and Quick exit always in view
FORGET = "F:yes"  # the press that erases the child (bot.conversation)

Kind = Literal["command", "press", "text"]


def reply_json(reply: Reply) -> dict[str, Any]:
    """One reply for the page: safe HTML, and rows of buttons without the safety row."""
    rows = []
    for row in reply.buttons:
        cells = []
        for b in row:
            if b.data in SAFETY:
                continue
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
class AuthorView:
    """Author mode's state: the problems of the last reading, and when it was."""

    problems: list[dict[str, Any]] = field(default_factory=list)
    read_at: str = ""
    loaded: bool = True  # False: the new files had errors; the chat keeps the last good ones


@dataclass
class WebChannel:
    """Turns page events into conversation events and answers into JSON."""

    chatbot: Chatbot
    store: Store
    settings: Settings
    author_mode: bool = False
    per_client: RateLimit = field(default_factory=RateLimit)
    per_address: RateLimit = field(default_factory=lambda: RateLimit(rate=30, burst=60))
    author_view: AuthorView = field(default_factory=AuthorView)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[security_headers])
        app.router.add_get("/", self.page)
        app.router.add_post("/api/event", self.event)
        app.router.add_get("/api/author", self.author)
        app.router.add_get("/health", self.health)
        app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)
        return app

    # -- the page ----------------------------------------------------------------------

    async def page(self, _request: web.Request) -> web.Response:
        """The chat page; in author mode it also loads Mermaid and shows the panel."""
        page = PAGE
        if not self.author_mode:
            return web.Response(text=page, content_type="text/html")
        response = web.Response(
            text=page.replace('data-author="no"', 'data-author="yes"'), content_type="text/html"
        )
        response.headers["Content-Security-Policy"] = AUTHOR_CSP
        return response

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    # -- the chat ----------------------------------------------------------------------

    async def event(self, request: web.Request) -> web.Response:
        """One thing the child did -> what the bot answers, as JSON."""
        # behind a reverse proxy every child shares its address: raise this limit there
        if not self.per_address.allow(request.remote or "?"):
            raise web.HTTPTooManyRequests(text="slow down a little")
        if request.content_length is not None and request.content_length > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(
                max_size=MAX_BODY, actual_size=request.content_length
            )
        if request.content_type != "application/json":
            # a page on another site cannot send this type without asking first (CORS)
            raise web.HTTPUnsupportedMediaType(text="send JSON (Content-Type: application/json)")
        try:
            data = json.loads(await request.read())
        except ValueError as error:
            raise web.HTTPBadRequest(text="send a JSON object") from error
        event = event_of(data)
        if not self.per_client.allow(event["client"]):
            raise web.HTTPTooManyRequests(text="slow down a little")
        key = self.store.child_key("web", event["client"])
        incoming = Incoming(
            cast(Kind, event["kind"]),
            name=event["name"].strip().lower(),
            arg=event["arg"],
            language=event["language"] or None,
        )
        answer = self.chatbot.handle(key, incoming)
        forgotten = incoming.kind == "press" and incoming.arg == FORGET
        return web.json_response(self.answer_json(key, answer, incoming, forgotten=forgotten))

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
            "forget": _("Erase everything I keep"),
            "placeholder": _("Type here, or tap a button"),
            "send": _("Send"),
        }

    def answer_json(
        self, key: str, answer: Answer, incoming: Incoming, *, forgotten: bool = False
    ) -> dict[str, Any]:
        locale = self.store.child(key).locale or (
            self.chatbot.catalogs.negotiate(incoming.language) or "en"
        )
        replies = answer.replies
        if answer.quick_exit:
            # the page is cleared at once; one neutral line, nothing about old messages
            # (that hint is about Telegram's 48 hours)
            _ = self.chatbot.catalogs.get(locale).gettext
            replies = [Reply(escape(_("Chat cleared.")), kind="exit")]
        return {
            "labels": self.labels(locale),
            "replies": [reply_json(r) for r in replies],
            "toast": answer.toast,
            "quick_exit": answer.quick_exit,
            "clear_buttons": answer.clear_buttons,
            "forgotten": forgotten,
            "lang": locale.replace("_", "-"),
            "dir": text_direction(locale),
        }

    # -- author mode -------------------------------------------------------------------

    async def author(self, request: web.Request) -> web.Response:
        """Author mode: the problems in the files, and the flow of the child's dialog."""
        if not self.author_mode:
            raise web.HTTPNotFound()
        from bot.graph import mermaid

        client = request.query.get("client", "")
        flow, title, step = "", "", ""
        if CLIENT_ID.match(client):
            position = self.store.child(self.store.child_key("web", client)).position
            dialog = self.chatbot.engine.dialogs.get(position.dialog) if position else None
            if dialog is not None and position is not None:
                flow, title, step = (
                    mermaid(dialog, position.step),
                    dialog.title.source,
                    position.step,
                )
        view = self.author_view
        return web.json_response(
            {
                "problems": view.problems,
                "read_at": view.read_at,
                "loaded": view.loaded,
                "flow": flow,
                "title": title,
                "step": step,
            }
        )

    def reload(self) -> None:
        """Read and check the files again; keep the old dialogs if the new have errors."""
        from bot.checks import check_everything

        folders = [f.resolve() for f in self.settings.folders("dialogs")]
        problems = check_everything(self.settings, datetime.now(UTC).date())
        view = AuthorView(
            [
                {
                    "where": _where(p),
                    "message": p.message,
                    "severity": p.severity,
                    "lesson": Path(p.path).resolve().parent in folders,
                }
                for p in sorted(problems, key=lambda p: (p.severity != "error", p))
            ],
            datetime.now().strftime("%H:%M:%S"),
        )
        try:
            content = load_content(self.settings)
        except ProblemsFound:
            view.loaded = False
        else:
            self.chatbot.engine = Engine(content.dialogs, content.lessons)
        self.author_view = view


def _where(problem: Problem) -> str:
    """file:line, from the project folder when the file is in it."""
    path = Path(problem.path)
    try:
        shown = str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        shown = str(path)
    return f"{shown}:{problem.line}" if problem.line else shown


def _mtimes(folders: list[Path]) -> dict[Path, float]:
    found = {}
    for folder in folders:
        for path in folder.glob("*.yaml"):
            try:
                found[path] = path.stat().st_mtime
            except FileNotFoundError:  # removed while we looked
                continue
    return found


async def watch_dialogs(channel: WebChannel, stopping: asyncio.Event) -> None:
    """Author mode: look at the dialog folders once a second; read them again on change."""
    folders = channel.settings.folders("dialogs")
    seen = _mtimes(folders)
    while not stopping.is_set():
        try:
            await asyncio.wait_for(stopping.wait(), timeout=1)
        except TimeoutError:
            pass
        now = await asyncio.to_thread(_mtimes, folders)
        if now != seen and not stopping.is_set():
            seen = now
            await asyncio.to_thread(channel.reload)
            problems = channel.author_view.problems
            log.info("dialogs read again: %d problems", len(problems))


# -- serving -----------------------------------------------------------------------------


async def start_web(channel: WebChannel, host: str, port: int) -> web.AppRunner:
    """Start serving the page; the caller cleans the runner up."""
    # no access log: it would hold the children's addresses
    runner = web.AppRunner(channel.app(), access_log=None, shutdown_timeout=5)
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


def stop_on_signals(stopping: asyncio.Event) -> None:
    """SIGTERM and SIGINT set `stopping` (where the loop can listen for them)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stopping.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            return


async def serve_web(settings: Settings, *, host: str, port: int, watch: bool = False) -> None:
    """Serve the web chat until SIGTERM or SIGINT."""
    content = load_content(settings)
    store = Store(settings.data_dir)
    try:
        channel = make_channel(settings, content, store, watch_files=watch)
        stopping = asyncio.Event()
        stop_on_signals(stopping)
        runner = await start_web(channel, host, port)
        mode = " in author mode" if watch else ""
        print(f"safebot playground{mode}: http://{host}:{port}  (Ctrl-C to stop)", flush=True)
        watcher = asyncio.create_task(watch_dialogs(channel, stopping)) if watch else None
        try:
            await stopping.wait()
        finally:
            if watcher:
                await watcher
            await runner.cleanup()
    finally:
        store.close()
