"""content/helplines/*.yaml -> a Directory, every mistake located, with the file's own
checks: a country's code and name, someone to talk to, an emergency number, no service twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from bot.content.helpline_fields import FILE_KEYS, REMOVED_KEYS, FieldReader, bad_country
from bot.content.helplines import (
    GLOBAL,
    KINDS,
    CountryHelplines,
    Directory,
    Helpline,
    Removed,
    country_codes,
)
from bot.content.yamlfile import Located, LocatedList, read_yaml
from bot.errors import Problem, shown_path


def read_directory(
    paths: Iterable[Path], today: date, folder: Path | None = None
) -> tuple[Directory, list[Problem]]:
    """The files chosen (one per country, and global.yaml) -> the directory and every problem;
    `folder` is where global.yaml belongs, for the message when it is missing."""
    problems: list[Problem] = []
    by_country: dict[str, CountryHelplines] = {}
    worldwide: CountryHelplines | None = None
    folders: list[Path] = []
    for path in paths:
        folders.append(path.parent)
        reader = _FileReader(path, today)
        country = reader.read()
        problems += reader.problems
        if country is None:
            continue
        if country.country == GLOBAL:
            worldwide = country
        else:
            by_country[country.country] = country
    if worldwide is None:
        where = folder or (folders[0] if folders else Path("content/helplines"))
        problems.append(
            Problem(
                shown_path(where / f"{GLOBAL}.yaml"),
                0,
                "there is no global.yaml. Add it: children who do not say their country "
                "see its helplines.",
            )
        )
        worldwide = CountryHelplines(GLOBAL)
    return Directory(by_country, worldwide), problems


class _FileReader(FieldReader):
    """Reads one helplines file."""

    def read(self) -> CountryHelplines | None:
        data, self.problems = read_yaml(self.path, shown_path(self.path))
        if data is None and self.problems:
            return None
        if not isinstance(data, Located):
            self.problem(
                1, "a helplines file is a set of 'key: value' lines: country, emergency, helplines."
            )
            return None
        self.keys(data, FILE_KEYS, "the file")
        country = self.country(data)
        emergency = self.numbers(data, "emergency", "the emergency list")
        emergency_source = self.url(data, "emergency_source", "the file", strict=True)
        if emergency and emergency_source is None and "emergency_source" not in data:
            self.problem(
                data.line_of("emergency"),
                "the emergency numbers need a source. Add 'emergency_source: https://...' "
                "with the page that gives them.",
            )
        emergency_evidence = self.text(data, "emergency_evidence", "the file")
        if emergency_evidence:
            self.evidence_shows(data.line_of("emergency_evidence"), "the file", emergency,
                                emergency_evidence)  # fmt: skip
        notes = self.text(data, "notes", "the file")
        helplines = self.helplines(data, country)
        removed = self.removed(data)
        if country is None or helplines is None:
            return None
        found = CountryHelplines(
            country,
            emergency,
            tuple(sorted(helplines, key=lambda h: KINDS.index(h.kind))),
            emergency_source,
            notes,
            emergency_evidence,
            removed,
        )
        if country != GLOBAL:
            self.complete(data, found)
        return found

    def complete(self, data: Located, found: CountryHelplines) -> None:
        """What a child of this country needs: someone to talk to and a number for danger."""
        line = data.line_of("helplines")
        if found.helplines and not found.of_kind("child_helpline") and not found.notes:
            self.problem(
                line,
                f"{found.country} has no child helpline. Add one with 'kind: child_helpline', "
                "or write in 'notes' why there is none.",
            )
        if not found.emergency and not found.of_kind("emergency"):
            self.problem(
                data.line_of("emergency"),
                f"{found.country} has no emergency number. Add it under 'emergency' with an "
                "'emergency_source' when a source gives it.",
                "warning",
            )

    def country(self, data: Located) -> str | None:
        stem = self.path.stem
        value = data.get("country")
        if stem == GLOBAL:
            if value != GLOBAL:
                self.problem(data.line_of("country"), "global.yaml must say 'country: global'.")
            return GLOBAL
        if value is None:
            self.problem(1, f"the file needs a 'country' line, e.g. 'country: {stem.upper()}'.")
            return None
        line = data.line_of("country")
        if not isinstance(value, str) or value not in country_codes():
            self.problem(line, bad_country(str(value)))
            return None
        if value != stem:
            if stem in country_codes():
                hint = f"Rename the file to '{value}.yaml' or change the country."
            else:
                hint = f"Rename the file to '{value}.yaml'."
            self.problem(
                line, f"the country '{value}' differs from the file name '{stem}.yaml'. {hint}"
            )
        return value

    def removed(self, data: Located) -> tuple[Removed, ...]:
        """`removed:` entries: a name, why it went, and what was searched."""
        raw = data.get("removed")
        if raw is None:
            return ()
        shape = (
            "each removed entry says 'name:', 'reason:' and 'searched:' (the pages and "
            "words looked for)."
        )
        if not isinstance(raw, LocatedList):
            self.problem(data.line_of("removed"), f"'removed' is a list: {shape}")
            return ()
        found = []
        for item, line in zip(raw, raw.item_lines, strict=True):
            if not isinstance(item, Located):
                self.problem(line, shape)
                continue
            self.keys(item, REMOVED_KEYS, "the removed entry")
            name, reason = (
                self.text(item, "name", "the removed entry"),
                self.text(item, "reason", "the removed entry"),
            )
            searched = item.get("searched", [])
            if isinstance(searched, str):
                searched = [searched]
            if not name or not reason or not isinstance(searched, list):
                self.problem(line, shape)
                continue
            found.append(Removed(name, reason, tuple(str(s) for s in searched)))
        return tuple(found)

    def helplines(self, data: Located, country: str | None) -> list[Helpline] | None:
        entries = data.get("helplines")
        if not isinstance(entries, LocatedList):
            self.problem(
                data.line_of("helplines"),
                "the file needs a 'helplines' list, with one '- name: ...' entry per helpline.",
            )
            return None
        if not entries and not data.get("notes"):
            # a country where nothing can safely be listed says why, and children there get
            # help that works from anywhere
            self.problem(
                entries.line,
                "the file lists no helplines. Add at least one under 'helplines', or say in "
                "'notes' why none can be listed.",
            )
        found: list[Helpline] = []
        names: dict[str, int] = {}
        numbers: dict[str, int] = {}
        for entry, line in zip(entries, entries.item_lines, strict=True):
            if not isinstance(entry, Located):
                self.problem(
                    line,
                    "each helpline is a set of 'key: value' lines (name, kind, "
                    "phone, source, verified ...).",
                )
                continue
            helpline = self.entry(entry, country)
            if helpline is None:
                continue
            self.unique(entry, helpline, names, numbers)
            found.append(helpline)
        return found

    def unique(
        self, entry: Located, helpline: Helpline, names: dict[str, int], numbers: dict[str, int]
    ) -> None:
        """One entry per service and one service per number, so a child is never sent twice."""
        self.once(names, helpline.name.casefold(), entry.line_of("name"),
                  f"'{helpline.name}' is listed twice (first on line {{first}}). Merge the two "
                  "entries.")  # fmt: skip
        for number in helpline.phone:
            digits = "".join(c for c in number if c.isdigit())
            self.once(numbers, digits, entry.line_of("phone"),
                      f"phone '{number}' is already listed on line {{first}}. Keep it on one "
                      "entry only.")  # fmt: skip

    def once(self, seen: dict[str, int], key: str, line: int, message: str) -> None:
        """A problem when `key` was seen before; `{first}` in the message is where."""
        if key in seen:
            self.problem(line, message.replace("{first}", str(seen[key])))
        seen.setdefault(key, line)
