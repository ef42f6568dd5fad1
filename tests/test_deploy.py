"""The systemd units, the Dockerfile, the compose file and the deployment guide agree on
every path, port and setting, so an NGO that follows the guide runs what it describes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from bot.settings import Settings, example_config, load_settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GUIDE = (ROOT / "docs" / "deploying.md").read_text(encoding="utf-8")


def unit(name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found[key.strip()] = value.strip()
    return found


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_unit_runs_what_the_guide_installs_with_the_data_folder_init_writes(
    tmp_path: Path,
) -> None:
    service = unit("safebot.service")
    program, *args = shlex.split(service["ExecStart"])
    assert "sudo -u safebot git clone <your copy of safebot> /srv/safebot/app" in GUIDE
    assert "cd /srv/safebot/app && sudo -u safebot make test" in GUIDE  # .venv in the clone
    assert program == "/srv/safebot/app/.venv/bin/safebot"
    assert "sudo -u safebot .venv/bin/safebot init /srv/safebot/instance" in GUIDE
    assert args == ["--config", "/srv/safebot/instance/safebot.toml", "run"]
    # the data folder is the one init's safebot.toml names, relative to the file
    (tmp_path / "safebot.toml").write_text(example_config(), encoding="utf-8")
    data_dir = load_settings(tmp_path / "safebot.toml", environ={}).data_dir
    assert data_dir == tmp_path / "data"
    assert service["ReadWritePaths"] == "/srv/safebot/instance/data"
    assert "SAFEBOT_DATA_DIR" not in (DEPLOY / "safebot.service").read_text()
    assert service["EnvironmentFile"] == "/etc/safebot/env"
    assert "/etc/safebot/env" in GUIDE and "safebot.env.example" in GUIDE


def test_the_backup_timer_backs_up_the_same_database_daily() -> None:
    backup = unit("safebot-backup.service")
    command = backup["ExecStart"]
    assert "/srv/safebot/app/.venv/bin/safebot --config /srv/safebot/instance/safebot.toml " \
           "backup /srv/safebot/backups/" in command  # fmt: skip
    assert backup["ReadWritePaths"].split() == ["/srv/safebot/instance/data",
                                                "/srv/safebot/backups"]  # fmt: skip
    assert unit("safebot-backup.timer")["OnCalendar"] == "daily"
    assert "mkdir -m 700 /srv/safebot/backups" in GUIDE
    assert "enable --now safebot safebot-backup.timer" in GUIDE
    for name in ("safebot.service", "safebot-backup.service", "safebot-backup.timer"):
        assert f"deploy/{name}" in GUIDE


def test_the_image_listens_where_its_ports_are_published_and_checks_its_health() -> None:
    text = dockerfile()
    environment = dict(re.findall(r"(SAFEBOT_\w+)=(\S+)", text))
    assert environment["SAFEBOT_WEB_HOST"] == environment["SAFEBOT_WEBHOOK_LISTEN"] == "0.0.0.0"
    settings = load_settings(None, environ=environment)
    assert (settings.web_host, settings.webhook_listen) == ("0.0.0.0", "0.0.0.0")
    exposed = {int(p) for p in re.search(r"^EXPOSE (.+)$", text, re.M).group(1).split()}  # type: ignore[union-attr]
    assert exposed == {Settings().web_port, Settings().webhook_port}
    assert re.search(r'^HEALTHCHECK .*CMD \["safebot", "doctor"\]$', text, re.M)
    assert 'VOLUME ["/data"]' in text and environment["SAFEBOT_DATA_DIR"] == "/data"
    assert "RUN pip install --no-cache-dir . &&" in text  # as the wheel installs, not -e


def test_the_compose_file_runs_the_image_with_its_volume_and_a_daily_backup() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    bot, backup = compose["services"]["safebot"], compose["services"]["backup"]
    data_volume = next(v for v in bot["volumes"] if v.endswith(":/data"))
    assert data_volume.split(":")[0] in compose["volumes"]
    assert data_volume in backup["volumes"]  # the backup reads the bot's own database
    assert "../instance:/instance:ro" in bot["volumes"]
    published = {int(p.split(":")[-1]) for p in bot["ports"]}
    exposed = {int(p) for p in re.search(r"^EXPOSE (.+)$", dockerfile(), re.M).group(1).split()}  # type: ignore[union-attr]
    assert published == exposed
    script = " ".join(backup["command"])
    assert "safebot backup /backups/" in script and "sleep 86400" in script
    assert bot["env_file"] == backup["env_file"] == "safebot.env"
    assert (DEPLOY / "safebot.env.example").exists()
    assert "docker compose -f deploy/compose.yaml up -d" in GUIDE
