from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.teamreport import refresh_all_team_reports


class Command(BaseCommand):
    help = (
        "Compute every team's team report anew, its fidelity table included (the same job "
        "Celery beat runs every FIDELITY_SNAPSHOT_MINUTES)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        teams = refresh_all_team_reports()
        self.stdout.write(_("Teamrapport berekend voor %(n)s teams.") % {"n": teams})
