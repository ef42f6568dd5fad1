"""What the bot does when a child does something, whatever the channel: commands, presses,
typed text, media. It decides; it holds no wording (bot.render words what it says).

Typed text is read only to hear whether it discloses distress, or names the country or
language the bot just asked for; it is never kept or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from bot.content.model import HelpTopic
from bot.content.places import find_country, language_by_name
from bot.core.distress import HELP_FOR, Hearing
from bot.core.engine import Count, Engine, Outcome, Position, StepShown
from bot.core.links import Link, read_link
from bot.core.presses import (
    Answer,
    Back,
    Exit,
    Help,
    Lessons,
    Press,
    Question,
    TellCountry,
    decode,
)
from bot.core.questions import LESSON, MENU, WELCOME, Questions
from bot.core.said import (
    ChatCleared,
    HelpShown,
    Notice,
    Privacy,
    Turn,
)
from bot.core.store import Child


@dataclass(frozen=True)
class Incoming:
    """One thing a child did, in channel-neutral words."""

    kind: Literal["command", "press", "text", "media", "other"]
    name: str = ""  # the command ('start'), or the kind of media or other message
    arg: str = ""  # command argument, button data, or typed text (read, never kept)
    language: str | None = None  # the channel's language hint, e.g. Telegram's 'pt-br'
    # Telegram cannot delete messages older than 48 hours: quick exit says so, once
    keeps_old_messages: bool = False


class Conversation(Questions):
    """Moves a child through dialogs and questions; one instance serves every child."""

    def __init__(
        self,
        engine: Engine,
        hearing: Hearing,
        *,
        locales: list[str],
        negotiate: Callable[[str | None], str | None],
        countries: list[str],
        retention_days: int,
        ask_band: bool = False,
    ) -> None:
        self.engine = engine
        self.hearing = hearing
        self.locales = locales
        self.negotiate = negotiate
        self.countries = countries  # the countries offered as buttons
        self.retention_days = retention_days
        # ask the age band before the first lesson (when lessons differ by band)
        self.ask_band = ask_band

    def handle(self, child: Child, incoming: Incoming) -> Turn:
        """Act on one event: the child is changed in place, the turn says what follows."""
        turn = Turn(hint=incoming.language)
        if child.position and not self.engine.is_valid(child.position):
            child.position = None  # the dialog changed under them: start them again cleanly
        if child.locale is None:
            child.locale = self.negotiate(incoming.language)
        act = {
            "command": self._command,
            "press": self._press,
            "text": self._typed,
            "media": self._media,
            "other": self._other,
        }[incoming.kind]
        act(child, incoming, turn)
        return turn

    def play(self, child: Child, dialog: str, *, restart: bool = False) -> Turn:
        """Open one dialog directly (a reviewer's playthrough), or resume it where it was."""
        turn = Turn()
        position = child.position
        resumable = (
            position is not None
            and position.dialog == dialog
            and self.engine.is_valid(position)
            and not self.engine.dialogs[dialog].steps[position.step].end
        )
        if resumable and not restart and position is not None:
            self._show(
                child,
                self.engine.show(position, child.turn, child.band, child.locale or "en"),
                turn,
            )
        else:
            self._show(
                child, self.engine.open(dialog, child.turn, child.band, child.locale or "en"), turn
            )
        return turn

    def jump(self, child: Child, step: str) -> Turn | None:
        """Author and review mode: the child goes to a step of the dialog they are in, and
        it is shown; None when they are in no dialog or it has no such step."""
        if child.position is None:
            return None
        position = Position(child.position.dialog, step)
        if not self.engine.is_valid(position):
            return None
        turn = Turn()
        self._show(
            child, self.engine.jump(position, child.turn, child.band, child.locale or "en"), turn
        )
        return turn

    # -- commands ----------------------------------------------------------------------

    def _command(self, child: Child, incoming: Incoming, turn: Turn) -> None:
        name, arg = incoming.name, incoming.arg.strip()
        if name == "start":
            self._start(child, incoming, turn)
        elif name == "lessons":
            self._menu(child, turn)
        elif name == "help":
            self._help(child, turn, "command")
        elif name == "language":
            self._language(child, arg, turn)
        elif name == "country":
            self._country(child, arg, incoming.language, turn)
        elif name == "age":
            self._ask(child, turn, "band", "back")
        elif name == "privacy":
            turn.said.append(Privacy(self.retention_days))
        elif name == "forget":
            self._ask(child, turn, "forget", "back")
        elif name == "exit":
            self._quick_exit(child, incoming, turn)
        else:
            turn.said.append(Notice("unknown_command"))

    def _start(self, child: Child, incoming: Incoming, turn: Turn) -> None:
        lesson = self._follow(child, read_link(incoming.arg.strip()))
        if child.locale is None and len(self.locales) == 1:
            child.locale = self.locales[0]  # nothing to choose from
        then = f"{LESSON}{lesson}" if lesson else "welcome"
        if child.locale is None:
            self._ask(child, turn, "language", then, hint=incoming.language)
            return
        if lesson:
            self._linked(child, lesson, turn, greet=child.position is None)
            return
        self._open(child, WELCOME, turn)

    def _follow(self, child: Child, link: Link) -> str | None:
        """Take what a deep link sets that this instance offers; the lesson to open, if any."""
        if link.language in self.locales:
            child.locale = link.language
        if link.country and link.country.upper() in self.countries:
            child.country = link.country.upper()
        return link.lesson if link.lesson in self.engine.lessons else None

    def _linked(self, child: Child, lesson: str, turn: Turn, *, greet: bool) -> None:
        """A lesson a link opens: to a new child the welcome's words first (without its
        button), then the questions the lessons need, then the lesson."""
        if greet:
            hello = self.engine.open(WELCOME, child.turn, child.band, child.locale or "en")
            turn.said.extend(
                replace(o, buttons=()) if isinstance(o, StepShown) else o for o in hello.outputs
            )
        question = self._before_lessons(child)
        if question is not None:
            self._ask(child, turn, question, f"{LESSON}{lesson}")
        elif self.engine.approved(lesson, child.band, child.locale or "en") and self.engine.dialogs[
            lesson
        ].for_band(child.band):
            self._open(child, lesson, turn)
        else:
            self._menu(child, turn)

    def _then(self, child: Child, then: str, turn: Turn) -> None:
        if then.startswith(LESSON):
            self._linked(child, then.removeprefix(LESSON), turn, greet=False)
        elif then == "welcome":
            self._open(child, WELCOME, turn)
        elif then == "menu":
            self._menu(child, turn)
        else:
            self._back(child, turn)

    # -- dialogs -----------------------------------------------------------------------

    def _menu(self, child: Child, turn: Turn) -> None:
        """The lessons: first the country (which helplines to show) and the age band (which
        lessons and words), each asked once, before the first lesson."""
        question = self._before_lessons(child)
        if question is None:
            self._open(child, MENU, turn)
        else:
            self._ask(child, turn, question, "menu")

    def _before_lessons(self, child: Child) -> Question | None:
        """What the bot must know before the first lesson, and does not yet."""
        if not child.country_known:
            return "country"
        if child.band is None and self.ask_band:
            return "band"
        return None

    def _open(self, child: Child, dialog: str, turn: Turn) -> None:
        self._show(
            child, self.engine.open(dialog, child.turn, child.band, child.locale or "en"), turn
        )

    def _show(self, child: Child, outcome: Outcome, turn: Turn) -> None:
        """Move the child to the outcome and say its outputs."""
        outputs = list(outcome.outputs)
        last = outputs[-1] if outputs else None
        if isinstance(last, StepShown) and last.dialog == MENU and self._before_lessons(child):
            # a choice that opens the lessons: the questions come first
            turn.said.extend(outputs[:-1])
            turn.counts.extend(outcome.counts)
            self._menu(child, turn)
            return
        child.position, child.turn = outcome.position, outcome.turn
        turn.counts.extend(outcome.counts)
        for output in outputs:
            if isinstance(output, StepShown) and output.help_topic:
                turn.counts.append(Count("help_shown", output.dialog, phase="lesson"))
        turn.said.extend(outputs)

    def _back(self, child: Child, turn: Turn) -> None:
        if child.position is None:
            self._menu(child, turn)
        else:
            self._show(
                child,
                self.engine.show(child.position, child.turn, child.band, child.locale or "en"),
                turn,
            )

    # -- presses -----------------------------------------------------------------------

    def _press(self, child: Child, incoming: Incoming, turn: Turn) -> None:
        press: Press | None = decode(incoming.arg)
        if isinstance(press, Help):
            self._help(child, turn, "button")
        elif isinstance(press, Exit):
            self._quick_exit(child, incoming, turn)
        elif isinstance(press, Back):
            self._back(child, turn)
        elif isinstance(press, Lessons):
            turn.clear_buttons = True
            self._menu(child, turn)
        elif isinstance(press, TellCountry):
            self._ask(child, turn, "country", "back", hint=incoming.language)
        elif isinstance(press, Answer):
            self._answer(child, press, turn)
        elif press is None:
            turn.stale = True
        else:
            outcome = self.engine.press(
                child.position, child.turn, press, child.band, child.locale or "en"
            )
            if outcome.stale:
                turn.stale = True
                if child.position is None:
                    self._menu(child, turn)
                return
            turn.clear_buttons = True
            self._show(child, outcome, turn)

    # -- help, typed text, media and the rest ------------------------------------------

    def _help(
        self,
        child: Child,
        turn: Turn,
        trigger: str,
        topic: HelpTopic | None = None,
        reason: str | None = None,
    ) -> None:
        """The hand-off for the child's country, with a way back to where they were."""
        position = child.position
        dialog = self.engine.dialogs.get(position.dialog) if position else None
        in_lesson = bool(
            dialog and position and dialog.is_lesson and not dialog.steps[position.step].end
        )
        lesson_topic = dialog.topic if dialog and dialog.is_lesson else "general"
        shown = HelpShown(
            topic or lesson_topic,
            child.country or None,
            reason,
            in_lesson,
            # also after "prefer not to say": telling the country stays one tap away
            ask_country=not child.country,
        )
        turn.said.append(shown)
        turn.counts.append(
            Count("help_shown", dialog.id if dialog else "", phase=trigger, outcome=reason or "")
        )

    def _typed(self, child: Child, incoming: Incoming, turn: Turn) -> None:
        finding = self.hearing.hear(incoming.arg, child.locale, incoming.language)
        if finding is not None:
            self._help(child, turn, "distress", HELP_FOR[finding.category], finding.category)
            return
        if child.asking == "country":
            found = find_country(incoming.arg, child.locale or "en", tuple(self.locales))
            if found:
                self._answer(child, Answer(child.turn, "country", found), turn)
                return
        if child.asking == "language":
            found = language_by_name(incoming.arg, self.locales)
            if found:
                self._answer(child, Answer(child.turn, "language", found), turn)
                return
        turn.said.append(Notice("typed", back=child.position is not None))

    def _media(self, child: Child, incoming: Incoming, turn: Turn) -> None:
        turn.delete_incoming = True
        self._help(child, turn, "media", "images", "media")

    def _other(self, child: Child, incoming: Incoming, turn: Turn) -> None:
        turn.said.append(Notice("other", back=child.position is not None))

    def _quick_exit(self, child: Child, incoming: Incoming, turn: Turn) -> None:
        turn.quick_exit = True
        explain = incoming.keeps_old_messages and not child.exit_hint_shown
        turn.said.append(ChatCleared(first_time=explain))
        child.exit_hint_shown = child.exit_hint_shown or explain
