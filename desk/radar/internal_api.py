"""POST /internal/counts: the bot counts one event (topic, script, outcome) for this week.

Like the rest of /internal/ (docs/handoff.md): no login, no CSRF token; only the bot reaches it
(desk/kenesh_desk/internal.py: loopback, no proxy, the shared secret). The body
is validated strictly: a known topic id or "", one of the scripts, one of the outcomes; anything
else is a 400 naming what was wrong, and nothing is counted.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bot.language.codes import SCRIPTS
from desk.kenesh_desk import internal
from desk.lookup.knowledge import knowledge
from desk.radar import counting
from desk.radar.models import Outcome

FIELDS = {"topic", "script", "outcome"}


def _error(code: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": code}, status=status)


def _problem(body: object) -> str | None:
    """The error code for a body that is not a valid count, None for a valid one."""
    if not isinstance(body, dict) or set(body) != FIELDS:
        return "fields"  # exactly topic, script and outcome
    if not all(isinstance(body[name], str) for name in FIELDS):
        return "not_text"
    if body["topic"] and body["topic"] not in knowledge().topics:
        return "unknown_topic"
    if body["script"] not in SCRIPTS:
        return "unknown_script"
    if body["outcome"] not in Outcome.values:
        return "unknown_outcome"
    return None


@login_not_required
@csrf_exempt
@require_POST
def counts(request: HttpRequest) -> JsonResponse:
    """200 {"week": "<Monday>"} once counted; 403 for anyone but the bot; 400 {"error": …} for a bad body."""
    refused = internal.refusal(request)
    if refused:
        return _error(refused, status=403)
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error("not_json")
    problem = _problem(body)
    if problem:
        return _error(problem)
    week = counting.count(body["topic"], body["script"], body["outcome"])
    return JsonResponse({"week": week.isoformat()})
