"""`manage.py adduser NAME --role ROLE`: add a desk account (`python -m bot desk adduser …` runs this).

The password is asked twice (or read from stdin with --password-stdin) and checked by Django's
password validators. An admin gets Django's admin too (accounts and groups). `--telegram-id N`
links a staff or admin account to its Telegram user id: only linked members of the staff group
(KENESH_STAFF_CHAT_ID) may answer cases there.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from desk.accounts.roles import ADMIN, ROLES, STAFF
from desk.cases.models import StaffLink


class Command(BaseCommand):
    help = "Add a desk account with one role (staff, lawyer, translator, admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin (one line)")
        parser.add_argument(
            "--telegram-id", type=int, help="staff and admin: the Telegram user id that may answer in the staff group"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username, role = options["username"].strip(), options["role"]
        if not username:
            raise CommandError("the username is empty")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"there is already an account named {username!r}")
        telegram_id = options["telegram_id"]
        self._check_telegram_id(telegram_id, role)
        password = self._password(options["password_stdin"])
        candidate = User(username=username)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            user = User.objects.create_user(username, password=password)
            user.groups.add(Group.objects.get(name=role))
            if role == ADMIN:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            if telegram_id is not None:
                StaffLink.objects.create(user=user, telegram_id=telegram_id)
        linked = f", answers in the staff group as Telegram user {telegram_id}" if telegram_id is not None else ""
        self.stdout.write(f"Added {username} ({role}{linked}).")

    def _check_telegram_id(self, telegram_id: int | None, role: str) -> None:
        if telegram_id is None:
            return
        if role not in (STAFF, ADMIN):
            raise CommandError("only staff and admin accounts answer cases: --telegram-id is for them")
        if StaffLink.objects.filter(telegram_id=telegram_id).exists():
            raise CommandError(f"Telegram user {telegram_id} is already linked to a desk account")

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("no terminal to ask for the password: use --password-stdin")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
