"""The knowledge page: every entry's state at a glance, for lawyers, translators and admins.

Read-only. One GET with an optional filter (`?show=translations|review|sources|contacts`); the
rows come from states.py, the files from snapshot.py. Staff and accounts without a role get 403.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bot.language.codes import NATIVE_NAMES
from desk.knowledge_editor.models import Draft
from desk.knowledge_status import snapshot, states
from desk.knowledge_status.models import PERMISSION


def today() -> dt.date:
    """The desk's date (TIME_ZONE); the one place the page asks for it."""
    return timezone.localdate()


def open_drafts() -> dict[str, int]:
    """Open drafts per entry id, for the page's drafts column (the editor drafts topics only, for now)."""
    drafts = Draft.objects.filter(status__in=Draft.OPEN).values("topic_id").annotate(n=Count("id"))
    return {row["topic_id"]: row["n"] for row in drafts}


@never_cache
@require_GET
@permission_required(PERMISSION, raise_exception=True)
def status(request: HttpRequest) -> HttpResponse:
    day = today()
    found = snapshot.read(settings.KENESH.knowledge_dir, day)
    rows, other_problems = states.rows(found.kb, found.rules, found.problems, day, open_drafts())
    show = request.GET.get("show", "")
    keep = states.FILTERS.get(show)
    context = {
        "rows": [row for row in rows if keep is None or keep(row)],
        "show": show if keep else "",
        "counts": {name: sum(1 for row in rows if test(row)) for name, test in states.FILTERS.items()},
        "total": len(rows),
        "languages": [(code, NATIVE_NAMES[code]) for code in states.TRANSLATIONS],
        "contacts_due": states.every_contact_due(found.kb.contacts, day),
        "other_problems": other_problems,
        "today": day,
        "source_max_age_days": states.SOURCE_MAX_AGE_DAYS,
        "due_soon_days": states.DUE_SOON_DAYS,
    }
    return render(request, "knowledge_status/status.html", context)
