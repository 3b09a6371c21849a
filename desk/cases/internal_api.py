"""The bot's door into the desk: /internal/, JSON in and out (the contract: docs/handoff.md).

Only the bot reaches it (desk/kenesh_desk/internal.py: loopback, no proxy, the shared secret);
anything else is 403. Bodies are checked field by field, and a bad one is a 400 naming the field.
Nothing here logs a body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from desk.cases import services
from desk.cases.hours import is_staffed
from desk.cases.models import Case, Outbox
from desk.kenesh_desk import internal

MAX_PSEUDONYM_CHARS = 128
MAX_CLIENT_ID_CHARS = 64
MAX_TOPICS = 20
MAX_RISK_CHARS = 4000  # the risk card as JSON: levels and a few deadlines
MAX_REPLY_ADDRESS_CHARS = 1000
MAX_OUTBOX_LIMIT = 100


class Invalid(Exception):
    """A request body the API refuses: 400 with this error code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _error(status: int, code: str) -> JsonResponse:
    return JsonResponse({"error": code}, status=status)


def bot_only(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """403 unless the request comes from loopback with the shared secret; 400 for an invalid body."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        refused = internal.refusal(request)
        if refused:
            return _error(403, refused)
        try:
            return view(request, *args, **kwargs)
        except Invalid as invalid:
            return _error(400, invalid.code)
        except services.CaseNotOpen:
            return _error(404, "case_not_open")

    return guarded


# ---- reading a body -------------------------------------------------------------------------


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise Invalid("bad_json") from None
    if not isinstance(body, dict):
        raise Invalid("bad_json")
    return body


def _text(body: dict, field: str, max_chars: int) -> str:
    if field not in body:
        raise Invalid(f"missing_{field}")
    value = body[field]
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"bad_{field}")
    if len(value) > max_chars:
        raise Invalid(f"{field}_too_long")
    return value


def _optional_integer(body: dict, field: str) -> int | None:
    value = body.get(field)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise Invalid(f"bad_{field}")
    return value


def _integer(body: dict, field: str) -> int:
    value = _optional_integer(body, field)
    if value is None:
        raise Invalid(f"missing_{field}")
    return value


def _choice(body: dict, field: str, choices: list[str]) -> str:
    if field not in body:
        raise Invalid(f"missing_{field}")
    if body[field] not in choices:
        raise Invalid(f"bad_{field}")
    return body[field]


def _flag(body: dict, field: str) -> bool:
    if not isinstance(body.get(field), bool):
        raise Invalid(f"missing_{field}" if field not in body else f"bad_{field}")
    return body[field]


def _topics(body: dict) -> list[str]:
    topics = body.get("topics", [])
    if not isinstance(topics, list) or len(topics) > MAX_TOPICS:
        raise Invalid("bad_topics")
    if not all(isinstance(topic, str) and 0 < len(topic) <= 100 for topic in topics):
        raise Invalid("bad_topics")
    return topics


def _risk(body: dict) -> dict | None:
    risk = body.get("risk")
    if risk is None:
        return None
    if not isinstance(risk, dict) or len(json.dumps(risk)) > MAX_RISK_CHARS:
        raise Invalid("bad_risk")
    return risk


# ---- the endpoints --------------------------------------------------------------------------


@login_not_required
@csrf_exempt
@require_POST
@bot_only
def open_case(request: HttpRequest) -> JsonResponse:
    """POST /internal/cases: 201 with a new case, 200 with this pseudonym's open case."""
    body = _body(request)
    case, created = services.open_case(
        pseudonym=_text(body, "pseudonym", MAX_PSEUDONYM_CHARS),
        script=_choice(body, "script", Case.Script.values),
        topics=_topics(body),
        risk=_risk(body),
        urgent=_flag(body, "urgent"),
        reason=_choice(body, "reason", Case.Reason.values),
        reply_address=_text(body, "reply_address", MAX_REPLY_ADDRESS_CHARS),
    )
    answer = {"number": case.number, "status": case.status, "staffed": is_staffed(settings.KENESH, timezone.now())}
    return JsonResponse(answer, status=201 if created else 200)


@login_not_required
@csrf_exempt
@require_POST
@bot_only
def add_message(request: HttpRequest, number: str) -> JsonResponse:
    """POST /internal/cases/<number>/messages: 201 stored, 200 a retry of a stored one, 404 case_not_open."""
    body = _body(request)
    message = services.add_user_message(
        number,
        _text(body, "pseudonym", MAX_PSEUDONYM_CHARS),
        _text(body, "client_id", MAX_CLIENT_ID_CHARS),
        _text(body, "text", settings.KENESH.max_message_chars),
    )
    return JsonResponse({"stored": message is not None}, status=201 if message is not None else 200)


@login_not_required
@csrf_exempt
@require_POST
@bot_only
def return_to_bot(request: HttpRequest, number: str) -> JsonResponse:
    """POST /internal/cases/<number>/return: the user typed /bot."""
    case = services.return_to_bot(number, _text(_body(request), "pseudonym", MAX_PSEUDONYM_CHARS))
    return JsonResponse({"number": case.number, "status": case.status})


def _item(row: Outbox) -> dict[str, Any]:
    case = row.case
    return {
        "id": row.pk,
        "kind": row.kind,
        "case": case.number if case else None,
        "script": case.script if case else None,
        "reply_address": case.reply_address if case else None,
        "text": row.text,
        "thread_id": row.thread_id if row.thread_id is not None else (case.staff_thread_id if case else None),
    }


@login_not_required
@csrf_exempt
@require_GET
@bot_only
def outbox(request: HttpRequest) -> JsonResponse:
    """GET /internal/outbox?limit=N: what to send, oldest first, and every open case by pseudonym."""
    try:
        limit = int(request.GET.get("limit", "20"))
    except ValueError:
        raise Invalid("bad_limit") from None
    if not 0 < limit <= MAX_OUTBOX_LIMIT:
        raise Invalid("bad_limit")
    rows = services.pending_outbox(limit)
    return JsonResponse({"items": [_item(row) for row in rows], "open": services.open_cases()})


@login_not_required
@csrf_exempt
@require_POST
@bot_only
def acknowledge(request: HttpRequest, outbox_id: int) -> JsonResponse:
    """POST /internal/outbox/<id>/ack: sent (with the Telegram message id, or the new topic's thread id)
    or failed for good. Twice is harmless; an unknown id (erased meanwhile) is not an error."""
    body = _body(request)
    failed = body.get("failed")
    if failed is not None and (not isinstance(failed, str) or not failed):
        raise Invalid("bad_failed")
    done = services.acknowledge(
        outbox_id,
        telegram_message_id=_optional_integer(body, "telegram_message_id"),
        thread_id=_optional_integer(body, "thread_id"),
        failed=failed,
    )
    return JsonResponse({"acknowledged": done})


@login_not_required
@csrf_exempt
@require_POST
@bot_only
def forget(request: HttpRequest) -> JsonResponse:
    """POST /internal/forget: the user's /forget erases every case of theirs."""
    return JsonResponse({"erased": services.forget(_text(_body(request), "pseudonym", MAX_PSEUDONYM_CHARS))})


@login_not_required
@csrf_exempt
@require_POST
@bot_only
def retention(request: HttpRequest) -> JsonResponse:
    """POST /internal/retention: erase the messages of cases closed KENESH_CASE_RETENTION_DAYS ago."""
    return JsonResponse({"erased_messages": services.purge_expired()})


@login_not_required
@csrf_exempt
@require_POST
@bot_only
def staff_message(request: HttpRequest) -> JsonResponse:
    """POST /internal/staff: a message in a case's topic in the staff group (a reply, or /close)."""
    body = _body(request)
    try:
        done = services.staff_group_message(
            _integer(body, "thread_id"),
            _integer(body, "staff_telegram_id"),
            _integer(body, "message_id"),
            _text(body, "text", services.MAX_REPLY_CHARS),
        )
    except services.NotLinked:
        return _error(403, "not_linked")
    except services.NotOwner:
        return _error(403, "not_owner")
    except ValueError:  # /close with an outcome that does not exist
        return _error(400, "bad_outcome")
    return JsonResponse({"done": done})
