from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cases.taskstate import tasks_sweep


class Command(BaseCommand):
    help = (
        "Send again, or mark failed, every PDF or export still queued or running after "
        "TASK_STALE_SECONDS (the same job Celery beat runs every minute)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = tasks_sweep()
        self.stdout.write(
            _("%(resent)s opnieuw verstuurd, %(failed)s als mislukt gemarkeerd.")
            % {"resent": result.resent, "failed": result.failed}
        )
