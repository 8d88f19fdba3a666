"""What the pages read of supervision: each coach's last session (coach load)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery

from cases.models import Team
from reports.models import SupervisionSession

if TYPE_CHECKING:
    from reports.caseload import CoachLoad


def last_sessions(team: Team, coach_ids: Iterable[int]) -> dict[int, SupervisionSession]:
    """{coach id: their newest session in the team}: one query, a row per coach."""
    newest = (
        SupervisionSession.objects.filter(team=team, coach=OuterRef("coach"))
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    sessions = SupervisionSession.objects.filter(
        team=team, coach_id__in=list(coach_ids), pk=Subquery(newest)
    ).select_related("led_by")
    return {s.coach_id: s for s in sessions}


def with_last_supervision(loads: list[CoachLoad], team: Team) -> list[CoachLoad]:
    """The coach load's rows with each coach's last supervision session."""
    last = last_sessions(team, [load.coach_id for load in loads if load.coach_id])
    return [dataclasses.replace(load, last_supervision=last.get(load.coach_id)) for load in loads]
