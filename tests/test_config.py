"""Instance settings: the file, the environment, and errors that say how to fix them."""

from pathlib import Path

import pytest

from bot.core.distress import Hearing
from bot.settings import ConfigError, example_config, load_settings


def test_the_example_config_loads_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "safebot.toml"
    path.write_text(example_config())
    settings = load_settings(path, environ={})
    assert settings.organisation == "Our organisation"
    assert settings.data_dir == tmp_path / "data"
    assert (settings.mode, settings.retention_days, settings.web_port) == ("polling", 30, 8080)
    assert settings.require_approved is False  # the shipped lessons are not reviewed yet
    assert "require_approved = false" in example_config()


def test_the_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "safebot.toml"
    path.write_text('data_dir = "here"\n')
    settings = load_settings(
        path,
        environ={
            "SAFEBOT_DATA_DIR": "/elsewhere",
            "SAFEBOT_TELEGRAM_TOKEN": "123:abc",
            "SAFEBOT_TELEGRAM_API_URL": "http://127.0.0.1:8081/bot",
        },
    )
    assert settings.data_dir == Path("/elsewhere")
    assert settings.telegram_token == "123:abc"
    assert settings.telegram_api_url == "http://127.0.0.1:8081/bot"
    assert "123:abc" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("retention_day = 3\n", "'retention_day' is not known. Did you mean 'retention_days'?"),
        ('retention_days = "ten"\n', "'retention_days' must be a whole number"),
        ("show_drafts = 1\n", "'show_drafts' must be true or false"),
        ('require_approved = "yes"\n', "'require_approved' must be true or false"),
        ('mode = "poling"\n', "mode 'poling' is not known. Use one of: polling, webhook, web"),
        ('languages = "en"\n', "'languages' must be a list in brackets"),
        ("organisation = \n", "Check the quotes and brackets"),
    ],
)
def test_a_mistake_names_the_file_the_setting_and_the_fix(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "safebot.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_settings(path, environ={})
    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)


def test_a_missing_config_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_every_setting_is_documented_for_deployers() -> None:
    from dataclasses import fields

    from bot.settings import Settings

    guide = (Path(__file__).parent.parent / "docs" / "deploying.md").read_text()
    internal = {"dialogs_dir", "content_dir", "locales_dir", "telegram_token",
                "telegram_api_url", "webhook_url", "webhook_listen", "webhook_port",
                "webhook_secret", "web_host", "web_port", "config_path"}  # fmt: skip
    for field in fields(Settings):
        if field.name not in internal:
            assert f"`{field.name}`" in guide, field.name


def test_an_instance_overlay_adds_and_replaces_content(tmp_path: Path) -> None:
    """An NGO's own helplines, keywords and lessons, without touching the shipped ones."""
    from bot.content.load import load_content

    root = Path(__file__).parent.parent
    (tmp_path / "content" / "helplines").mkdir(parents=True)
    kenya = (
        (root / "content/helplines/KE.yaml")
        .read_text()
        .replace("name: Childline Kenya", "name: Our Kenya Line")
    )
    (tmp_path / "content/helplines/KE.yaml").write_text(kenya)
    (tmp_path / "content" / "keywords").mkdir()
    (tmp_path / "content/keywords/en.yaml").write_text(
        "language: en\ncategories:\n  sextortion:\n    - our special words\n"
    )
    (tmp_path / "dialogs").mkdir()
    lesson = (
        (root / "dialogs/grooming.yaml")
        .read_text()
        .replace("title: Someone who is too nice", "title: Our own title")
    )
    (tmp_path / "dialogs/grooming.yaml").write_text(lesson)
    (tmp_path / "safebot.toml").write_text('overlay = "."\n')
    content = load_content(load_settings(tmp_path / "safebot.toml", environ={}))
    assert content.directory.child_helpline("KE").name == "Our Kenya Line"
    assert content.directory.child_helpline("GB").name.startswith("Childline")
    heard = Hearing(content.keywords).hear("these are our special words", "en")
    assert heard is not None and heard.category == "sextortion"
    assert Hearing(content.keywords).hear("i want to die", "en") is None  # replaced, not added
    assert content.dialogs["grooming"].title.source == "Our own title"
    assert "sextortion" in content.dialogs
