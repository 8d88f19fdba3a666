from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from phases.reminders import reminders_run


class Command(BaseCommand):
    help = "Create today's phase reminders (the same job Celery beat runs daily at 07:00)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = reminders_run()
        # The count comes first on the last line, for scripts and cron mail.
        self.stdout.write(f"{created} herinneringen aangemaakt")
