"""One retraining of the model: who started it, where it got to, its figures, and why it failed.

At most one run is under way at a time (a database constraint on `active`). A run goes
queued -> training -> evaluating -> going_live -> live; a candidate that misses a gate stops at
`held` until an admin puts it live anyway (held -> going_live); any error ends in `failed`.
Nothing here is user data: the figures are held-out accuracies, the reason the end of a training log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    QUEUED = "queued"
    TRAINING = "training"
    EVALUATING = "evaluating"
    GOING_LIVE = "going_live"
    HELD = "held"
    LIVE = "live"
    FAILED = "failed"


LABELS = {
    "queued": pgettext_lazy("training run", "queued"),  # a case's "queued" is another word
    "training": _("training"),
    "evaluating": _("measuring"),
    "going_live": _("going live"),
    "held": _("held: worse than the targets"),
    "live": _("live"),
    "failed": _("failed"),
}
ACTIVE: tuple[str, ...] = ("queued", "training", "evaluating", "going_live")  # a worker process is on it


class TrainingRun(models.Model):
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    active = models.BooleanField(default=True, help_text="a worker is on it; at most one such run")
    phase = models.CharField(max_length=200, blank=True, help_text="what the worker is doing now")
    worker_pid = models.IntegerField(null=True, blank=True)
    figures_before = models.JSONField(null=True, blank=True, help_text="the live model's, per language")
    figures_after = models.JSONField(null=True, blank=True, help_text="the new model's, per language")
    reason = models.TextField(blank=True, help_text="why it failed: the error and the end of the training log")
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="retrain_one_at_a_time")
        ]
        permissions = [
            ("start_training", "Can retrain the model"),
            ("override_gates", "Can put live a model that misses the targets"),
        ]

    def save(self, *args, **kwargs) -> None:
        self.active = self.state in ACTIVE
        super().save(*args, **kwargs)

    @property
    def state_label(self) -> str:
        return str(LABELS[self.state])

    def __str__(self) -> str:
        return f"run {self.pk}: {self.state}"
