"""The radar page and its CSV: lawyers and admins only; nothing under 5 shown, nor given back by a total."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from desk.radar.models import WeeklyCount

pytestmark = pytest.mark.django_db
W47, W48 = date(2026, 11, 16), date(2026, 11, 23)
WEEKS = {"from": "2026-W47", "to": "2026-W48"}  # fixed weeks in the past: the page never depends on today
OUTCOMES = ["answered", "clarified", "declined", "handed_over", "risk_check_finished"]
RUSSIAN_OUTCOMES = [
    "ответ",
    "«может быть, вы имели в виду»",
    "нет ответа",
    "передан человеку",
    "проверка рисков пройдена",
]


class Tables(HTMLParser):
    """The text of each table row on a page: {table class: [[cell, …], …]}."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("class", ""), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table[-1].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "table":
            self._table = None


def seed(counts: dict[tuple, int]) -> None:
    for (week, topic, script, outcome), number in counts.items():
        WeeklyCount.objects.create(week=week, topic=topic, script=script, outcome=outcome, count=number)


SEEDED = {
    (W48, "summons_received", "tg", "answered"): 12,
    (W48, "summons_received", "tg", "clarified"): 3,  # hidden; the row's total would give it back
    (W48, "summons_received", "ru", "answered"): 7,
    (W48, "summons_received", "ru", "declined"): 6,
    (W47, "summons_received", "tg", "answered"): 20,
    (W48, "", "tg", "declined"): 9,
    (W47, "", "tg", "declined"): 2,  # hidden; W47–W48 minus W48 alone would give it back
}


@pytest.fixture
def as_lawyer(cast, client: Client) -> Client:
    client.force_login(cast["lawyer_a"])
    return client


def page(client: Client, **query) -> str:
    response = client.get("/radar/", {**WEEKS, **query})
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(client: Client, **query) -> list[list[str]]:
    response = client.get("/radar/radar.csv", {**WEEKS, **query})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def without_csrf_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|"x-csrftoken": ")[^"]+', r"\1", html)


def test_the_migration_lets_lawyers_and_admins_see_the_radar_and_nobody_else() -> None:
    allowed = set(Group.objects.filter(permissions__codename="view_weeklycount").values_list("name", flat=True))
    assert allowed == {"lawyer", "admin"}


@pytest.mark.parametrize("role", ["lawyer_a", "lawyer_b", "admin"])
@pytest.mark.parametrize("url", ["/radar/", "/radar/radar.csv"])
def test_lawyers_and_admins_may_see_it(cast, client: Client, role: str, url: str) -> None:
    client.force_login(cast[role])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["staff", "translator", "outsider"])
@pytest.mark.parametrize("url", ["/radar/", "/radar/radar.csv"])
def test_staff_translators_and_accounts_without_a_role_get_403(cast, client: Client, role: str, url: str) -> None:
    client.force_login(cast[role])
    assert client.get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    assert client.get("/radar/").url.startswith("/accounts/login/")


def test_the_nav_links_to_the_radar_only_for_those_who_may_see_it(cast, client: Client) -> None:
    client.force_login(cast["lawyer_a"])
    assert 'href="/radar/"' in client.get("/radar/").content.decode()
    client.force_login(cast["staff"])
    assert 'href="/radar/"' not in client.get("/lookup/").content.decode()


def test_cells_under_5_show_as_less_than_5_and_totals_holding_them_as_ranges(as_lawyer: Client) -> None:
    seed(SEEDED)
    rows = Tables(page(as_lawyer)).tables["radar counts"]
    assert rows[0] == ["Неделя с", "Тема", "Язык", *RUSSIAN_OUTCOMES, "Всего"]
    tajik = next(
        row for row in rows if row[0] == "23.11.2026" and row[1].endswith("summons_received") and row[2] == "Тоҷикӣ"
    )
    assert tajik[3:] == ["12", "<5", "0", "0", "0", "13–16"]  # not 15: 15 − 12 would be the hidden 3
    russian = next(row for row in rows if row[0] == "23.11.2026" and row[2] == "Русский")
    assert russian[3:] == ["7", "0", "6", "0", "0", "13"]  # nothing hidden: exact
    none = next(row for row in rows if row[0] == "16.11.2026" and row[1] == "нет темы")
    assert none[3:] == ["0", "0", "<5", "0", "0", "<5"]
    assert rows[-1] == ["Всего", "39", "<5", "16–19", "0", "0", "56–62"]


def test_the_csv_hides_exactly_what_the_page_hides(as_lawyer: Client) -> None:
    seed(SEEDED)
    rows = csv_rows(as_lawyer)
    assert rows[0] == ["week", "topic", "language", *OUTCOMES, "total"]
    assert ["2026-11-23", "summons_received", "tg", "12", "<5", "0", "0", "0", "13–16"] in rows
    assert ["2026-11-16", "", "tg", "0", "0", "<5", "0", "0", "<5"] in rows
    assert rows[-1] == ["total", "", "", "39", "<5", "16–19", "0", "0", "56–62"]
    assert not any(value in ("1", "2", "3", "4") for row in rows for value in row)


FILTERS = [{}, {"from": "2026-W48"}, {"lang": "tg"}, {"outcome": "declined"}, {"lang": "tg", "outcome": "clarified"}]


@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize("hidden", [(W48, "summons_received", "tg", "clarified"), (W47, "", "tg", "declined")])
def test_nothing_published_depends_on_a_hidden_cell_beyond_it_being_1_to_4(as_lawyer: Client, query, hidden) -> None:
    """Differencing, whatever the filters: the page and the CSV are the same whether a hidden cell is 1 or 4."""
    seed(SEEDED)
    published = []
    for value in (1, 4):
        week, topic, script, outcome = hidden
        WeeklyCount.objects.filter(week=week, topic=topic, script=script, outcome=outcome).update(count=value)
        published.append((without_csrf_tokens(page(as_lawyer, **query)), csv_rows(as_lawyer, **query)))
    assert published[0] == published[1]


def test_a_visible_cell_changes_what_is_published(as_lawyer: Client) -> None:
    """The counterpart of the test above: the page does show the counts."""
    seed(SEEDED)
    before = csv_rows(as_lawyer)
    WeeklyCount.objects.filter(week=W48, script="tg", outcome="answered").update(count=13)
    assert csv_rows(as_lawyer) != before


def test_the_share_not_answered_per_language_is_a_range_when_cells_are_hidden(as_lawyer: Client) -> None:
    seed(SEEDED)
    rows = {row[0]: row[1:] for row in Tables(page(as_lawyer)).tables["radar languages"][1:]}
    # Tajik: answered 12 + 20, not answered <5 (clarified) + 9 + <5 (declined): 11–17 of 43–49
    assert rows["Тоҷикӣ"] == ["43–49", "11–17", "26–35 %"]
    assert rows["Русский"] == ["13", "6", "46 %"]
    assert rows["Кыргызча"] == ["0", "0", "–"]


def test_the_chart_data_are_the_published_figures(as_lawyer: Client) -> None:
    seed(SEEDED)
    chart = as_lawyer.get("/radar/", WEEKS).context["chart"]
    tajik = chart["languages"].index("Тоҷикӣ")
    assert (chart["share"]["low"][tajik], chart["share"]["high"][tajik]) == (26, 35)
    assert chart["weeks"] == ["16.11", "23.11"]
    weekly = next(line for line in chart["weekly"] if line["language"] == "Тоҷикӣ")
    assert (weekly["low"], weekly["high"]) == ([1, 10], [4, 13])  # W47: <5; W48: 9 + <5


def test_a_topic_certainly_asked_much_more_than_the_week_before_is_marked_rising(as_lawyer: Client) -> None:
    seed({(W47, "police_pressure", "tg", "answered"): 2, (W48, "police_pressure", "tg", "answered"): 11})
    seed({(W47, "summons_received", "ru", "answered"): 9, (W48, "summons_received", "ru", "answered"): 3})
    seed({(W47, "leaving_russia", "ru", "answered"): 1, (W48, "leaving_russia", "ru", "answered"): 4})
    seed({(W47, "consular_help", "uz", "answered"): 71, (W48, "consular_help", "uz", "answered"): 75})
    html = page(as_lawyer)
    rows = Tables(html).tables["radar trends"][1:]
    assert [row[1:] for row in rows] == [["<5", "11", "растёт"], ["71", "75", ""], ["<5", "<5", ""], ["9", "<5", ""]]
    assert html.count('class="badge rising"') == 1  # 1 → 4 is hidden both weeks: not certainly rising


def test_filters_narrow_the_table(as_lawyer: Client) -> None:
    seed(SEEDED)
    rows = Tables(page(as_lawyer, lang="ru", outcome="declined")).tables["radar counts"]
    assert rows[0] == ["Неделя с", "Тема", "Язык", "нет ответа", "Всего"]
    assert [row[2:] for row in rows[1:-1]] == [["Русский", "6", "6"]]
    assert [row[0] for row in Tables(page(as_lawyer, lang="ru")).tables["radar languages"][1:]] == ["Русский"]


def test_an_unreadable_filter_falls_back_to_its_default(as_lawyer: Client) -> None:
    def filters(**query):
        response = as_lawyer.get("/radar/", query)
        assert response.status_code == 200
        return response.context["report"].filters

    assert filters(**{"from": "last week", "to": "2026-W48"}).first == W48 - timedelta(weeks=7)
    for to in ("2026-W60", "0001-W01", "2026-W48x"):
        default = filters(to=to)  # the 8 weeks up to this one
        assert len(default.weeks) == 8 and default.last.weekday() == 0
    assert filters(**WEEKS, lang="xx").script == ""
    assert filters(**WEEKS, outcome="<script>").outcome == ""


def test_the_week_range_is_at_most_a_year(as_lawyer: Client) -> None:
    filters = as_lawyer.get("/radar/", {"from": "2020-W01", "to": "2026-W48"}).context["report"].filters
    assert len(filters.weeks) == 52 and filters.last == W48


def test_the_page_has_no_inline_script_or_style(as_lawyer: Client) -> None:
    seed(SEEDED)
    html = page(as_lawyer)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert all("src=" in attributes or 'type="application/json"' in attributes for attributes, _ in scripts)
    assert " style=" not in html and "<style" not in html
