from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.teamreport import refresh_fidelity_snapshots


class Command(BaseCommand):
    help = (
        "Compute every team's fidelity table of the team report anew (the same job Celery "
        "beat runs every FIDELITY_SNAPSHOT_MINUTES)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        teams = refresh_fidelity_snapshots()
        self.stdout.write(_("Werken volgens de methode berekend voor %(n)s teams.") % {"n": teams})
