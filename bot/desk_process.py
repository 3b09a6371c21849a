"""The hotline desk (desk/, a Django site) as a separate process: bot/ never imports Django.

`make run` prepares the desk (state folder, secret key, migrations) with `desk/manage.py prepare`
and runs it under supervisord with gunicorn; `python -m bot desk …` runs any of its management
commands (`adduser NAME --role admin`). An import-linter contract keeps desk and django out of bot/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.errors import SetupError
from bot.settings import REPO_ROOT, Settings

MANAGE_PY = REPO_ROOT / "desk" / "manage.py"


def _python_to_type() -> str:
    """The interpreter as a person would type it from the repository: the project's venv, when it runs."""
    executable = sys.executable
    try:
        return os.path.relpath(executable, REPO_ROOT) if executable.startswith(str(REPO_ROOT)) else "python"
    except ValueError:
        return "python"


FIRST_ACCOUNT = f"{_python_to_type()} -m bot desk adduser NAME --role admin"


def environment(settings: Settings) -> dict[str, str]:
    """The variables that make the desk's settings agree with these (tests build Settings directly)."""
    return {
        "DJANGO_SETTINGS_MODULE": "desk.kenesh_desk.settings",
        "KENESH_STATE_DIR": str(settings.state_dir.resolve()),
        "KENESH_KNOWLEDGE_DIR": str(settings.knowledge_dir.resolve()),
        "KENESH_MODEL_PATH": str(settings.model_path.resolve()),
        "KENESH_RASA_URL": settings.rasa_base_url,
        "KENESH_DESK_HOST": settings.desk_host,
        "KENESH_DESK_PORT": str(settings.desk_port),
    }


def manage(
    settings: Settings, *args: str, capture: bool = False, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """Run `desk/manage.py ARGS` in a fresh interpreter (stdin and the terminal are the caller's,
    unless `stdin` is given)."""
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), *args],
        cwd=REPO_ROOT,
        env={**os.environ, **environment(settings)},
        capture_output=capture,
        input=stdin,
        text=True,
    )


def prepare(settings: Settings) -> int:
    """Make the desk ready to serve (state folder, secret key, migrations); the number of accounts."""
    done = manage(settings, "prepare", capture=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SetupError(f"the desk could not be prepared ({last}); run `python desk/manage.py prepare` to see why")
    return int(json.loads(lines[-1])["accounts"])


def serve_command(settings: Settings, python: str = sys.executable) -> list[str]:
    """gunicorn serving the desk on KENESH_DESK_HOST:KENESH_DESK_PORT: one process, four threads, no
    access log (a log line could carry a topic a caller asked about), errors to supervisord's log."""
    return [
        python,
        "-m",
        "gunicorn",
        "desk.kenesh_desk.wsgi:application",
        "--bind",
        f"{settings.desk_host}:{settings.desk_port}",
        "--chdir",
        str(REPO_ROOT),
        "--workers",
        "1",
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--log-level",
        "warning",
        "--error-logfile",
        "-",
        "--graceful-timeout",
        "5",
    ]
