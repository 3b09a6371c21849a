"""The radar: where the bot fails, for lawyers and admins (the radar.view_weeklycount permission).

One page (charts, trends, the table) and its CSV, both built by report.py from the same
filters, so the CSV hides exactly what the page hides. Staff, translators and accounts without a
role get 403.
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bot.language.codes import NATIVE_NAMES, SCRIPTS
from desk.lookup.knowledge import knowledge
from desk.radar.figures import THRESHOLD
from desk.radar.models import Outcome
from desk.radar.report import Filters, Report, build, week_input

PERMISSION = "radar.view_weeklycount"


def _topic_title(topic_id: str) -> str:
    if not topic_id:
        return _("no topic")
    topic = knowledge().topics.get(topic_id)
    return topic.text["ru"].title if topic else topic_id


def _chart_data(report: Report) -> dict:
    """What radar.js draws: the same published figures the tables show (low and high per figure)."""
    return {
        "languages": [NATIVE_NAMES[line.script] for line in report.languages],
        "share": {
            "low": [line.share.low if line.share else 0 for line in report.languages],
            "high": [line.share.high if line.share else 0 for line in report.languages],
        },
        "weeks": [week.strftime("%d.%m") for week in report.filters.weeks],
        "weekly": [
            {
                "language": NATIVE_NAMES[script],
                "low": [figure.low for figure in figures],
                "high": [figure.high for figure in figures],
            }
            for script, figures in report.weekly_not_answered.items()
        ],
        "labels": {"at_least": _("at least"), "up_to": _("up to (hidden cells)")},
    }


@never_cache
@require_GET
@permission_required(PERMISSION, raise_exception=True)
def radar(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET, timezone.localdate())
    report = build(filters)
    weeks = {"from": week_input(filters.first), "to": week_input(filters.last)}
    csv_query = urlencode({**weeks, "lang": filters.script, "outcome": filters.outcome})
    context = {
        "report": report,
        "outcomes": [Outcome(outcome) for outcome in filters.outcomes],
        "all_outcomes": Outcome.choices,
        "languages": [(code, NATIVE_NAMES[code]) for code in SCRIPTS],
        "language_lines": [(line, NATIVE_NAMES[line.script]) for line in report.languages],
        "trends": [(trend, _topic_title(trend.topic)) for trend in report.trends],
        "rows": [(row, _topic_title(row.topic), NATIVE_NAMES[row.script]) for row in report.rows],
        "from_week": weeks["from"],
        "to_week": weeks["to"],
        "csv_url": f"{reverse('radar-csv')}?{csv_query}",
        "threshold": THRESHOLD,
        "chart": _chart_data(report),
    }
    return render(request, "radar/radar.html", context)


@never_cache
@require_GET
@permission_required(PERMISSION, raise_exception=True)
def radar_csv(request: HttpRequest) -> HttpResponse:
    """The page's table as CSV: one line per week, topic and language; "<5" and ranges as on the page."""
    filters = Filters.from_query(request.GET, timezone.localdate())
    report = build(filters)
    name = f"kenesh-radar-{week_input(filters.first)}-{week_input(filters.last)}.csv"
    response = HttpResponse("\ufeff", content_type="text/csv; charset=utf-8")  # the BOM: Excel then reads UTF-8
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["week", "topic", "language", *filters.outcomes, "total"])
    for row in report.rows:
        writer.writerow([row.week.isoformat(), row.topic, row.script, *map(str, row.cells), str(row.total)])
    writer.writerow(["total", "", "", *map(str, report.column_totals), str(report.grand_total)])
    return response
