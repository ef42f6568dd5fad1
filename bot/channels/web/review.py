"""Review mode of the playground (`safebot demo --review`): a youth review group marks the
step they are on "clear", "confusing" or "not right", with a short note.

The page says only which session (a group's name) and which mark; the step, language and
band come from where the server knows this chat is. Notes go to the lesson's review file
(bot.review.notes), never to the children's database, and nothing about the client is
written there.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aiohttp import web

from bot.channels.web.guard import CLIENT_ID, RateLimit, json_of, review_of
from bot.content.model import Dialog
from bot.core.store import Child
from bot.core.turn import Turns
from bot.render.text import Reply
from bot.review.notes import MARKS, MAX_NOTE, MAX_SESSION, Mark, Note, ReviewFile, note_for

READER_BAND = "10-12"  # what a reader who gave no age group is shown (Text.in_band)


class ReviewMode:
    """Reads and keeps the review marks of the chats on this playground."""

    def __init__(self, turns: Turns[Reply], folder: Path) -> None:
        self.turns = turns
        self.folder = folder  # the instance's reviews/ folder
        self.per_client = RateLimit(rate=2, burst=10)

    def _place(self, client: str) -> tuple[Child, Dialog | None]:
        """The chat's child and the dialog they are in (None outside any dialog)."""
        child = self.turns.child(self.turns.key("web", client))
        position = child.position
        engine = self.turns.conversation.engine
        if position is None or not engine.is_valid(position):
            return child, None
        return child, engine.dialogs[position.dialog]

    async def view(self, request: web.Request) -> web.Response:
        """The step this chat is on, and the mark this session gave it, if any."""
        client = request.query.get("client", "")
        if not CLIENT_ID.match(client):
            raise web.HTTPBadRequest(text="client must be 32 hexadecimal characters")
        session = " ".join(request.query.get("session", "").split())[:MAX_SESSION]
        child, dialog = self._place(client)
        if dialog is None or child.position is None:
            return web.json_response({"step": "", "lesson": "", "title": ""})
        step, language, band = child.position.step, child.locale or "en", _band(child)
        mine = [
            n
            for n in ReviewFile(self.folder, dialog.id).notes()
            if (n.step, n.session, n.language, n.band) == (step, session, language, band)
        ]
        return web.json_response(
            {
                "lesson": dialog.id,
                "title": dialog.title.source,
                "step": step,
                "language": language,
                "band": band,
                "mark": mine[0].mark if mine else "",
                "note": mine[0].note if mine else "",
            }
        )

    async def mark(self, request: web.Request) -> web.Response:
        """Keep a mark and note on the step this chat is on, in the lesson's review file."""
        mark = review_of(await json_of(request), MARKS, MAX_NOTE, MAX_SESSION)
        if not self.per_client.allow(mark["client"]):
            raise web.HTTPTooManyRequests(text="slow down a little")
        child, dialog = self._place(mark["client"])
        if dialog is None or child.position is None:
            raise web.HTTPConflict(text="start a lesson first: a mark is for the step you are on")
        note: Note = note_for(
            dialog,
            child.position.step,
            session=mark["session"],
            language=child.locale or "en",
            band=_band(child),
            mark=_mark(mark["mark"]),
            note=mark["note"],
            day=date.today().isoformat(),
        )
        ReviewFile(self.folder, dialog.id).keep(note)
        return web.json_response(
            {"saved": True, "lesson": dialog.id, "step": note.step, "mark": note.mark}
        )


def _band(child: Child) -> str:
    return child.band or READER_BAND


def _mark(value: str) -> Mark:
    for mark in MARKS:
        if mark == value:
            return mark
    raise web.HTTPBadRequest(text=f"mark must be one of: {', '.join(MARKS)}")
