"""Lookup: the search box, the topic page, the caller's risk check. Staff, lawyers and admins only.

Views parse the request, call the services (search, topics, risk_check) and render. Search and the
risk check are POSTs, so a caller's words never appear in a URL, a proxy's log or the browser's
history; no page of the lookup is cached.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from bot.language.codes import NATIVE_NAMES, SCRIPTS
from desk.accounts.roles import LOOKUP_ROLES, role_required
from desk.lookup import search as lookup_search
from desk.lookup.knowledge import knowledge, served
from desk.lookup.risk_check import interview
from desk.lookup.topics import topic_page

MAX_QUESTION_CHARS = 2000


def _script(value: str | None, default: str = "ru") -> str:
    return value if value in SCRIPTS else default


def _languages(current: str) -> list[dict[str, object]]:
    return [{"code": code, "name": NATIVE_NAMES[code], "current": code == current} for code in SCRIPTS]


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*LOOKUP_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    """The search box; a POSTed question → the topics it is about (the results panel alone for htmx)."""
    question = request.POST.get("q", "")[:MAX_QUESTION_CHARS] if request.method == "POST" else ""
    result = lookup_search.search(question) if question.strip() else None
    kb = knowledge()
    hits = []
    if result is not None:
        for hit in result.hits:
            topic = kb.topic(hit.topic_id)
            hits.append(
                {
                    "hit": hit,
                    "title": topic.text["ru"].title,
                    "percent": round(hit.confidence * 100) if hit.confidence is not None else None,
                    "risk": topic.risk_level.value,
                }
            )
    context = {"question": question, "result": result, "hits": hits}
    if result is not None:
        context["language_name"] = NATIVE_NAMES[result.language]
    template = "lookup/_results.html" if request.htmx else "lookup/search.html"
    response = render(request, template, context)
    response.headers["Vary"] = "HX-Request"
    return response


@never_cache
@require_GET
@role_required(*LOOKUP_ROLES)
def topic(request: HttpRequest, topic_id: str) -> HttpResponse:
    """One topic: the caller's language beside Russian, sources, dates, contacts, related topics."""
    kb = knowledge()
    if topic_id not in kb.topics:
        raise Http404
    script = _script(request.GET.get("lang"))
    page = topic_page(kb, topic_id, script)
    return render(request, "lookup/topic.html", {"page": page, "script": script, "languages": _languages(script)})


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*LOOKUP_ROLES)
def risk_check(request: HttpRequest) -> HttpResponse:
    """The chat's risk check as a form, filled in while on the phone; the card in the caller's language."""
    form = request.POST if request.method == "POST" else {}
    script = _script(form.get("lang") or request.GET.get("lang"))
    version = served()  # the topics and the rules of one published version
    state = interview(version.knowledge, version.rules, form, script)
    context = {"interview": state, "script": script, "languages": _languages(script)}
    return render(request, "lookup/risk_check.html", context)
