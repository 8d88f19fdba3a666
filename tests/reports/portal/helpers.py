"""Families at a given point of the trajectory, for the portal's questionnaires."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from phases.models import PhaseEpisode


def episode(family, kind, *, days_ago: int = 10, ended: bool = False):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    started = today - datetime.timedelta(days=days_ago)
    return PhaseEpisode.objects.create(
        family=family,
        kind=kind,
        started_on=started,
        planned_end=started + datetime.timedelta(weeks=4),
        ended_on=today if ended else None,
        weeks_min=2,
        weeks_max=4,
        hours_min=Decimal(5),
        hours_max=Decimal(10),
    )


def sdm_post(value: int = 4) -> dict[str, str]:
    return {f"item_{i}": str(value) for i in range(1, 10)}


def exit_post(value: int = 4, comments: str = "") -> dict[str, str]:
    return {
        "result": str(value),
        "coach_rating": str(value),
        "network_role": str(value),
        "own_control": str(value),
        "comments": comments,
    }
