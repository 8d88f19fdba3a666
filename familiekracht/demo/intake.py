"""Intake and handover in the demo: a file reopened after closing, a handover with a note,
and a colleague standing in during leave; through the same services as the pages."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from cases.handover.services import coach_change, replacement_create
from cases.intake.services import family_reopen
from cases.models import Family, FamilyStatus, Referrer, Team
from familiekracht.demo import base


def seed(
    *,
    team: Team,
    families: Sequence[Family],
    coaches: list[Any],
    psychologist: Any | None,
    coordinator: Any | None,
    rng: random.Random,
    counters: base.Counters,
) -> list[Family]:
    """Returns the families it added (the reopened one)."""
    if coordinator is None:
        return []
    today = timezone.localdate()
    # A family that came back: its earlier trajectory closed, now referred again in the same
    # file (trajectory 2), its history kept.
    returned = base._seed_family(
        team=team,
        coach=coaches[0],
        psychologist=psychologist,
        number=len(families) + 1,
        status=FamilyStatus.CLOSED,
        involved=[],
        rng=rng,
        counters=counters,
    )
    family_reopen(
        family=returned,
        referrer=Referrer.OKT,
        referrer_detail="",
        referral_date=today - datetime.timedelta(days=3),
        by=coordinator,
    )
    if len(coaches) < 2:
        return [returned]
    # A referred family (no contacts yet) handed to the other coach, with a note.
    referred = next(f for f in families if f.status == FamilyStatus.REFERRED)
    other = next(c for c in coaches if c != referred.coach)
    coach_change(
        family=referred,
        coach=other,
        by=coordinator,
        reason="Verdeling van de caseload: de coach heeft al veel intensieve gezinnen.",
        note="Moeder is het best bereikbaar na 15.00 uur; de oudste zoon wil eerst alleen praten.",
    )
    # The second coach stands in for the first during a leave that runs now.
    replacement_create(
        team=team,
        coach=coaches[0],
        replacement=coaches[1],
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=12),
        by=coordinator,
    )
    return [returned]
