"""Recording a supervision session of a coach."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from cases.models import Family, Team
from reports.figures import invalidate_flags
from reports.models import SupervisionDiscussion, SupervisionSession


@transaction.atomic
def supervision_session_create(
    *,
    team: Team,
    coach: Any,
    date: datetime.date,
    kind: str,
    by: Any,
    led_by: Any = None,
    points: str = "",
    families: Iterable[Family] = (),
) -> SupervisionSession:
    """A session of intervisie, werkbegeleiding or coaching; the families discussed are
    linked only (each family's file shows the kind and the date, nothing else)."""
    session = SupervisionSession.objects.create(
        team=team, coach=coach, date=date, kind=kind, led_by=led_by, points=points, recorded_by=by
    )
    discussed = {f.pk: f for f in families}
    SupervisionDiscussion.objects.bulk_create(
        SupervisionDiscussion(session=session, family=family) for family in discussed.values()
    )
    # A batch insert sends no signals: the families' "ingezogen" flag may have changed.
    invalidate_flags(discussed)
    return session
