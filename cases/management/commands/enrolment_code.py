from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp import user_has_device

from cases.accounts.services import enrolment_code_issue


class Command(BaseCommand):
    # For the first administrator or coordinator: nobody can hand them a code in the app yet.
    help = "Print a one-time enrolment code for a user's first two-factor enrolment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Geen actieve gebruiker '{username}'.")
        if user_has_device(user, confirmed=None):
            raise CommandError(
                f"'{username}' heeft al tweestapsverificatie; reset die eerst via "
                "Teamleden en inloggen."
            )
        code = enrolment_code_issue(user=user, by=None)
        self.stdout.write(f"Inschrijfcode voor {username}: {code}")
