"""Writes to the analysis part of a family record. Views call these; each is one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from cases.models import Family, Member
from cases.services import EditConflict, claim_version
from strengths.models import (
    DomainScore,
    MemberAnalysis,
    Moment,
    ScoreSheet,
    TimelineEvent,
)

__all__ = [
    "EditConflict",
    "analysis_create",
    "analysis_update",
    "event_create",
    "event_update",
    "moment_create",
    "scores_inserted",
    "scores_save",
]

SCORE_FIELDS = (
    "severity",
    "strength",
    "own_words",
    "problem_present",
    "long_lasting",
    "share_own",
    "share_network",
    "share_professional",
)
ANALYSIS_FIELDS = ("date", "filled_in_by", "strengths", "wishes", "worries")
EVENT_FIELDS = ("precision", "year", "month", "day", "kind", "description")

# Sent by scores_save (sender ScoreSheet, with `sheet`) after it inserted new scores in one
# batch, which sends no post_save per score: for whoever keeps figures derived from them.
scores_inserted = Signal()


@transaction.atomic
def moment_create(*, family: Family, kind: str, date: datetime.date, by: Any) -> Moment:
    return Moment.objects.create(family=family, kind=kind, date=date, created_by=by)


@transaction.atomic
def scores_save(
    *,
    moment: Moment,
    perspective: str,
    by: Any,
    version: int | None,
    scores: Mapping[str, Mapping[str, Any]],
) -> ScoreSheet:
    """Save the seven domain scores of one moment and perspective together.

    `scores` maps each domain code to its values. `version` is the sheet's version when the
    form was opened (None for a new sheet); if someone saved in between, EditConflict is
    raised and nothing is written.
    """
    sheet, created = ScoreSheet.objects.get_or_create(
        moment=moment, perspective=perspective, defaults={"updated_by": by}
    )
    if not created:
        # Also covers two people scoring a new sheet at once: the second has no version.
        claim_version(ScoreSheet, pk=sheet.pk, version=version)
        sheet.updated_by = by
        sheet.save(update_fields=["updated_by", "updated_at"])
    existing = {score.domain: score for score in sheet.scores.all()}
    new = []
    for domain, values in scores.items():
        data = {field: values.get(field) for field in SCORE_FIELDS}
        data["own_words"] = data["own_words"] or ""
        if domain in existing:
            score = existing[domain]
            for field, value in data.items():
                setattr(score, field, value)
            score.save(update_fields=list(SCORE_FIELDS))
        else:
            new.append(DomainScore(sheet=sheet, domain=domain, **data))
    DomainScore.objects.bulk_create(new)
    if new:
        scores_inserted.send(sender=ScoreSheet, sheet=sheet)
    sheet.refresh_from_db(fields=["version"])
    return sheet


@transaction.atomic
def analysis_create(
    *, family: Family, member: Member, by: Any, data: Mapping[str, Any]
) -> MemberAnalysis:
    if member.family_id != family.pk:
        raise ValueError("member belongs to another family")
    return MemberAnalysis.objects.create(
        family=family,
        member=member,
        recorded_by=by,
        **{field: data[field] for field in ANALYSIS_FIELDS},
    )


@transaction.atomic
def analysis_update(
    *, analysis: MemberAnalysis, by: Any, version: int | None, data: Mapping[str, Any]
) -> MemberAnalysis:
    claim_version(MemberAnalysis, pk=analysis.pk, version=version)
    for field in ANALYSIS_FIELDS:
        setattr(analysis, field, data[field])
    analysis.recorded_by = by
    analysis.save(update_fields=[*ANALYSIS_FIELDS, "recorded_by", "updated_at"])
    analysis.refresh_from_db(fields=["version"])
    return analysis


def _check_members(family_id: int, members: Iterable[Member]) -> list[Member]:
    members = list(members)
    if any(m.family_id != family_id for m in members):
        raise ValueError("member belongs to another family")
    return members


@transaction.atomic
def event_create(
    *, family: Family, by: Any, data: Mapping[str, Any], members: Iterable[Member] = ()
) -> TimelineEvent:
    members = _check_members(family.pk, members)
    event = TimelineEvent.objects.create(
        family=family, created_by=by, **{field: data.get(field) for field in EVENT_FIELDS}
    )
    event.members.set(members)
    return event


@transaction.atomic
def event_update(
    *,
    event: TimelineEvent,
    version: int | None,
    data: Mapping[str, Any],
    members: Iterable[Member] = (),
) -> TimelineEvent:
    members = _check_members(event.family_id, members)
    claim_version(TimelineEvent, pk=event.pk, version=version)
    for field in EVENT_FIELDS:
        setattr(event, field, data.get(field))
    event.save(update_fields=[*EVENT_FIELDS, "updated_at"])
    event.members.set(members)
    event.refresh_from_db(fields=["version"])
    return event
