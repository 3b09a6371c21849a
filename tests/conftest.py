"""Shared fixtures. Tests that need the trained model are marked `model` and share one load."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from bot.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never depend on the developer's KENESH_* settings."""
    for name in list(os.environ):
        if name.startswith("KENESH_") or name == "TELEGRAM_BOT_TOKEN":
            monkeypatch.delenv(name)


@pytest.fixture
def valid_kb(tmp_path: Path) -> Path:
    """A writable copy of a small valid knowledge base."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "kb_valid", target)
    return target


@pytest.fixture
def cli():
    """Run `python -m bot …` in a fresh process: cli(args, env=None, stdin="") -> CompletedProcess."""
    import subprocess
    import sys

    from bot.settings import REPO_ROOT

    def run(args, env=None, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
        )

    return run


@pytest.fixture(scope="session")
def talk():
    """Send one message to a running Rasa server: talk(settings, sender, text) -> the replies a person
    reads (the actions' signals for the bot, replies with only `custom`, are left out)."""
    from bot.rasa_client import RasaClient

    def send(settings: Settings, sender: str, text: str):
        async def exchange():
            async with RasaClient(settings.rasa_base_url, timeout=30) as client:
                return [reply for reply in await client.send(sender, text) if reply.readable]

        return asyncio.run(exchange())

    return send


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def trained_settings(settings: Settings) -> Settings:
    if not settings.model_path.exists():
        pytest.fail(f"no trained model at {settings.model_path}: run `make test`, which trains it first")
    return settings


@pytest.fixture(scope="session")
def classifier(trained_settings: Settings):
    """The live model loaded in-process once for the whole run (about a minute)."""
    from bot.nlu.classify import Classifier

    return Classifier(trained_settings)


@pytest.fixture(scope="session")
def servers(trained_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    """The real action server and Rasa server on free localhost ports, once per run."""
    from dataclasses import replace

    from bot.servers import Servers

    state = tmp_path_factory.mktemp("state")
    settings = replace(trained_settings, rasa_port=_free_port(), action_port=_free_port(), state_dir=state)
    servers = Servers(settings)
    servers.start()
    try:
        asyncio.run(servers.wait_until_ready())
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="session")
def running_servers(servers) -> Settings:
    """Settings that point at the running servers."""
    return servers.settings


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


BROWSER_TESTS = Path(__file__).parent / "desk" / "browser"


def pytest_collection_modifyitems(items):
    """Run the tests that load the model after the fast ones have had their say, and the browser tests
    at the very end: Playwright's sync API keeps an event loop running in this thread for the rest of
    the session, and every later asyncio.run() would fail."""

    def order(item) -> tuple[bool, bool]:
        return BROWSER_TESTS in Path(str(item.fspath)).parents, item.get_closest_marker("model") is not None

    items.sort(key=order)
