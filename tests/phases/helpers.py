from __future__ import annotations

import datetime
from decimal import Decimal

from cases.models import Family
from phases.models import PhaseEpisode, planned_end_for
from phases.services import definitions_for


def open_phase(
    family: Family,
    *,
    kind: str = "start",
    started_on: datetime.date,
    planned_end: datetime.date | None = None,
) -> PhaseEpisode:
    """An open episode with the team's current definition (tests set dates directly)."""
    definition = definitions_for(family.team_id)[kind]
    return PhaseEpisode.objects.create(
        family=family,
        kind=kind,
        started_on=started_on,
        planned_end=planned_end or planned_end_for(started_on, definition.weeks_max),
        weeks_min=definition.weeks_min,
        weeks_max=definition.weeks_max,
        hours_min=Decimal(definition.hours_min),
        hours_max=Decimal(definition.hours_max),
    )


# What closing a trajectory asks (phases.services.transition_propose to "closed").
CLOSE_WITHOUT_AFTERCARE = {
    "closing_outcome": "goals_reached",
    "closing_reason": "Doelen van het plan gehaald.",
    "into_aftercare": False,
}
CLOSE_WITH_AFTERCARE = {**CLOSE_WITHOUT_AFTERCARE, "into_aftercare": True}
