"""`manage.py adduser NAME --role ROLE`: add a desk account (`python -m bot desk adduser …` runs this).

The password is asked twice (or read from stdin with --password-stdin) and checked by Django's
password validators. An admin gets Django's admin too (accounts and groups).
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

from desk.accounts.roles import ADMIN, ROLES


class Command(BaseCommand):
    help = "Add a desk account with one role (staff, lawyer, translator, admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin (one line)")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username, role = options["username"].strip(), options["role"]
        if not username:
            raise CommandError("the username is empty")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"there is already an account named {username!r}")
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
        self.stdout.write(f"Added {username} ({role}).")

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("no terminal to ask for the password: use --password-stdin")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
