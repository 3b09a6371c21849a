"""POST /internal/counts: the bot counts one event (topic, script, outcome) for this week.

Like the rest of /internal/ (docs/handoff.md): no login, no CSRF token; instead the bot's bearer
secret (bot.state.desk_internal_secret), compared in constant time, and loopback only. The body
is validated strictly: a known topic id or "", one of the scripts, one of the outcomes; anything
else is a 400 naming what was wrong, and nothing is counted.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bot.language.codes import SCRIPTS
from bot.state import desk_internal_secret
from desk.lookup.knowledge import knowledge
from desk.radar import counting
from desk.radar.models import Outcome

LOOPBACK = ("127.0.0.1", "::1")
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")  # the bot sends none
FIELDS = {"topic", "script", "outcome"}


def _error(code: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": code}, status=status)


def _from_the_bot(request: HttpRequest) -> bool:
    """On loopback, not relayed by a proxy, with the shared secret."""
    if request.META.get("REMOTE_ADDR") not in LOOPBACK or any(h in request.META for h in PROXY_HEADERS):
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    secret = desk_internal_secret(settings.KENESH)
    return scheme == "Bearer" and hmac.compare_digest(given.encode(), secret.encode())


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
    if not _from_the_bot(request):
        return _error("forbidden", status=403)
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error("not_json")
    problem = _problem(body)
    if problem:
        return _error(problem)
    week = counting.count(body["topic"], body["script"], body["outcome"])
    return JsonResponse({"week": week.isoformat()})
