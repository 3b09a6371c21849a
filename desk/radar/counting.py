"""Counting: one more event in this week's cell. The only writer of WeeklyCount.

The increment happens in the database (`count = count + 1`), never as read-modify-write in Python,
so two processes counting at once both count, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from desk.radar.models import WeeklyCount


def week_of(day: date) -> date:
    """The Monday of the ISO week `day` is in: the only time the radar keeps."""
    return day - timedelta(days=day.weekday())


def count(topic: str, script: str, outcome: str, day: date | None = None) -> date:
    """Add one to the cell (week of `day`, default today in the desk's time zone); the week counted."""
    week = week_of(day or timezone.localdate())
    with transaction.atomic():
        cell, _ = WeeklyCount.objects.get_or_create(week=week, topic=topic, script=script, outcome=outcome)
        WeeklyCount.objects.filter(pk=cell.pk).update(count=F("count") + 1)
    return week
