"""YAML reading that remembers where every key and item stands in the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.errors import Problem


class Located(dict[str, Any]):
    """A YAML mapping that knows the line of itself and of each of its keys."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A YAML sequence that knows the line of itself and of each item."""

    line: int
    item_lines: list[int]


class _Lines:
    """A safe loader that records lines and reports repeated keys instead of hiding them."""

    def __init__(self, stream: str, path: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self.path = path
        self.problems: list[Problem] = []


# libyaml ships in PyYAML's wheels; a PyYAML built without it parses in Python, slower
_FAST: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Lines, _FAST):  # type: ignore[valid-type,misc]
    """Parses with libyaml, ten times faster than the pure-Python parser: every start-up
    reads a hundred files."""


class _ExplainingLoader(_Lines, yaml.SafeLoader):
    """The pure-Python parser, for a file libyaml refuses: its messages say what is wrong
    in the same words on every machine."""


_Loaders = _Loader | _ExplainingLoader


def _mapping(loader: _Loaders, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    result = Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)
        line = key_node.start_mark.line + 1
        if key in result:
            first = result.key_lines[key]
            loader.problems.append(
                Problem(
                    loader.path,
                    line,
                    f"'{key}' appears twice here (first on line {first}). "
                    "Give each one a different name.",
                )
            )
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _sequence(loader: _Loaders, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


# YAML 1.1 reads yes/no/on/off as true/false, which turns a button labelled "No" into a
# boolean. Authors write words: only true and false are booleans here.
_BOOLEANS = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _timestamp(loader: _Loaders, node: yaml.ScalarNode) -> object:
    """A date as YAML reads it, or its words when it is no day (2026-13-01): the readers
    then say which line is wrong, instead of the YAML library stopping the whole check."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


for _loader in (_Loader, _ExplainingLoader):
    _loader.yaml_implicit_resolvers = {first: list(r) for first, r in _RESOLVERS.items()}
    _loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOLEANS, list("tTfF"))
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def read_yaml(path: Path, shown_as: str | None = None) -> tuple[Any, list[Problem]]:
    """Parse one YAML file; syntax errors come back as problems with their line."""
    name = shown_as or str(path)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, 0, "the file is not UTF-8 text. Save it as UTF-8.")]
    loader = _Loader(source, name)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError:
        return _why_unreadable(source, name)
    finally:
        loader.dispose()
    return data, loader.problems


def _why_unreadable(source: str, name: str) -> tuple[Any, list[Problem]]:
    """Read again by the pure-Python parser, which says what is wrong and where (and reads
    the file, should it take what libyaml refused)."""
    loader = _ExplainingLoader(source, name)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        what = error.problem or "this is not valid YAML"
        return None, [
            Problem(
                name,
                line,
                f"the file cannot be read as YAML: {what}. Check the indentation, and put "
                "text that contains ':' or starts with a quote inside quotes.",
            )
        ]
    except yaml.YAMLError as error:
        return None, [Problem(name, 0, f"the file cannot be read as YAML: {error}.")]
    finally:
        loader.dispose()
    return data, loader.problems
