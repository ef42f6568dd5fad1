"""A walk of every path of every lesson, in each age band: every choice of every step a
child can reach is pressed, through the real conversation, and each answer moves the
child on with words to read; every step is reached, and every path comes to an end."""

from __future__ import annotations

from collections import deque

import pytest

from bot.content.load import Content
from bot.content.model import BANDS, Band
from bot.core.conversation import Incoming
from bot.core.turn import Delivery, Turns
from bot.render.text import Reply
from tests.transcript import choice_data


def lessons_and_bands(content: Content) -> list[tuple[str, Band]]:
    return [(lesson, band) for lesson in content.lessons for band in BANDS
            if content.dialogs[lesson].for_band(band)]  # fmt: skip


@pytest.fixture(scope="module")
def pairs() -> list[tuple[str, Band]]:
    from bot.content.load import load_content
    from bot.settings import Settings

    return lessons_and_bands(load_content(Settings(show_drafts=True)))


def test_every_lesson_is_walked_in_both_bands(content: Content) -> None:
    found = lessons_and_bands(content)
    assert len({lesson for lesson, _band in found}) >= 9
    assert all(band in {b for lesson2, b in found if lesson2 == lesson}
               for lesson, _ in found for band in BANDS)  # fmt: skip


@pytest.mark.parametrize("band", BANDS)
def test_every_path_of_every_lesson_ends_and_every_step_is_reached(
    turns: Turns[Reply], content: Content, band: Band
) -> None:
    for lesson in content.lessons:
        walk(turns, lesson, band)


def walk(turns: Turns[Reply], lesson: str, band: Band) -> None:
    dialog = turns.conversation.engine.dialogs[lesson]
    paths: dict[str, tuple[int, ...]] = {dialog.start: ()}
    queue: deque[str] = deque([dialog.start])
    ends = 0
    while queue:
        step = queue.popleft()
        for index in range(len(dialog.steps[step].choices)):
            path = (*paths[step], index)
            where, answer = replay(turns, lesson, band, path)
            assert answer.replies and answer.replies[-1].plain().strip(), (lesson, band, path)
            if where is None or dialog.steps[where].end:
                ends += 1
                continue
            assert any(b.press for r in answer.replies for row in r.buttons for b in row), (
                f"{lesson} ({band}): step '{where}' has no button to go on"
            )
            if where not in paths:
                paths[where] = path
                queue.append(where)
    unreached = {s for s, st in dialog.steps.items() if not st.end} - set(paths)
    assert not unreached, f"{lesson} ({band}): never reached {sorted(unreached)}"
    assert ends, f"{lesson} ({band}) never ends"


def replay(turns: Turns[Reply], lesson: str, band: Band, path: tuple[int, ...]
           ) -> tuple[str | None, Delivery[Reply]]:  # fmt: skip
    """A new child who opens the lesson and takes the choices of `path`, in order."""
    key = turns.key("walk", f"{lesson}-{band}-{'.'.join(map(str, path))}")
    child = turns.store.child(key)
    child.band = band
    turns.store.commit(child, [])
    answer = turns.play(key, lesson, settings={"locale": "en", "country": "KE"})
    for index in path:
        answer = turns.handle(key, Incoming("press", arg=choice_data(answer, index)))
    position = turns.store.child(key).position
    return (position.step if position and position.dialog == lesson else None), answer
