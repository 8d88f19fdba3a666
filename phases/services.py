"""Writes for phases: starting a trajectory, transitions, stepping back, extra hours, definitions.

Each service is one transaction and locks the family row first, so two people moving the
same family at once are serialised (the unique constraints are the last line of defence).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formats import long_date
from cases.models import Family, FamilyStatus, Team
from cases.permissions import APPROVER_ROLES
from cases.services import claim_version
from cases.waiting import waiting_notify
from phases.models import (
    DEFAULT_DEFINITIONS,
    PHASE_ORDER,
    STEP_ORDER,
    ExtraHours,
    PhaseDefinition,
    PhaseEpisode,
    PhaseKind,
    Reminder,
    Step,
    TeamPhaseSettings,
    Transition,
    TransitionStatus,
    planned_end_for,
)
from phases.waiting import KIND as WAITING_KIND


class PhaseError(Exception):
    """A phase change that is not allowed; the message is for the user (Dutch)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def team_settings(team: Team) -> TeamPhaseSettings:
    settings_obj, _created = TeamPhaseSettings.objects.get_or_create(team=team)
    return settings_obj


def definitions_for(team: Team | int) -> dict[str, PhaseDefinition]:
    """The team's four phase definitions, created from DOMAIN.md's table the first time."""
    team_id = team if isinstance(team, int) else team.pk
    found = {d.kind: d for d in PhaseDefinition.objects.filter(team_id=team_id)}
    if len(found) < len(PHASE_ORDER):
        PhaseDefinition.objects.bulk_create(
            [
                PhaseDefinition(
                    team_id=team_id,
                    kind=kind,
                    weeks_min=wmin,
                    weeks_max=wmax,
                    hours_min=hmin,
                    hours_max=hmax,
                )
                for kind, (wmin, wmax, hmin, hmax) in DEFAULT_DEFINITIONS.items()
                if kind not in found
            ],
            ignore_conflicts=True,
        )
        found = {d.kind: d for d in PhaseDefinition.objects.filter(team_id=team_id)}
    return found


def current_step(family: Family, open_episode: PhaseEpisode | None) -> str | None:
    """Where the family stands: its open phase, closed, aftercare, or None (not started)."""
    if open_episode is not None:
        return open_episode.kind
    if family.status == FamilyStatus.CLOSED:
        return Step.CLOSED
    if family.status == FamilyStatus.AFTERCARE:
        return Step.AFTERCARE
    return None


def next_step(step: str | None) -> str | None:
    if step is None or step == Step.AFTERCARE:
        return None
    return STEP_ORDER[STEP_ORDER.index(step) + 1]


def previous_phase(step: str | None) -> str | None:
    if step not in PHASE_ORDER or step == PhaseKind.START:
        return None
    return PHASE_ORDER[PHASE_ORDER.index(step) - 1]


def _lock(family: Family) -> Family:
    return Family.objects.select_for_update().get(pk=family.pk)


def _open_episode(family: Family) -> PhaseEpisode | None:
    return PhaseEpisode.objects.open().filter(family=family).first()


def episode_build(
    *, family: Family, definition: PhaseDefinition, started_on: datetime.date
) -> PhaseEpisode:
    """An unsaved episode: the team's definition copied in, so a running phase keeps the
    numbers it started with. The batched demo load (familiekracht.demo.bulk) uses it too."""
    return PhaseEpisode(
        family=family,
        kind=definition.kind,
        started_on=started_on,
        planned_end=planned_end_for(started_on, definition.weeks_max),
        weeks_min=definition.weeks_min,
        weeks_max=definition.weeks_max,
        hours_min=definition.hours_min,
        hours_max=definition.hours_max,
    )


def _episode_new(*, family: Family, kind: str, started_on: datetime.date) -> PhaseEpisode:
    definition = definitions_for(family.team_id)[kind]
    episode = episode_build(family=family, definition=definition, started_on=started_on)
    episode.save()
    return episode


def _check_date(
    effective_on: datetime.date, *, not_before: datetime.date | None, today: datetime.date
) -> None:
    if effective_on > today:
        raise PhaseError(_("Een datum in de toekomst kan niet; kies vandaag of een eerdere datum."))
    if not_before is not None and effective_on < not_before:
        raise PhaseError(
            _("De datum ligt vóór het begin van de huidige fase (%(date)s).")
            % {"date": long_date(not_before)}
        )


def closing_date(family: Family) -> datetime.date | None:
    return (
        Transition.objects.filter(
            family=family, to_step=Step.CLOSED, status=TransitionStatus.APPLIED
        )
        .order_by("-effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )


@transaction.atomic
def trajectory_start(
    *, family: Family, by: Any, started_on: datetime.date, today: datetime.date | None = None
) -> PhaseEpisode:
    """Begin the start phase for a referred or active family that has no phase yet."""
    today = today or timezone.localdate()
    family = _lock(family)
    if family.status not in (FamilyStatus.REFERRED, FamilyStatus.ACTIVE):
        raise PhaseError(_("Dit gezin is afgesloten; een nieuw traject start hier niet."))
    # Only an open phase stands in the way: a file reopened after closing or aftercare
    # (cases.intake, a new trajectory in the same file) keeps its earlier, ended phases.
    if PhaseEpisode.objects.filter(family=family, ended_on__isnull=True).exists():
        raise PhaseError(_("Dit gezin heeft al een fase."))
    earlier_end = (
        PhaseEpisode.objects.filter(family=family)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
        .first()
    )
    not_before = max(d for d in (family.referral_date, earlier_end) if d is not None)
    _check_date(started_on, not_before=not_before, today=today)
    episode = _episode_new(family=family, kind=PhaseKind.START, started_on=started_on)
    now = timezone.now()
    Transition.objects.create(
        family=family,
        from_step="",
        to_step=Step.START,
        status=TransitionStatus.APPLIED,
        effective_on=started_on,
        proposed_by=by,
        proposed_at=now,
        decided_by=by,
        decided_at=now,
        note=str(_("Traject gestart.")),
    )
    if family.status != FamilyStatus.ACTIVE:
        family.status = FamilyStatus.ACTIVE
        family.save(update_fields=["status", "updated_at"])
    return episode


def _apply(transition: Transition, family: Family) -> None:
    episode = _open_episode(family)
    if episode is not None:
        episode.ended_on = transition.effective_on
        episode.save(update_fields=["ended_on"])
    if transition.to_step in PHASE_ORDER:
        _episode_new(family=family, kind=transition.to_step, started_on=transition.effective_on)
        status = FamilyStatus.ACTIVE
    elif transition.to_step == Step.CLOSED:
        status = FamilyStatus.CLOSED
    else:
        status = FamilyStatus.AFTERCARE
    if family.status != status:
        family.status = status
        family.save(update_fields=["status", "updated_at"])


def _not_before(family: Family, episode: PhaseEpisode | None) -> datetime.date | None:
    if episode is not None:
        return episode.started_on
    return closing_date(family)


@transaction.atomic
def transition_propose(
    *,
    family: Family,
    by: Any,
    role: str,
    effective_on: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> Transition:
    """Propose the next step. It is applied at once when the team needs no approval or when
    the proposer is the team's psychologist; otherwise it waits for the psychologist."""
    today = today or timezone.localdate()
    family = _lock(family)
    episode = _open_episode(family)
    step = current_step(family, episode)
    target = next_step(step)
    if step is None or target is None:
        raise PhaseError(_("Er is geen volgende stap voor dit gezin."))
    if Transition.objects.filter(family=family, status=TransitionStatus.PENDING).exists():
        raise PhaseError(_("Er wacht al een faseovergang op akkoord."))
    _check_date(effective_on, not_before=_not_before(family, episode), today=today)
    now = timezone.now()
    transition = Transition(
        family=family,
        from_step=step,
        to_step=target,
        effective_on=effective_on,
        note=note,
        proposed_by=by,
        proposed_at=now,
    )
    needs_approval = team_settings(family.team).approval_required
    if not needs_approval or role in APPROVER_ROLES:
        transition.status = TransitionStatus.APPLIED
        if role in APPROVER_ROLES:
            transition.decided_by = by
            transition.decided_at = now
        transition.save()
        _apply(transition, family)
    else:
        transition.save()
        # It waits in the psychologists' "Wacht op mij" from now on (phases.waiting);
        # they hear of it by mail as well, by case number only.
        waiting_notify(
            team_id=family.team_id,
            kind=WAITING_KIND,
            case_number=family.case_number,
            exclude_user_id=by.pk,
            still_waiting=lambda: Transition.objects.filter(
                pk=transition.pk, status=TransitionStatus.PENDING
            ).exists(),
        )
    return transition


@transaction.atomic
def transition_decide(
    *, transition: Transition, by: Any, approve: bool, note: str = ""
) -> Transition:
    family = _lock(transition.family)
    transition = Transition.objects.select_for_update().get(pk=transition.pk)
    if transition.status != TransitionStatus.PENDING:
        raise PhaseError(_("Over deze faseovergang is al besloten."))
    transition.decided_by = by
    transition.decided_at = timezone.now()
    transition.decision_note = note
    transition.status = TransitionStatus.APPLIED if approve else TransitionStatus.REJECTED
    transition.save(update_fields=["decided_by", "decided_at", "decision_note", "status"])
    if approve:
        _apply(transition, family)
    return transition


@transaction.atomic
def phase_step_back(
    *,
    family: Family,
    by: Any,
    effective_on: datetime.date,
    reason: str,
    today: datetime.date | None = None,
) -> Transition:
    """Go back one phase at once (relapse); a waiting proposal lapses."""
    today = today or timezone.localdate()
    family = _lock(family)
    episode = _open_episode(family)
    target = previous_phase(episode.kind if episode else None)
    if episode is None or target is None:
        raise PhaseError(_("Een stap terug kan alleen vanuit een latere fase dan de startfase."))
    if not reason.strip():
        raise PhaseError(_("Geef een reden voor de stap terug."))
    _check_date(effective_on, not_before=episode.started_on, today=today)
    now = timezone.now()
    Transition.objects.filter(family=family, status=TransitionStatus.PENDING).update(
        status=TransitionStatus.REJECTED,
        decided_by=by,
        decided_at=now,
        decision_note=str(_("Vervallen door een stap terug.")),
    )
    transition = Transition.objects.create(
        family=family,
        from_step=episode.kind,
        to_step=target,
        is_step_back=True,
        status=TransitionStatus.APPLIED,
        effective_on=effective_on,
        note=reason,
        proposed_by=by,
        proposed_at=now,
    )
    _apply(transition, family)
    return transition


@transaction.atomic
def extra_hours_add(*, family: Family, by: Any, hours: Decimal, reason: str) -> ExtraHours:
    """Add relapse hours to the open phase; they count at once."""
    family = _lock(family)
    episode = _open_episode(family)
    if episode is None:
        raise PhaseError(_("Dit gezin heeft geen lopende fase."))
    return ExtraHours.objects.create(episode=episode, hours=hours, reason=reason, added_by=by)


@transaction.atomic
def definitions_update(
    *,
    team: Team,
    by: Any,
    version: int | None,
    values: dict[str, dict[str, Any]],
    approval_required: bool,
) -> None:
    """Save the team's phase definitions; running phases keep the numbers they started with.

    `version` is the team settings' version the page was opened at; EditConflict when
    someone saved the page in between (nothing is written).
    """
    claim_version(TeamPhaseSettings, pk=team_settings(team).pk, version=version)
    current = definitions_for(team)
    for kind, fields in values.items():
        definition = current[kind]
        for name, value in fields.items():
            setattr(definition, name, value)
        definition.updated_by = by
        definition.save(
            update_fields=[*fields.keys(), "updated_by", "updated_at"],
        )
    team_phase = team_settings(team)
    if team_phase.approval_required != approval_required:
        team_phase.approval_required = approval_required
        team_phase.save(update_fields=["approval_required"])


@transaction.atomic
def reminders_mark_read(*, user: Any, reminder_ids: list[int] | None = None) -> int:
    """Mark the user's own reminders read (all unread ones when no ids are given)."""
    reminders = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    if reminder_ids is not None:
        reminders = reminders.filter(pk__in=reminder_ids)
    return reminders.update(read_at=timezone.now())
