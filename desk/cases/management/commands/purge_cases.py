"""`manage.py purge_cases`: erase the messages of cases closed more than KENESH_CASE_RETENTION_DAYS ago.

The bot's retention loop does the same through POST /internal/retention; this command is for a
desk run without the bot, or from cron. Case skeletons and their events stay, for counts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from desk.cases.services import purge_expired


class Command(BaseCommand):
    help = "Erase the messages of cases closed more than KENESH_CASE_RETENTION_DAYS ago."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = purge_expired()
        days = settings.KENESH.case_retention_days
        self.stdout.write(f"Erased {erased} messages of cases closed more than {days:g} days ago.")
