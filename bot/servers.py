"""Run Kenesh's long-running processes as siblings under supervisord, which restarts any that dies.

`make run` (`python -m bot run`) and the tests start supervisord (a maintained supervisor, from
the `supervisor` package) with a configuration written to the state folder. It runs the action
server, the Rasa server, the hotline desk (gunicorn; KENESH_DESK=off leaves it out) and, with a
Telegram token, the bot, each restarted when it dies
(immediately after a crash, with a growing pause while it keeps failing to start), so one death
never takes the others down. This process waits for them to be healthy, then runs the terminal
chat or waits; Ctrl-C, end of input or SIGTERM stops supervisord, which stops them all, and
supervisord stops them too if this process is killed (PR_SET_PDEATHSIG). Server output goes to
log/*.log in the state folder; the servers log at WARNING, so no message text reaches those logs.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bot import desk_process
from bot.errors import ModelError, SetupError
from bot.nlu.training import rasa_executable
from bot.settings import REPO_ROOT, Settings, quiet_environment
from bot.state import state_folder

SOCKET_PATH_LIMIT = 100  # bytes; Linux allows 107 in sun_path, and supervisord appends a suffix while it binds

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


def socket_path(state: Path) -> Path:
    """supervisord's control socket: in the state folder, unless that path is too long for a Unix
    socket (108 bytes on Linux); then in the temporary folder, named after the state folder."""
    path = state / "supervisor.sock"
    if len(str(path).encode()) <= SOCKET_PATH_LIMIT:
        return path
    digest = hashlib.sha256(str(state).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"kenesh-supervisor-{digest}.sock"


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _program(name: str, command: list[str], directory: Path, log: str, **extra: str) -> str:
    """One [program:…] section: restarted whenever it exits, stopped with its whole process group."""
    lines = [
        f"[program:{name}]",
        f"command={shlex.join(command)}",
        f"directory={directory}",
        "autorestart=true",
        "startsecs=3",  # up for 3 s counts as started; a quicker exit is retried after 1, 2, 3… s
        "startretries=100",
        "stopasgroup=true",
        "killasgroup=true",
        "stopwaitsecs=10",
        "redirect_stderr=true",
        f"stdout_logfile={log}",
    ]
    if log == "/dev/stdout":
        lines.append("stdout_logfile_maxbytes=0")  # the terminal cannot be rotated
    lines += [f"{key}={value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


class Servers:
    """The supervised processes of one assistant (Rasa and actions; the bot with `bot=True`, the desk
    with `desk=True`)."""

    def __init__(self, settings: Settings, bot: bool = False, desk: bool = False) -> None:
        self.settings = settings
        self.bot = bot
        self.desk = desk  # the hotline desk (gunicorn); desk_process.prepare() must have run
        self.log_dir = settings.state_dir / "log"  # made by start()
        self.config = settings.state_dir / "supervisord.conf"
        self.supervisor: subprocess.Popen | None = None

    def _environment(self) -> dict[str, str]:
        return {
            **os.environ,
            **quiet_environment(),
            "SANIC_HOST": self.settings.host,
            "KENESH_ACTION_URL": f"{self.settings.action_base_url}/webhook",
            "KENESH_TRACKER_DB": str(self.settings.tracker_db_file),
            "KENESH_RASA_URL": self.settings.rasa_base_url,  # read by the bot only
            "KENESH_KNOWLEDGE_DIR": str(self.settings.knowledge_dir.resolve()),
        }

    def configuration(self) -> str:
        """supervisord's configuration for these settings (written to the state folder by start())."""
        settings, log = self.settings, self.log_dir.resolve()
        state = settings.state_dir.resolve()
        python = str(Path(rasa_executable()).with_name("python"))
        rasa = [python, "-m", "rasa_project", "run", "--enable-api", "--interface", settings.host]
        rasa += ["--port", str(settings.rasa_port), "--model", str(settings.model_path.resolve())]
        rasa += ["--endpoints", settings.endpoints_file, "--credentials", "credentials.yml", "--quiet"]
        actions = [python, "-m", "rasa_project", "run", "actions", "--actions", "actions"]
        actions += ["--port", str(settings.action_port), "--quiet"]
        sections = [
            "[supervisord]\nnodaemon=true\nsilent=true\nloglevel=warn\n"
            f"logfile={log}/supervisord.log\npidfile={state}/supervisord.pid\nchildlogdir={log}\n",
            f"[unix_http_server]\nfile={socket_path(state)}\nchmod=0700\n",
            "[rpcinterface:supervisor]\n"
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n",
            f"[supervisorctl]\nserverurl=unix://{socket_path(state)}\n",
            _program("actions", actions, settings.rasa_project_dir, f"{log}/actions.log"),
            _program("rasa", rasa, settings.rasa_project_dir, f"{log}/rasa.log"),
        ]
        if self.bot:  # started by start_bot() once Rasa is ready; its log is the terminal, if there is one
            bot = [python, "-m", "bot", "telegram"]
            bot_log = "/dev/stdout" if sys.stdout.isatty() else f"{log}/bot.log"
            sections.append(_program("bot", bot, REPO_ROOT, bot_log, autostart="false"))
        if self.desk:
            variables = ",".join(f'{key}="{value}"' for key, value in desk_process.environment(settings).items())
            command = desk_process.serve_command(settings, python)
            sections.append(_program("desk", command, REPO_ROOT, f"{log}/desk.log", environment=variables))
        return "\n".join(sections)

    def start(self) -> None:
        """Start supervisord and the servers; SetupError if a port is taken, ModelError if no model."""
        settings = self.settings
        if not settings.model_path.exists():
            raise ModelError(f"no trained model at {settings.model_path}; run `make train`")
        for port in (settings.action_port, settings.rasa_port):
            if not _port_is_free(settings.host, port):
                raise SetupError(
                    f"port {port} on {settings.host} is already in use: is another "
                    "Kenesh running? Stop it, or set KENESH_RASA_PORT / KENESH_ACTION_PORT."
                )
        if self.desk and not _port_is_free(settings.desk_host, settings.desk_port):
            raise SetupError(
                f"port {settings.desk_port} on {settings.desk_host} is already in use: is another Kenesh "
                "running? Stop it, set KENESH_DESK_PORT, or KENESH_DESK=off to run without the desk."
            )
        state_folder(settings, "log")
        self.config.write_text(self.configuration(), encoding="utf-8")
        self.supervisor = subprocess.Popen(
            [str(Path(sys.executable).with_name("supervisord")), "-c", str(self.config)],
            env=self._environment(),
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches this process only, which stops supervisord in order
            preexec_fn=_die_with_parent,
        )

    def _control(self, *command: str) -> str:
        done = subprocess.run(
            [str(Path(sys.executable).with_name("supervisorctl")), "-c", str(self.config), *command],
            capture_output=True,
            text=True,
            timeout=30,
        )
        return done.stdout.strip()

    def start_bot(self) -> None:
        """Start the Telegram bot under supervisord (once Rasa is ready, so its first users get answers)."""
        self._control("start", "bot")

    def pid(self, name: str) -> int:
        """The process id of one program ("actions", "rasa", "bot"); 0 while it is not running."""
        answer = self._control("pid", name)
        return int(answer) if answer.isdigit() else 0

    def kill(self, name: str) -> None:
        """Kill one program at once, as a crash would (for tests and benchmarks of recovery)."""
        pid = self.pid(name)
        if not pid:  # os.kill(0, …) would kill this process's whole group
            raise SetupError(f"{name} is not running under supervisord; see {self.log_dir}/supervisord.log")
        os.kill(pid, signal.SIGKILL)

    async def wait_until_ready(self, show_progress: bool = False) -> None:
        """Poll both health endpoints until they answer, supervisord dies, or time runs out."""
        deadline = time.monotonic() + self.settings.startup_timeout
        urls = [f"{self.settings.action_base_url}/health", f"{self.settings.rasa_base_url}/status"]
        if self.desk:
            urls.append(f"{self.settings.desk_base_url}/healthz")
        async with httpx.AsyncClient(timeout=2.0) as http:
            pending = list(urls)
            while pending:
                if self.supervisor is None or self.supervisor.poll() is not None:
                    raise SetupError(f"the supervisor of the servers stopped; see {self.log_dir}/supervisord.log")
                if time.monotonic() > deadline:
                    raise SetupError(
                        f"the servers were not ready after {self.settings.startup_timeout:.0f} s; see "
                        f"{self.log_dir}/rasa.log, actions.log and desk.log"
                    )
                pending = [url for url in pending if not await _healthy(http, url)]
                if pending:
                    if show_progress:
                        print(".", end="", flush=True)
                    await asyncio.sleep(1.0)
        if show_progress:
            print(" ready.", flush=True)

    def wait(self) -> int:
        """Wait until supervisord ends (it runs until stopped); its exit status."""
        assert self.supervisor is not None
        return self.supervisor.wait()

    def stop(self) -> None:
        """Stop supervisord, which stops every program (SIGTERM, then SIGKILL after 10 s)."""
        if self.supervisor is None:
            return
        if self.supervisor.poll() is None:
            self.supervisor.terminate()
        try:
            self.supervisor.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.supervisor.pid, signal.SIGKILL)
            self.supervisor.wait()
        self.supervisor = None

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

    if settings.rasa_url:
        return _front_end(settings)(settings)
    _stop_on_signals()
    state_folder(settings)  # a folder that cannot be written is said now, not after training
    if settings.telegram_token:
        from bot.telegram_ui.app import check_token

        check_token(settings)  # so is a token Telegram refuses
    train_if_changed(settings)
    conversation_store(settings).purge_older_than(settings.retention_hours)  # the bot repeats it every 15 min
    accounts = desk_process.prepare(settings) if settings.desk_enabled else 0
    with Servers(settings, bot=bool(settings.telegram_token), desk=settings.desk_enabled) as servers:
        print("Starting the action server and the Rasa server (about a minute)", end="", flush=True)
        asyncio.run(servers.wait_until_ready(show_progress=True))
        if settings.desk_enabled:
            _announce_desk(settings, accounts)
        if not settings.telegram_token:
            return _front_end(settings)(settings)
        servers.start_bot()
        print("Serving Telegram. Ctrl-C stops the bot and the servers.", flush=True)
        return servers.wait()


def _announce_desk(settings: Settings, accounts: int) -> None:
    """Where the desk is, and, while it has no account, the one command that makes the first."""
    print(f"The hotline desk: {settings.desk_base_url}/", flush=True)
    if not accounts:
        print(
            f"No desk account yet. Create the first one (in another terminal): {desk_process.FIRST_ACCOUNT}", flush=True
        )


def _front_end(settings: Settings) -> Callable[[Settings], int]:
    if settings.telegram_token:
        from bot.telegram_ui.app import run_telegram

        return run_telegram
    from bot.console import chat

    return chat
