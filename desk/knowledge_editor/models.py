"""Drafts of a topic's texts, their revisions, their reviews, and the audit log of the knowledge.

Only `desk/knowledge_editor/services.py` writes these tables. The published knowledge is the YAML
in git; a draft is the work in progress until it is published as a commit.

- `Draft`: one topic's edit, from the files it started from (their texts; older drafts only the git
  blob of the topic file); at most one open draft per topic (a conditional unique constraint, as
  Wagtail's WorkflowState).
- `DraftRevision`: a numbered snapshot of the edited fields: texts ({language: {field: value}}),
  facts (sources, dates, risk level, related) and example questions (fields.py), who saved it, and
  what `kb lint` said about it then. A draft of a whole file (contacts, risk rules: `topic_id` is
  the entry's name, entries.py) holds the cells it changes in `edited` instead.
- `Review`: a lawyer's approval or return of one revision number, with a comment.
- `KnowledgeEvent`: append-only, who did what and when (dotted actions), which fields, which review.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "draft": _("draft"),
    "in_review": _("in review"),
    "changes_requested": _("returned for changes"),
    "published": _("published"),
    "withdrawn": _("withdrawn"),
}


class Draft(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        IN_REVIEW = "in_review"
        CHANGES_REQUESTED = "changes_requested"
        PUBLISHED = "published"
        WITHDRAWN = "withdrawn"

    OPEN = (Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED)

    topic_id = models.CharField(max_length=64, db_index=True)
    base_blob = models.CharField(max_length=40)  # git blob id of the topic file the draft started from
    # {path in the knowledge folder: text} of the files the draft started from: publishing compares
    # field by field against them ({} in drafts older than this: their base is base_blob)
    base_files = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic_id"],
                condition=Q(status__in=("draft", "in_review", "changes_requested")),
                name="one_open_draft_per_topic",
            )
        ]
        permissions = [
            ("edit_topic", "Can edit a topic's texts in a draft"),
            ("review_draft", "Can approve, return and publish another person's draft"),
            ("translate_topic", "Can edit a topic's translations (not the Russian) in a draft"),
        ]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def latest(self) -> DraftRevision:
        return self.revisions.order_by("-number").first()

    def clean(self) -> None:
        """For databases without conditional constraints: one open draft per topic."""
        others = Draft.objects.filter(topic_id=self.topic_id, status__in=self.OPEN).exclude(pk=self.pk)
        if self.is_open and others.exists():
            raise ValidationError(f"topic {self.topic_id} already has an open draft")


class DraftRevision(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    texts = models.JSONField()  # {language: {field: value}}: every edited field, as saved
    facts = models.JSONField(null=True, blank=True)  # fields.Facts as saved; null: as published
    examples = models.JSONField(null=True, blank=True)  # {language: [question]}; null: as published
    # a whole file's draft (entries.py): {cell name: value} of the cells it changes against the file it
    # started from; null for a topic's draft
    edited = models.JSONField(null=True, blank=True)
    problems = models.JSONField(default=list)  # what `kb lint` said when it was saved: [{field, message, severity}]
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="one_revision_per_number")]
        ordering = ["draft", "number"]


class Review(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve"
        RETURN = "return"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="reviews")
    revision_number = models.PositiveIntegerField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    @property
    def decision_label(self) -> str:
        return str(_("approved") if self.decision == self.Decision.APPROVE else _("returned"))


class KnowledgeEvent(models.Model):
    """Append-only: who did what to the knowledge, and when. `actor` has no database constraint, so
    the log outlives a deleted account (accounts are deactivated, but the log must not depend on it)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    action = models.CharField(max_length=40)  # dotted: knowledge.draft.save, knowledge.draft.submit, …
    topic_id = models.CharField(max_length=64, db_index=True)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False)
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False)
    data = models.JSONField(default=dict)  # fields, revision number, commit id: never the texts
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("the knowledge log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("the knowledge log is append-only")
