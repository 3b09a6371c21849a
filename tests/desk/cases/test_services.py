"""desk/cases/services.py: the only writers of cases, one rule per test (style-desk.md, section c)."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.http import Http404

from desk.cases import services
from desk.cases.models import NUMBER_ALPHABET, Case, CaseEvent, CaseMessage, Outbox, StaffLink
from tests.desk.cases.conftest import T0, minutes

pytestmark = pytest.mark.django_db

STAFF_GROUP = -1001234567890


def kinds(case: Case) -> list[str]:
    return list(Outbox.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def actions(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(number=case.number).values_list("action", flat=True))


# ---- opening ------------------------------------------------------------------------------


def test_a_case_gets_a_short_random_number_and_waits(open_case) -> None:
    case = open_case()
    assert len(case.number) == 5 and set(case.number) <= set(NUMBER_ALPHABET)
    assert case.status == Case.Status.WAITING and case.waiting_since == T0
    assert actions(case) == ["case.open"]
    assert kinds(case) == []  # staffed, no staff group: nothing to send yet


def test_numbers_are_not_sequential(open_case) -> None:
    numbers = [open_case().number for _ in range(20)]
    assert len(set(numbers)) == 20
    assert numbers != sorted(numbers)


def test_a_second_open_returns_the_open_case(open_case) -> None:
    first = open_case("p-1")
    again, created = services.open_case(
        pseudonym="p-1", script="ru", topics=[], risk=None, urgent=True, reason="urgent", reply_address="x"
    )
    assert not created and again.pk == first.pk
    assert Case.objects.filter(pseudonym="p-1").count() == 1


def test_the_database_refuses_two_open_cases_for_one_pseudonym(open_case, cast) -> None:
    first = open_case("p-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(pseudonym="p-1", script="ky", reason="asked", opened_at=T0)
    services.close(first, cast["staff"], "answered", now=T0 + minutes(1))
    assert open_case("p-1").pk != first.pk  # once closed, the user may open another


# ---- claim, reply, take over, close ----------------------------------------------------------


def test_two_claims_give_exactly_one_owner(open_case, cast, colleague) -> None:
    case = open_case()
    seen_by_staff, seen_by_colleague = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)  # both see "waiting"
    results = [services.claim(seen_by_staff, cast["staff"]), services.claim(seen_by_colleague, colleague)]
    assert results == [True, False]
    case.refresh_from_db()
    assert case.owner == cast["staff"] and case.status == Case.Status.CLAIMED
    assert kinds(case) == ["claimed"]  # the user is told once
    assert actions(case) == ["case.open", "case.claim"]


def test_a_reply_from_someone_who_did_not_claim_is_refused(open_case, cast, colleague) -> None:
    case = open_case()
    with pytest.raises(services.NotOwner):
        services.reply(case, cast["staff"], "Hello")  # nobody has claimed it yet
    services.claim(case, cast["staff"])
    with pytest.raises(services.NotOwner):
        services.reply(case, colleague, "Hello from me")
    assert not CaseMessage.objects.exists()
    assert "reply" not in kinds(case)


def test_an_account_without_the_permission_cannot_claim(open_case, cast) -> None:
    with pytest.raises(PermissionDenied):
        services.claim(open_case(), cast["lawyer_a"])


def test_the_owners_reply_is_stored_and_queued_and_ends_the_wait(open_case, cast) -> None:
    case = open_case()
    services.claim(case, cast["staff"], now=T0 + minutes(1))
    message = services.reply(case, cast["staff"], "  Bring your passport.  ", now=T0 + minutes(2))
    case.refresh_from_db()
    assert message.text == "Bring your passport." and message.author == cast["staff"]
    assert case.waiting_since is None and case.first_reply_at == T0 + minutes(2)
    reply = Outbox.objects.get(case=case, kind="reply")
    assert reply.text == "Bring your passport."
    services.reply(case, cast["staff"], "And the summons.", now=T0 + minutes(3))
    case.refresh_from_db()
    assert case.first_reply_at == T0 + minutes(2)  # set once


def test_taking_over_is_explicit_and_logged(open_case, cast, colleague) -> None:
    case = open_case()
    services.claim(case, cast["staff"])
    assert services.take_over(case, colleague)
    assert case.owner == colleague
    event = CaseEvent.objects.get(number=case.number, action="case.take_over")
    assert event.actor == colleague and event.data == {"previous_owner": cast["staff"].pk}
    with pytest.raises(services.NotOwner):
        services.reply(case, cast["staff"], "Still me?")
    services.reply(case, colleague, "I take it from here.")


def test_a_user_message_sets_waiting_since_only_when_empty(open_case, cast) -> None:
    case = open_case(now=T0)
    services.claim(case, cast["staff"])
    services.reply(case, cast["staff"], "Hello", now=T0 + minutes(1))
    services.add_user_message(case.number, case.pseudonym, "m1", "Thanks", now=T0 + minutes(2))
    services.add_user_message(case.number, case.pseudonym, "m2", "One more thing", now=T0 + minutes(3))
    case.refresh_from_db()
    assert case.waiting_since == T0 + minutes(2)


def test_a_duplicate_client_id_is_stored_once(open_case) -> None:
    case = open_case()
    assert services.add_user_message(case.number, case.pseudonym, "upd-42", "Hello") is not None
    assert services.add_user_message(case.number, case.pseudonym, "upd-42", "Hello") is None
    assert CaseMessage.objects.filter(case=case).count() == 1
    assert actions(case).count("case.user_message") == 1


def test_a_message_to_a_closed_or_someone_elses_case_is_refused(open_case, cast) -> None:
    case = open_case("p-1")
    with pytest.raises(services.CaseNotOpen):
        services.add_user_message(case.number, "p-2", "m1", "Not my case")
    services.close(case, cast["staff"], "out_of_scope")
    with pytest.raises(services.CaseNotOpen):
        services.add_user_message(case.number, "p-1", "m2", "Too late")
    assert not CaseMessage.objects.exists()


def test_closing_tells_the_user_and_a_claimed_case_is_closed_by_its_owner(open_case, cast, colleague) -> None:
    case = open_case()
    services.claim(case, cast["staff"])
    with pytest.raises(services.NotOwner):
        services.close(case, colleague, "answered")
    services.close(case, cast["staff"], "referred", now=T0 + minutes(5))
    assert (case.status, case.outcome, case.closed_at) == ("closed", "referred", T0 + minutes(5))
    assert kinds(case) == ["claimed", "closed"]
    with pytest.raises(services.CaseNotOpen):
        services.close(case, cast["staff"], "answered")


def test_returning_to_the_bot_closes_without_a_notice(open_case) -> None:
    case = open_case("p-1")
    services.return_to_bot(case.number, "p-1")
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "returned_to_bot")
    assert kinds(case) == []  # the bot tells the user itself
    with pytest.raises(services.CaseNotOpen):
        services.return_to_bot(case.number, "p-1")


# ---- reading ------------------------------------------------------------------------------


def test_get_case_for_refuses_other_roles_and_unknown_numbers(open_case, cast) -> None:
    case = open_case()
    assert services.get_case_for(cast["staff"], case.number.lower()) == case
    assert services.get_case_for(cast["admin"], case.number) == case
    for role in ("lawyer_a", "translator", "outsider"):
        with pytest.raises(PermissionDenied):
            services.get_case_for(cast[role], case.number)
    with pytest.raises(Http404):
        services.get_case_for(cast["staff"], "AAAAA" if case.number != "AAAAA" else "CCCCC")


def test_the_queue_puts_urgent_cases_first_then_the_longest_wait(open_case, cast) -> None:
    calm_old = open_case(now=T0)
    calm_new = open_case(now=T0 + minutes(5))
    urgent_new = open_case(now=T0 + minutes(9), urgent=True)
    mine = open_case(now=T0 + minutes(1))
    services.claim(mine, cast["staff"])
    assert list(services.queue(cast["staff"], "waiting")) == [urgent_new, calm_old, calm_new]
    assert list(services.queue(cast["staff"], "mine")) == [mine]
    services.close(mine, cast["staff"], "answered", now=T0 + minutes(20))
    assert list(services.queue(cast["staff"], "closed_today", now=T0 + minutes(30))) == [mine]
    assert list(services.queue(cast["staff"], "closed_today", now=T0 + minutes(24 * 60))) == []
    with pytest.raises(PermissionDenied):
        services.queue(cast["lawyer_a"], "waiting")


# ---- the "nobody yet" notice ------------------------------------------------------------------


def test_the_waiting_notice_is_queued_once_after_the_wait(open_case) -> None:
    case = open_case(now=T0)
    services.pending_outbox(10, now=T0 + minutes(9))
    assert kinds(case) == []
    services.pending_outbox(10, now=T0 + minutes(10))
    services.pending_outbox(10, now=T0 + minutes(30))
    assert kinds(case) == ["waiting"]
    assert actions(case) == ["case.open", "case.waiting_notice"]


def test_a_claimed_case_gets_no_waiting_notice(open_case, cast) -> None:
    case = open_case(now=T0)
    services.claim(case, cast["staff"], now=T0 + minutes(3))
    services.pending_outbox(10, now=T0 + minutes(30))
    assert kinds(case) == ["claimed"]


def test_outside_the_hours_the_notice_is_queued_at_once_and_only_once(open_case, kenesh) -> None:
    kenesh(handoff_hours="mon-fri 09:00-18:00")
    evening = T0.replace(hour=20)
    case = open_case(now=evening)
    assert kinds(case) == ["waiting"]
    services.pending_outbox(10, now=evening + minutes(60))
    assert kinds(case) == ["waiting"]
    assert kinds(open_case(now=T0)) == []  # Monday 10:00 is within the hours


# ---- the outbox and the staff group ------------------------------------------------------------


def test_acknowledging_twice_is_harmless(open_case, cast) -> None:
    case = open_case()
    services.claim(case, cast["staff"])
    services.reply(case, cast["staff"], "Hello")
    rows = services.pending_outbox(10, now=T0)
    assert [row.kind for row in rows] == ["claimed", "reply"]
    reply = rows[1]
    assert services.acknowledge(reply.pk, telegram_message_id=501, now=T0 + minutes(1))
    assert services.acknowledge(reply.pk, telegram_message_id=999, now=T0 + minutes(2))
    reply.refresh_from_db()
    assert (reply.telegram_message_id, reply.sent_at, reply.text) == (501, T0 + minutes(1), "")
    assert [row.kind for row in services.pending_outbox(10, now=T0)] == ["claimed"]
    assert not services.acknowledge(10_000_000)  # an unknown row (erased meanwhile) is not an error


def test_a_staff_group_gets_a_topic_named_without_the_user(open_case, kenesh) -> None:
    kenesh(staff_chat_id=STAFF_GROUP)
    case = open_case("p-secret", script="tg", urgent=True)
    topic = Outbox.objects.get(case=case, kind="topic_open")
    assert topic.text == f"{case.number} · tg · urgent"
    services.add_user_message(case.number, "p-secret", "m1", "My boss kept my passport")
    assert [row.kind for row in services.pending_outbox(10, now=T0)] == ["topic_open"]  # the post waits for its topic
    services.acknowledge(topic.pk, thread_id=77)
    case.refresh_from_db()
    assert case.staff_thread_id == 77
    (post,) = services.pending_outbox(10, now=T0)
    assert (post.kind, post.text) == ("topic_post", "My boss kept my passport")


def _case_in_a_topic(open_case, kenesh, thread_id: int = 77) -> Case:
    kenesh(staff_chat_id=STAFF_GROUP)
    case = open_case()
    services.acknowledge(Outbox.objects.get(case=case, kind="topic_open").pk, thread_id=thread_id)
    case.refresh_from_db()
    return case


def test_a_topic_deleted_by_hand_is_made_again_and_gets_the_post_that_did_not_arrive(open_case, kenesh) -> None:
    case = _case_in_a_topic(open_case, kenesh)
    services.add_user_message(case.number, case.pseudonym, "m1", "Are you there?")
    (post,) = services.pending_outbox(10, now=T0)
    services.acknowledge(post.pk, failed="thread_not_found")
    case.refresh_from_db()
    assert case.staff_thread_id is None
    (reopen,) = services.pending_outbox(10, now=T0)  # the post waits for the new topic
    assert (reopen.kind, reopen.text) == ("topic_open", services.topic_name(case))
    services.acknowledge(reopen.pk, thread_id=78)
    (again,) = services.pending_outbox(10, now=T0)
    assert (again.kind, again.text) == ("topic_post", "Are you there?")
    services.acknowledge(again.pk, telegram_message_id=5)
    assert services.pending_outbox(10, now=T0) == []


def test_only_linked_members_answer_in_the_staff_group(open_case, kenesh, cast) -> None:
    case = _case_in_a_topic(open_case, kenesh)
    with pytest.raises(services.NotLinked):
        services.staff_group_message(77, 555, 1, "I am just a member")
    StaffLink.objects.create(user=cast["lawyer_a"], telegram_id=556)  # linked, but not a role that answers
    with pytest.raises(services.NotLinked):
        services.staff_group_message(77, 556, 2, "I am a lawyer")
    assert not CaseMessage.objects.exists()
    StaffLink.objects.create(user=cast["staff"], telegram_id=555)
    assert services.staff_group_message(77, 555, 3, "Hello, I am reading") == "reply"
    assert services.staff_group_message(77, 555, 3, "Hello, I am reading") == "reply"  # the bot retried
    case.refresh_from_db()
    assert case.owner == cast["staff"]
    assert CaseMessage.objects.filter(case=case).count() == 1
    assert kinds(case) == ["topic_open", "claimed", "reply"]  # no echo into the topic it came from
    assert services.staff_group_message(77, 555, 4, "/close@KeneshBot referred") == "closed"
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "referred")


# ---- erasure and retention ----------------------------------------------------------------------


def _every_value_in_the_database() -> str:
    """Every table of every installed app, every row, as one string."""
    dump = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in (m for m in apps.get_models() if m._meta.db_table in tables):  # unmanaged: no table
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_forget_leaves_no_trace_of_the_users_words_or_pseudonym(open_case, kenesh, cast) -> None:
    case = _case_in_a_topic(open_case, kenesh, thread_id=88)
    pseudonym, number = case.pseudonym, case.number
    services.add_user_message(number, pseudonym, "m1", "Мой паспорт у начальника")
    services.claim(case, cast["staff"])
    services.reply(case, cast["staff"], "Приходите завтра с договором")
    services.close(case, cast["staff"], "answered")
    open_case(pseudonym, reply_address="gAAAAAB-second-token")  # a second case of the same user, still open
    assert "Мой паспорт" in _every_value_in_the_database()

    assert services.forget(pseudonym) == 2

    everything = _every_value_in_the_database()
    for trace in (pseudonym, "Мой паспорт у начальника", "Приходите завтра", "gAAAAAB-opaque-token", "second-token"):
        assert trace not in everything
    assert not Case.objects.exists() and not CaseMessage.objects.exists()
    (delete,) = Outbox.objects.all()
    assert (delete.kind, delete.thread_id, delete.case) == ("topic_delete", 88, None)
    erase = CaseEvent.objects.filter(action="case.erase", number=number).get()
    assert erase.case is None and erase.data == {}


def test_purge_erases_messages_after_the_retention_days_and_not_before(open_case, cast) -> None:
    case = open_case(now=T0)
    services.add_user_message(case.number, case.pseudonym, "m1", "Where is my patent?", now=T0)
    services.claim(case, cast["staff"], now=T0)
    services.reply(case, cast["staff"], "At the migration centre.", now=T0 + minutes(1))
    services.close(case, cast["staff"], "answered", now=T0 + minutes(2))
    still_open = open_case(now=T0)
    services.add_user_message(still_open.number, still_open.pseudonym, "m1", "Still talking", now=T0)

    assert services.purge_expired(now=T0 + minutes(2) + minutes(7 * 24 * 60 - 1)) == 0
    assert CaseMessage.objects.filter(case=case).count() == 2

    assert services.purge_expired(now=T0 + minutes(2) + minutes(7 * 24 * 60 + 1)) == 2
    case.refresh_from_db()
    assert not CaseMessage.objects.filter(case=case).exists()
    assert (case.pseudonym, case.reply_address) == ("", "")
    assert not Outbox.objects.filter(case=case).exclude(text="").exists()
    assert (case.script, case.topics, case.outcome) == ("ky", ["summons_received"], "answered")  # kept for counts
    assert "case.close" in actions(case)
    assert CaseMessage.objects.filter(case=still_open).count() == 1
    assert services.purge_expired(now=T0 + minutes(8 * 24 * 60)) == 0  # nothing left to erase


def test_events_carry_no_text(open_case, kenesh, cast) -> None:
    case = _case_in_a_topic(open_case, kenesh)
    StaffLink.objects.create(user=cast["staff"], telegram_id=555)
    services.add_user_message(case.number, case.pseudonym, "m1", "secret words of the user")
    services.staff_group_message(77, 555, 9, "secret words of staff")
    services.reply(case, cast["staff"], "more secret words")
    services.close(case, cast["staff"], "answered")
    services.forget(case.pseudonym)
    events = CaseEvent.objects.all()
    assert {event.action for event in events} >= {"case.open", "case.user_message", "case.claim", "case.reply"}
    dumped = json.dumps([event.data for event in events])
    assert "secret" not in dumped and case.pseudonym not in dumped


def test_the_purge_command_runs_the_same_retention(open_case, cast) -> None:
    from io import StringIO

    from django.core.management import call_command

    case = open_case(now=T0)
    services.add_user_message(case.number, case.pseudonym, "m1", "hello", now=T0)
    services.close(case, cast["staff"], "no_reply", now=T0)  # the test clock is long past: expired now
    out = StringIO()
    call_command("purge_cases", stdout=out)
    assert out.getvalue().strip() == "Erased 1 messages of cases closed more than 7 days ago."
    assert not CaseMessage.objects.exists()
