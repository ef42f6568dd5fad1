"""Impact figures: sums over children, small cells masked, learning gain per lesson."""

from datetime import date
from pathlib import Path

from bot.core.engine import Count
from bot.core.store import Store
from bot.tools import stats


def tally(store: Store, counts: list[Count], language: str, country: str) -> None:
    """Counts as a child of this language and country adds them, in one turn."""
    child = store.child(f"{language}-{country}")
    child.locale, child.country = language, country
    store.commit(child, counts)


def filled_store(tmp_path: Path) -> Store:
    store = Store(tmp_path, today=lambda: date(2026, 11, 24))
    for _ in range(10):
        tally(store, [Count("lesson_started", "grooming")], language="es", country="MX")
        tally(store, [Count("check_answer", "grooming", "secret", "before", False)],
                    language="es", country="MX")  # fmt: skip
    for n in range(10):
        tally(store, [Count("check_answer", "grooming", "secret", "after", n < 8)],
                    language="es", country="MX")  # fmt: skip
    for _ in range(7):
        tally(store, [Count("lesson_completed", "grooming")], language="es", country="MX")
    for _ in range(3):
        tally(
            store, [Count("help_shown", "grooming", phase="distress")], language="es", country="MX"
        )
    return store


def test_learning_gain_is_the_change_in_right_answers(tmp_path: Path) -> None:
    figures = stats.figures(filled_store(tmp_path).tallies())
    lesson = figures.lessons["grooming"]
    assert (lesson.started, lesson.completed) == (10, 7)
    assert lesson.share(lesson.before) == 0.0 and lesson.share(lesson.after) == 0.8
    assert lesson.gain == 0.8


def test_small_cells_are_masked_everywhere(tmp_path: Path) -> None:
    store = filled_store(tmp_path)
    report = stats.text_report(stats.figures(store.tallies()))
    assert "distress <5" in report
    csv_path = tmp_path / "figures.csv"
    stats.write_csv(store.tallies(), csv_path)
    help_rows = [line for line in csv_path.read_text().splitlines() if "help_shown" in line]
    assert help_rows == ["2026-11-24,help_shown,grooming,es,MX,,distress,,<5"]


def test_the_html_report_shows_the_gain_per_lesson(tmp_path: Path) -> None:
    page = stats.html_report(stats.figures(filled_store(tmp_path).tallies()), "Example NGO")
    assert "Learning gain per lesson" in page
    assert "+80 points" in page
    assert "<svg" in page and "<script" not in page


def test_since_leaves_out_earlier_days(tmp_path: Path) -> None:
    figures = stats.figures(filled_store(tmp_path).tallies(), since="2026-11-25")
    assert figures.lessons == {}
