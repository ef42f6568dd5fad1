"""What the bot says to a child, whatever the channel: commands, presses, typed text, media.

A channel turns its updates into `Incoming` events and sends the `Answer`'s replies.
Typed text is read only to look for distress phrases; it is never kept or logged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from babel.support import NullTranslations

from bot.distress import DistressPhrases, phrases_for
from bot.engine import Count, Engine, Outcome, StepShown
from bot.i18n import Catalogs, country_names, find_country, language_name, region_of, sort_key
from bot.model import Band
from bot.render import BACK, EXIT, HELP, MENU, Renderer, escape
from bot.reply import Button, Reply
from bot.store import Child, Store

WELCOME, MENU_DIALOG = "welcome", "menu"


# (country or None, topic, translations, locale) -> the help hand-off
HandOffBuilder = Callable[[str | None, str, NullTranslations, str], Reply]


@dataclass(frozen=True)
class Incoming:
    """One thing a child did, in channel-neutral words."""

    kind: Literal["command", "press", "text", "media", "other"]
    name: str = ""  # the command ('start'), or the kind of media or other message
    arg: str = ""  # command argument, button data, or typed text (read, never kept)
    language: str | None = None  # the channel's language hint, e.g. Telegram's 'pt-br'


@dataclass
class Answer:
    """What to do in the chat in return."""

    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None  # a short note on the pressed button
    clear_buttons: bool = False  # take the buttons off the message that was pressed
    quick_exit: bool = False  # delete the chat's messages, then send the replies
    delete_incoming: bool = False  # remove what the child sent (a photo, a file)


@dataclass
class _Turn:
    """One event being handled: the child, their language, and the answer so far."""

    child: Child
    t: NullTranslations
    renderer: Renderer
    hint: str | None
    answer: Answer = field(default_factory=Answer)
    counts: list[Count] = field(default_factory=list)
    forgotten: bool = False


class Chatbot:
    """The conversation: it moves the engine, keeps the store and renders the replies."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        catalogs: Catalogs,
        handoff: HandOffBuilder,
        distress: Mapping[str, DistressPhrases],
        help_countries: list[str],
        *,
        retention_days: int = 30,
    ) -> None:
        self.engine = engine
        self.retention_days = retention_days  # /privacy tells the child how long
        self.store = store
        self.catalogs = catalogs
        self.handoff = handoff
        self.distress = distress
        self.help_countries = help_countries

    # -- entry point -------------------------------------------------------------------

    def handle(self, key: str, incoming: Incoming) -> Answer:
        """Restore the child, act on one event, save the child, return what to send."""
        child = self.store.child(key)
        if child.position and not self.engine.is_valid(child.position):
            child.position = None  # the dialog changed under them: start them again cleanly
        if child.locale is None:
            child.locale = self.catalogs.negotiate(incoming.language)
        turn = self._turn(child, incoming.language)
        handler = {
            "command": self._command,
            "press": self._press,
            "text": self._typed,
            "media": self._media,
            "other": self._other,
        }[incoming.kind]
        handler(turn, incoming)
        if not turn.forgotten:
            with self.store.transaction():  # one commit for the position and the tallies
                self.store.save(child)
                self.store.count(turn.counts, language=child.locale or "", country=child.country)
        return turn.answer

    def play(
        self,
        key: str,
        dialog: str,
        *,
        locale: str,
        country: str | None,
        restart: bool = False,
        band: Band | None = None,
    ) -> Answer:
        """Open one dialog directly (the terminal playthrough), or resume it where it was."""
        child = self.store.child(key)
        child.locale, child.country = locale, country
        child.band = band or child.band
        turn = self._turn(child, None)
        position = child.position
        resumable = (
            position is not None
            and position.dialog == dialog
            and self.engine.is_valid(position)
            and not self.engine.dialogs[dialog].steps[position.step].end
        )
        if resumable and not restart and position is not None:
            self._show(turn, self.engine.show(position))
        else:
            self._open(turn, dialog)
        self.store.save(child)
        self.store.count(turn.counts, language=locale, country=country)
        return turn.answer

    def group_notice(self, language: str | None) -> Reply:
        """The one line a group chat gets: lessons happen in a private chat."""
        _ = self.catalogs.get(self.catalogs.negotiate(language)).gettext
        return Reply(_("Hi! I only talk in private chats. Tap my name and start a chat with me."))

    def _turn(self, child: Child, hint: str | None) -> _Turn:
        t = self.catalogs.get(child.locale)
        locale = child.locale or "en"

        def build(country: str | None, topic: str, tr: NullTranslations) -> Reply:
            return self.handoff(country or None, topic, tr, locale)

        return _Turn(child, t, Renderer(t, build, child.band), hint)

    # -- commands ----------------------------------------------------------------------

    def _command(self, turn: _Turn, incoming: Incoming) -> None:
        commands: dict[str, Callable[[_Turn, str], None]] = {
            "start": self._start,
            "lessons": lambda tu, _arg: self._open(tu, MENU_DIALOG),
            "help": lambda tu, _arg: self._help(tu, "command"),
            "language": self._language,
            "country": self._country,
            "privacy": self._privacy,
            "forget": self._forget_ask,
            "exit": lambda tu, _arg: self._quick_exit(tu),
        }
        command = commands.get(incoming.name)
        if command is None:
            _ = turn.t.gettext
            turn.answer.replies.append(
                Reply(
                    _(
                        "I don't know that command. Try /lessons, or /help to find people "
                        "who can help."
                    ),
                    (turn.renderer.safety_row(),),
                )
            )
            return
        command(turn, incoming.arg.strip())

    def _start(self, turn: _Turn, _arg: str) -> None:
        if turn.child.locale is None and len(self.catalogs.locales) == 1:
            turn.child.locale = self.catalogs.locales[0]  # nothing to choose from
        if turn.child.locale is None:
            self._ask_language(turn, first=True)
            return
        self._open(turn, WELCOME)

    def _open(self, turn: _Turn, dialog: str) -> None:
        self._show(turn, self.engine.open(dialog, turn.child.position))

    def _show(self, turn: _Turn, outcome: Outcome) -> None:
        """Move the child to the outcome's position and render its outputs."""
        turn.child.position = outcome.position
        turn.counts.extend(outcome.counts)
        outputs = list(outcome.outputs)
        last = outputs[-1] if outputs else None
        if (
            isinstance(last, StepShown)
            and last.dialog == MENU_DIALOG
            and not turn.child.country_known
        ):
            # the country decides which helplines a child sees: ask before the first lesson
            turn.answer.replies.extend(turn.renderer.outputs(outputs[:-1], turn.child.country))
            self._ask_country(turn)
            return
        for output in outputs:
            if isinstance(output, StepShown) and output.help_topic:
                turn.counts.append(Count("help_shown", output.dialog, phase="lesson"))
        turn.answer.replies.extend(turn.renderer.outputs(outputs, turn.child.country))

    def _help(
        self, turn: _Turn, trigger: str, intro: str | None = None, topic: str | None = None
    ) -> None:
        """The hand-off for the child's country, with a way back to where they were."""
        position = turn.child.position
        dialog = self.engine.dialogs.get(position.dialog) if position else None
        in_lesson = bool(
            dialog and position and dialog.is_lesson and not dialog.steps[position.step].end
        )
        topic = topic or (dialog.topic if dialog and dialog.is_lesson else "general")
        turn.answer.replies.append(
            turn.renderer.help(turn.child.country, topic, intro=intro, in_lesson=in_lesson)
        )
        turn.counts.append(Count("help_shown", dialog.id if dialog else "", phase=trigger))

    def _privacy(self, turn: _Turn, _arg: str) -> None:
        _ = turn.t.gettext
        text = "\n\n".join(
            [
                "<b>" + escape(_("What I keep about you")) + "</b>",
                escape(
                    _(
                        "I don't keep your name, your username or your Telegram number. "
                        "I don't keep what you type, and I never look at photos."
                    )
                ),
                escape(
                    _(
                        "I keep only your language, your country if you chose one, and "
                        "where you are in a lesson, under a secret code instead of your "
                        "name."
                    )
                ),
                escape(
                    turn.t.ngettext(
                        "If you don't use me for {days} day, this is erased. Type /forget "
                        "to erase it now, and /exit to clear this chat.",
                        "If you don't use me for {days} days, this is erased. Type /forget "
                        "to erase it now, and /exit to clear this chat.",
                        self.retention_days,
                    ).format(days=self.retention_days)
                ),
            ]
        )
        turn.answer.replies.append(Reply(text, (turn.renderer.safety_row(),)))

    def _forget_ask(self, turn: _Turn, _arg: str) -> None:
        _ = turn.t.gettext
        turn.answer.replies.append(
            Reply(
                escape(
                    _(
                        "Do you want me to erase everything I keep about you? Your "
                        "language, country and lesson progress will be gone."
                    )
                ),
                (
                    (Button(_("Yes, erase it"), data="F:yes"),),
                    (Button(_("No, keep it"), data="F:no"),),
                ),
            )
        )

    def _quick_exit(self, turn: _Turn) -> None:
        _ = turn.t.gettext
        turn.answer.quick_exit = True
        line = _("Chat cleared.")
        if not turn.child.exit_hint_shown:
            turn.child.exit_hint_shown = True
            line += " " + _(
                "Messages older than two days stay: to remove them, delete this "
                "chat from your chat list."
            )
        turn.answer.replies.append(Reply(escape(line), kind="exit"))

    # -- language and country ----------------------------------------------------------

    def _language(self, turn: _Turn, arg: str) -> None:
        if not arg:
            self._ask_language(turn)
            return
        found = self.catalogs.negotiate(arg) or self._language_by_name(arg)
        if found is None:
            _ = turn.t.gettext
            turn.answer.replies.append(Reply(escape(_("I don't speak that language yet."))))
            self._ask_language(turn)
            return
        self._set_language(turn, found)

    def _language_by_name(self, name: str) -> str | None:
        wanted = sort_key(name)
        for code in self.catalogs.locales:
            if sort_key(language_name(code)) == wanted:
                return code
        return None

    def _ask_language(self, turn: _Turn, *, first: bool = False) -> None:
        _ = turn.t.gettext
        buttons = [Button(language_name(code), data=f"L:{code}") for code in self.catalogs.locales]
        rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        text = _("Which language do you want to use?")
        if first:
            text = "Hi! " + text if turn.child.locale is None else text
        turn.answer.replies.append(Reply(escape(text), rows, kind="language"))

    def _set_language(self, turn: _Turn, code: str) -> None:
        first_time = turn.child.position is None
        turn.child.locale = code
        fresh = self._turn(turn.child, turn.hint)
        turn.t, turn.renderer = fresh.t, fresh.renderer
        _ = turn.t.gettext
        turn.answer.replies.append(Reply(escape(_("OK, I will use this language."))))
        if first_time:
            self._open(turn, WELCOME)
        else:
            self._back(turn)

    def _country(self, turn: _Turn, arg: str) -> None:
        if not arg:
            self._ask_country(turn)
            return
        found = find_country(arg, turn.child.locale or "en", tuple(self.catalogs.locales))
        if found is None:
            _ = turn.t.gettext
            turn.answer.replies.append(
                Reply(escape(_("I don't know that country. Pick it below, or type its name.")))
            )
            self._ask_country(turn)
            return
        self._set_country(turn, found)

    def _ask_country(self, turn: _Turn) -> None:
        _ = turn.t.gettext
        names = country_names(turn.child.locale or "en")
        codes = sorted(
            (c for c in self.help_countries if c in names), key=lambda c: sort_key(names[c])
        )
        suggested = region_of(turn.hint)
        rows: list[tuple[Button, ...]] = []
        if suggested and suggested in names:
            rows.append((Button("✓ " + names[suggested], data=f"C:{suggested}"),))
            codes = [c for c in codes if c != suggested]
        buttons = [Button(names[c], data=f"C:{c}") for c in codes]
        rows.extend(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        rows.append((Button(_("Prefer not to say"), data="C:-"),))
        text = "\n\n".join(
            [
                escape(_("Which country are you in? Then I can show you helplines there.")),
                escape(_("Not in the list? Type /country and the name of your country.")),
            ]
        )
        turn.answer.replies.append(Reply(text, tuple(rows), kind="country"))

    def _set_country(self, turn: _Turn, code: str) -> None:
        _ = turn.t.gettext
        turn.child.country = code
        if code:
            name = country_names(turn.child.locale or "en").get(code, code)
            line = _("Thanks. I will show you help in {country}.").format(country=name)
        else:
            line = _("That's fine. I will show you help that works everywhere.")
        turn.answer.replies.append(Reply(escape(line)))
        position = turn.child.position
        if position is None or position.dialog in (WELCOME, MENU_DIALOG):
            self._open(turn, MENU_DIALOG)
        else:
            self._back(turn)

    # -- presses -----------------------------------------------------------------------

    def _press(self, turn: _Turn, incoming: Incoming) -> None:
        data = incoming.arg
        _ = turn.t.gettext
        if data == HELP:
            self._help(turn, "button")
        elif data == EXIT:
            self._quick_exit(turn)
        elif data == BACK:
            self._back(turn)
        elif data == MENU:
            turn.answer.clear_buttons = True
            self._open(turn, MENU_DIALOG)
        elif data.startswith("L:") and data[2:] in self.catalogs.locales:
            turn.answer.clear_buttons = True
            self._set_language(turn, data[2:])
        elif data.startswith("C:") and (data[2:] == "-" or data[2:] in country_names("en")):
            turn.answer.clear_buttons = True
            self._set_country(turn, "" if data[2:] == "-" else data[2:])
        elif data == "F:yes":
            self.store.forget(turn.child.key)
            turn.forgotten = True
            turn.answer.clear_buttons = True
            turn.answer.replies.append(
                Reply(
                    escape(
                        _("Done. I erased everything I kept about you. Type /start to begin again.")
                    )
                )
            )
        elif data == "F:no":
            turn.answer.clear_buttons = True
            turn.answer.replies.append(Reply(escape(_("OK, nothing was erased."))))
        else:
            outcome = self.engine.press(turn.child.position, data)
            if outcome.stale:
                turn.answer.toast = _("That button is from an earlier message.")
                if turn.child.position is None:
                    self._open(turn, MENU_DIALOG)
                return
            turn.answer.clear_buttons = True
            self._show(turn, outcome)

    def _back(self, turn: _Turn) -> None:
        position = turn.child.position
        if position is None:
            self._open(turn, MENU_DIALOG)
        else:
            self._show(turn, self.engine.show(position))

    # -- typed text, media and the rest --------------------------------------------------

    def _typed(self, turn: _Turn, incoming: Incoming) -> None:
        _ = turn.t.gettext
        if self._is_distress(turn.child.locale, incoming.language, incoming.arg):
            intro = escape(
                _(
                    "Thank you for telling me. It is not your fault. I am an automatic "
                    "guide, so I can't chat, but people can help you right now."
                )
            )
            self._help(turn, "distress", intro, topic="danger")
            return
        self._buttons_only(
            turn,
            _("I am an automatic guide, so I can't read typed messages. Please use the buttons."),
        )

    def _is_distress(self, locale: str | None, hint: str | None, text: str) -> bool:
        """The child's chosen language, the language of their app, then English: a child
        may write in their own language even when the lessons are in English."""
        return any(phrases.match(text) for phrases in phrases_for(self.distress, locale, hint))

    def _media(self, turn: _Turn, incoming: Incoming) -> None:
        _ = turn.t.gettext
        turn.answer.delete_incoming = True
        intro = "\n\n".join(
            [
                escape(
                    _(
                        "I removed what you sent from this chat. I can't look at pictures or "
                        "files, and I did not keep it."
                    )
                ),
                escape(
                    _(
                        "If someone has a picture of you or is asking for one: it is not "
                        "your fault, and you are not in trouble. Don't send more. There are "
                        "free tools that help get pictures taken down, and people who can "
                        "help:"
                    )
                ),
            ]
        )
        self._help(turn, "media", intro, topic="images")

    def _other(self, turn: _Turn, incoming: Incoming) -> None:
        _ = turn.t.gettext
        self._buttons_only(
            turn, _("Thanks! I can only understand button taps. Use the buttons below.")
        )

    def _buttons_only(self, turn: _Turn, line: str) -> None:
        _ = turn.t.gettext
        position = turn.child.position
        back = (
            Button(_("Back to where I was"), data=BACK)
            if position
            else Button(_("See the lessons"), data=MENU)
        )
        turn.answer.replies.append(Reply(escape(line), ((back,), turn.renderer.safety_row())))
