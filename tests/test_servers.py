"""bot/servers.py: the supervisord configuration `make run` starts (the processes run in the end-to-end tests)."""

from __future__ import annotations

import configparser
import dataclasses
from pathlib import Path

from bot.servers import Servers
from bot.settings import Settings


def sections(tmp_path: Path, bot: bool) -> configparser.ConfigParser:
    settings = dataclasses.replace(Settings(), state_dir=tmp_path / "state", rasa_port=5105, action_port=5155)
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(Servers(settings, bot=bot).configuration())
    return parser


def test_each_server_is_a_sibling_restarted_when_it_dies(tmp_path: Path) -> None:
    config = sections(tmp_path, bot=True)
    programs = [name for name in config.sections() if name.startswith("program:")]
    assert programs == ["program:actions", "program:rasa", "program:bot"]
    for name in programs:
        assert config[name]["autorestart"] == "true"
        assert config[name]["stopasgroup"] == config[name]["killasgroup"] == "true"
    rasa = config["program:rasa"]["command"]
    assert "-m rasa_project run" in rasa and "--port 5105" in rasa  # through the patches, on our port
    assert "--port 5155" in config["program:actions"]["command"]
    assert config["program:bot"]["autostart"] == "false"  # started once Rasa is healthy


def test_without_a_token_there_is_no_bot_and_everything_stays_in_the_state_folder(tmp_path: Path) -> None:
    config = sections(tmp_path, bot=False)
    assert "program:bot" not in config
    state = str((tmp_path / "state").resolve())
    assert config["supervisord"]["logfile"].startswith(state)
    assert config["unix_http_server"]["file"].startswith(state)
    assert all(config[f"program:{name}"]["stdout_logfile"].startswith(state) for name in ("actions", "rasa"))
    assert config["supervisord"]["silent"] == "true"  # nothing of supervisord's own in the terminal chat


def test_a_token_telegram_refuses_is_one_line_before_anything_starts(cli, tmp_path: Path) -> None:
    from fake_bot_api import FakeBotAPI

    fake = FakeBotAPI().start()
    fake.revoked.add(fake.token)
    try:
        env = {
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "KENESH_STATE_DIR": str(tmp_path),
        }
        done = cli(["run"], env=env)
    finally:
        fake.stop()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("kenesh: Telegram refused TELEGRAM_BOT_TOKEN")
    assert not (tmp_path / "supervisord.conf").exists()  # no server was started


def test_the_desk_is_a_sibling_on_loopback_with_no_access_log(tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings(), state_dir=tmp_path / "state", desk_port=8123)
    config = configparser.ConfigParser(interpolation=None)
    config.read_string(Servers(settings, desk=True).configuration())
    desk = config["program:desk"]
    assert "-m gunicorn desk.kenesh_desk.wsgi:application --bind 127.0.0.1:8123" in desk["command"]
    assert "access-log" not in desk["command"]  # a log line could name what a caller asked about
    assert f'KENESH_STATE_DIR="{(tmp_path / "state").resolve()}"' in desk["environment"]
    assert desk["autorestart"] == "true" and desk["stdout_logfile"].endswith("desk.log")
    assert "program:desk" not in sections(tmp_path, bot=False)  # tests' servers run without it


def test_a_state_folder_too_deep_for_a_unix_socket_gets_its_socket_in_the_temporary_folder(tmp_path: Path) -> None:
    deep = tmp_path / ("a-long-folder-name-" * 6) / "state"
    settings = dataclasses.replace(Settings(), state_dir=deep)
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(Servers(settings, bot=False).configuration())
    socket = parser["unix_http_server"]["file"]
    assert len(str(deep / "supervisor.sock")) > 108  # would not bind there
    assert len(socket.encode()) <= 100 and not socket.startswith(str(deep))
    assert parser["supervisorctl"]["serverurl"] == f"unix://{socket}"
    other = dataclasses.replace(settings, state_dir=tmp_path / ("b-long-folder-name-" * 6) / "state")
    parser.read_string(Servers(other, bot=False).configuration())
    assert parser["unix_http_server"]["file"] != socket  # two checkouts never share one supervisord
