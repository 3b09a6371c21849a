"""The retrain page (/knowledge/retrain/): is the model stale, the button, progress, figures before and after.

Lawyers and admins (retrain.start_training) see it and start a run; only admins
(retrain.override_gates) put live a model held for missing a target. Everyone else gets 403.
The run's panel is polled by htmx every 2 s while a worker is on it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bot.language.codes import LANGUAGES
from bot.nlu import retrain
from desk.retrain import runs
from desk.retrain.models import ACTIVE, TrainingRun

START, OVERRIDE = "retrain.start_training", "retrain.override_gates"
MEASURES = ("accuracy", "answered", "confident_wrong", "declined")


def _measure_names() -> dict[str, str]:
    return {
        "accuracy": _("Topic accuracy (first choice)"),
        "answered": _("Answered at once and right"),
        "confident_wrong": _("Confident-wrong (a wrong answer sent)"),
        "declined": _("Out-of-scope declined"),
    }


def _table(figures: dict | None) -> list[tuple[str, list[str]]]:
    """Rows of measure name and one percentage per language ("-" where there is none)."""
    if not figures:
        return []
    names = _measure_names()
    rows = []
    for measure in MEASURES:
        values = [figures["languages"].get(lang, {}).get(measure) for lang in LANGUAGES]
        rows.append((names[measure], ["-" if value is None else f"{value:.1%}" for value in values]))
    return rows


def _panel_context(request: HttpRequest) -> dict:
    runs.reap_dead()
    run = TrainingRun.objects.first()
    return {
        "run": run,
        "running": bool(run and run.state in ACTIVE),
        "progress": runs.progress(run) if run and run.state in ACTIVE else "",
        "languages": LANGUAGES,
        "before": _table(run.figures_before if run else None),
        "after": _table(run.figures_after if run else None),
        "may_override": request.user.has_perm(OVERRIDE),
    }


@never_cache
@require_GET
@permission_required(START, raise_exception=True)
def page(request: HttpRequest) -> HttpResponse:
    context = _panel_context(request)
    context["stale"] = retrain.is_stale(settings.KENESH)
    context["history"] = TrainingRun.objects.select_related("started_by", "overridden_by")[1:10]
    return render(request, "retrain/retrain.html", context)


@never_cache
@require_GET
@permission_required(START, raise_exception=True)
def panel(request: HttpRequest) -> HttpResponse:
    """The run's panel alone, for htmx's polling."""
    return render(request, "retrain/_panel.html", _panel_context(request))


@require_POST
@permission_required(START, raise_exception=True)
def start(request: HttpRequest) -> HttpResponse:
    try:
        runs.start(request.user)
    except runs.AlreadyRunning:
        messages.error(request, _("A training is already running. Wait until it ends."))
    return redirect("knowledge-retrain")


@require_POST
@permission_required(OVERRIDE, raise_exception=True)
def override(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(TrainingRun, pk=run_id)
    if not runs.put_live_anyway(run, request.user):
        messages.error(request, _("Only the latest held model can be put live."))
    return redirect("knowledge-retrain")
