"""The staff's queue and case pages. Staff and admins only (permission cases.handle_case).

Views parse the request, call `services` (the only writers of cases) and render. The queue and a
case's messages are polled by htmx; each partial carries a fingerprint of what it shows (`seen`),
and a poll that would show the same gets 204, which htmx does not swap. A closed case's messages
answer 286: htmx stops polling.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from desk.cases import display, services
from desk.cases.models import Case
from desk.lookup.knowledge import knowledge, served
from desk.lookup.topics import column

HANDLE_CASE = "cases.handle_case"
TABS = {"waiting": gettext_lazy("Waiting"), "mine": gettext_lazy("Mine"), "closed_today": gettext_lazy("Closed today")}


def _fingerprint(*parts: Any) -> str:
    """A short hash of what a partial shows (and in which language), to answer 204 when nothing changed."""
    data = json.dumps([translation.get_language(), *parts], default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _unchanged(request: HttpRequest, version: str) -> bool:
    return bool(request.htmx) and request.GET.get("seen") == version


@never_cache
@require_GET
@permission_required(HANDLE_CASE, raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """Waiting / Mine / Closed today: urgent first, then by waiting time (the table alone for htmx)."""
    tab = request.GET.get("tab", "waiting")
    tab = tab if tab in TABS else "waiting"
    now = timezone.now()
    rows = [display.row(case, now) for case in services.queue(request.user, tab, now=now)]
    version = _fingerprint(tab, [row.fingerprint() for row in rows])
    if _unchanged(request, version):
        response = HttpResponse(status=204)
    else:
        context = {"rows": rows, "tab": tab, "tabs": TABS, "version": version}
        response = render(request, "cases/_queue_table.html" if request.htmx else "cases/queue.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _messages_context(case: Case) -> dict[str, Any]:
    shown = list(case.messages.select_related("author"))
    version = _fingerprint(case.status, case.owner_id, [(message.pk, message.sender) for message in shown])
    return {"case": case, "case_messages": shown, "messages_version": version}


def _reply_context(case: Case, text: str = "") -> dict[str, Any]:
    return {
        "case": case,
        "row": display.row(case, timezone.now()),
        "answer_choices": display.answer_choices(knowledge(), case),
        "max_reply_chars": services.MAX_REPLY_CHARS,
        "reply_text": text,
    }


def _owns(user: Any, case: Case) -> bool:
    return case.status == Case.Status.CLAIMED and case.owner_id == user.pk


def _case_page(request: HttpRequest, case: Case, reply_text: str = "", status: int = 200) -> HttpResponse:
    version = served()  # the topics and the rules of one published version
    context = {
        **_reply_context(case, reply_text),
        **_messages_context(case),
        "topics": display.topics(version.knowledge, case),
        "risk_levels": display.risk_levels(version.rules, case),
        "risk_deadlines": display.risk_deadlines(version.rules, case),
        "is_owner": _owns(request.user, case),
        "outcomes": [(outcome, display.OUTCOME_LABELS[outcome]) for outcome in services.STAFF_CLOSE_OUTCOMES],
    }
    return render(request, "cases/detail.html", context, status=status)


@never_cache
@require_GET
@permission_required(HANDLE_CASE, raise_exception=True)
def detail(request: HttpRequest, number: str) -> HttpResponse:
    """The case card, its messages, and what this member of staff may do: claim, take over, or reply and close."""
    return _case_page(request, services.get_case_for(request.user, number))


@never_cache
@require_GET
@permission_required(HANDLE_CASE, raise_exception=True)
def messages_part(request: HttpRequest, number: str) -> HttpResponse:
    """The messages alone, polled every second: 204 when unchanged, 286 (stop polling) once closed."""
    case = services.get_case_for(request.user, number)
    context = _messages_context(case)
    if case.status == Case.Status.CLOSED:
        response: HttpResponse = HttpResponseStopPolling(render(request, "cases/_messages.html", context).content)
    elif _unchanged(request, context["messages_version"]):
        response = HttpResponse(status=204)
    else:
        response = render(request, "cases/_messages.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@permission_required(HANDLE_CASE, raise_exception=True)
def claim(request: HttpRequest, number: str) -> HttpResponse:
    case = services.get_case_for(request.user, number)
    if services.claim(case, request.user):
        messages.success(request, _("Case %(number)s claimed: you answer it now.") % {"number": case.number})
    elif case.status == Case.Status.CLOSED:
        messages.error(request, _("Case %(number)s is closed.") % {"number": case.number})
    else:
        messages.error(request, _("Case %(number)s was claimed by someone else first.") % {"number": case.number})
    return redirect("cases-detail", case.number)


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(HANDLE_CASE, raise_exception=True)
def take_over(request: HttpRequest, number: str) -> HttpResponse:
    """GET asks to confirm; POST takes the case from its owner (the service logs who took it from whom)."""
    case = services.get_case_for(request.user, number)
    if case.status != Case.Status.CLAIMED or case.owner_id == request.user.pk:
        return redirect("cases-detail", case.number)
    if request.method == "GET":
        return render(request, "cases/take_over.html", {"case": case})
    try:
        taken = services.take_over(case, request.user)
    except services.CaseNotOpen:
        taken = False
    if taken:
        messages.success(request, _("You took case %(number)s over: you answer it now.") % {"number": case.number})
    else:
        messages.error(request, _("Case %(number)s changed meanwhile: look again.") % {"number": case.number})
    return redirect("cases-detail", case.number)


@require_POST
@permission_required(HANDLE_CASE, raise_exception=True)
def reply(request: HttpRequest, number: str) -> HttpResponse:
    """The owner's reply, for the bot to send in Telegram; anyone else's is refused by the service."""
    case = services.get_case_for(request.user, number)
    text = request.POST.get("text", "").replace("\r\n", "\n").strip()  # browsers send a textarea's lines as CRLF
    if not text:
        messages.error(request, _("The reply is empty: nothing was sent."))
    elif len(text) > services.MAX_REPLY_CHARS:  # the page again, with the text to shorten
        messages.error(request, _("The reply is too long for one Telegram message: nothing was sent."))
        return _case_page(request, case, reply_text=text, status=400)
    else:
        try:
            services.reply(case, request.user, text)
        except services.NotOwner:
            messages.error(request, _("Only the person who claimed the case may reply: nothing was sent."))
        except services.CaseNotOpen:
            messages.error(request, _("The case is closed: nothing was sent."))
    return redirect("cases-detail", case.number)


@require_POST
@permission_required(HANDLE_CASE, raise_exception=True)
def insert_answer(request: HttpRequest, number: str) -> HttpResponse:
    """The reply form again, with a topic's short answer (the bot's own text, in the case's script) added."""
    case = services.get_case_for(request.user, number)
    if not _owns(request.user, case):
        raise PermissionDenied  # the reply form is the owner's alone
    kb = knowledge()
    text = request.POST.get("text", "")
    topic_id = request.POST.get("topic", "")
    if topic_id in kb.topics:
        answer = column(kb, kb.topics[topic_id], case.script, timezone.localdate()).plain
        text = f"{text.rstrip()}\n\n{answer}" if text.strip() else answer
    return render(request, "cases/_reply_form.html", _reply_context(case, text))


@require_POST
@permission_required(HANDLE_CASE, raise_exception=True)
def close(request: HttpRequest, number: str) -> HttpResponse:
    """Close with an outcome, then open the next waiting case (the queue when nobody waits)."""
    case = services.get_case_for(request.user, number)
    outcome = request.POST.get("outcome", "")
    if outcome not in services.STAFF_CLOSE_OUTCOMES:
        messages.error(request, _("Choose an outcome to close the case."))
        return redirect("cases-detail", case.number)
    try:
        services.close(case, request.user, outcome)
    except services.NotOwner:
        messages.error(request, _("Only the person who claimed the case may close it."))
        return redirect("cases-detail", case.number)
    except services.CaseNotOpen:
        messages.error(request, _("Case %(number)s is closed.") % {"number": case.number})
        return redirect("cases-detail", case.number)
    messages.success(request, _("Case %(number)s closed.") % {"number": case.number})
    following = next(iter(services.queue(request.user, "waiting")), None)
    return redirect("cases-detail", following.number) if following else redirect("cases-queue")
