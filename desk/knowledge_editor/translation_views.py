"""The translators' queue page and its Confirm button: translators and lawyers
(knowledge_editor.translate_topic or .edit_topic); 403 for everyone else.

Views parse the request, call `translations` to read the queue and `services` to confirm, and render.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bot.knowledge.parity import TRANSLATIONS
from bot.language.codes import NATIVE_NAMES
from desk.knowledge_editor import services, translations
from desk.knowledge_editor.services import Refused
from desk.knowledge_editor.translations import FieldChange
from desk.knowledge_editor.views import FIELD_LABELS, editor_required, report_push


def _languages(request: HttpRequest) -> list[str]:
    """The language filter (?lang=tg); every translation when none or an unknown one is asked for."""
    lang = request.POST.get("filter") or request.GET.get("lang") or ""
    return [lang] if lang in TRANSLATIONS else list(TRANSLATIONS)


def _queue_url(languages: list[str]) -> str:
    url = reverse("knowledge-translations")
    return f"{url}?lang={languages[0]}" if len(languages) == 1 else url


def _labelled(changes: tuple[FieldChange, ...] | None) -> list[tuple[str, FieldChange]] | None:
    """Each change with its field's label ("Short answer"; a risk text's fields by their names)."""
    if changes is None:
        return None
    return [(str(FIELD_LABELS.get(change.field, change.field)), change) for change in changes]


@never_cache
@require_GET
@editor_required
def queue(request: HttpRequest) -> HttpResponse:
    """Every stale translation with what changed in the Russian since, and those waiting for a draft."""
    languages = _languages(request)
    context = {
        "rows": [(row, _labelled(row.changes)) for row in translations.queue(languages)],
        "waiting": translations.waiting(languages),
        "filter": languages[0] if len(languages) == 1 else "",
        "languages": [(code, NATIVE_NAMES[code]) for code in TRANSLATIONS],
    }
    return render(request, "knowledge_editor/translations.html", context)


@require_POST
@editor_required
def confirm(request: HttpRequest) -> HttpResponse:
    """Confirm one translation (`kb confirm`); back to the queue with what happened."""
    post = request.POST
    try:
        commit = services.confirm_translation(
            request.user, post.get("file", ""), post.get("item", ""), post.get("lang", ""), post.get("blob", "")
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Confirmed as commit %(commit)s.") % {"commit": commit[:10]})
        report_push(request, services.push(request.user, Path(post.get("file", "")).stem, commit))
    return redirect(_queue_url(_languages(request)))
