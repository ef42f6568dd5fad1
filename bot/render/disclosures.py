"""The words before the help a child gets when they tell the bot something, by what they
told it. Fixed, reviewed texts (never generated): believe the child, it is not their fault,
what can help now, and, plainly, that the bot is automatic and people can help. No
questions, no blame, no promise the bot cannot keep."""

from __future__ import annotations

from babel.support import NullTranslations

from bot.render.text import Paragraph, para


def disclosure_words(t: NullTranslations, reason: str | None) -> tuple[Paragraph, ...]:
    """The paragraphs before the hand-off; none when the child simply asked for help."""
    _ = t.gettext
    automatic = _("I am an automatic guide, so I can't chat, but these people can, today:")
    texts: dict[str, tuple[str, ...]] = {
        "suicide": (
            _(
                "Thank you for telling me. I'm really glad you did. What you feel matters, "
                "and you deserve help right now."
            ),
            _(
                "If you might hurt yourself now, call the emergency number. You can also talk "
                "to someone now, any time you need:"
            ),
        ),
        "sextortion": (
            _("Thank you for telling me. This is not your fault, and you are not in trouble."),
            _(
                "Don't pay and don't send anything more. Stop replying, but keep the messages: "
                "take screenshots of the threats and of their account, never of the picture."
            ),
            _("Pictures can be taken down, and these people can help:"),
        ),
        "image_pressure": (
            _(
                "Thank you for telling me. You never have to send a picture, even if you said "
                "yes before. It is not your fault."
            ),
            _("You can stop replying, block them and report them in the app."),
            automatic,
        ),
        "grooming_secrecy": (
            _(
                "Thank you for telling me. Someone who asks you to keep secrets from the "
                "people who care about you is not being a real friend. It is not your fault."
            ),
            _("You can tell an adult you trust."),
            automatic,
        ),
        "grooming_gifts": (
            _(
                "Thank you for telling me. Gifts that come with something you owe back are "
                "a trick, not kindness. You don't owe anyone anything, and it is not your fault."
            ),
            _("You can tell an adult you trust."),
            automatic,
        ),
        "grooming_meeting": (
            _(
                "Thank you for telling me. Please don't go to meet someone from online alone. "
                "It is not your fault that they ask."
            ),
            _("If you feel in danger now, call the emergency number."),
            automatic,
        ),
        "sexual_abuse": (
            _(
                "Thank you for telling me. What happened is not your fault, and you were right "
                "to tell."
            ),
            _(
                "If you are in danger now, call the emergency number. These people can listen "
                "and help keep you safe:"
            ),
        ),
        "violence": (
            _(
                "Thank you for telling me. Nobody has the right to hurt you or scare you. It is "
                "not your fault."
            ),
            _("If you are in danger now, call the emergency number first. These people can help:"),
        ),
        "cry_for_help": (
            _("Thank you for telling me. I'm sorry things are hard right now."),
            automatic,
        ),
        "media": (
            _(
                "I removed what you sent from this chat. I can't look at pictures or "
                "files, and I did not keep it."
            ),
            _(
                "If someone has a picture of you or is asking for one: it is not "
                "your fault, and you are not in trouble. Don't send more. There are "
                "free tools that help get pictures taken down, and people who can "
                "help:"
            ),
        ),
    }
    return tuple(para(text) for text in texts.get(reason or "", ()))


def country_question(t: NullTranslations) -> Paragraph:
    """Said under help that had to do without the child's country."""
    return para(t.gettext("Tell me your country, and I will show you the helplines there."))
