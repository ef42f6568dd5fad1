"""Author mode of the playground (`safebot demo --watch`, and `--review`): the dialogs are read
again when a file changes, and the page shows their problems and the flow of the dialog being
played, whose steps can be clicked to go there (POST /api/jump, in bot.channels.web.server)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.channels.web.guard import AUTHOR_CSP, CLIENT_ID
from bot.content.load import read_content
from bot.core.engine import Engine
from bot.core.turn import Turns
from bot.errors import Problem
from bot.render.text import Reply
from bot.settings import Settings

log = logging.getLogger("safebot.web")


@dataclass
class AuthorView:
    """The problems of the last reading, and when it was."""

    problems: list[dict[str, Any]] = field(default_factory=list)
    read_at: str = ""
    loaded: bool = True  # False: the new files had errors; the chat keeps the last good ones


class AuthorMode:
    """Reads the files again on change, and tells the page what it found."""

    def __init__(self, settings: Settings, turns: Turns[Reply]) -> None:
        self.settings = settings
        self.turns = turns
        self.shown = AuthorView()

    def page(self, page: str) -> web.Response:
        response = web.Response(
            text=page.replace('data-author="no"', 'data-author="yes"'), content_type="text/html"
        )
        # Mermaid writes its diagrams' styles inline: only here are inline styles allowed
        response.headers["Content-Security-Policy"] = AUTHOR_CSP
        return response

    async def view(self, request: web.Request) -> web.Response:
        """The problems in the files, and the flow of the child's dialog."""
        from bot.tools.graph import mermaid

        client = request.query.get("client", "")
        flow, title, step, steps = "", "", "", []
        engine = self.turns.conversation.engine
        if CLIENT_ID.match(client):
            position = self.turns.child(self.turns.key("web", client)).position
            dialog = engine.dialogs.get(position.dialog) if position else None
            if dialog is not None and position is not None:
                flow, title = mermaid(dialog, position.step), dialog.title.source
                step = position.step
                steps = list(dialog.steps)  # the page lets these be clicked, to go there
        shown = self.shown
        return web.json_response(
            {
                "problems": shown.problems,
                "read_at": shown.read_at,
                "loaded": shown.loaded,
                "flow": flow,
                "title": title,
                "step": step,
                "steps": steps,
            }
        )

    def reload(self) -> None:
        """Read and check the files again; keep the old dialogs if the new have errors."""
        folders = [f.resolve() for f in self.settings.folders("dialogs")]
        content, problems = read_content(self.settings)
        self.shown = AuthorView(
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
            loaded=not any(p.severity == "error" for p in problems),
        )
        if self.shown.loaded:
            self.turns.conversation.engine = Engine(
                content.dialogs, content.lessons, require_approved=self.settings.require_approved
            )

    async def watch(self, stopping: asyncio.Event) -> None:
        """Look at the dialog folders once a second; read them again on change."""
        folders = self.settings.folders("dialogs")
        seen = _mtimes(folders)
        while not stopping.is_set():
            try:
                await asyncio.wait_for(stopping.wait(), timeout=1)
            except TimeoutError:
                pass
            now = await asyncio.to_thread(_mtimes, folders)
            if now != seen and not stopping.is_set():
                seen = now
                await asyncio.to_thread(self.reload)
                log.info("dialogs read again: %d problems", len(self.shown.problems))


def _where(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}" if problem.line else problem.path


def _mtimes(folders: list[Path]) -> dict[Path, float]:
    found = {}
    for folder in folders:
        for path in folder.glob("*.yaml"):
            try:
                found[path] = path.stat().st_mtime
            except FileNotFoundError:  # removed while we looked
                continue
    return found
