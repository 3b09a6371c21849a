"""The staff's queue and case pages: who may see them, claiming, replying, closing, and the htmx polls."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import timedelta
from itertools import count

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk.cases import services
from desk.cases.models import Case, Outbox
from desk.lookup.knowledge import knowledge
from desk.lookup.topics import column

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
MARKUP = "<img src=x onerror=alert(1)>"
_pseudonyms = count(1)


def a_case(script: str = "ru", urgent: bool = False, topics: tuple[str, ...] = ("summons_received",), **extra) -> Case:
    """A case as the bot opens it (through the service, as the internal API does)."""
    fields = {
        "pseudonym": hashlib.sha256(f"user {next(_pseudonyms)}".encode()).hexdigest(),  # like the bot's HMAC
        "script": script,
        "topics": list(topics),
        "risk": None,
        "urgent": urgent,
        "reason": "urgent" if urgent else "asked",
        "reply_address": "opaque-token",
    }
    case, created = services.open_case(**{**fields, **extra})
    assert created
    return case


def claimed_by(user, **kwargs) -> Case:
    case = a_case(**kwargs)
    assert services.claim(case, user)
    return case


def notices(response) -> list[tuple[str, str]]:
    """The django.contrib.messages a view queued: (level, text)."""
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def textarea(page: str) -> str:
    return html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.DOTALL).group(1))


def case_urls(number: str) -> list[tuple[str, str]]:
    """(method, url) of every case view."""
    gets = [reverse("cases-queue"), *(reverse(name, args=[number]) for name in ("cases-detail", "cases-messages"))]
    posts = [
        reverse(name, args=[number])
        for name in ("cases-claim", "cases-take-over", "cases-reply", "cases-close", "cases-insert-answer")
    ]
    return [("get", url) for url in gets] + [("post", url) for url in posts]


# ---- who may use the case pages --------------------------------------------------------------


@pytest.mark.parametrize("role", ["translator", "lawyer_a", "outsider"])
def test_translator_lawyer_and_outsider_get_403_on_every_case_view(cast, client: Client, role: str) -> None:
    case = a_case()
    client.force_login(cast[role])
    for method, url in case_urls(case.number):
        assert getattr(client, method)(url).status_code == 403, url
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING and not case.messages.exists()


def test_staff_and_admins_see_the_queue_and_the_link_to_it(cast, client: Client) -> None:
    for role in ("staff", "admin"):
        client.force_login(cast[role])
        page = client.get(reverse("cases-queue"))
        assert page.status_code == 200
        assert f'href="{reverse("cases-queue")}"' in page.content.decode()
    client.force_login(cast["lawyer_a"])
    assert f'href="{reverse("cases-queue")}"' not in client.get(reverse("lookup-search")).content.decode()


def test_an_unknown_case_number_is_404(as_staff: Client) -> None:
    assert as_staff.get(reverse("cases-detail", args=["QQQQQ"])).status_code == 404
    assert as_staff.post(reverse("cases-claim", args=["QQQQQ"])).status_code == 404


def test_a_post_without_a_csrf_token_is_rejected(cast, csrf_client: Client) -> None:
    case = a_case()
    csrf_client.force_login(cast["staff"])
    assert csrf_client.post(reverse("cases-claim", args=[case.number])).status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING
    page = csrf_client.get(reverse("cases-detail", args=[case.number])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = csrf_client.post(reverse("cases-claim", args=[case.number]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.owner == cast["staff"]


def test_the_page_gives_htmx_the_csrf_token_in_a_header(as_staff: Client) -> None:
    page = as_staff.get(reverse("cases-queue")).content.decode()
    assert re.search(r"<body hx-headers='\{\"x-csrftoken\": \"[^\"]+\"\}'>", page)


def test_the_case_card_links_its_topics_in_the_callers_language_and_shows_the_risk_check(as_staff: Client) -> None:
    deadlines = [
        {"id": "restrictions", "date": "2026-03-30"},  # worded alike by every finding that has it
        {"id": "delivered", "date": "2026-03-09", "finding": "ru_summons_paper"},
        {"id": "delivered", "date": "2026-03-10"},  # worded differently by two findings: no guess
    ]
    risk = {"levels": {"tj": "high", "ru": "medium"}, "deadlines": deadlines, "urgent": False}
    case = a_case(script="tg", topics=("mercenarism_tj", "human_help"), risk=risk)
    page = as_staff.get(reverse("cases-detail", args=[case.number])).content.decode()
    topic = knowledge().topic("mercenarism_tj")
    link = f'<a href="{reverse("lookup-topic", args=[topic.id])}?lang=tg">{html.escape(topic.text["ru"].title)}</a>'
    assert link in page
    assert "human_help" in page  # an intent that is no topic is named, not linked
    assert '<span class="badge high">Таджикистан:' in page and '<span class="badge medium">Россия:' in page
    assert "Если не явиться без уважительной причины, с 2026-03-30" in page
    assert "Повестка вручена: 2026-03-09" in page and "delivered: 2026-03-10" in page
    assert case.short_pseudonym in page and case.pseudonym not in page


# ---- the queue -----------------------------------------------------------------------------


def test_the_queue_lists_waiting_cases_urgent_first_then_the_longest_wait(as_staff: Client, cast) -> None:
    now = timezone.now()
    later = a_case(now=now - timedelta(minutes=3))
    earlier = a_case(now=now - timedelta(minutes=30))
    urgent = a_case(urgent=True, now=now - timedelta(minutes=1))
    taken = claimed_by(cast["admin"])
    page = as_staff.get(reverse("cases-queue")).content.decode()
    order = [page.index(f'data-case="{case.number}"') for case in (urgent, earlier, later)]
    assert order == sorted(order)
    assert f'data-case="{taken.number}"' not in page
    assert "Тоҷикӣ" not in page and "Русский" in page  # each row names its language


def test_mine_lists_my_claimed_cases_and_closed_today_the_closed_ones(as_staff: Client, cast) -> None:
    mine, theirs, done = claimed_by(cast["staff"]), claimed_by(cast["admin"]), claimed_by(cast["staff"])
    services.close(done, cast["staff"], "answered")
    page = as_staff.get(reverse("cases-queue"), {"tab": "mine"}).content.decode()
    assert f'data-case="{mine.number}"' in page and f'data-case="{theirs.number}"' not in page
    assert f'data-case="{done.number}"' not in page
    page = as_staff.get(reverse("cases-queue"), {"tab": "closed_today"}).content.decode()
    assert f'data-case="{done.number}"' in page and f'data-case="{mine.number}"' not in page


def test_the_htmx_poll_gets_the_table_alone(as_staff: Client) -> None:
    case = a_case()
    response = as_staff.get(reverse("cases-queue"), headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert page.lstrip().startswith('<div id="queue"') and "<html" not in page
    assert f'data-case="{case.number}"' in page and 'hx-trigger="every 2s"' in page
    assert "HX-Request" in as_staff.get(reverse("cases-queue")).headers["Vary"]


def seen(page: str) -> str:
    return html.unescape(re.search(r'hx-get="([^"]+)"', page).group(1))


def test_a_poll_gets_204_while_nothing_changed_and_the_table_once_a_case_arrives(as_staff: Client) -> None:
    a_case()
    poll = seen(as_staff.get(reverse("cases-queue")).content.decode())
    assert "seen=" in poll
    unchanged = as_staff.get(poll, headers=HTMX)
    assert unchanged.status_code == 204 and unchanged.content == b""
    arrived = a_case(urgent=True)
    changed = as_staff.get(poll, headers=HTMX)
    assert changed.status_code == 200 and f'data-case="{arrived.number}"' in changed.content.decode()
    assert as_staff.get(seen(changed.content.decode()), headers=HTMX).status_code == 204


# ---- claiming, taking over ---------------------------------------------------------------------


def test_claiming_makes_you_the_owner_and_says_so(as_staff: Client, cast) -> None:
    case = a_case()
    response = as_staff.post(reverse("cases-claim", args=[case.number]))
    assert response.status_code == 302 and response.url == reverse("cases-detail", args=[case.number])
    case.refresh_from_db()
    assert case.status == Case.Status.CLAIMED and case.owner == cast["staff"]
    assert [level for level, text in notices(response) if case.number in text] == ["success"]
    page = as_staff.get(response.url).content.decode()
    assert 'id="reply-text"' in page and 'name="outcome"' in page


def test_a_second_claim_loses_with_a_message(as_staff: Client, cast) -> None:
    case = claimed_by(cast["admin"])
    response = as_staff.post(reverse("cases-claim", args=[case.number]))
    case.refresh_from_db()
    assert case.owner == cast["admin"]
    assert [level for level, text in notices(response) if case.number in text] == ["error"]


def test_someone_elses_case_offers_take_over_with_a_confirmation_and_no_reply_form(as_staff: Client, cast) -> None:
    case = claimed_by(cast["admin"])
    page = as_staff.get(reverse("cases-detail", args=[case.number])).content.decode()
    assert 'id="reply-text"' not in page and 'name="outcome"' not in page
    assert f'href="{reverse("cases-take-over", args=[case.number])}"' in page
    confirm = as_staff.get(reverse("cases-take-over", args=[case.number]))
    case.refresh_from_db()
    assert confirm.status_code == 200 and case.owner == cast["admin"]  # asking changes nothing
    assert f'action="{reverse("cases-take-over", args=[case.number])}"' in confirm.content.decode()
    as_staff.post(reverse("cases-take-over", args=[case.number]))
    case.refresh_from_db()
    assert case.owner == cast["staff"]
    assert case.events.filter(action="case.take_over", actor=cast["staff"]).exists()


# ---- replying, inserting an answer, closing -------------------------------------------------------


def test_the_owners_reply_is_stored_and_queued_for_the_bot(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    as_staff.post(reverse("cases-reply", args=[case.number]), {"text": "  Приходите завтра в 10:00.  "})
    message = case.messages.get()
    assert (message.sender, message.author, message.text) == ("staff", cast["staff"], "Приходите завтра в 10:00.")
    assert case.outbox.filter(kind=Outbox.Kind.REPLY, text="Приходите завтра в 10:00.").exists()


def test_a_reply_keeps_its_lines_as_telegram_expects_them(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    as_staff.post(reverse("cases-reply", args=[case.number]), {"text": "Первое.\r\n\r\nВторое."})  # as browsers send it
    assert case.messages.get().text == "Первое.\n\nВторое."


def test_a_reply_from_someone_who_is_not_the_owner_is_refused_and_stores_nothing(as_staff: Client, cast) -> None:
    case = claimed_by(cast["admin"])
    replies_before = Outbox.objects.filter(kind=Outbox.Kind.REPLY).count()
    response = as_staff.post(reverse("cases-reply", args=[case.number]), {"text": "I answer instead"})
    assert response.status_code == 302
    assert [level for level, _ in notices(response)] == ["error"]
    assert not case.messages.exists()
    assert Outbox.objects.filter(kind=Outbox.Kind.REPLY).count() == replies_before


def test_an_empty_reply_sends_nothing(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    response = as_staff.post(reverse("cases-reply", args=[case.number]), {"text": "   "})
    assert [level for level, _ in notices(response)] == ["error"] and not case.messages.exists()


def test_insert_answer_gives_a_tajik_case_the_topics_short_answer_in_tajik(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"], script="tg", topics=("mercenarism_tj",))
    kb = knowledge()
    topic = kb.topic("mercenarism_tj")
    response = as_staff.post(reverse("cases-insert-answer", args=[case.number]), {"topic": topic.id, "text": ""})
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<form id="reply"')
    assert textarea(page) == column(kb, topic, "tg", timezone.localdate()).plain
    assert topic.text["tg"].title in textarea(page) and topic.text["ru"].title not in textarea(page)


def test_insert_answer_keeps_what_was_typed_and_ignores_an_unknown_topic(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"], script="ky")
    url = reverse("cases-insert-answer", args=[case.number])
    kept = textarea(as_staff.post(url, {"topic": "summons_received", "text": "Саламатсызбы <b>!"}).content.decode())
    assert kept.startswith("Саламатсызбы <b>!\n\n")
    assert kept.endswith(column(knowledge(), knowledge().topic("summons_received"), "ky", timezone.localdate()).plain)
    assert textarea(as_staff.post(url, {"topic": "no_such_topic", "text": "typed"}).content.decode()) == "typed"


def test_only_the_owner_gets_the_reply_form_with_an_answer(as_staff: Client, cast) -> None:
    case = claimed_by(cast["admin"])
    response = as_staff.post(reverse("cases-insert-answer", args=[case.number]), {"topic": "summons_received"})
    assert response.status_code == 403


def test_a_reply_too_long_for_telegram_comes_back_to_be_shortened(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    too_long = "Слово " * (services.MAX_REPLY_CHARS // 6 + 1)
    response = as_staff.post(reverse("cases-reply", args=[case.number]), {"text": too_long})
    assert response.status_code == 400
    assert textarea(response.content.decode()) == too_long.strip()
    assert not case.messages.exists()


def test_closing_with_an_outcome_opens_the_next_waiting_case(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    following = a_case(urgent=True)
    response = as_staff.post(reverse("cases-close", args=[case.number]), {"outcome": "answered"})
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, "answered")
    assert response.url == reverse("cases-detail", args=[following.number])
    assert case.outbox.filter(kind=Outbox.Kind.CLOSED).exists()
    services.close(following, cast["staff"], "out_of_scope")
    last = claimed_by(cast["staff"])
    assert as_staff.post(reverse("cases-close", args=[last.number]), {"outcome": "referred"}).url == reverse(
        "cases-queue"
    )


def test_closing_needs_an_outcome_staff_may_choose(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    for outcome in ("", "returned_to_bot", "nonsense"):
        as_staff.post(reverse("cases-close", args=[case.number]), {"outcome": outcome})
        case.refresh_from_db()
        assert case.status == Case.Status.CLAIMED


# ---- the messages, escaped and polled ----------------------------------------------------------


def test_a_users_markup_is_shown_as_text_on_the_case_page_and_in_the_messages_poll(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    services.add_user_message(case.number, case.pseudonym, "m-1", MARKUP)
    for url, headers in (
        (reverse("cases-detail", args=[case.number]), {}),
        (reverse("cases-messages", args=[case.number]), HTMX),
    ):
        page = as_staff.get(url, headers=headers).content.decode()
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<img" not in page


def test_the_messages_poll_gets_204_until_a_message_arrives(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    poll = seen(as_staff.get(reverse("cases-messages", args=[case.number]), headers=HTMX).content.decode())
    assert as_staff.get(poll, headers=HTMX).status_code == 204
    services.add_user_message(case.number, case.pseudonym, "m-1", "Спасибо, понял")
    response = as_staff.get(poll, headers=HTMX)
    assert response.status_code == 200 and "Спасибо, понял" in response.content.decode()


def test_the_messages_of_a_closed_case_answer_286_and_stop_polling(as_staff: Client, cast) -> None:
    case = claimed_by(cast["staff"])
    services.add_user_message(case.number, case.pseudonym, "m-1", "Спасибо")
    services.close(case, cast["staff"], "answered")
    response = as_staff.get(reverse("cases-messages", args=[case.number]), headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 286
    assert "Спасибо" in page and "hx-trigger" not in page
