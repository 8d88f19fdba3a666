from __future__ import annotations

import datetime

from cases.models import LifeDomain
from strengths.models import DomainScore, Moment, ScoreSheet


def scored_moment(
    family, user, *, kind: str, date: datetime.date, severity: int, perspective="joint"
):  # type: ignore[no-untyped-def]
    """A moment with one sheet where every domain has the same severity."""
    moment = Moment.objects.create(family=family, kind=kind, date=date, created_by=user)
    sheet = ScoreSheet.objects.create(moment=moment, perspective=perspective, updated_by=user)
    DomainScore.objects.bulk_create(
        DomainScore(sheet=sheet, domain=d, severity=severity, strength=1) for d in LifeDomain.values
    )
    return moment
