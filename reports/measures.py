"""The caseload review's flag "maatregel loopt af": a child's legal measure (cases.LegalMeasure)
ends within settings.LEGAL_MEASURES["ENDS_SOON_DAYS"] (four weeks: ending in 28 days is
flagged, in 29 not), and no later decision continues it. One SQL expression, annotated by
reports.caseload.caseload_queryset as `is_measure_ending`."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef

from cases.models import LegalMeasure, measure_setting


def measure_ending_flag(*, today: datetime.date) -> Exists:
    soon = today + datetime.timedelta(days=measure_setting("ENDS_SOON_DAYS"))
    return Exists(LegalMeasure.objects.ending_between(today, soon).filter(family=OuterRef("pk")))
