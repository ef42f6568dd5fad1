"""The engine plays dialogs exactly: pure tests, no I/O."""

from pathlib import Path

from bot.content.dialogs import load_dialogs
from bot.core.engine import Engine, Feedback, Outcome, Position, StepShown
from bot.core.presses import decode, encode

ROOT = Path(__file__).resolve().parent.parent
DIALOGS = load_dialogs(ROOT / "dialogs")


def engine() -> Engine:
    return Engine(DIALOGS)


def press(e: Engine, position: Position, turn: int, data: str) -> Outcome:
    """A button's data pressed at a turn, as the conversation passes it on."""
    pressed = decode(data)
    if pressed is None:
        return Outcome(position, turn, stale=True)
    return e.press(position, turn, pressed)


def test_opening_a_lesson_shows_its_first_step_and_counts_a_start() -> None:
    outcome = engine().open("example", 0)
    assert (outcome.position, outcome.turn) == (Position("example", "check_before"), 1)
    shown = outcome.outputs[-1]
    assert isinstance(shown, StepShown)
    assert [b.label.source for b in shown.buttons] == [
        "An adult I trust",
        "Nobody, I should handle it alone",
        "Only the person who made me uneasy",
    ]
    assert [c.name for c in outcome.counts] == ["lesson_started"]


def test_a_choice_with_feedback_shows_it_before_the_next_step() -> None:
    outcome = press(engine(), Position("example", "new_follower"), 7, "c7.1")
    assert isinstance(outcome.outputs[0], Feedback)
    assert outcome.outputs[0].text.source.startswith("Yes. Wanting secrets")
    assert (outcome.position, outcome.turn) == (Position("example", "what_mo_does"), 8)


def test_a_press_for_an_earlier_turn_never_moves_the_child() -> None:
    e = engine()
    first = e.open("example", 0)
    assert first.position is not None
    moved = press(e, first.position, first.turn, "c1.0")
    assert (moved.position, moved.turn) == (Position("example", "meet_mo"), 2)
    assert moved.position is not None
    again = press(e, moved.position, moved.turn, "c1.0")  # the same button, tapped twice
    assert again.stale and again.position == moved.position


def test_forged_or_unknown_button_data_is_refused() -> None:
    e = engine()
    position = Position("example", "meet_mo")
    forged = ("c2.9", "c2.x", "zz", "", "c2.", "o2.nope", "c99999999999999999.0", "c².0", "c2.²")
    for data in forged:
        outcome = press(e, position, 2, data)
        assert outcome.stale and outcome.position == position, data


def test_learning_checks_are_counted_with_their_phase_and_answer() -> None:
    outcome = press(engine(), Position("example", "check_before"), 1, "c1.1")
    check = outcome.counts[0]
    assert (check.name, check.question, check.phase, check.correct) == (
        "check_answer",
        "trusted_adult",
        "before",
        False,
    )


def test_the_end_shows_the_key_message_and_the_next_lesson() -> None:
    outcome = press(engine(), Position("example", "check_after"), 6, "c6.0")
    shown = outcome.outputs[-1]
    assert isinstance(shown, StepShown) and shown.ending is not None
    assert shown.ending.key_message is not None
    assert shown.ending.key_message.source.startswith("You can always say no")
    assert [c.name for c in outcome.counts] == ["check_answer", "lesson_completed"]


def test_the_help_step_asks_for_the_hand_off() -> None:
    shown = engine().show(Position("example", "help"), 5).outputs[0]
    assert isinstance(shown, StepShown) and shown.help_topic == "general"


def test_button_data_fits_telegram() -> None:
    e = engine()
    for dialog in DIALOGS.values():
        for step in dialog.steps:
            shown = e.show(Position(dialog.id, step), 10**12).outputs[0]
            assert isinstance(shown, StepShown)
            presses = [b.press for b in shown.buttons] + [link.press for link in shown.lessons]
            for data in map(encode, presses):
                assert 1 <= len(data.encode()) <= 64


def test_playing_every_first_choice_reaches_the_end() -> None:
    e = engine()
    outcome = e.open("example", 0)
    for _ in range(20):
        shown = outcome.outputs[-1]
        assert isinstance(shown, StepShown)
        if shown.step.end:
            break
        assert outcome.position is not None
        outcome = e.press(outcome.position, outcome.turn, shown.buttons[0].press)
    else:
        raise AssertionError("the example did not end")
