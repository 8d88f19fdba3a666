"""Writes to the family's network. Views call these; each is one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.models import Family, Member, Team
from cases.services import claim_version
from network.models import (
    Agreement,
    AgreementEvaluation,
    Evaluation,
    Krachtgezin,
    KrachtgezinMatch,
    NetworkMeeting,
    NetworkMember,
    RespiteStay,
)


def _check_chosen_by(family_id: int, data: Mapping[str, Any]) -> None:
    """A JIM's young person is a member of the same family (the form says so in Dutch)."""
    chosen_by = data.get("chosen_by")
    if chosen_by is not None and chosen_by.family_id != family_id:
        raise ValueError("a JIM is chosen by a young person of the same family")


@transaction.atomic
def network_member_create(*, family: Family, data: Mapping[str, Any]) -> NetworkMember:
    _check_chosen_by(family.pk, data)
    return NetworkMember.objects.create(family=family, **data)


@transaction.atomic
def network_member_update(
    *, member: NetworkMember, version: int | None, data: Mapping[str, Any]
) -> NetworkMember:
    _check_chosen_by(member.family_id, data)
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
def krachtgezin_create(*, team: Team, data: Mapping[str, Any]) -> Krachtgezin:
    """A Krachtgezin joins the team's pool, free until it is matched with a family."""
    return Krachtgezin.objects.create(team=team, **data)


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


class KrachtgezinBusy(ValidationError):
    """The Krachtgezin already supports a family: one at a time."""


def _busy(krachtgezin: Krachtgezin) -> KrachtgezinBusy:
    return KrachtgezinBusy(
        _(
            "%(name)s ondersteunt al een ander gezin. Een krachtgezin ondersteunt één gezin "
            "tegelijk: beëindig eerst die koppeling of kies een ander krachtgezin."
        )
        % {"name": krachtgezin.name},
        code="busy",
    )


@transaction.atomic
def krachtgezin_match(
    *, krachtgezin: Krachtgezin, family: Family, data: Mapping[str, Any]
) -> KrachtgezinMatch:
    """Match a Krachtgezin of the pool with `family` (of its own team), with what is known
    of the kennismakingsgesprek. Refused with KrachtgezinBusy while it supports a family."""
    if family.team_id != krachtgezin.team_id:
        raise ValueError("a Krachtgezin supports families of its own team only")
    # The row lock makes two coaches matching the same Krachtgezin wait for each other.
    Krachtgezin.objects.select_for_update().get(pk=krachtgezin.pk)
    if KrachtgezinMatch.objects.open().filter(krachtgezin=krachtgezin).exists():
        raise _busy(krachtgezin)
    try:
        with transaction.atomic():
            return KrachtgezinMatch.objects.create(krachtgezin=krachtgezin, family=family, **data)
    except IntegrityError as exc:  # krachtgezin_one_family_at_a_time
        raise _busy(krachtgezin) from exc


@transaction.atomic
def krachtgezin_match_update(
    *, match: KrachtgezinMatch, version: int | None, data: Mapping[str, Any]
) -> KrachtgezinMatch:
    claim_version(KrachtgezinMatch, pk=match.pk, version=version)
    for field, value in data.items():
        setattr(match, field, value)
    match.save(update_fields=[*data.keys(), "updated_at"])
    match.refresh_from_db(fields=["version"])
    return match


@transaction.atomic
def krachtgezin_match_end(*, match: KrachtgezinMatch, ended_on: datetime.date) -> KrachtgezinMatch:
    """End the support: the record stays with the family, the Krachtgezin is free again."""
    if match.ended_on is not None:
        return match
    match.ended_on = ended_on
    match.save(update_fields=["ended_on", "updated_at"])
    return match


@transaction.atomic
def stay_create(*, krachtgezin: Krachtgezin, data: Mapping[str, Any]) -> RespiteStay:
    child = data["child"]
    supporting = KrachtgezinMatch.objects.open().filter(
        krachtgezin=krachtgezin, family_id=child.family_id
    )
    if not supporting.exists():
        raise ValueError("the child must belong to the supported family")
    return RespiteStay.objects.create(krachtgezin=krachtgezin, **data)
