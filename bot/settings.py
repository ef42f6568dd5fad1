"""Instance settings: an optional `safebot.toml`, overridden by environment variables."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bot.errors import SafebotError, did_you_mean

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shipped(name: str) -> Path:
    """A folder of shipped files: the top-level one in a source checkout, else the copy the
    wheel carries inside the package (bot/shipped/)."""
    if (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / name).is_dir():
        return PROJECT_ROOT / name
    return Path(__file__).resolve().parent / "shipped" / name


DEFAULT_CONFIG = Path("safebot.toml")
MODES = ("polling", "webhook", "web")

ENVIRONMENT = {
    "SAFEBOT_TELEGRAM_TOKEN": "telegram_token",
    "SAFEBOT_TELEGRAM_API_URL": "telegram_api_url",
    "SAFEBOT_DATA_DIR": "data_dir",
    "SAFEBOT_WEBHOOK_SECRET": "webhook_secret",
    "SAFEBOT_MODE": "mode",
    "SAFEBOT_WEBHOOK_URL": "webhook_url",
    "SAFEBOT_WEBHOOK_LISTEN": "webhook_listen",
    "SAFEBOT_WEBHOOK_PORT": "webhook_port",
    "SAFEBOT_WEB_HOST": "web_host",
    "SAFEBOT_WEB_PORT": "web_port",
}


class ConfigError(SafebotError):
    """A setting that cannot be used, explained for the person editing the file."""


@dataclass
class Settings:
    """Everything an instance can change. Defaults run the shipped lessons."""

    organisation: str = ""
    data_dir: Path = Path("data")
    mode: str = "polling"
    languages: list[str] | None = None  # None: every shipped language
    lessons: list[str] | None = None  # None: every shipped lesson, in suggested order
    countries: list[str] | None = None  # None: every country with helplines
    show_drafts: bool = False
    # show children only the lessons a youth group approved in their language and age band
    require_approved: bool = False
    retention_days: int = 30
    overlay: Path | None = None  # an instance folder with dialogs/, content/, locales/
    telegram_token: str = field(default="", repr=False)
    telegram_api_url: str = ""
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str = field(default="", repr=False)
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    dialogs_dir: Path = field(default_factory=lambda: shipped("dialogs"))
    content_dir: Path = field(default_factory=lambda: shipped("content"))
    locales_dir: Path = field(default_factory=lambda: shipped("locales"))
    # the safebot.toml read, for messages about it (not a setting)
    config_path: Path | None = field(default=None, metadata={"internal": True})

    def folders(self, name: str) -> list[Path]:
        """A content folder of the project, then the instance's overlay of it."""
        shipped = {
            "dialogs": self.dialogs_dir,
            "content": self.content_dir,
            "locales": self.locales_dir,
        }[name]
        found = [shipped]
        if self.overlay and (self.overlay / name).is_dir():
            found.append(self.overlay / name)
        return found


_TYPES = {f.name: f.type for f in fields(Settings) if not f.metadata.get("internal")}


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the config file (if any) and the environment into Settings."""
    environ = os.environ if environ is None else environ
    settings = Settings()
    config = path or (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
    if config is not None:
        _apply_file(settings, config)
        settings.config_path = config
    for variable, name in ENVIRONMENT.items():
        if environ.get(variable):
            _set(settings, name, environ[variable], f"the environment variable {variable}")
    return settings


def _apply_file(settings: Settings, path: Path) -> None:
    if not path.exists():
        raise ConfigError(
            f"{path}: the config file does not exist. Check the path, or "
            "run 'safebot init DIR' to write an example."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}. Check the quotes and brackets there.") from error
    flat: dict[str, Any] = {}
    for section, values in data.items():
        if isinstance(values, dict):
            for key, value in values.items():
                flat[f"{section}_{key}" if section in ("telegram", "webhook", "web") else key] = (
                    value
                )
        else:
            flat[section] = values
    for key, value in flat.items():
        if key not in _TYPES:
            raise ConfigError(
                f"{path}: the setting '{key}' is not known.{did_you_mean(key, set(_TYPES))} "
                "See docs/deploying.md for every setting."
            )
        _set(settings, key, value, f"{path}: '{key}'", base=path.parent)


def _set(settings: Settings, name: str, value: Any, where: str, base: Path | None = None) -> None:
    kind = str(_TYPES[name])
    if "Path" in kind:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a folder path in quotes.")
        folder = Path(value)
        setattr(settings, name, (base / folder) if base and not folder.is_absolute() else folder)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false (without quotes).")
        setattr(settings, name, value)
    elif kind == "int":
        if isinstance(value, bool) or not str(value).isdigit():
            raise ConfigError(f"{where} must be a whole number, like 30.")
        setattr(settings, name, int(value))
    elif "list" in kind:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{where} must be a list in brackets, like ["en", "es"].')
        setattr(settings, name, value)
    else:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be text in quotes.")
        setattr(settings, name, value)
    if name == "mode" and settings.mode not in MODES:
        raise ConfigError(f"{where}: mode '{value}' is not known. Use one of: {', '.join(MODES)}.")


def example_config() -> str:
    """A commented safebot.toml with every setting at its default."""
    return """\
# safebot instance settings. Environment variables override these:
# SAFEBOT_TELEGRAM_TOKEN, SAFEBOT_TELEGRAM_API_URL, SAFEBOT_DATA_DIR, SAFEBOT_WEBHOOK_SECRET,
# SAFEBOT_MODE, SAFEBOT_WEBHOOK_URL, SAFEBOT_WEBHOOK_LISTEN, SAFEBOT_WEBHOOK_PORT,
# SAFEBOT_WEB_HOST, SAFEBOT_WEB_PORT.

# Who runs this instance: shown in the reports.
organisation = "Our organisation"

# Where the database and the instance secret live (relative to this file).
data_dir = "data"

# polling (the bot fetches updates), webhook (Telegram calls us), or web (web chat only).
mode = "polling"

# Languages children can choose; leave out for every shipped language.
# languages = ["en", "es", "fr"]

# Lessons in the menu, in order; leave out for every shipped lesson.
# lessons = ["grooming", "sextortion", "reporting"]

# Countries offered as buttons; leave out for every country with helplines.
# countries = ["KE", "TZ", "UG"]

# Show lessons whose status is still draft (for a test instance only).
show_drafts = false

# Show children only the lessons whose review: section records a youth group's approval
# in their language and age band (see docs/authoring.md). The help is always shown. When
# on, a language with no approved lesson stops the bot at start-up: the shipped lessons
# are not reviewed by young people yet, so record your own groups' approvals first.
require_approved = false

# Children not seen for this many days are erased.
retention_days = 30

# This folder may hold dialogs/, content/helplines/, content/keywords/ and locales/
# that add to or replace the shipped ones.
overlay = "."

[telegram]
# token = "123456:ABC..."   # better: the SAFEBOT_TELEGRAM_TOKEN environment variable
# api_url = "http://127.0.0.1:8081/bot"

[webhook]
# url = "https://bot.example.org/telegram"
listen = "127.0.0.1"
port = 8443

[web]
host = "127.0.0.1"
port = 8080
"""
