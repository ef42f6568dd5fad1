"""Dialog files -> lessons and system dialogs, with every mistake found at once, each with
file, line and hint."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from bot.content.dialog_flow import FlowCheck, link_problems
from bot.content.dialog_parts import PartReader, bad_id
from bot.content.model import (
    BANDS,
    ENGLISH,
    ID_PATTERN,
    KINDS,
    STATUSES,
    TOPICS,
    Band,
    Dialog,
    Kind,
    Review,
    Status,
    Step,
    Topic,
)
from bot.content.review import ReviewReader, looks_like_a_name, name_problem
from bot.content.yamlfile import Located, LocatedList, read_yaml
from bot.errors import Problem, ProblemsFound, did_you_mean, shown_path

DIALOG_KEYS = {
    "id",
    "kind",
    "title",
    "summary",
    "status",
    "authors",
    "reviewers",
    "review",
    "sources",
    "topic",
    "key_message",
    "next_lesson",
    "note",
    "bands",
    "start",
    "steps",
}
LESSON_REQUIRED = ("bands", "sources", "key_message")


class _FileCheck(PartReader):
    """Reads one dialog file, noting every problem instead of stopping at the first."""

    def __init__(self, path: str, today: date) -> None:
        super().__init__(path)
        self.today = today

    def dialog(self, data: Any, stem: str) -> Dialog | None:
        if not isinstance(data, Located):
            self.problem(1, "a dialog file must be a set of 'key: value' lines (id, title ...).")
            return None
        self.keys(data, DIALOG_KEYS, "the dialog")
        self.required(
            data, ("id", "title", "summary", "status", "authors", "start", "steps"), "the dialog"
        )
        dialog_id = data.get("id")
        if not isinstance(dialog_id, str) or not ID_PATTERN.match(dialog_id):
            if dialog_id is not None:
                self.problem(data.line_of("id"), bad_id("the dialog id", dialog_id))
            dialog_id = stem
        elif dialog_id != stem:
            self.problem(
                data.line_of("id"),
                f"the id '{dialog_id}' differs from the file name '{stem}.yaml'. "
                f"Rename the file to '{dialog_id}.yaml' or change the id.",
            )
        kind = self.choice_of(data, "kind", KINDS, "lesson")
        status = self.choice_of(data, "status", STATUSES, "draft")
        topic = self.choice_of(data, "topic", TOPICS, "general")
        if kind == "lesson":
            self.required(data, LESSON_REQUIRED, "a lesson")
        sources = self.string_list(data, "sources", "the dialog")
        for source, line in zip(sources, _item_lines(data, "sources"), strict=False):
            if not source.startswith("https://"):
                self.problem(line, f"source '{source}' must be a full https:// link.")
        reviewers = self.string_list(data, "reviewers", "the dialog")
        for reviewer, line in zip(reviewers, _item_lines(data, "reviewers"), strict=False):
            if looks_like_a_name(reviewer):
                self.problem(line, name_problem(reviewer), "warning")
        authors = self.string_list(data, "authors", "the dialog")
        if "authors" in data and not authors:
            self.problem(data.line_of("authors"), "name at least one author.")
        bands = self.bands(data)
        review = ReviewReader(self.problem, bands, self.today).review(data)
        self.status_agrees(data, status, reviewers, review, bands)
        context = f"{dialog_id}"
        steps = self.steps(data, dialog_id)
        start = data.get("start")
        if isinstance(start, str) and steps is not None and start not in steps:
            self.problem(
                data.line_of("start"),
                f"start goes to '{start}', which does not exist.{did_you_mean(start, set(steps))}",
            )
        title = self.text(data, "title", context, "the dialog")
        summary = self.text(data, "summary", context, "the dialog")
        key_message = self.text(data, "key_message", context, "the dialog")
        if not (title and summary and steps and isinstance(start, str) and start in steps):
            return None
        dialog = Dialog(
            id=dialog_id,
            kind=cast(Kind, kind),
            title=title,
            summary=summary,
            status=cast(Status, status),
            authors=authors,
            reviewers=reviewers,
            sources=sources,
            topic=cast(Topic, topic),
            key_message=key_message,
            next_lesson=data.get("next_lesson"),
            note=data.get("note"),
            bands=bands,
            review=review,
            start=start,
            steps=steps,
            path=self.path,
            lines=dict(data.key_lines),
        )
        flow = FlowCheck(self.path)
        flow.flow(dialog, data)
        self.problems += flow.problems
        return dialog

    def status_agrees(
        self,
        data: Located,
        status: str,
        reviewers: tuple[str, ...],
        review: Mapping[str, Mapping[Band, Review]],
        bands: tuple[Band, ...],
    ) -> None:
        """`status` is the English (overall) state: approved only when a review says so."""
        if status != "approved":
            return
        line = data.line_of("status")
        if "review" not in data:
            if not reviewers:
                self.problem(line, "an approved dialog names its reviewers. Record them under "
                             "'review:' (see docs/dialog-format.md).")  # fmt: skip
            else:
                self.problem(
                    line,
                    "record who approved it and when under 'review:' (see "
                    "docs/dialog-format.md): with require_approved on, only lessons approved "
                    "there are shown.",
                    "warning",
                )
            return
        english = review.get(ENGLISH, {})
        missing = [b for b in bands if b not in english or english[b].approved is None]
        if missing:
            self.problem(
                line,
                f"status says approved, but review: {ENGLISH} records no approval for "
                f"{', '.join(missing)}. Record who approved it and when, or set the status "
                "back to review.",
            )

    def bands(self, data: Located) -> tuple[Band, ...]:
        value = data.get("bands")
        if value is None:
            return BANDS
        if (
            not isinstance(value, list)
            or not value
            or not all(v in BANDS for v in value)
            or len(set(value)) != len(value)
        ):
            self.problem(
                data.line_of("bands"),
                "bands lists the age bands that see this lesson: [10-12, 13-17], or one of them.",
            )
            return BANDS
        return tuple(b for b in BANDS if b in value)

    def steps(self, data: Located, dialog_id: str) -> dict[str, Step] | None:
        raw = data.get("steps")
        if not isinstance(raw, Located) or not raw:
            if "steps" in data:
                self.problem(data.line_of("steps"), "steps must list at least one step by id.")
            return None
        steps: dict[str, Step] = {}
        for step_id, body in raw.items():
            line = raw.line_of(step_id)
            if not ID_PATTERN.match(step_id):
                self.problem(line, bad_id("the step id", step_id))
            if not isinstance(body, Located):
                self.problem(line, f"step '{step_id}' needs keys under it, such as 'text'.")
                continue
            steps[step_id] = self.step(body, step_id, f"{dialog_id}.{step_id}", line)
        return steps


def _item_lines(data: Located, key: str) -> list[int]:
    value = data.get(key)
    return value.item_lines if isinstance(value, LocatedList) else []


def read_dialog(
    path: Path, shown_as: str | None = None, today: date | None = None
) -> tuple[Dialog | None, list[Problem]]:
    """One dialog file -> (dialog or None, problems); sign-offs may not be after today."""
    name = shown_as or str(path)
    data, problems = read_yaml(path, name)
    check = _FileCheck(name, today or datetime.now(UTC).date())
    check.problems.extend(problems)
    dialog = check.dialog(data, path.stem) if data is not None else None
    return dialog, check.problems


def read_dialogs(
    paths: Iterable[Path], today: date | None = None
) -> tuple[dict[str, Dialog], list[Problem]]:
    """Many dialog files, checked each alone and then against each other."""
    dialogs: dict[str, Dialog] = {}
    problems: list[Problem] = []
    paths_seen = sorted(paths)
    for path in paths_seen:
        dialog, found = read_dialog(path, shown_path(path), today)
        problems.extend(found)
        if dialog is None:
            continue
        if dialog.id in dialogs:
            problems.append(
                Problem(
                    dialog.path,
                    1,
                    f"the id '{dialog.id}' is already used by "
                    f"{dialogs[dialog.id].path}. Each dialog needs its own id.",
                )
            )
            continue
        dialogs[dialog.id] = dialog
    unreadable = {p.stem for p in paths_seen} - {
        d.path and Path(d.path).stem for d in dialogs.values()
    }
    problems.extend(link_problems(dialogs, unreadable))
    return dialogs, problems


def dialog_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def load_dialogs(folder: Path) -> dict[str, Dialog]:
    """Load every dialog of a folder, or raise ProblemsFound with every error."""
    dialogs, problems = read_dialogs(dialog_files(folder))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProblemsFound(errors)
    return dialogs
