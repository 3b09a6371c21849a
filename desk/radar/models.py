"""What the radar stores: how many times a week the bot met a topic in a language, with an outcome.

Only counts. No text, no pseudonym, no row per user, no time finer than the week (a week is named
by its Monday). One row per (week, topic, script, outcome); counting.py is the only writer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Outcome(models.TextChoices):
    ANSWERED = "answered", pgettext_lazy("radar outcome", "answered")  # a case's "answered" is another word
    CLARIFIED = "clarified", _("“did you mean”")
    DECLINED = "declined", _("no answer")
    HANDED_OVER = "handed_over", _("handed to a person")
    RISK_CHECK_FINISHED = "risk_check_finished", _("risk check finished")


# A question put to the bot ends answered, clarified or declined (the other two are events of their own);
# "not answered" is the last two. Plain strings: mypy reads TextChoices members as tuples.
ANSWERED: tuple[str, ...] = ("answered",)
NOT_ANSWERED: tuple[str, ...] = ("clarified", "declined")


class WeeklyCount(models.Model):
    week = models.DateField(help_text="the Monday of the ISO week")
    topic = models.CharField(max_length=64, blank=True, help_text="a topic id of the knowledge base, or '' for none")
    script = models.CharField(max_length=8, help_text="bot.language.codes.SCRIPTS")
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "topic", "script", "outcome"], name="radar_one_row_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.topic or '-'} {self.script} {self.outcome}: {self.count}"
