"""The intake's writes: a new file with its members, or an earlier file reopened."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases import services
from cases.handover.services import coach_change, coach_record
from cases.intake.duplicates import REOPENABLE
from cases.intake.numbering import case_number_next
from cases.models import CoachChangeKind, Family, FamilyStatus, Member, Trajectory


class NotReopenable(Exception):
    """Only a closed or aftercare file can be reopened; nothing was written."""


def _add_members(family: Family, members: Iterable[dict[str, Any]]) -> list[Member]:
    return [services.member_save(member=Member(family=family, **data)) for data in members]


@transaction.atomic
def family_intake(
    *,
    data: dict[str, Any],
    members: Iterable[dict[str, Any]],
    involved: Iterable[Any] = (),
    by: Any,
) -> Family:
    """Register a family with its members. Without a case number in `data` the team's next
    one is given (cases/intake/numbering.py); raises services.CaseNumberTaken when a number
    typed by hand was taken at the same moment."""
    data = dict(data)
    if not data.get("case_number"):
        data["case_number"] = case_number_next(
            team=data["team"], day=data.get("referral_date") or timezone.localdate()
        )
    family = services.family_create(data=data, involved=involved)
    _add_members(family, members)
    if family.coach is not None:
        coach_record(
            family=family, coach=family.coach, previous=None, by=by, kind=CoachChangeKind.INTAKE
        )
    Trajectory.objects.create(
        family=family,
        number=1,
        referrer=family.referrer,
        referrer_detail=family.referrer_detail,
        referral_date=family.referral_date,
        created_by=by,
    )
    return family


@transaction.atomic
def family_reopen(
    *,
    family: Family,
    referrer: str,
    referrer_detail: str,
    referral_date: Any,
    members: Iterable[dict[str, Any]] = (),
    coach: Any = None,
    by: Any,
) -> Trajectory:
    """A new trajectory in the same file: the file is referred again, its history (contacts,
    phases, plans, earlier trajectories) stays, and members typed at the intake that the file
    does not hold yet (same name and date of birth) are added."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.status not in REOPENABLE:
        raise NotReopenable
    previous_status = family.status
    numbers = list(family.trajectories.values_list("number", flat=True))
    if not numbers:
        # A file from before trajectories were kept: its first referral becomes number 1.
        Trajectory.objects.create(
            family=family,
            number=1,
            referrer=family.referrer,
            referrer_detail=family.referrer_detail,
            referral_date=family.referral_date,
            created_by=None,
        )
        numbers = [1]
    known = {(m.name.strip().lower(), m.date_of_birth) for m in family.members.all()}
    _add_members(
        family,
        [m for m in members if (m["name"].strip().lower(), m.get("date_of_birth")) not in known],
    )
    family.status = FamilyStatus.REFERRED
    family.referrer = referrer
    family.referrer_detail = referrer_detail
    family.referral_date = referral_date
    # A new version: an edit form opened before the reopening gets the conflict page.
    family.version = F("version") + 1
    family.save(
        update_fields=[
            "status",
            "referrer",
            "referrer_detail",
            "referral_date",
            "version",
            "updated_at",
        ]
    )
    if coach is not None and coach.pk != family.coach_id:
        coach_change(family=family, coach=coach, by=by, reason="", kind=CoachChangeKind.REOPEN)
    return Trajectory.objects.create(
        family=family,
        number=max(numbers) + 1,
        referrer=referrer,
        referrer_detail=referrer_detail,
        referral_date=referral_date,
        previous_status=previous_status,
        created_by=by,
    )
