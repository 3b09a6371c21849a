"""Start the action server and the Rasa server on localhost, wait until healthy, stop them all.

Used by `python -m bot run` and by the tests. Server output goes to var/log/*.log; both
servers run at WARNING level, so no message text reaches those logs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bot.errors import ModelError, SetupError
from bot.nlu.training import rasa_executable
from bot.settings import Settings, quiet_environment
from bot.state import state_folder

logger = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """In the child: ask Linux to send SIGTERM when the parent dies, so no server is orphaned."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the servers are still stopped on every normal exit


def _stop_on_signals() -> None:
    """Turn SIGTERM and SIGHUP (terminal closed) into KeyboardInterrupt, so cleanup runs."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Servers:
    """The two server processes of one assistant. Use as a context manager."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.processes: dict[str, subprocess.Popen] = {}  # "actions", "rasa"
        self.log_dir = settings.state_dir / "log"  # made by start()

    def _environment(self) -> dict:
        return {
            **os.environ,
            **quiet_environment(),
            "SANIC_HOST": self.settings.host,
            "KENESH_ACTION_URL": f"{self.settings.action_base_url}/webhook",
            "KENESH_TRACKER_DB": str(self.settings.tracker_db_file),
        }

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=self.settings.rasa_project_dir,
            env=self._environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.processes[name] = process
        return process

    def start(self) -> None:
        """Start both servers; raise SetupError if a port is taken or the model is missing."""
        settings = self.settings
        if not settings.model_path.exists():
            raise ModelError(f"no trained model at {settings.model_path}; run `make train`")
        for port in (settings.action_port, settings.rasa_port):
            if not _port_is_free(settings.host, port):
                raise SetupError(
                    f"port {port} on {settings.host} is already in use: is another "
                    "Kenesh running? Stop it, or set KENESH_RASA_PORT / KENESH_ACTION_PORT."
                )
        state_folder(settings, "log")
        self.start_actions()
        self.start_rasa()

    def start_actions(self) -> None:
        """Start the action server (rasa_sdk, the actions package in rasa_project/)."""
        port = str(self.settings.action_port)
        self._spawn("actions", [rasa_executable(), "run", "actions", "--actions", "actions", "--port", port, "--quiet"])

    def start_rasa(self) -> None:
        """Start the Rasa server (through rasa_project, which applies its patches to Rasa)."""
        settings = self.settings
        python = str(Path(rasa_executable()).with_name("python"))
        self._spawn(
            "rasa",
            [
                python,
                "-m",
                "rasa_project",
                "run",
                "--enable-api",
                "--interface",
                settings.host,
                "--port",
                str(settings.rasa_port),
                "--model",
                str(settings.model_path),
                "--endpoints",
                settings.endpoints_file,
                "--credentials",
                "credentials.yml",
                "--quiet",
            ],
        )

    def kill(self, name: str) -> None:
        """Kill one server ("actions" or "rasa") at once, as a crash would (for tests of recovery)."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    async def wait_until_ready(self, show_progress: bool = False) -> None:
        """Poll both health endpoints until they answer, a process dies, or time runs out."""
        deadline = time.monotonic() + self.settings.startup_timeout
        urls = [f"{self.settings.action_base_url}/health", f"{self.settings.rasa_base_url}/status"]
        async with httpx.AsyncClient(timeout=2.0) as http:
            pending = list(urls)
            while pending:
                for process in self.processes.values():
                    if process.poll() is not None:
                        raise SetupError(
                            f"a server stopped while starting (exit {process.returncode}); "
                            f"see {self.log_dir}/rasa.log and actions.log"
                        )
                if time.monotonic() > deadline:
                    raise SetupError(
                        f"the servers were not ready after {self.settings.startup_timeout:.0f} s; see {self.log_dir}"
                    )
                pending = [url for url in pending if not await _healthy(http, url)]
                if pending:
                    if show_progress:
                        print(".", end="", flush=True)
                    await asyncio.sleep(1.0)
        if show_progress:
            print(" ready.", flush=True)

    def stop(self) -> None:
        """Stop every process this object started (SIGTERM, then SIGKILL after 10 s)."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def __enter__(self) -> Servers:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _healthy(http: httpx.AsyncClient, url: str) -> bool:
    try:
        response = await http.get(url)
    except httpx.HTTPError:
        return False
    if response.status_code != 200:
        return False
    return "model_id" not in response.text or bool(response.json().get("model_id"))


def run_assistant(settings: Settings) -> int:
    """`make run`: train if needed, start the servers (unless KENESH_RASA_URL is set), then serve
    Telegram when TELEGRAM_BOT_TOKEN is set, else chat in the terminal."""
    from bot.nlu.training import train_if_changed
    from bot.privacy import conversation_store

    front_end = _front_end(settings)
    if settings.rasa_url:
        return front_end(settings)
    _stop_on_signals()
    state_folder(settings)  # a folder that cannot be written is said now, not after training
    train_if_changed(settings)
    conversation_store(settings).purge_older_than(
        settings.retention_hours
    )  # the Telegram bot repeats it every 15 minutes
    with Servers(settings) as servers:
        print("Starting the action server and the Rasa server (about a minute)", end="", flush=True)
        asyncio.run(servers.wait_until_ready(show_progress=True))
        if settings.telegram_token:
            print("Serving Telegram. Ctrl-C stops the bot and the servers.", flush=True)
        return front_end(settings)


def _front_end(settings: Settings) -> Callable[[Settings], int]:
    if settings.telegram_token:
        from bot.telegram_ui.app import run_telegram

        return run_telegram
    from bot.console import chat

    return chat
