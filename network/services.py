"""Writes to the family's network. Views call these; each is one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from cases.models import Family, Member
from cases.services import claim_version
from network.models import (
    Agreement,
    AgreementEvaluation,
    Evaluation,
    Krachtgezin,
    NetworkMeeting,
    NetworkMember,
    RespiteStay,
)


@transaction.atomic
def network_member_create(*, family: Family, data: Mapping[str, Any]) -> NetworkMember:
    return NetworkMember.objects.create(family=family, **data)


@transaction.atomic
def network_member_update(
    *, member: NetworkMember, version: int | None, data: Mapping[str, Any]
) -> NetworkMember:
    claim_version(NetworkMember, pk=member.pk, version=version)
    for field, value in data.items():
        setattr(member, field, value)
    member.save(update_fields=[*data.keys(), "updated_at"])
    member.refresh_from_db(fields=["version"])
    return member


@transaction.atomic
def agreement_create(*, family: Family, data: Mapping[str, Any]) -> Agreement:
    return Agreement.objects.create(family=family, **data)


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, version: int | None, data: Mapping[str, Any]
) -> Agreement:
    claim_version(Agreement, pk=agreement.pk, version=version)
    for field, value in data.items():
        setattr(agreement, field, value)
    agreement.save(update_fields=[*data.keys(), "updated_at"])
    agreement.refresh_from_db(fields=["version"])
    return agreement


@transaction.atomic
def meeting_create(
    *,
    family: Family,
    by: Any,
    data: Mapping[str, Any],
    family_members: Iterable[Member] = (),
    network_members: Iterable[NetworkMember] = (),
) -> NetworkMeeting:
    meeting = NetworkMeeting.objects.create(family=family, created_by=by, **data)
    meeting.family_members.set(family_members)
    meeting.network_members.set(network_members)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: NetworkMeeting,
    version: int | None,
    data: Mapping[str, Any],
    family_members: Iterable[Member] = (),
    network_members: Iterable[NetworkMember] = (),
) -> NetworkMeeting:
    claim_version(NetworkMeeting, pk=meeting.pk, version=version)
    for field, value in data.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=[*data.keys(), "updated_at"])
    meeting.family_members.set(family_members)
    meeting.network_members.set(network_members)
    meeting.refresh_from_db(fields=["version"])
    return meeting


@transaction.atomic
def evaluation_create(
    *,
    meeting: NetworkMeeting,
    by: Any,
    date: datetime.date,
    note: str = "",
    outcomes: Mapping[int, str],
    next_evaluation: datetime.date | None = None,
) -> Evaluation:
    """Record, per agreement of the meeting's family, whether it happened.

    `outcomes` maps agreement ids to an Outcome; ids of another family are refused.
    A new evaluation date, when given, becomes the meeting's next evaluation.
    """
    own = set(
        Agreement.objects.filter(family_id=meeting.family_id, pk__in=outcomes).values_list(
            "pk", flat=True
        )
    )
    if own != set(outcomes):
        raise ValueError("agreements of another family")
    evaluation = Evaluation.objects.create(meeting=meeting, date=date, note=note, created_by=by)
    AgreementEvaluation.objects.bulk_create(
        AgreementEvaluation(evaluation=evaluation, agreement_id=pk, outcome=outcome)
        for pk, outcome in outcomes.items()
    )
    if next_evaluation is not None:
        meeting.next_evaluation = next_evaluation
        meeting.save(update_fields=["next_evaluation", "updated_at"])
    return evaluation


@transaction.atomic
def krachtgezin_create(*, family: Family, data: Mapping[str, Any]) -> Krachtgezin:
    """A Krachtgezin for `family`; it belongs to the family's team."""
    return Krachtgezin.objects.create(team=family.team, supported_family=family, **data)


@transaction.atomic
def krachtgezin_update(
    *, krachtgezin: Krachtgezin, version: int | None, data: Mapping[str, Any]
) -> Krachtgezin:
    claim_version(Krachtgezin, pk=krachtgezin.pk, version=version)
    for field, value in data.items():
        setattr(krachtgezin, field, value)
    krachtgezin.save(update_fields=[*data.keys(), "updated_at"])
    krachtgezin.refresh_from_db(fields=["version"])
    return krachtgezin


@transaction.atomic
def krachtgezin_support(*, krachtgezin: Krachtgezin, family: Family) -> Krachtgezin:
    """Let the Krachtgezin support another family; only one of its own team."""
    if family.team_id != krachtgezin.team_id:
        raise ValueError("a Krachtgezin supports families of its own team only")
    krachtgezin.supported_family = family
    krachtgezin.save(update_fields=["supported_family", "updated_at"])
    return krachtgezin


@transaction.atomic
def stay_create(*, krachtgezin: Krachtgezin, data: Mapping[str, Any]) -> RespiteStay:
    child = data["child"]
    if child.family_id != krachtgezin.supported_family_id:
        raise ValueError("the child must belong to the supported family")
    return RespiteStay.objects.create(krachtgezin=krachtgezin, **data)
