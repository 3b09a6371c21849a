"""The radar's report: the stored counts for the chosen weeks, language and outcome, as published figures.

Everything the page, its charts and the CSV show is built here, from `figures.cell()` of each
stored count and sums of those (figures.py says why). Filters come from the query string; an
unreadable one falls back to its default, since the page is only a view of counts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.language.codes import SCRIPTS
from desk.radar.counting import week_of
from desk.radar.figures import THRESHOLD, ZERO, Figure, Share, cell, share, total
from desk.radar.models import ANSWERED, NOT_ANSWERED, Outcome, WeeklyCount

DEFAULT_WEEKS = 8
MAX_WEEKS = 52
WEEK_INPUT = re.compile(r"(\d{4})-W(\d{2})")  # what <input type="week"> sends: 2026-W49

Key = tuple[date, str, str, str]  # week, topic, script, outcome


def parse_week(value: str | None) -> date | None:
    """The Monday of the ISO week named like "2026-W49"; None for anything else."""
    match = WEEK_INPUT.fullmatch(value or "")
    if not match or not 2000 <= int(match[1]) < 3000:  # year 1 would take the range before the calendar starts
        return None
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def week_input(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Filters:
    first: date  # Monday of the first week shown
    last: date  # Monday of the last week shown
    script: str = ""  # "" for every language
    outcome: str = ""  # "" for every outcome

    @classmethod
    def from_query(cls, query: Mapping[str, str], today: date) -> Filters:
        last = parse_week(query.get("to")) or week_of(today)
        first = parse_week(query.get("from")) or last - timedelta(weeks=DEFAULT_WEEKS - 1)
        first, last = min(first, last), max(first, last)
        first = max(first, last - timedelta(weeks=MAX_WEEKS - 1))
        script = query.get("lang", "")
        outcome = query.get("outcome", "")
        return cls(first, last, script if script in SCRIPTS else "", outcome if outcome in Outcome.values else "")

    @property
    def weeks(self) -> list[date]:
        return [self.first + timedelta(weeks=n) for n in range((self.last - self.first).days // 7 + 1)]

    @property
    def scripts(self) -> tuple[str, ...]:
        return (self.script,) if self.script else SCRIPTS

    @property
    def outcomes(self) -> tuple[str, ...]:
        return (self.outcome,) if self.outcome else tuple(Outcome.values)


@dataclass
class Row:
    week: date
    topic: str
    script: str
    cells: list[Figure]
    total: Figure


@dataclass
class LanguageLine:
    """How often the bot could not answer a question in one language ("did you mean" or no answer)."""

    script: str
    questions: Figure
    not_answered: Figure
    share: Share | None


@dataclass
class TopicTrend:
    topic: str
    before: Figure  # the week before the last one shown
    last: Figure  # the last week shown

    @property
    def rising(self) -> bool:
        """Certainly half as much again and at least 5 more, whatever the hidden cells are (not 71 → 75)."""
        return self.last.low >= max(self.before.high * 3 / 2, self.before.high + THRESHOLD)


@dataclass
class Report:
    filters: Filters
    rows: list[Row] = field(default_factory=list)
    column_totals: list[Figure] = field(default_factory=list)
    grand_total: Figure = ZERO
    languages: list[LanguageLine] = field(default_factory=list)
    weekly_not_answered: dict[str, list[Figure]] = field(default_factory=dict)  # script → one per week
    trends: list[TopicTrend] = field(default_factory=list)


def _counts(filters: Filters) -> dict[Key, int]:
    stored = WeeklyCount.objects.filter(week__range=(filters.first, filters.last), script__in=filters.scripts)
    return {(c.week, c.topic, c.script, c.outcome): c.count for c in stored}


def _grouped(counts: Mapping[Key, int], outcomes: tuple[str, ...], group: Callable[[Key], object]) -> dict:
    """The published totals of the stored cells with these outcomes, by `group(key)`; missing groups are 0."""
    totals: dict[object, Figure] = defaultdict(lambda: ZERO)
    for key, number in counts.items():
        if key[3] in outcomes:
            totals[group(key)] += cell(number)
    return totals


def _rows(filters: Filters, counts: Mapping[Key, int]) -> list[Row]:
    keys = sorted({(w, t, s) for (w, t, s, o), n in counts.items() if n and o in filters.outcomes})
    keys.sort(key=lambda key: key[0], reverse=True)  # newest week first; topics and languages in order
    rows = []
    for week, topic, script in keys:
        cells = [cell(counts.get((week, topic, script, outcome), 0)) for outcome in filters.outcomes]
        rows.append(Row(week, topic, script, cells, total(cells)))
    return rows


def _languages(filters: Filters, counts: Mapping[Key, int]) -> list[LanguageLine]:
    not_answered = _grouped(counts, NOT_ANSWERED, lambda key: key[2])
    answered = _grouped(counts, ANSWERED, lambda key: key[2])
    return [
        LanguageLine(s, not_answered[s] + answered[s], not_answered[s], share(not_answered[s], answered[s]))
        for s in filters.scripts
    ]


def _trends(filters: Filters, counts: Mapping[Key, int]) -> list[TopicTrend]:
    if len(filters.weeks) < 2:
        return []  # the week before is not among the weeks chosen
    last, before = filters.last, filters.last - timedelta(weeks=1)
    by_week_and_topic = _grouped(counts, filters.outcomes, lambda key: key[:2])
    topics = {topic for (week, topic), figure in by_week_and_topic.items() if week in (last, before) and figure.high}
    trends = [TopicTrend(t, by_week_and_topic[(before, t)], by_week_and_topic[(last, t)]) for t in topics]

    def change(trend: TopicTrend) -> int:
        return (trend.last.low + trend.last.high) - (trend.before.low + trend.before.high)

    return sorted(trends, key=lambda trend: (not trend.rising, -change(trend), trend.topic))


def build(filters: Filters) -> Report:
    counts = _counts(filters)
    rows = _rows(filters, counts)
    columns = [total(row.cells[i] for row in rows) for i in range(len(filters.outcomes))]
    by_week_and_script = _grouped(counts, NOT_ANSWERED, lambda key: (key[0], key[2]))
    return Report(
        filters=filters,
        rows=rows,
        column_totals=columns,
        grand_total=total(columns),
        languages=_languages(filters, counts),
        weekly_not_answered={s: [by_week_and_script[(week, s)] for week in filters.weeks] for s in filters.scripts},
        trends=_trends(filters, counts),
    )
