"""`manage.py prepare`: what the desk needs before it serves (run by `make run` before the desk starts).

Makes the state folder, writes the laptop secret key there once (unless KENESH_DESK_SECRET_KEY is
set), applies the migrations, and prints {"accounts": N} so `make run` can say how to add the first.
"""

from __future__ import annotations

import json
import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from bot.state import state_folder
from desk.kenesh_desk.settings import SECRET_KEY_FILE


class Command(BaseCommand):
    help = "Make the state folder and the laptop secret key, migrate, print the number of accounts (JSON)."

    def handle(self, *args: Any, **options: Any) -> None:
        kenesh = settings.KENESH
        folder = state_folder(kenesh)
        key_file = folder / SECRET_KEY_FILE
        if not kenesh.desk_secret_key and not key_file.exists():
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write(secrets.token_urlsafe(50) + "\n")
        call_command("migrate", interactive=False, verbosity=0)
        accounts = get_user_model().objects.filter(is_active=True).count()
        self.stdout.write(json.dumps({"accounts": accounts}))
