"""When staff answer: KENESH_HANDOFF_HOURS, read in KENESH_HANDOFF_TIMEZONE.

The value is a list of spans separated by ";", each days then a time range:
"mon-fri 09:00-18:00; sat 10:00-14:00". Days are mon … sun, a range (mon-fri) or a list (mon,wed);
times are HH:MM, the end after the start (24:00 allowed; no span runs past midnight, write two).
Empty means always staffed. A malformed value is one ImproperlyConfigured naming the setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

from bot.settings import Settings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^(?P<days>[a-z,\-]+)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$")


@dataclass(frozen=True)
class Span:
    days: frozenset[int]  # 0 = Monday
    start: int  # minutes after midnight
    end: int


def _fail(value: str, why: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f'KENESH_HANDOFF_HOURS={value!r}: {why} (expected like "mon-fri 09:00-18:00; sat 10:00-14:00", or empty)'
    )


def _minutes(text: str, value: str) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise _fail(value, f"{text} is not a time")
    return hours * 60 + minutes


def _days(text: str, value: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise _fail(value, f"{part!r} is not a day or a range of days (mon … sun)")
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise _fail(value, f"{part!r} runs backwards")
        days.update(range(start, end + 1))
    return frozenset(days)


def parse_hours(value: str) -> list[Span]:
    """The spans of a KENESH_HANDOFF_HOURS value; [] when empty (always staffed)."""
    spans = []
    for chunk in filter(None, (part.strip().lower() for part in value.split(";"))):
        match = _SPAN.match(chunk)
        if not match:
            raise _fail(value, f"{chunk!r} is not days and a time range")
        start, end = _minutes(match["start"], value), _minutes(match["end"], value)
        if end <= start:
            raise _fail(value, f"{chunk!r} ends before it starts")
        spans.append(Span(_days(match["days"], value), start, end))
    return spans


def _zone(settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.handoff_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"KENESH_HANDOFF_TIMEZONE={settings.handoff_timezone!r} is not a time zone (e.g. Europe/Moscow)"
        ) from None


def is_staffed(settings: Settings, at: datetime) -> bool:
    """Whether `at` (an aware datetime) falls within the handoff hours."""
    spans = parse_hours(settings.handoff_hours)
    if not spans:
        return True
    local = at.astimezone(_zone(settings))
    minute = local.hour * 60 + local.minute
    return any(local.weekday() in span.days and span.start <= minute < span.end for span in spans)


def check(settings: Settings) -> None:
    """Raise ImproperlyConfigured now if either setting is malformed (at start-up, not at the first case)."""
    parse_hours(settings.handoff_hours)
    _zone(settings)
