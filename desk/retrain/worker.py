"""The worker of one run (`manage.py run_training <id>`): train, measure, and put live or hold.

The live model is touched only by bot.nlu.retrain.put_live(), and only after the new one is
trained, measured and meets every gate (report.shortfalls() == []), or an admin overrode them.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from bot.errors import ModelError
from bot.nlu import retrain
from bot.settings import Settings
from desk.retrain.models import State, TrainingRun
from desk.retrain.runs import log_path


def _advance(run: TrainingRun, state: str, phase: str = "") -> None:
    run.state, run.phase = state, phase
    if state in (State.HELD, State.LIVE, State.FAILED):
        run.finished_at = timezone.now()
    run.save()


def run_training(run_id: int, put_live_only: bool = False) -> TrainingRun:
    """Do the run's work; every error ends in `failed` with its reason, the live model untouched."""
    run = TrainingRun.objects.get(pk=run_id)
    live = settings.KENESH
    model = retrain.candidate(live, str(run.pk))
    log = log_path(run)
    try:
        if not put_live_only:
            with log.open("a", encoding="utf-8") as output:
                _advance(run, State.TRAINING, "rasa train")
                retrain.train_candidate(live, model, output)
            _advance(run, State.EVALUATING, "the live model")
            run.figures_before = _figures_or_none(live)
            _advance(run, State.EVALUATING, "the new model")
            run.figures_after = retrain.figures(model)
            if run.figures_after["shortfalls"]:
                _advance(run, State.HELD)
                return run
            _advance(run, State.GOING_LIVE)
        retrain.put_live(live, model)
        _advance(run, State.LIVE)
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the run must say so and end
        run.reason = "\n".join(filter(None, [f"{type(error).__name__}: {error}", retrain.last_lines(log)]))
        _advance(run, State.FAILED)
        retrain.discard(model)
    return run


def _figures_or_none(live: Settings) -> dict | None:
    """The live model's figures; None when there is no live model to measure."""
    try:
        return retrain.figures(live)
    except ModelError:
        return None
