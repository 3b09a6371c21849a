"""The only writers of cases: the desk's views, the internal API (the bot) and the staff group call these.

Each call is one transaction that writes its CaseEvent (who, what, when; never text) and the
Outbox rows the bot must send. Claiming is a compare-and-set (`filter(status=WAITING).update()`),
so two staff pressing "claim" at once give one owner, on SQLite as on PostgreSQL. The contract
with the bot is docs/handoff.md; what is kept and for how long is docs/desk.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from desk.cases.hours import is_staffed
from desk.cases.models import Case, CaseEvent, CaseMessage, Outbox, StaffLink, new_case_number

HANDLE_CASE = "cases.handle_case"
TABS = ("waiting", "mine", "closed_today")
MAX_REPLY_CHARS = 4000  # a Telegram message holds 4096 characters
STAFF_CLOSE_OUTCOMES = (
    Case.Outcome.ANSWERED,
    Case.Outcome.REFERRED,
    Case.Outcome.NO_REPLY,
    Case.Outcome.OUT_OF_SCOPE,
)


class CaseNotOpen(Exception):
    """The case is closed, erased, or not this pseudonym's."""


class NotOwner(PermissionDenied):
    """Only the staff member who claimed a case replies to it or closes it (taking over is explicit)."""


class NotLinked(PermissionDenied):
    """A staff-group member with no desk account (or one that may not answer cases)."""


# ---- helpers ------------------------------------------------------------------------------


def _event(case: Case, action: str, at: datetime, actor: Any = None, **data: Any) -> None:
    CaseEvent.objects.create(case=case, number=case.number, actor=actor, action=action, data=data, at=at)


def _send(case: Case | None, kind: str, at: datetime, text: str = "", thread_id: int | None = None) -> None:
    Outbox.objects.create(case=case, kind=kind, text=text, thread_id=thread_id, created_at=at)


def _has_staff_group() -> bool:
    return settings.KENESH.staff_chat_id is not None


def _require_handler(user: Any) -> None:
    if not (user.is_active and user.has_perm(HANDLE_CASE)):
        raise PermissionDenied


def _locked(case: Case) -> Case:
    """The case as it is now, locked for this transaction on PostgreSQL (SQLite's IMMEDIATE
    transactions already serialise writers)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _open_case_of(pseudonym: str) -> Case | None:
    return Case.objects.filter(pseudonym=pseudonym, status__in=Case.OPEN).first()


def _unused_number() -> str:
    for _ in range(20):
        number = new_case_number()
        if not Case.objects.filter(number=number).exists():
            return number
    raise RuntimeError("no free case number after 20 tries")  # about 8 million numbers: the table is full


def topic_name(case: Case) -> str:
    """The staff-group topic's name: number, language, urgency; never a name, username or id."""
    return " · ".join([case.number, case.script, *(["urgent"] if case.urgent else [])])


# ---- the bot: cases and user messages -----------------------------------------------------


def open_case(
    *,
    pseudonym: str,
    script: str,
    topics: list[str],
    risk: dict | None,
    urgent: bool,
    reason: str,
    reply_address: str,
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Open a case, or return this pseudonym's open one: (case, created). Outside the handoff hours
    the user is told at once that nobody can answer yet (a `waiting` row)."""
    now = now or timezone.now()
    existing = _open_case_of(pseudonym)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            case = Case.objects.create(
                number=_unused_number(),
                pseudonym=pseudonym,
                script=script,
                topics=list(topics),
                risk=risk,
                urgent=urgent,
                reason=reason,
                reply_address=reply_address,
                opened_at=now,
                waiting_since=now,
            )
            _event(case, "case.open", now, reason=reason, script=script, urgent=urgent)
            if not is_staffed(settings.KENESH, now):
                case.waiting_notice_at = now
                case.save(update_fields=["waiting_notice_at"])
                _send(case, Outbox.Kind.WAITING, now)
                _event(case, "case.waiting_notice", now, staffed=False)
            if _has_staff_group():
                _send(case, Outbox.Kind.TOPIC_OPEN, now, text=topic_name(case))
    except IntegrityError:  # the same user, twice at once: the other request opened it
        existing = _open_case_of(pseudonym)
        if existing is None:
            raise
        return existing, False
    return case, True


def add_user_message(
    number: str, pseudonym: str, client_id: str, text: str, now: datetime | None = None
) -> CaseMessage | None:
    """Store a user's message in their open case; None when this client_id was stored already."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(number=number, pseudonym=pseudonym, status__in=Case.OPEN).first()
        if case is None:
            raise CaseNotOpen(number)
        if case.messages.filter(client_id=client_id).exists():
            return None
        try:
            with transaction.atomic():
                message = CaseMessage.objects.create(
                    case=case, sender=CaseMessage.Sender.USER, text=text, client_id=client_id, created_at=now
                )
        except IntegrityError:  # the same retry, twice at once
            return None
        if case.waiting_since is None:
            case.waiting_since = now
            case.save(update_fields=["waiting_since"])
        _event(case, "case.user_message", now, message=message.pk)
        if _has_staff_group():
            _send(case, Outbox.Kind.TOPIC_POST, now, text=text)
    return message


def return_to_bot(number: str, pseudonym: str, now: datetime | None = None) -> Case:
    """The user typed /bot: the case closes with outcome `returned_to_bot` (the bot tells the user itself)."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(number=number, pseudonym=pseudonym, status__in=Case.OPEN).first()
        if case is None:
            raise CaseNotOpen(number)
        _close(case, Case.Outcome.RETURNED_TO_BOT, now)
        _event(case, "case.return", now)
    return case


def open_cases() -> dict[str, dict[str, str]]:
    """Every open case by pseudonym: the bot learns which users are talking to a person (after a restart too)."""
    rows = Case.objects.filter(status__in=Case.OPEN).values_list("pseudonym", "number", "status")
    return {pseudonym: {"number": number, "status": status} for pseudonym, number, status in rows}


# ---- staff: the queue, claim, take over, reply, close ---------------------------------------


def get_case_for(user: Any, number: str) -> Case:
    """The one way views fetch a case: PermissionDenied for an account that may not answer cases, 404
    for a number that does not exist."""
    _require_handler(user)
    return get_object_or_404(Case.objects.select_related("owner"), number=number.upper())


def queue(user: Any, tab: str, now: datetime | None = None) -> QuerySet[Case]:
    """A queue tab: `waiting` and `mine` urgent first, then the longest wait; `closed_today` newest first."""
    _require_handler(user)
    cases = Case.objects.select_related("owner")
    by_wait = (F("urgent").desc(), F("waiting_since").asc(nulls_last=True), "opened_at")
    if tab == "waiting":
        return cases.filter(status=Case.Status.WAITING).order_by(*by_wait)
    if tab == "mine":
        return cases.filter(status=Case.Status.CLAIMED, owner=user).order_by(*by_wait)
    if tab == "closed_today":
        midnight = timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
        return cases.filter(status=Case.Status.CLOSED, closed_at__gte=midnight).order_by("-closed_at")
    raise ValueError(f"unknown queue tab {tab!r}: one of {', '.join(TABS)}")


def claim(case: Case, user: Any, now: datetime | None = None) -> bool:
    """Claim a waiting case; True for the one staff member who got it. The user is told a person reads."""
    _require_handler(user)
    now = now or timezone.now()
    with transaction.atomic():
        won = (
            Case.objects.filter(pk=case.pk, status=Case.Status.WAITING).update(
                status=Case.Status.CLAIMED, owner=user, claimed_at=now
            )
            == 1
        )
        if won:
            _event(case, "case.claim", now, actor=user)
            _send(case, Outbox.Kind.CLAIMED, now)
    case.refresh_from_db()
    return won


def take_over(case: Case, user: Any, now: datetime | None = None) -> bool:
    """Make `user` the owner of an open case, whoever owned it (explicit and logged). False if the case
    changed hands meanwhile."""
    _require_handler(user)
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(case)
        if not current.is_open:
            raise CaseNotOpen(current.number)
        if current.owner_id == user.pk:
            return True
        changed = Case.objects.filter(pk=case.pk, status=current.status, owner=current.owner_id).update(
            status=Case.Status.CLAIMED, owner=user, claimed_at=current.claimed_at or now
        )
        if changed:
            _event(current, "case.take_over", now, actor=user, previous_owner=current.owner_id)
            if current.status == Case.Status.WAITING:
                _send(current, Outbox.Kind.CLAIMED, now)
    case.refresh_from_db()
    return bool(changed)


def reply(case: Case, user: Any, text: str, now: datetime | None = None) -> CaseMessage:
    """The owner's reply: stored, queued for the user (and posted in the case's staff-group topic)."""
    _require_handler(user)
    return _reply(case, user, text, now or timezone.now(), client_id=None, to_topic=_has_staff_group())


def _reply(case: Case, user: Any, text: str, now: datetime, client_id: str | None, to_topic: bool) -> CaseMessage:
    text = text.strip()
    if not text or len(text) > MAX_REPLY_CHARS:
        raise ValueError(f"a reply has 1 to {MAX_REPLY_CHARS} characters")
    with transaction.atomic():
        current = _locked(case)
        if not current.is_open:
            raise CaseNotOpen(current.number)
        if current.status != Case.Status.CLAIMED or current.owner_id != user.pk:
            raise NotOwner
        message = CaseMessage.objects.create(
            case=current, sender=CaseMessage.Sender.STAFF, author=user, text=text, client_id=client_id, created_at=now
        )
        current.waiting_since = None
        current.first_reply_at = current.first_reply_at or now
        current.save(update_fields=["waiting_since", "first_reply_at"])
        _event(current, "case.reply", now, actor=user, message=message.pk)
        _send(current, Outbox.Kind.REPLY, now, text=text)
        if to_topic:
            _send(current, Outbox.Kind.TOPIC_POST, now, text=f"{user.get_username()}: {text}")
    case.refresh_from_db()
    return message


def close(case: Case, user: Any, outcome: str, now: datetime | None = None) -> None:
    """Close with an outcome; the bot tells the user and answers again. A claimed case is closed by its owner."""
    _require_handler(user)
    if outcome not in STAFF_CLOSE_OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(case)
        if not current.is_open:
            raise CaseNotOpen(current.number)
        if current.status == Case.Status.CLAIMED and current.owner_id != user.pk:
            raise NotOwner
        _close(current, outcome, now)
        _event(current, "case.close", now, actor=user, outcome=outcome)
        _send(current, Outbox.Kind.CLOSED, now)
    case.refresh_from_db()


def _close(case: Case, outcome: str, now: datetime) -> None:
    case.status, case.outcome, case.closed_at, case.waiting_since = Case.Status.CLOSED, outcome, now, None
    case.save(update_fields=["status", "outcome", "closed_at", "waiting_since"])


# ---- the staff group (Telegram forum topics) -------------------------------------------------


def staff_group_message(
    thread_id: int, staff_telegram_id: int, message_id: int, text: str, now: datetime | None = None
) -> str:
    """A message in a case's topic from a linked desk account: `/close [outcome]` closes the case,
    anything else is a reply (claiming the case first if it waits). Returns "reply" or "closed".
    Members with no linked account are refused (NotLinked): their words never reach a user."""
    now = now or timezone.now()
    link = StaffLink.objects.select_related("user").filter(telegram_id=staff_telegram_id).first()
    if link is None or not link.user.is_active or not link.user.has_perm(HANDLE_CASE):
        raise NotLinked
    user = link.user
    case = Case.objects.filter(staff_thread_id=thread_id, status__in=Case.OPEN).first()
    if case is None:
        raise CaseNotOpen(str(thread_id))
    words = text.split()
    if words and words[0].split("@")[0] == "/close":
        close(case, user, words[1] if len(words) > 1 else Case.Outcome.ANSWERED, now=now)
        return "closed"
    client_id = f"tg:{message_id}"  # the bot may post the same group message twice
    if case.messages.filter(client_id=client_id).exists():
        return "reply"
    with transaction.atomic():
        if case.status == Case.Status.WAITING:
            claim(case, user, now=now)
        _reply(case, user, text, now, client_id=client_id, to_topic=False)
    return "reply"


# ---- the outbox ---------------------------------------------------------------------------


THREAD_NOT_FOUND = "thread_not_found"  # the bot's reason when a staff-group topic is gone


def pending_outbox(limit: int, now: datetime | None = None) -> list[Outbox]:
    """The rows the bot must send, oldest first. First queues the "nobody yet" notice, once, for each
    case that has waited KENESH_HANDOFF_WAIT_MINUTES unclaimed (a query on each poll, not a timer).
    Posts into a staff-group topic wait until the bot has made the topic."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.KENESH.handoff_wait_minutes)
    overdue = Case.objects.filter(status=Case.Status.WAITING, waiting_notice_at__isnull=True, opened_at__lte=cutoff)
    for case in overdue:  # usually none: no write transaction on an idle poll
        with transaction.atomic():
            if Case.objects.filter(pk=case.pk, status=Case.Status.WAITING, waiting_notice_at__isnull=True).update(
                waiting_notice_at=now
            ):
                _send(case, Outbox.Kind.WAITING, now)
                _event(case, "case.waiting_notice", now, staffed=True)
    rows = (
        Outbox.objects.filter(sent_at__isnull=True)
        .exclude(kind=Outbox.Kind.TOPIC_POST, case__staff_thread_id__isnull=True)
        .select_related("case")
        .order_by("id")
    )
    return list(rows[:limit])


def acknowledge(
    outbox_id: int,
    telegram_message_id: int | None = None,
    thread_id: int | None = None,
    failed: str | None = None,
    now: datetime | None = None,
) -> bool:
    """The bot sent a row (or gave up on it). Acknowledging twice changes nothing. The row's text is
    blanked: it was a copy of a message the case keeps until retention. False for an unknown row."""
    now = now or timezone.now()
    with transaction.atomic():
        row = Outbox.objects.select_for_update().filter(pk=outbox_id).first()
        if row is None:
            if thread_id is not None:  # the case was erased while the bot made its topic: delete the topic too
                _send(None, Outbox.Kind.TOPIC_DELETE, now, thread_id=thread_id)
            return False
        if row.sent_at is not None:
            return True
        text = row.text
        row.sent_at, row.telegram_message_id, row.failed, row.text = now, telegram_message_id, (failed or "")[:64], ""
        row.save(update_fields=["sent_at", "telegram_message_id", "failed", "text"])
        if row.kind == Outbox.Kind.TOPIC_OPEN and thread_id is not None and row.case_id is not None:
            Case.objects.filter(pk=row.case_id).update(staff_thread_id=thread_id)
        if row.kind == Outbox.Kind.TOPIC_POST and failed == THREAD_NOT_FOUND and row.case is not None:
            _reopen_topic(row.case, text, now)
    return True


def _reopen_topic(case: Case, text: str, now: datetime) -> None:
    """Someone deleted the case's topic by hand: make a new one, and post there what did not arrive
    (the later posts wait for the new topic too)."""
    if case.status == Case.Status.CLOSED:
        return
    Case.objects.filter(pk=case.pk).update(staff_thread_id=None)
    _send(case, Outbox.Kind.TOPIC_OPEN, now, text=topic_name(case))
    _send(case, Outbox.Kind.TOPIC_POST, now, text=text)


# ---- erasure and retention ------------------------------------------------------------------


def _delete_topic(case: Case, now: datetime) -> None:
    if case.staff_thread_id is not None:  # the row outlives the case: it carries the thread id, not the case
        _send(None, Outbox.Kind.TOPIC_DELETE, now, thread_id=case.staff_thread_id)


def forget(pseudonym: str, now: datetime | None = None) -> int:
    """/forget: delete every case of this pseudonym, with its messages and outbox rows (and its staff-group
    topic). The log keeps a `case.erase` event per case: the case number, no pseudonym, no text."""
    if not pseudonym:
        raise ValueError("an empty pseudonym")  # retention blanks pseudonyms: "" would match every old case
    now = now or timezone.now()
    with transaction.atomic():
        cases = list(Case.objects.select_for_update().filter(pseudonym=pseudonym))
        for case in cases:
            _delete_topic(case, now)
            _event(case, "case.erase", now)
        Case.objects.filter(pk__in=[case.pk for case in cases]).delete()
    return len(cases)


def purge_expired(now: datetime | None = None) -> int:
    """Retention: for cases closed more than KENESH_CASE_RETENTION_DAYS ago, delete the messages, blank the
    outbox text, the reply address and the pseudonym, and delete the staff-group topic. The skeleton
    (topics, script, outcome, times) and the events stay, for counts. Returns the messages deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.KENESH.case_retention_days)
    expired = Case.objects.filter(status=Case.Status.CLOSED, closed_at__lt=cutoff).filter(
        ~Q(pseudonym="") | ~Q(reply_address="") | Q(staff_thread_id__isnull=False)
    )
    erased = 0
    with transaction.atomic():
        for case in expired.select_for_update():
            deleted, _ = CaseMessage.objects.filter(case=case).delete()
            Outbox.objects.filter(case=case, sent_at__isnull=True).update(sent_at=now, failed="expired")
            Outbox.objects.filter(case=case).exclude(text="").update(text="")
            _delete_topic(case, now)
            case.pseudonym, case.reply_address, case.staff_thread_id = "", "", None
            case.save(update_fields=["pseudonym", "reply_address", "staff_thread_id"])
            _event(case, "case.purge", now, messages=deleted)
            erased += deleted
    return erased
