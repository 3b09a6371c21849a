"""Start a retraining, put a held one live anyway, and notice a worker that died.

The work itself is done by a detached process (`manage.py run_training <id>`, worker.py) in a
session of its own: it outlives the request and a restart of the desk's gunicorn workers. Its
output goes to the run's log in the state folder (`retrain/<id>.log`), read for progress and for
why it failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from bot.nlu import retrain
from bot.settings import REPO_ROOT
from bot.state import state_folder
from desk.retrain.models import ACTIVE, State, TrainingRun

MANAGE_PY = REPO_ROOT / "desk" / "manage.py"
STARTING_SECONDS = 60  # a queued run with no worker yet is given this long before it counts as dead


class AlreadyRunning(Exception):
    """Another run is under way: one at a time."""


def log_path(run: TrainingRun) -> Path:
    return state_folder(settings.KENESH, "retrain") / f"{run.pk}.log"


def start(user: AbstractBaseUser) -> TrainingRun:
    """A new run, and its worker started; AlreadyRunning if one is under way."""
    reap_dead()
    try:
        with transaction.atomic():
            run = TrainingRun.objects.create(started_by=user)
    except IntegrityError:
        raise AlreadyRunning from None
    for older in TrainingRun.objects.filter(state=State.HELD).exclude(pk=run.pk):  # a newer run supersedes it
        retrain.discard(retrain.candidate(settings.KENESH, str(older.pk)))
    launch(run)
    return run


def put_live_anyway(run: TrainingRun, admin: AbstractBaseUser) -> bool:
    """An admin's override of the gates for the latest run, if it is held; False if it is not."""
    if run.state != State.HELD or TrainingRun.objects.exclude(pk=run.pk).filter(pk__gt=run.pk).exists():
        return False
    run.state, run.overridden_by, run.overridden_at = State.GOING_LIVE, admin, timezone.now()
    run.phase = ""
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:  # another run started meanwhile
        return False
    launch(run, "--put-live")
    return True


def launch(run: TrainingRun, *flags: str) -> None:
    """Start the worker for `run`, detached, its output to the run's log."""
    with log_path(run).open("ab") as log:
        worker = subprocess.Popen(
            [sys.executable, str(MANAGE_PY), "run_training", str(run.pk), *flags],
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # not in gunicorn's process group: a restart of the desk does not stop it
        )
    TrainingRun.objects.filter(pk=run.pk).update(worker_pid=worker.pid)
    run.worker_pid = worker.pid


def worker_alive(pid: int | None) -> bool:
    """The worker process still runs (a zombie or another program under a reused pid does not count)."""
    if not pid:
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"run_training" in command


def reap_dead() -> None:
    """Mark failed every active run whose worker is gone (killed, or the machine restarted)."""
    for run in TrainingRun.objects.filter(state__in=ACTIVE):
        starting = run.worker_pid is None and (timezone.now() - run.started_at).total_seconds() < STARTING_SECONDS
        if starting or worker_alive(run.worker_pid):
            continue
        run.state, run.finished_at = State.FAILED, timezone.now()
        run.reason = "\n".join(
            filter(None, ["The training process stopped before it finished.", retrain.last_lines(log_path(run))])
        )
        run.save()
        retrain.discard(retrain.candidate(settings.KENESH, str(run.pk)))


def progress(run: TrainingRun) -> str:
    """The last line of the worker's output (Rasa's progress bar while it trains)."""
    lines = retrain.last_lines(log_path(run), 1)
    return lines[-200:]
