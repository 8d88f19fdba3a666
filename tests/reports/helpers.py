from __future__ import annotations

import datetime

from django.db import connection

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


def waiting_for_a_lock() -> int:
    """How many sessions on the test database wait for a lock now (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]
