"""Impact figures an NGO can show: sums over children, never one child, and a learning gain
only when the answers are enough to tell it from chance."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import pytest

from bot.core.conversation import Incoming
from bot.core.engine import Count
from bot.core.store import Store
from bot.core.turn import Turns
from bot.render.text import Reply
from bot.tools import small_numbers, stats, stats_report
from bot.tools.gain import gain
from tests.test_cli import safebot
from tests.transcript import choice_data


def simulate(turns: Turns[Reply], children: int, right_before: float | None,
             right_after: float | None, seed: int) -> None:  # fmt: skip
    """Children who play the sextortion lesson to its end. At each learning check they
    answer right with the given chance, or (None) pick any option at random."""
    rng = random.Random(seed)
    dialog = turns.conversation.engine.dialogs["sextortion"]
    for n in range(children):
        key = turns.key("sim", f"{seed}-{n}")
        answer = turns.play(key, "sextortion", settings={"locale": "en", "country": "KE"})
        for _ in range(60):
            position = turns.store.child(key).position
            assert position is not None
            step = dialog.steps[position.step]
            if step.end:
                break
            right = next((i for i, c in enumerate(step.choices) if c.correct), 0)
            if step.check is None:
                index = right
            else:
                chance = right_before if step.check.phase == "before" else right_after
                if chance is None:
                    index = rng.randrange(len(step.choices))
                elif rng.random() < chance:
                    index = right
                else:
                    index = rng.choice([i for i in range(len(step.choices)) if i != right])
            answer = turns.handle(key, Incoming("press", arg=choice_data(answer, index)))
        else:
            raise AssertionError("the lesson did not end")


def lesson_line(data: Path) -> str:
    shown = safebot("stats", data=data)
    assert shown.returncode == 0, shown.stderr
    return next(line for line in shown.stdout.splitlines()
                if line.startswith("When someone threatens you"))  # fmt: skip


def test_children_who_guess_give_too_few_answers_to_tell(
    turns: Turns[Reply], tmp_path: Path
) -> None:
    simulate(turns, 200, None, None, seed=1)
    line = lesson_line(tmp_path / "data")
    assert line.split()[4:6] == ["200", "200"]  # started, completed
    assert line.endswith("too few answers to tell")


def test_children_who_learn_show_a_gain_whose_interval_excludes_zero(
    turns: Turns[Reply], tmp_path: Path
) -> None:
    simulate(turns, 200, 0.4, 0.8, seed=2)
    line = lesson_line(tmp_path / "data")
    found = re.search(r"(\+\d+) points \(95% interval (\+\d+) to (\+\d+)\)", line)
    assert found, line
    change, low, high = (int(x) for x in found.groups())
    assert low > 0 and low < change < high and 30 <= change <= 50


def test_the_gain_interval_is_newcombes() -> None:
    # Newcombe (1998), table II, example (a): 56/70 against 48/80
    g = gain((48, 80), (56, 70))
    assert g is not None
    assert (round(g.change, 4), round(g.low, 4), round(g.high, 4)) == (0.2, 0.0524, 0.3339)


def tally(store: Store, counts: list[Count], language: str, country: str, n: int = 1) -> None:
    for i in range(n):
        child = store.child(f"{language}-{country}-{counts[0].name}-{i}")
        child.locale, child.country = language, country
        store.commit(child, counts)


def filled(data: Path, day: date, jordan: int = 2) -> None:
    """A week of one instance: a hidden handful of Jordanian children among many others."""
    store = Store(data, today=lambda: day)
    lesson = [Count("lesson_started", "grooming"), Count("lesson_completed", "grooming")]
    tally(store, lesson, "es", "MX", 23)
    tally(store, lesson, "fr", "SN", 7)
    tally(store, lesson, "ar", "JO", jordan)
    tally(store, [Count("check_answer", "grooming", "secret", "before", False)], "es", "MX", 6)
    tally(store, [Count("check_answer", "grooming", "secret", "before", True)], "es", "MX", 4)
    tally(store, [Count("check_answer", "grooming", "secret", "after", True)], "es", "MX", 9)
    tally(store, [Count("check_answer", "grooming", "secret", "after", False)], "es", "MX", 1)
    tally(store, [Count("help_shown", "grooming", phase="distress")], "ar", "JO", 3)
    store.close()


def outputs(data: Path, tmp_path: Path, *since: str) -> str:
    """Everything an NGO can get out of `safebot stats`: text, CSV and the HTML page."""
    csv, page = tmp_path / "f.csv", tmp_path / "f.html"
    shown = safebot("stats", *since, "--csv", str(csv), "--html", str(page), data=data)
    assert shown.returncode == 0, shown.stderr
    text = "\n".join(line for line in shown.stdout.splitlines() if not line.startswith("wrote"))
    return text + csv.read_text() + page.read_text()


def test_a_hidden_count_cannot_be_recovered_from_any_output(tmp_path: Path) -> None:
    """For each hidden number of Jordanian children (1 to 4) another number gives exactly
    the same outputs: no bar width, percentage, difference of rows or totals, or row tells
    which it is."""
    seen = {}
    for jordan in (1, 2, 3, 4):
        folder = tmp_path / str(jordan)
        filled(folder / "data", date(2026, 11, 24), jordan)
        seen[jordan] = outputs(folder / "data", folder)
    for jordan, output in seen.items():
        assert [j for j in seen if seen[j] == output and j != jordan], jordan
        assert "JO" not in output and "ar " not in output  # merged into "other" with Senegal
        assert "other 10" in output  # 7 + a hidden 1 to 4, rounded to 5
        assert "help shown: other <5" in output  # the help shown after a disclosure
        assert "40%" not in output and "90%" not in output  # 4 right of 10; 1 wrong of 10


def test_two_overlapping_periods_do_not_give_back_a_hidden_day(tmp_path: Path) -> None:
    data = tmp_path / "data"
    filled(data, date(2026, 11, 24))
    store = Store(data, today=lambda: date(2026, 11, 25))
    tally(store, [Count("lesson_completed", "grooming")], "ar", "JO", 2)
    store.close()
    whole = outputs(data, tmp_path, "--since", "2026-11-24")
    later = outputs(data, tmp_path, "--since", "2026-11-25")
    assert "week of 2026-11-23" in whole
    assert re.search(r"completed, by country: MX 25, other 10", whole)  # 7 + 2 + 2 hidden
    assert "completed, by country: other <5" in later


def test_bars_are_drawn_from_shown_numbers_only() -> None:
    f = stats.Figures()
    f.by_week[date(2026, 11, 23)] = 3
    f.first = f.last = date(2026, 11, 24)
    page = stats_report.html_report(stats.report(f, [("grooming", "Someone who is too nice")]))
    assert re.search(r'<rect x="\d+" y="10" width="0"', page)
    assert 'font-size="14">&lt;5</text>' in page  # labelled, and drawn as nothing


def test_small_numbers() -> None:
    assert [small_numbers.count(n).text for n in (0, 1, 4, 5, 7, 8, 1234)] == [
        "0", "<5", "<5", "5", "5", "10", "1,235"]  # fmt: skip
    assert small_numbers.share(4, 5) is None and small_numbers.share(8, 10) is None
    assert small_numbers.share(0, 5) == 0 and small_numbers.share(7, 12) == 60
    merged = small_numbers.breakdown({"es": 20, "fr": 7, "ar": 2})
    assert [(name, n.text) for name, n in merged] == [("es", "20"), ("other", "10")]


@pytest.mark.parametrize("since", ["yesterday", "2026-13-45", "01/12/2026", "20261201"])
def test_a_day_that_is_not_a_day_is_refused(tmp_path: Path, since: str) -> None:
    filled(tmp_path / "data", date(2026, 11, 24))
    shown = safebot("stats", "--since", since, data=tmp_path / "data")
    assert shown.returncode == 2 and shown.stdout == ""
    assert shown.stderr.strip() == (
        f"safebot stats: --since {since} is not a day; write it as YYYY-MM-DD, for example "
        "2026-11-01."
    )
