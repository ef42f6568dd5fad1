"""The data folder of an instance: the instance secret and the database, opened only when
they are whole, and readable by their owner only whatever the umask.

What can go wrong here is said in one line an operator can act on, and nothing in the
folder is changed to get past it: a damaged or emptied database is never replaced.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from bot.errors import SafebotError

SECRET_FILE = "instance.secret"  # noqa: S105 (a file name, not a secret)
DATABASE_FILE = "safebot.db"
SECRET_HEX = 64  # 32 random bytes, written as hex
LOW_DISK = 50 * 1024 * 1024  # bytes free below which `doctor` warns


class DataFolderError(SafebotError):
    """The data folder cannot be used as it is; the message says why and what to do."""


class StoreUnavailable(SafebotError):
    """The database could not be read or written just now (a full disk, a damaged page)."""


def prepare(data_dir: Path, *, create: bool) -> bytes:
    """The folder ready to open: private, writable, with a whole secret; the secret."""
    os.umask(0o077)  # whatever SQLite creates here (the WAL, the journal) is private
    secret_path = data_dir / SECRET_FILE
    database = data_dir / DATABASE_FILE
    if not create and not database.exists():
        raise DataFolderError(
            f"there is no database in {data_dir}: is this the instance's folder? Run safebot "
            "from the folder of safebot.toml, or give --config or SAFEBOT_DATA_DIR."
        )
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise DataFolderError(
            f"the data folder {data_dir} cannot be made: {error.strerror}."
        ) from error
    if not os.access(data_dir, os.W_OK):
        raise DataFolderError(
            f"the data folder {data_dir} is read-only: safebot must write its database there. "
            "Give the user running safebot write access, or choose another data_dir."
        )
    first_start = not secret_path.exists()
    if not first_start and database.exists() and database.stat().st_size == 0:
        raise DataFolderError(
            f"the database {database} is empty although this instance has run before: it may "
            "have been cut short. Restore it from a backup, or move it away to start afresh."
        )
    secret = _create_secret(secret_path) if first_start else _read_secret(secret_path)
    for path in (data_dir, secret_path, database):
        _private(path)
    return secret


def _create_secret(path: Path) -> bytes:
    """Written whole or not at all: a temporary file, flushed to disk, then renamed."""
    value = secrets.token_hex(SECRET_HEX // 2)
    temporary = path.with_name(f".{path.name}.new")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise DataFolderError(
            f"the instance secret {path} could not be written: {error.strerror}. Free some "
            "disk space and start again."
        ) from error
    return bytes.fromhex(value)


def _read_secret(path: Path) -> bytes:
    text = path.read_text(encoding="ascii", errors="replace").strip()
    if len(text) != SECRET_HEX or any(c not in "0123456789abcdef" for c in text.lower()):
        raise DataFolderError(
            f"the instance secret {path} is damaged ({len(text)} characters, not "
            f"{SECRET_HEX}): every child's key depends on it. Restore it from a backup; only "
            "if there is none, move the folder away and start a new instance."
        )
    return bytes.fromhex(text)


def _private(path: Path) -> None:
    if path.exists():
        path.chmod(0o700 if path.is_dir() else 0o600)


def connect(path: Path) -> sqlite3.Connection:
    """The database, opened and found whole, or one line saying why not."""
    try:
        connection = sqlite3.connect(path, isolation_level=None)
        found = connection.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise DataFolderError(
            f"the database {path} cannot be opened: {error}. It may be damaged: run 'safebot "
            "doctor', and restore it from a backup."
        ) from error
    if found is None or found[0] != "ok":
        connection.close()
        raise DataFolderError(
            f"the database {path} is damaged ({found[0] if found else 'no answer'}). Restore it "
            "from a backup; 'safebot doctor' says more."
        )
    return connection


@dataclass(frozen=True)
class Finding:
    """One thing `safebot doctor` looked at."""

    ok: bool
    line: str


def doctor(data_dir: Path) -> list[Finding]:
    """What an operator needs to know of the data folder, each in one line."""
    found: list[Finding] = []
    secret_path, database = data_dir / SECRET_FILE, data_dir / DATABASE_FILE
    if not data_dir.is_dir():
        return [Finding(False, f"there is no data folder at {data_dir}.")]
    found.append(_mode(data_dir, 0o700, "the data folder"))
    if secret_path.exists():
        try:
            _read_secret(secret_path)
            found.append(Finding(True, f"the instance secret is whole ({SECRET_HEX} characters)."))
        except DataFolderError as error:
            found.append(Finding(False, str(error)))
        found.append(_mode(secret_path, 0o600, "the instance secret"))
    else:
        found.append(Finding(False, f"there is no instance secret in {data_dir}."))
    if database.exists():
        try:
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            result = connection.execute("PRAGMA integrity_check").fetchone()
            children = connection.execute("SELECT count(*) FROM children").fetchone()[0]
            connection.close()
            ok = result is not None and result[0] == "ok"
            what = "passes SQLite's integrity check" if ok else f"is damaged: {result[0]}"
            found.append(Finding(ok, f"the database {what} ({children} children kept)."))
        except sqlite3.DatabaseError as error:
            found.append(
                Finding(
                    False,
                    f"the database fails SQLite's integrity check ({error}): restore it from a "
                    "backup.",
                )
            )
        found.append(_mode(database, 0o600, "the database"))
    else:
        found.append(Finding(False, f"there is no database in {data_dir}."))
    free = shutil.disk_usage(data_dir).free
    found.append(
        Finding(free >= LOW_DISK, f"{free // (1024 * 1024)} MB free on the data folder's disk.")
    )
    return found


def _mode(path: Path, wanted: int, what: str) -> Finding:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & ~wanted:
        return Finding(
            False, f"{what} is {oct(mode)}, readable by others: chmod {oct(wanted)[2:]} {path}"
        )
    return Finding(True, f"{what} is readable by its owner only ({oct(mode)[2:]}).")
