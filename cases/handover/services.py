"""The writes of a handover. Each is one transaction: a bulk handover moves every family or
none."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.models import (
    CoachChange,
    CoachChangeKind,
    CoachReplacement,
    Family,
    FamilyStatus,
    Notification,
    NotificationKind,
    Team,
)


class SameCoach(Exception):
    """The family already has this coach; nothing was written."""


def _notify(recipient: Any, *, kind: str, by: Any, **about: Any) -> Notification | None:
    """A notification in the app, not for one's own action. No e-mail: it would have to
    leave the family out, and the app shows it to whom it is meant for."""
    if recipient is None or recipient.pk == getattr(by, "pk", None):
        return None
    return Notification.objects.create(recipient=recipient, kind=kind, **about)


def notification_create(*, recipient: Any, kind: str, by: Any, **about: Any) -> Notification | None:
    """A notification for another part of cases (comments on the file): the same rule."""
    return _notify(recipient, kind=kind, by=by, **about)


def coach_record(
    *,
    family: Family,
    coach: Any,
    previous: Any,
    by: Any,
    kind: str,
    reason: str = "",
    note: str = "",
) -> CoachChange:
    """Write the history row of a change already made to `family.coach`, and notify the new
    coach. For the services that set the coach themselves (intake, the family form)."""
    change = CoachChange.objects.create(
        family=family,
        coach=coach,
        previous_coach=previous,
        changed_by=by,
        kind=kind,
        reason=reason,
        note=note,
    )
    _notify(coach, kind=NotificationKind.HANDOVER, by=by, family=family, coach_change=change)
    return change


@transaction.atomic
def coach_change(
    *,
    family: Family,
    coach: Any,
    by: Any,
    reason: str,
    note: str = "",
    kind: str = CoachChangeKind.HANDOVER,
) -> CoachChange:
    """Give the family another vaste hulpverlener, with the history row and a notification."""
    locked = (
        Family.objects.select_for_update(of=("self",)).select_related("coach").get(pk=family.pk)
    )
    previous = locked.coach
    if previous == coach:
        raise SameCoach
    # A new version: an edit form opened before the handover gets the conflict page.
    Family.objects.filter(pk=family.pk).update(
        coach=coach, version=F("version") + 1, updated_at=timezone.now()
    )
    family.coach = coach
    family.refresh_from_db(fields=["version", "updated_at"])
    return coach_record(
        family=family, coach=coach, previous=previous, by=by, kind=kind, reason=reason, note=note
    )


def spread(
    families: Sequence[Family], to_coaches: Sequence[Any], *, load: dict[int, int] | None = None
) -> list[tuple[Family, Any]]:
    """Which new coach gets which family: each next family to the coach with the fewest
    (their current active families counted), ties in the order given."""
    counts = Counter(load or {})
    plan = []
    for family in families:
        coach = min(to_coaches, key=lambda c: (counts[c.pk], to_coaches.index(c)))
        counts[coach.pk] += 1
        plan.append((family, coach))
    return plan


def coach_loads(coaches: Iterable[Any]) -> dict[int, int]:
    """Families that are not closed per coach (one query)."""
    rows = (
        Family.objects.filter(coach__in=list(coaches))
        .exclude(status=FamilyStatus.CLOSED)
        .values_list("coach_id")
        .order_by()
    )
    return Counter(coach_id for (coach_id,) in rows)


@transaction.atomic
def coach_handover_bulk(
    *, plan: Sequence[tuple[Family, Any]], by: Any, reason: str, note: str = ""
) -> list[CoachChange]:
    """Hand every family in `plan` (family, new coach) over in one transaction: when one
    fails, none has moved. Each family gets its own history row; each new coach one
    notification per family."""
    return [
        coach_change(
            family=family, coach=coach, by=by, reason=reason, note=note, kind=CoachChangeKind.BULK
        )
        for family, coach in plan
    ]


@transaction.atomic
def replacement_create(
    *,
    team: Team,
    coach: Any,
    replacement: Any,
    starts_on: datetime.date,
    ends_on: datetime.date,
    by: Any,
) -> CoachReplacement:
    """Waarneming: `replacement` writes in `coach`'s families of `team` from the first to the
    last day; the gate reads the dates, so nothing has to end it."""
    made = CoachReplacement.objects.create(
        team=team,
        coach=coach,
        replacement=replacement,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    _notify(replacement, kind=NotificationKind.REPLACEMENT, by=by, replacement=made)
    return made


@transaction.atomic
def replacement_end(*, replacement: CoachReplacement) -> CoachReplacement:
    """End a replacement early (the coach is back): its last day becomes yesterday, or it is
    removed when it had not begun."""
    today = timezone.localdate()
    if replacement.starts_on >= today:
        replacement.delete()
        return replacement
    replacement.ends_on = min(replacement.ends_on, today - datetime.timedelta(days=1))
    replacement.save(update_fields=["ends_on"])
    return replacement


@transaction.atomic
def notifications_read(*, user: Any, ids: Iterable[int] = ()) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    ids = list(ids)
    if ids:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
