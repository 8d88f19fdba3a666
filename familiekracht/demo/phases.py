"""Phase histories of the load-test families (`seed_demo --families N`), batched.

Active families get a phase history ending in an open phase, spread over all four phases;
some run past their planned end, some are over budget (extra contacts). Closed and
aftercare families get a closed history. Only bulk_create is used, so a thousand families
are fast; each episode is built by the episode rule of phases.services (`episode_build`),
not a copy of it. The base demo families go through the phase services (base.py).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence

from django.utils import timezone

from cases.models import Contact, ContactKind, Family, FamilyStatus, Membership, Role
from familiekracht.demo.base import active_phase, back_to_back, closed_on_for
from phases.models import (
    PHASE_ORDER,
    AftercareCheckin,
    ClosingOutcome,
    PhaseDefinition,
    PhaseEpisode,
    Step,
    Transition,
    TransitionStatus,
)
from phases.reminders import add_months, phase_setting
from phases.services import definitions_for, episode_build


def _history(
    family: Family,
    definitions: dict[str, PhaseDefinition],
    kinds: list[str],
    current_start: datetime.date,
) -> list[PhaseEpisode]:
    """Episodes of `kinds` back to back, the last one starting on `current_start` (open)."""
    starts = back_to_back(definitions, kinds, current_start)
    episodes = [
        episode_build(family=family, definition=definitions[kind], started_on=start)
        for kind, start in zip(kinds, starts, strict=True)
    ]
    for before, after in itertools.pairwise(episodes):
        before.ended_on = after.started_on
    return episodes


def seed(families: Sequence[Family]) -> None:
    """Phase histories for these load-test families, in batched inserts."""
    today = timezone.localdate()
    now = timezone.now()
    team_ids = {f.team_id for f in families}
    definitions = {team_id: definitions_for(team_id) for team_id in team_ids}
    psychologists = dict(
        Membership.objects.filter(team_id__in=team_ids, role=Role.PSYCHOLOGIST).values_list(
            "team_id", "user_id"
        )
    )
    episodes: list[PhaseEpisode] = []
    transitions: list[Transition] = []
    checkins: list[AftercareCheckin] = []
    contacts: list[Contact] = []
    active_index = 0
    for family in families:
        if family.coach_id is None:
            continue
        defs = definitions[family.team_id]
        approver = psychologists.get(family.team_id, family.coach_id)
        if family.status == FamilyStatus.ACTIVE:
            i = active_index
            active_index += 1
            kind, current_start = active_phase(i, defs, today)
            days_in = max((today - current_start).days, 1)
            kinds = PHASE_ORDER[: PHASE_ORDER.index(kind) + 1]
            history = _history(family, defs, kinds, current_start)
            episodes.extend(history)
            transitions.extend(_applied(family, history, approver, now))
            if i % 5 == 1:  # over budget: many long visits in the current phase
                budget_hours = int(defs[kind].weeks_max * defs[kind].hours_max)
                visits = budget_hours // 2 + 4
                for n in range(visits):
                    contacts.append(
                        Contact(
                            family=family,
                            date=current_start + datetime.timedelta(days=n % max(days_in, 1)),
                            minutes=150,
                            kind=ContactKind.HOME_VISIT,
                            domains=["family"],
                            note="Intensieve begeleiding na een crisis.",
                            author_id=family.coach_id,
                        )
                    )
        elif family.status in (FamilyStatus.CLOSED, FamilyStatus.AFTERCARE):
            closed_on = closed_on_for(family.status, today)
            closing_start = closed_on - datetime.timedelta(weeks=defs["closing"].weeks_max)
            history = _history(family, defs, PHASE_ORDER, closing_start)
            history[-1].ended_on = closed_on
            episodes.extend(history)
            transitions.extend(_applied(family, history, approver, now))
            closing = _done(
                family, "closing", Step.CLOSED, closed_on, family.coach_id, approver, now
            )
            closing.closing_outcome = ClosingOutcome.GOALS_REACHED
            closing.closing_reason = "Doelen van het gezinsplan bereikt."
            closing.into_aftercare = family.status == FamilyStatus.AFTERCARE
            transitions.append(closing)
            if family.status == FamilyStatus.AFTERCARE:
                checkins.extend(
                    AftercareCheckin(family=family, planned_on=add_months(closed_on, months))
                    for months in phase_setting("AFTERCARE_CHECKIN_MONTHS")
                )
                transitions.append(
                    _done(
                        family, Step.CLOSED, Step.AFTERCARE, closed_on, family.coach_id, None, now
                    )
                )
    episodes = PhaseEpisode.objects.bulk_create(episodes, batch_size=5000)
    _align_with_trajectory(families, episodes)
    Transition.objects.bulk_create(transitions, batch_size=5000)
    AftercareCheckin.objects.bulk_create(checkins, batch_size=5000)
    Contact.objects.bulk_create(contacts, batch_size=5000)


def _done(
    family: Family,
    from_step: str,
    to_step: str,
    on: datetime.date,
    proposer: int,
    approver: int | None,
    now: datetime.datetime,
) -> Transition:
    return Transition(
        family=family,
        from_step=from_step,
        to_step=to_step,
        status=TransitionStatus.APPLIED,
        effective_on=on,
        proposed_by_id=proposer,
        proposed_at=now,
        decided_by_id=approver,
        decided_at=now if approver else None,
    )


def _applied(
    family: Family, history: list[PhaseEpisode], approver: int, now: datetime.datetime
) -> list[Transition]:
    made = [_done(family, "", Step.START, history[0].started_on, family.coach_id, approver, now)]
    for before, after in zip(history, history[1:], strict=False):
        made.append(
            _done(family, before.kind, after.kind, after.started_on, family.coach_id, approver, now)
        )
    return made


def _align_with_trajectory(families: Sequence[Family], episodes: list[PhaseEpisode]) -> None:
    """Make the core demo data agree with the phase history just made.

    A family is referred a week before its first phase, and its contacts fall within its
    trajectory: those dated before it (or after a closed family closed) are moved inside
    at about one a week, the rest are dropped. Batched queries, however many families.
    """
    today = timezone.localdate()
    first_start: dict[int, datetime.date] = {}
    closed_on: dict[int, datetime.date] = {}
    for episode in episodes:
        known = first_start.get(episode.family_id)
        if known is None or episode.started_on < known:
            first_start[episode.family_id] = episode.started_on
        if episode.ended_on and episode.ended_on > closed_on.get(
            episode.family_id, episode.ended_on
        ):
            closed_on[episode.family_id] = episode.ended_on
        elif episode.ended_on:
            closed_on.setdefault(episode.family_id, episode.ended_on)
    referred = [f for f in families if f.pk in first_start]
    for family in referred:
        family.referral_date = first_start[family.pk] - datetime.timedelta(days=7)
    Family.objects.bulk_update(referred, ["referral_date"], batch_size=1000)

    closed = {f.pk for f in referred if f.status == FamilyStatus.CLOSED}
    moved: list[Contact] = []
    outside: list[int] = []
    kept: dict[int, int] = {}
    contacts = Contact.objects.filter(family_id__in=list(first_start)).only(
        "id", "family_id", "date"
    )
    for contact in contacts.order_by("-date"):
        begin = first_start[contact.family_id]
        end = closed_on[contact.family_id] if contact.family_id in closed else today
        span = max((end - begin).days, 1)
        if begin <= contact.date <= end:
            continue
        # Moved inside the trajectory at about one contact a week; the rest goes.
        if kept.get(contact.family_id, 0) < max(2, span // 7):
            kept[contact.family_id] = kept.get(contact.family_id, 0) + 1
            shift = abs((contact.date - (begin if contact.date < begin else end)).days)
            contact.date = begin + datetime.timedelta(days=shift % span)
            moved.append(contact)
        else:
            outside.append(contact.pk)
    Contact.objects.bulk_update(moved, ["date"], batch_size=2000)
    for offset in range(0, len(outside), 2000):
        Contact.objects.filter(pk__in=outside[offset : offset + 2000]).delete()
