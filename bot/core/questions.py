"""The questions the bot asks a child once, whatever the channel: their language, their
country (which helplines to show), their age band (which lessons and words), and whether
to erase everything. Each is a state like any other: its buttons answer only the turn it
was asked at, and what follows the answer (`then`) is kept with the child.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.content.model import BANDS
from bot.content.places import find_country, language_by_name, region_of
from bot.core.presses import Answer, Question
from bot.core.said import (
    AskBand,
    AskCountry,
    AskForget,
    AskLanguage,
    CountrySet,
    Erased,
    Notice,
    Turn,
)
from bot.core.store import Child

WELCOME, MENU = "welcome", "menu"
LESSON = "lesson:"  # what follows a question a deep link led to: lesson:<id>


class Questions:
    """Asking and answering; the conversation says what follows (`_then`, `_linked`)."""

    locales: list[str]
    countries: list[str]  # the countries offered as buttons
    negotiate: Callable[[str | None], str | None]

    def _then(self, child: Child, then: str, turn: Turn) -> None:
        raise NotImplementedError

    def _linked(self, child: Child, lesson: str, turn: Turn, *, greet: bool) -> None:
        raise NotImplementedError

    def _language(self, child: Child, arg: str, turn: Turn) -> None:
        if not arg:
            self._ask(child, turn, "language", "back")
            return
        found = self.negotiate(arg) or language_by_name(arg, self.locales)
        if found is None:
            turn.said.append(Notice("no_such_language"))
            self._ask(child, turn, "language", "back")
            return
        self._set_language(child, found, "back", turn)

    def _country(self, child: Child, arg: str, hint: str | None, turn: Turn) -> None:
        if not arg:
            self._ask(child, turn, "country", "back", hint=hint)
            return
        found = find_country(arg, child.locale or "en", tuple(self.locales))
        if found is None:
            turn.said.append(Notice("no_such_country"))
            self._ask(child, turn, "country", "back", hint=hint)
            return
        self._set_country(child, found, "back", turn)

    # -- questions: language, country, age band, erasing --------------------------------

    def _ask(
        self, child: Child, turn: Turn, question: Question, then: str, hint: str | None = None
    ) -> None:
        """Ask a question: its buttons answer this turn only, then `then` follows."""
        child.turn += 1
        child.asking, child.after_answer = question, then
        if question == "language":
            first = child.locale is None
            turn.said.append(AskLanguage(child.turn, tuple(self.locales), first))
        elif question == "country":
            suggested = region_of(hint or turn.hint)
            turn.said.append(AskCountry(child.turn, tuple(self.countries), suggested))
        elif question == "band":
            turn.said.append(AskBand(child.turn))
        else:
            turn.said.append(AskForget(child.turn))

    def _answer(self, child: Child, answer: Answer, turn: Turn) -> None:
        if child.asking != answer.question or answer.turn != child.turn:
            turn.stale = True
            return
        then = child.after_answer or "back"
        child.asking = child.after_answer = None
        turn.clear_buttons = True
        value = answer.value
        if answer.question == "language" and value in self.locales:
            self._set_language(child, value, then, turn)
        elif answer.question == "country" and (value == "-" or find_country(value, "en")):
            self._set_country(child, "" if value == "-" else value, then, turn)
        elif answer.question == "band" and value in BANDS:
            child.band = next(band for band in BANDS if band == value)
            turn.said.append(Notice("band_set"))
            self._then(child, then, turn)
        elif answer.question == "forget" and value == "yes":
            turn.forgotten = True
            turn.said.append(Erased())
        elif answer.question == "forget":
            turn.said.append(Notice("nothing_erased"))
        else:
            turn.stale = True

    def _set_language(self, child: Child, code: str, then: str, turn: Turn) -> None:
        child.locale = code
        turn.said.append(Notice("language_set"))
        if child.asking is not None:  # a question was waiting: ask it again, in these words
            self._ask(child, turn, child.asking, child.after_answer or "back")
            return
        if then.startswith(LESSON) and child.position is None:  # a link, before the welcome
            self._linked(child, then.removeprefix(LESSON), turn, greet=True)
            return
        self._then(child, "welcome" if child.position is None else then, turn)

    def _set_country(self, child: Child, code: str, then: str, turn: Turn) -> None:
        child.country = code
        turn.said.append(CountrySet(code))
        position = child.position
        at_start = position is None or position.dialog in (WELCOME, MENU)
        self._then(child, "menu" if at_start and not then.startswith(LESSON) else then, turn)
