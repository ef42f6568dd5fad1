"""What an instance writes to its log: never a child's id, name, username or words, nor
the bot token, whatever fails and at whatever level.

safebot's own lines are written to carry none of these. Libraries' lines are not ours to
trust (python-telegram-bot logs whole updates, httpx logs URLs with the token), so each
keeps only its fixed wording: its arguments are dropped and long numbers and tokens
masked. Tracebacks keep where it failed (files, lines, functions) and the error's type,
never its message, which may quote a Bot API answer or a child's text.
"""

from __future__ import annotations

import logging
import os
import re
import traceback
from types import TracebackType

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LEVEL_VARIABLE = "SAFEBOT_LOG_LEVEL"
OURS = "safebot"
# libraries that log details of every request or step: at INFO they speak only of problems
CHATTY = ("telegram", "httpx", "httpcore", "aiohttp.access", "transitions", "asyncio")
_PLACEHOLDER = re.compile(r"%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?[a-zA-Z%]")
_LONG_NUMBER = re.compile(r"\d{5,}")
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{20,}|bot[^/\s]{20,}")
_MAX_LIBRARY_LINE = 200

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def library_wording(record: logging.LogRecord) -> logging.LogRecord:
    """A library's line keeps its wording only: no arguments, no long numbers, no token.
    Done as the record is made, so every handler (a test's too) sees only this."""
    if record.name == OURS or record.name.startswith(OURS + "."):
        return record
    wording = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
    wording = _PLACEHOLDER.sub("…", wording) if record.args else wording
    wording = _TOKEN.sub("…", wording)
    wording = _LONG_NUMBER.sub("…", wording)
    record.msg = wording[:_MAX_LIBRARY_LINE]
    record.args = None
    return record


_made = logging.getLogRecordFactory()


def _safe_record(*args: object, **kwargs: object) -> logging.LogRecord:
    return library_wording(_made(*args, **kwargs))


def guard_records() -> None:
    """From now on, every log record a library makes is stripped as it is made."""
    if logging.getLogRecordFactory() is not _safe_record:
        logging.setLogRecordFactory(_safe_record)


class PlainFormatter(logging.Formatter):
    """One line per event; a traceback says where and what type, never the message."""

    def formatException(self, ei: ExcInfo) -> str:
        _kind, error, _tb = ei
        lines: list[str] = []
        seen: set[int] = set()
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            frames = traceback.extract_tb(error.__traceback__)
            lines.append(f"{type(error).__module__}.{type(error).__qualname__} (message withheld)")
            lines += [f"  at {f.filename}:{f.lineno} in {f.name}" for f in frames]
            error = error.__cause__ or error.__context__
        return "\n".join(lines)


def level_from(environ: dict[str, str] | os._Environ[str]) -> int:
    """SAFEBOT_LOG_LEVEL, or INFO; an unknown name is said plainly."""
    name = environ.get(LEVEL_VARIABLE, "INFO").strip().upper() or "INFO"
    if name not in LEVELS:
        raise ValueError(f"{LEVEL_VARIABLE}={name!r} is not a level; use {', '.join(LEVELS)}.")
    return int(getattr(logging, name))


def configure(level: int = logging.INFO) -> None:
    """Every log line goes through one handler, with the library filter and plain tracebacks."""
    guard_records()
    handler = logging.StreamHandler()
    handler.setFormatter(PlainFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(level if level <= logging.DEBUG else logging.WARNING)
