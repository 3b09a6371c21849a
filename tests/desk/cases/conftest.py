"""Cases: settings for the handoff, a fixed clock, and an `open_case` factory that goes through services.

Every test passes `now=` (from T0, a Monday at 10:00 in Moscow) rather than sleeping or reading
the clock, so no result depends on the day the suite runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from desk.cases import services
from desk.cases.models import Case

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))  # a Monday
SECRET = "a test secret for the internal API"


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


@pytest.fixture
def kenesh() -> Iterator[Callable[..., None]]:
    """kenesh(staff_chat_id=-100…): change django.conf.settings.KENESH for this test only. (tests/conftest.py's
    `settings` fixture is the bot's Settings, which hides pytest-django's fixture of that name.)"""
    overrides: list[override_settings] = []

    def change(**fields) -> None:
        override = override_settings(KENESH=dataclasses.replace(django_settings.KENESH, **fields))
        override.enable()
        overrides.append(override)

    yield change
    for override in reversed(overrides):
        override.disable()


@pytest.fixture(autouse=True)
def _handoff_settings(kenesh) -> None:
    """Always staffed, no staff group, a known secret (no key file written), and the defaults spelt out."""
    kenesh(
        handoff_hours="",
        handoff_timezone="Europe/Moscow",
        handoff_wait_minutes=10.0,
        case_retention_days=7.0,
        staff_chat_id=None,
        desk_internal_secret=SECRET,
        max_message_chars=2000,
    )


@pytest.fixture
def open_case(db) -> Callable[..., Case]:
    """open_case(pseudonym="p-1", urgent=True, now=T0 + …): a case as the bot opens it."""
    counter = iter(range(1, 10_000))

    def make(pseudonym: str | None = None, now: datetime = T0, **card) -> Case:
        fields = {
            "script": "ky",
            "topics": ["summons_received"],
            "risk": None,
            "urgent": False,
            "reason": "asked",
            "reply_address": "gAAAAAB-opaque-token",
            **card,
        }
        case, _ = services.open_case(pseudonym=pseudonym or f"pseudonym-{next(counter)}", now=now, **fields)
        return case

    return make


@pytest.fixture
def colleague(cast):
    """A second member of staff (the cast has one), for claims and take-overs."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("colleague", password="a long test password 4 desk")
    user.groups.add(Group.objects.get(name="staff"))
    return user
