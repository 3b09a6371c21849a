"""`manage.py prepare`: what the desk needs before it serves (run by `make run` before the desk starts).

Makes the state folder, writes the laptop secret key there once (mode 600, unless
KENESH_DESK_SECRET_KEY is set), applies the migrations, makes the SQLite file readable by its owner
only, and prints {"accounts": N} so `make run` can say how to add the first.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from bot.state import secret_file
from desk.kenesh_desk.settings import SECRET_KEY_FILE


class Command(BaseCommand):
    help = "Make the state folder and the laptop secret key, migrate, print the number of accounts (JSON)."

    def handle(self, *args: Any, **options: Any) -> None:
        kenesh = settings.KENESH
        if not kenesh.desk_secret_key:
            secret_file(kenesh, SECRET_KEY_FILE)
        call_command("migrate", interactive=False, verbosity=0)
        if not kenesh.desk_database_url:  # case messages live in this file: readable by its owner only
            kenesh.desk_db_file.chmod(0o600)
        accounts = get_user_model().objects.filter(is_active=True).count()
        self.stdout.write(json.dumps({"accounts": accounts}))
