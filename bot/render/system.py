"""The bot's own words around the lessons: questions, notices, privacy, quick exit.

Every message a child reads that is not an author's lesson text is written here (or in
the help hand-off, bot.render.handoff), once, through gettext.
"""

from __future__ import annotations

from babel.support import NullTranslations

from bot.content.model import BANDS
from bot.content.places import country_names, language_name, sort_key
from bot.core.presses import Answer, Back, Exit, Help, Lessons, encode
from bot.core.said import AskCountry, AskLanguage, Notice
from bot.render.text import Button, Reply, Rows, b, fill, para

MAX_KEYBOARD = 100  # buttons in one message: Telegram's limit (PTB's InlineKeyboardMarkupLimit)


class SystemWords:
    """The bot's own messages in one language."""

    def __init__(self, translations: NullTranslations, locale: str) -> None:
        self.t = translations
        self.locale = locale

    def safety_row(self, *, with_help: bool = True) -> tuple[Button, ...]:
        _ = self.t.gettext
        # Translators: A button: at most 40 characters.
        exit_button = Button(_("Quick exit"), press=encode(Exit()))
        if not with_help:
            return (exit_button,)
        # Translators: A button: at most 40 characters.
        return (Button(_("Get help"), press=encode(Help())), exit_button)

    def way_back(self, in_dialog: bool) -> Button:
        _ = self.t.gettext
        if in_dialog:
            # Translators: A button: at most 40 characters.
            return Button(_("Back to where I was"), press=encode(Back()))
        # Translators: A button: at most 40 characters.
        return Button(_("See the lessons"), press=encode(Lessons()))

    def notice(self, notice: Notice, to_call: tuple[str, str] | None = None) -> Reply:
        """A short system message; typed text is answered with the child's own helpline
        when their country has one (`to_call`: its name and number)."""
        _ = self.t.gettext
        if notice.note == "unknown_command":
            text = _(
                "I don't know that command. Try /lessons, or /help to find people who can help."
            )
            return Reply((para(text),), (self.safety_row(),))
        if notice.note == "typed":
            if to_call:
                line = _(
                    "I'm an automatic guide, so I can't chat. If something is worrying you, you "
                    "can talk to {name}: call {number}. Or tap Get help, or use the buttons to "
                    "go on."
                )
                typed = fill(line, name=b(to_call[0]), number=b(to_call[1]))
            else:
                typed = para(
                    _(
                        "I'm an automatic guide, so I can't chat. If something is worrying you, "
                        "help is one tap away: tap Get help. Or use the buttons to go on."
                    )
                )
            return Reply((typed,), ((self.way_back(notice.back),), self.safety_row()))
        if notice.note == "other":
            text = _("Thanks! I can only understand button taps. Use the buttons below.")
            return Reply((para(text),), ((self.way_back(notice.back),), self.safety_row()))
        lines = {
            "language_set": _("OK, I will use this language."),
            "no_such_language": _("I don't speak that language yet."),
            "no_such_country": _("I don't know that country. Pick it below, or type its name."),
            "band_set": _("Thanks. I will choose lessons and words for your age group."),
            "nothing_erased": _("OK, nothing was erased."),
        }
        return Reply((para(lines[notice.note]),))

    def ask_language(self, asked: AskLanguage) -> Reply:
        _ = self.t.gettext
        buttons = [
            Button(language_name(code), press=encode(Answer(asked.turn, "language", code)))
            for code in asked.locales
        ]
        rows: Rows = tuple(tuple(buttons[k : k + 2]) for k in range(0, len(buttons), 2))
        text = _("Which language do you want to use?")
        return Reply((para(("Hi! " if asked.first else "") + text),), rows, kind="language")

    def ask_country(self, asked: AskCountry) -> Reply:
        _ = self.t.gettext
        names = country_names(self.locale)
        codes = sorted((c for c in asked.countries if c in names), key=lambda c: sort_key(names[c]))

        def button(label: str, code: str) -> Button:
            return Button(label, press=encode(Answer(asked.turn, "country", code)))

        rows: list[tuple[Button, ...]] = []
        if asked.suggested and asked.suggested in names:
            rows.append((button("✓ " + names[asked.suggested], asked.suggested),))
            codes = [c for c in codes if c != asked.suggested]
        # Telegram refuses a keyboard of more than 100 buttons: the message would not arrive.
        # Countries past the limit are still found by name (/country Zambia), as it says.
        room = MAX_KEYBOARD - len(rows) - 1
        buttons = [button(names[c], c) for c in codes[:room]]
        rows += [tuple(buttons[k : k + 2]) for k in range(0, len(buttons), 2)]
        # Translators: A button: at most 40 characters.
        rows.append((button(_("Prefer not to say"), "-"),))
        text = (
            para(_("Which country are you in? Then I can show you helplines there.")),
            para(_("Not in the list? Type /country and the name of your country.")),
        )
        return Reply(text, tuple(rows), kind="country")

    def ask_band(self, turn: int) -> Reply:
        _ = self.t.gettext
        labels = {
            # Translators: A button: at most 40 characters.
            "10-12": _("10 to 12"),
            # Translators: A button: at most 40 characters.
            "13-17": _("13 to 17"),
        }
        row = tuple(
            Button(labels[band], press=encode(Answer(turn, "band", band))) for band in BANDS
        )
        text = (
            para(_("How old are you? Then I can choose lessons and words for your age.")),
            para(_("I keep only the age group, never your age. You can change it with /age.")),
        )
        return Reply(text, (row, self.safety_row()), kind="band")

    def ask_forget(self, turn: int) -> Reply:
        _ = self.t.gettext
        text = _(
            "Do you want me to erase everything I keep about you? Your language, country "
            "and lesson progress will be gone."
        )
        rows: Rows = (
            # Translators: A button: at most 40 characters.
            (Button(_("Yes, erase it"), press=encode(Answer(turn, "forget", "yes"))),),
            # Translators: A button: at most 40 characters.
            (Button(_("No, keep it"), press=encode(Answer(turn, "forget", "no"))),),
        )
        return Reply((para(text),), rows)

    def country_set(self, country: str) -> Reply:
        _ = self.t.gettext
        if country:
            name = country_names(self.locale).get(country, country)
            line = _("Thanks. I will show you help in {country}.").format(country=name)
        else:
            line = _("That's fine. I will show you help that works everywhere.")
        return Reply((para(line),))

    def erased(self) -> Reply:
        _ = self.t.gettext
        text = _("Done. I erased everything I kept about you. Type /start to begin again.")
        return Reply((para(text),))

    def privacy(self, days: int) -> Reply:
        _ = self.t.gettext
        paragraphs = (
            (b(_("What I keep about you")),),
            para(
                _(
                    "I don't keep your name, your username or your Telegram number. "
                    "I don't keep what you type, and I never look at photos."
                )
            ),
            para(
                _(
                    "I keep only your language, your country and your age group (10 to "
                    "12 or 13 to 17) if you chose them, and where you are in a lesson, "
                    "under a secret code instead of your name. I never keep your age."
                )
            ),
            para(
                self.t.ngettext(
                    "If you don't use me for {days} day, this is erased. Type /forget "
                    "to erase it now, and /exit to clear this chat.",
                    "If you don't use me for {days} days, this is erased. Type /forget "
                    "to erase it now, and /exit to clear this chat.",
                    days,
                ).format(days=days)
            ),
        )
        return Reply(paragraphs, (self.safety_row(),))

    def chat_cleared(self, first_time: bool) -> Reply:
        _ = self.t.gettext
        line = _("Chat cleared.")
        if first_time:
            line += " " + _(
                "Messages older than two days stay: to remove them, delete this "
                "chat from your chat list."
            )
        return Reply((para(line),), kind="exit")

    def thanks(self) -> Reply:
        _ = self.t.gettext
        rows: Rows = (
            # Translators: A button: at most 40 characters.
            (Button(_("All lessons"), press=encode(Lessons())),),
            self.safety_row(),
        )
        return Reply((para(_("Thank you. This helps us make better lessons.")),), rows)

    def stale(self) -> str:
        return self.t.gettext("That button is from an earlier message.")

    def page_labels(self) -> dict[str, str]:
        """The web page's own words."""
        _ = self.t.gettext
        return {
            # Translators: A button: at most 40 characters.
            "help": _("Get help"),
            # Translators: A button: at most 40 characters.
            "exit": _("Quick exit"),
            # Translators: A button: at most 40 characters.
            "lessons": _("Lessons"),
            # Translators: A button: at most 40 characters.
            "language": _("Language"),
            # Translators: A button: at most 40 characters.
            "country": _("Country"),
            # Translators: A button: at most 40 characters.
            "age": _("Age group"),
            # Translators: A button: at most 40 characters.
            "privacy": _("Privacy"),
            # Translators: A button: at most 40 characters.
            "forget": _("Erase everything I keep"),
            "placeholder": _("Type here, or tap a button"),
            # Translators: A button: at most 40 characters.
            "send": _("Send"),
        }

    def trouble(self) -> Reply:
        text = self.t.gettext("Something went wrong on my side. Please try again in a moment.")
        return Reply((para(text),), (self.safety_row(),))

    def group(self) -> Reply:
        _ = self.t.gettext
        text = _("Hi! I only talk in private chats. Tap my name and start a chat with me.")
        return Reply((para(text),))


def description(t: NullTranslations) -> tuple[str, str]:
    """What a child reads before pressing Start: the bot's description (at most 512
    characters) and its short description (at most 120), in one language."""
    _ = t.gettext
    return (
        # Translators: shown before a child first opens the bot; at most 512 characters.
        _(
            "Short stories that help you spot grooming and sextortion online, and find "
            "people in your country who can help. Free, and I don't keep your name or "
            "what you type. Tap Start."
        ),
        # Translators: the bot's short description; at most 120 characters.
        _("Learn to spot online grooming and sextortion, and find help in your country."),
    )


def command_menu(t: NullTranslations) -> list[tuple[str, str]]:
    """The bot's commands with what each does, in one language, for the app's menu."""
    _ = t.gettext
    return [
        ("start", _("Start, or start again")),
        # Translators: A button: at most 40 characters.
        ("lessons", _("See the lessons")),
        ("help", _("Find people who can help")),
        ("language", _("Change the language")),
        ("country", _("Change your country")),
        ("age", _("Change your age group")),
        ("privacy", _("What I keep about you")),
        ("forget", _("Erase everything I keep")),
        ("exit", _("Quick exit: clear this chat")),
    ]
