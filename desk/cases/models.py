"""Cases: a Telegram conversation a person took over, its messages, its log, and what the bot must send.

Only `desk/cases/services.py` writes these tables (each call one transaction, with its CaseEvent
and Outbox rows). What is kept and for how long: docs/desk.md, "Cases: how the data is kept".

- `Case`: the card the bot sent (a pseudonym, never a Telegram id; the reply address is a token
  only the bot can read), its state and the timestamps that answer "who waits, since when".
- `CaseMessage`: what the user and staff wrote. Deleted by /forget and by retention.
- `CaseEvent`: append-only, who did what and when, never text. It outlives erased cases (counts).
- `Outbox`: what the bot must send to the user or to the staff group; the bot acknowledges each row.
- `StaffLink`: a desk account's Telegram user id, so that its messages in the staff group count.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

# No 0/O, 1/I, 2/Z, 5/S, 6/G, 8/B: a number read out over the phone is heard right.
NUMBER_ALPHABET = "ACDEFHJKLMNPQRTUVWXY3479"
NUMBER_LENGTH = 5


def new_case_number() -> str:
    """A random case number (24**5, about 8 million): never sequential, so it does not reveal volume."""
    return "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))


class Case(models.Model):
    # One-value members (the label comes from the name): mypy, without django-stubs, reads a pair as a tuple.
    class Status(models.TextChoices):
        WAITING = "waiting"
        CLAIMED = "claimed"
        CLOSED = "closed"

    class Script(models.TextChoices):
        KY = "ky", "Кыргызча"
        RU = "ru", "Русский"
        UZ = "uz", "Oʻzbekcha"
        UZ_CYRL = "uz_Cyrl", "Ўзбекча"
        TG = "tg", "Тоҷикӣ"

    class Reason(models.TextChoices):
        ASKED = "asked"
        CLARIFY = "clarify"
        URGENT = "urgent"
        HIGH_RISK = "high_risk"

    class Outcome(models.TextChoices):
        ANSWERED = "answered"
        REFERRED = "referred"
        RETURNED_TO_BOT = "returned_to_bot"
        NO_REPLY = "no_reply"
        OUT_OF_SCOPE = "out_of_scope"

    OPEN = (Status.WAITING, Status.CLAIMED)

    number = models.CharField(max_length=NUMBER_LENGTH, unique=True, default=new_case_number)
    pseudonym = models.CharField(max_length=128, db_index=True)  # blanked at retention
    script = models.CharField(max_length=8, choices=Script.choices)
    topics = models.JSONField(default=list)  # intent names
    risk = models.JSONField(null=True, blank=True)  # {"levels", "deadlines", "urgent"} or null
    urgent = models.BooleanField(default=False)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    reply_address = models.TextField(blank=True)  # an opaque token only the bot can read; blanked at retention
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    # PROTECT: people are deactivated, never deleted, and a case keeps who answered it
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    opened_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    # chatwoot's rule: a user message sets it when empty, a staff reply (or closing) clears it
    waiting_since = models.DateTimeField(null=True, blank=True)
    waiting_notice_at = models.DateTimeField(null=True, blank=True)  # the "nobody yet" notice was queued
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    staff_thread_id = models.BigIntegerField(null=True, blank=True)  # the case's topic in the staff group

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pseudonym"],
                condition=Q(status__in=["waiting", "claimed"]),
                name="one_open_case_per_pseudonym",
            ),
        ]
        indexes = [models.Index(fields=["status", "urgent", "waiting_since"], name="case_queue")]
        permissions = [("handle_case", "Can answer cases")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def short_pseudonym(self) -> str:
        """What staff see: enough to tell two callers apart, too little to be useful elsewhere."""
        return self.pseudonym[:8]


class CaseMessage(models.Model):
    class Sender(models.TextChoices):
        USER = "user"
        STAFF = "staff"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=8, choices=Sender.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    text = models.TextField()
    client_id = models.CharField(max_length=64, null=True, blank=True)  # the bot's id, for retries; null from the desk
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "client_id"], name="one_message_per_client_id")]
        ordering = ["created_at", "id"]


class CaseEvent(models.Model):
    """Append-only: who did what to which case, and when. Never text, never a pseudonym.

    `case` is SET_NULL without a database constraint: the log outlives erased cases (the copied
    `number` still groups a case's events), and a deleted case's id is not left dangling where a
    later case could reuse it (SQLite may hand out a deleted row's id again)."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False, related_name="events"
    )
    number = models.CharField(max_length=NUMBER_LENGTH, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    action = models.CharField(max_length=32)  # dotted: case.open, case.claim, case.reply, …
    data = models.JSONField(default=dict)  # codes and ids only, never text
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "id"]


class Outbox(models.Model):
    """What the bot must send. `case` is null only for `topic_delete`: that row must outlive the case
    it deletes the topic of (/forget deletes the case in the same transaction), so it carries the
    topic's `thread_id` itself."""

    class Kind(models.TextChoices):
        REPLY = "reply"
        CLAIMED = "claimed"
        WAITING = "waiting"
        CLOSED = "closed"
        TOPIC_OPEN = "topic_open"
        TOPIC_POST = "topic_post"
        TOPIC_DELETE = "topic_delete"

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(blank=True)  # for reply and topic_*; blanked once sent
    thread_id = models.BigIntegerField(null=True, blank=True)  # topic_delete: the topic to delete
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)  # acknowledged (sent, or failed for good)
    telegram_message_id = models.BigIntegerField(null=True, blank=True)
    failed = models.CharField(max_length=64, blank=True)  # the bot's reason code, when it gave up

    class Meta:
        indexes = [models.Index(fields=["sent_at", "id"], name="outbox_pending")]


class StaffLink(models.Model):
    """A desk account's Telegram user id: only linked members of the staff group may answer there.
    (Staff ids only: the desk never holds a user's Telegram id.)"""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_link")
    telegram_id = models.BigIntegerField(unique=True)
