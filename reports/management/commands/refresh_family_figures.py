from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.figures import refresh_all


class Command(BaseCommand):
    help = (
        "Compute every active family's caseload figures (reports.FamilyFigures) for today "
        "(the same job Celery beat runs at 00:05)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        families = refresh_all()
        self.stdout.write(_("Kengetallen berekend voor %(n)s gezinnen.") % {"n": families})
