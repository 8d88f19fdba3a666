from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.integrity import access_log_verify_run


class Command(BaseCommand):
    help = (
        "Check the access log's hash chain and keep a checkpoint (the same job Celery beat "
        "runs daily). Exits non-zero and alerts coordinators and superusers on a break."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = access_log_verify_run()
        if not result.ok:
            # CommandError: the message on stderr and exit status 1, for cron and scripts.
            raise CommandError(
                _("De controle van het toegangslog is mislukt bij regel %(n)s: %(why)s.")
                % {"n": result.failed_at, "why": result.description}
            )
        self.stdout.write(
            _("%(rows)s regels van het toegangslog gecontroleerd, de keten is intact.")
            % {"rows": result.rows}
        )
