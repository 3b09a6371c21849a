"""desk/cases/hours.py: KENESH_HANDOFF_HOURS in KENESH_HANDOFF_TIMEZONE."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from bot.settings import Settings
from desk.cases.hours import check, is_staffed, parse_hours

MOSCOW = ZoneInfo("Europe/Moscow")


def hours(value: str, zone: str = "Europe/Moscow") -> Settings:
    return dataclasses.replace(Settings(), handoff_hours=value, handoff_timezone=zone)


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = MOSCOW) -> datetime:
    """2026-03-02 is a Monday: at(0, 9) is Monday 09:00."""
    return datetime(2026, 3, 2 + day, hour, minute, tzinfo=zone)


def test_empty_means_always_staffed() -> None:
    assert parse_hours("") == [] and parse_hours(" ; ") == []
    assert is_staffed(hours(""), at(6, 3))


def test_days_and_times_as_written() -> None:
    week = hours("mon-fri 09:00-18:00; sat 10:00-14:00")
    assert is_staffed(week, at(0, 9)) and is_staffed(week, at(4, 17, 59))
    assert not is_staffed(week, at(0, 8, 59)) and not is_staffed(week, at(0, 18))
    assert is_staffed(week, at(5, 10)) and not is_staffed(week, at(5, 14))
    assert not is_staffed(week, at(6, 12))  # Sunday
    assert is_staffed(hours("mon,wed 00:00-24:00"), at(2, 23, 59)) and not is_staffed(
        hours("mon,wed 00:00-24:00"), at(1, 12)
    )


def test_the_hours_are_read_in_their_time_zone() -> None:
    utc_nine = at(0, 9, zone=ZoneInfo("UTC"))  # 12:00 in Moscow
    assert is_staffed(hours("mon 12:00-13:00"), utc_nine)
    assert not is_staffed(hours("mon 12:00-13:00", zone="Asia/Bishkek"), utc_nine)  # 15:00 in Bishkek


@pytest.mark.parametrize(
    "value", ["weekdays 09:00-18:00", "mon-fri 9-18", "mon-fri 18:00-09:00", "fri-mon 09:00-18:00", "mon 09:70-10:00"]
)
def test_a_malformed_value_names_the_setting(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="KENESH_HANDOFF_HOURS"):
        check(hours(value))


def test_an_unknown_time_zone_names_the_setting() -> None:
    with pytest.raises(ImproperlyConfigured, match="KENESH_HANDOFF_TIMEZONE"):
        check(hours("mon 09:00-10:00", zone="Mars/Olympus"))
