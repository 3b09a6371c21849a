"""Counting: one row per week, topic, script and outcome; the increment happens in the database."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from bot import desk_process
from bot.settings import REPO_ROOT, Settings
from desk.radar import counting
from desk.radar.models import WeeklyCount

MONDAY = date(2026, 11, 30)
SUNDAY = date(2026, 12, 6)
NEXT_MONDAY = date(2026, 12, 7)


def stored() -> dict[tuple, int]:
    return {(c.week, c.topic, c.script, c.outcome): c.count for c in WeeklyCount.objects.all()}


def test_a_week_is_named_by_its_monday() -> None:
    assert counting.week_of(MONDAY) == MONDAY
    assert counting.week_of(SUNDAY) == MONDAY
    assert counting.week_of(NEXT_MONDAY) == NEXT_MONDAY
    assert counting.week_of(date(2027, 1, 1)) == date(2026, 12, 28)  # ISO weeks run across the new year


@pytest.mark.django_db
def test_events_of_one_week_add_up_in_one_row_and_the_next_week_starts_a_new_one() -> None:
    counting.count("summons_received", "tg", "declined", day=MONDAY)
    counting.count("summons_received", "tg", "declined", day=SUNDAY)
    counting.count("summons_received", "tg", "declined", day=NEXT_MONDAY)
    counting.count("summons_received", "ru", "declined", day=SUNDAY)
    counting.count("", "tg", "declined", day=SUNDAY)
    assert stored() == {
        (MONDAY, "summons_received", "tg", "declined"): 2,
        (NEXT_MONDAY, "summons_received", "tg", "declined"): 1,
        (MONDAY, "summons_received", "ru", "declined"): 1,
        (MONDAY, "", "tg", "declined"): 1,
    }


@pytest.mark.django_db
def test_the_row_holds_only_the_week_the_cell_and_the_count() -> None:
    counting.count("summons_received", "tg", "answered", day=SUNDAY)
    fields = {f.name for f in WeeklyCount._meta.get_fields()}
    assert fields == {"id", "week", "topic", "script", "outcome", "count"}


@pytest.mark.django_db
def test_a_second_row_for_the_same_cell_is_refused_by_the_database() -> None:
    counting.count("summons_received", "tg", "answered", day=SUNDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyCount.objects.create(week=MONDAY, topic="summons_received", script="tg", outcome="answered", count=1)


@pytest.mark.django_db
def test_a_writer_counting_between_our_read_and_our_write_is_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process counts the same cell after we fetched the row: a read-modify-write would save 1."""
    real_get_or_create = WeeklyCount.objects.get_or_create
    interleaved = []

    def get_or_create_then_another_writer(**kwargs):
        row = real_get_or_create(**kwargs)
        if not interleaved:
            interleaved.append(True)
            WeeklyCount.objects.filter(pk=row[0].pk).update(count=row[0].count + 1)  # the other process
        return row

    monkeypatch.setattr(WeeklyCount.objects, "get_or_create", get_or_create_then_another_writer)
    counting.count("summons_received", "tg", "answered", day=SUNDAY)
    assert stored() == {(MONDAY, "summons_received", "tg", "answered"): 2}


COUNT_IN_A_PROCESS = """
import django
django.setup()
from datetime import date
from desk.radar import counting
for _ in range({each}):
    counting.count("summons_received", "uz_Cyrl", "clarified", day=date(2026, 12, 6))
"""


@pytest.mark.slow
def test_processes_counting_the_same_cell_at_once_all_count(tmp_path) -> None:
    """As in production: several desk processes on one SQLite file (busy timeout, IMMEDIATE transactions)."""
    settings = dataclasses.replace(Settings(), state_dir=tmp_path / "state")
    desk_process.prepare(settings)  # the migrations
    processes, each = 4, 25
    env = {**os.environ, **desk_process.environment(settings)}
    script = COUNT_IN_A_PROCESS.format(each=each)
    running = [
        subprocess.Popen([sys.executable, "-c", script], env=env, cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    errors = [process.communicate(timeout=120)[1] for process in running]
    assert [process.returncode for process in running] == [0] * processes, errors
    with sqlite3.connect(settings.desk_db_file) as database:
        rows = database.execute("SELECT week, topic, script, outcome, count FROM radar_weeklycount").fetchall()
    assert rows == [("2026-11-30", "summons_received", "uz_Cyrl", "clarified", processes * each)]
