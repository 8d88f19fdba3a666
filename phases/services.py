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
from cases.intake.services import family_reopen
from cases.models import Family, FamilyStatus, Referrer, Team
from cases.permissions import APPROVER_ROLES
from cases.services import claim_version
from cases.waiting import waiting_notify
from phases.models import (
    DEFAULT_DEFINITIONS,
    PHASE_ORDER,
    STEP_ORDER,
    AftercareCheckin,
    ClosingOutcome,
    ExtraHours,
    PhaseDefinition,
    PhaseEpisode,
    PhaseExtension,
    PhaseKind,
    Reminder,
    Step,
    TeamPhaseSettings,
    Transition,
    TransitionStatus,
    planned_end_for,
)
from phases.reminders import add_months, phase_setting
from phases.waiting import EXTENSION_KIND as EXTENSION_WAITING_KIND
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
        # An extension asked for the phase that ends now lapses with it.
        PhaseExtension.objects.filter(episode=episode, status=TransitionStatus.PENDING).update(
            status=TransitionStatus.REJECTED,
            decided_by=transition.decided_by or transition.proposed_by,
            decided_at=timezone.now(),
            decision_note=str(_("Vervallen: de fase is afgesloten.")),
        )
    if transition.to_step == Step.CLOSED and transition.into_aftercare:
        # Closing with aftercare goes on to aftercare at once, as a transition of its own.
        family.status = FamilyStatus.CLOSED
        aftercare = Transition.objects.create(
            family=family,
            from_step=Step.CLOSED,
            to_step=Step.AFTERCARE,
            status=TransitionStatus.APPLIED,
            effective_on=transition.effective_on,
            note=str(_("Nazorg afgesproken bij het afsluiten.")),
            proposed_by=transition.proposed_by,
            proposed_at=transition.decided_at or transition.proposed_at,
            decided_by=transition.decided_by,
            decided_at=transition.decided_at,
        )
        _apply(aftercare, family)
        return
    if transition.to_step == Step.AFTERCARE:
        aftercare_plan(family=family, closed_on=closing_date(family) or transition.effective_on)
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
    closing_outcome: str = "",
    closing_reason: str = "",
    into_aftercare: bool | None = None,
    today: datetime.date | None = None,
) -> Transition:
    """Propose the next step. It is applied at once when the team needs no approval or when
    the proposer is the team's psychologist; otherwise it waits for the psychologist.

    Closing the trajectory (the step to "closed") needs its outcome, the reason and whether
    the family goes into aftercare; with aftercare it goes on to aftercare when applied."""
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
    closing: dict[str, Any] = {}
    if target == Step.CLOSED:
        closing = _closing_fields(
            outcome=closing_outcome, reason=closing_reason, into_aftercare=into_aftercare
        )
    now = timezone.now()
    transition = Transition(
        family=family,
        from_step=step,
        to_step=target,
        effective_on=effective_on,
        note=note,
        proposed_by=by,
        proposed_at=now,
        **closing,
    )
    if _approval_applies_at_once(family, role):
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


def _closing_fields(*, outcome: str, reason: str, into_aftercare: bool | None) -> dict[str, Any]:
    if outcome not in ClosingOutcome.values:
        raise PhaseError(_("Kies de uitkomst van het traject."))
    if not reason.strip():
        raise PhaseError(_("Geef de reden van het afsluiten."))
    if into_aftercare is None:
        raise PhaseError(_("Geef aan of het gezin in nazorg gaat."))
    return {
        "closing_outcome": outcome,
        "closing_reason": reason.strip(),
        "into_aftercare": into_aftercare,
    }


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


def _approval_applies_at_once(family: Family, role: str) -> bool:
    """The transition rule: no approval needed by the team, or the proposer approves."""
    return not team_settings(family.team).approval_required or role in APPROVER_ROLES


@transaction.atomic
def extension_propose(
    *,
    family: Family,
    by: Any,
    role: str,
    new_end: datetime.date,
    reason: str,
    agreed_with: str,
) -> PhaseExtension:
    """Ask to move the open phase's planned end to `new_end`. Approved as a transition is:
    at once when the team needs no approval or the proposer is the psychologist, otherwise
    it waits for the psychologist (`extension_decide`). The episode keeps its original end."""
    family = _lock(family)
    episode = _open_episode(family)
    if episode is None:
        raise PhaseError(_("Dit gezin heeft geen lopende fase."))
    if PhaseExtension.objects.filter(episode=episode, status=TransitionStatus.PENDING).exists():
        raise PhaseError(_("Er wacht al een verlenging van deze fase op akkoord."))
    current_end = episode.agreed_end
    if new_end <= current_end:
        raise PhaseError(
            _("De nieuwe einddatum moet na de huidige geplande einddatum (%(date)s) liggen.")
            % {"date": long_date(current_end)}
        )
    if not reason.strip():
        raise PhaseError(_("Geef een reden voor de verlenging."))
    if not agreed_with.strip():
        raise PhaseError(_("Geef aan met wie de verlenging is afgesproken."))
    now = timezone.now()
    extension = PhaseExtension(
        family=family,
        episode=episode,
        previous_end=current_end,
        new_end=new_end,
        reason=reason.strip(),
        agreed_with=agreed_with.strip(),
        proposed_by=by,
        proposed_at=now,
    )
    if _approval_applies_at_once(family, role):
        extension.status = TransitionStatus.APPLIED
        if role in APPROVER_ROLES:
            extension.decided_by = by
            extension.decided_at = now
        extension.save()
        _extend(episode, extension)
    else:
        extension.save()
        # It waits in the psychologists' "Wacht op mij" from now on (phases.extensions),
        # and they hear of it by mail, by case number only.
        waiting_notify(
            team_id=family.team_id,
            kind=EXTENSION_WAITING_KIND,
            case_number=family.case_number,
            exclude_user_id=by.pk,
            still_waiting=lambda: PhaseExtension.objects.filter(
                pk=extension.pk, status=TransitionStatus.PENDING
            ).exists(),
        )
    return extension


def _extend(episode: PhaseEpisode, extension: PhaseExtension) -> None:
    episode.extended_end = extension.new_end
    episode.save(update_fields=["extended_end"])


@transaction.atomic
def extension_decide(
    *, extension: PhaseExtension, by: Any, approve: bool, note: str = ""
) -> PhaseExtension:
    """The psychologist's decision on a waiting extension; approval moves the planned end."""
    _lock(extension.family)
    extension = PhaseExtension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != TransitionStatus.PENDING:
        raise PhaseError(_("Over deze verlenging is al besloten."))
    episode = PhaseEpisode.objects.get(pk=extension.episode_id)
    if approve and (episode.ended_on is not None or extension.new_end <= episode.agreed_end):
        raise PhaseError(_("Deze verlenging past niet meer bij de fase; vraag haar opnieuw aan."))
    extension.decided_by = by
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.status = TransitionStatus.APPLIED if approve else TransitionStatus.REJECTED
    extension.save(update_fields=["decided_by", "decided_at", "decision_note", "status"])
    if approve:
        _extend(episode, extension)
    return extension


def aftercare_plan(*, family: Family, closed_on: datetime.date) -> list[AftercareCheckin]:
    """Plan the aftercare check-ins, settings.PHASES["AFTERCARE_CHECKIN_MONTHS"] after the
    closing; the ones already planned after that closing stay as they are."""
    if AftercareCheckin.objects.filter(family=family, planned_on__gt=closed_on).exists():
        return []
    months = phase_setting("AFTERCARE_CHECKIN_MONTHS")
    return AftercareCheckin.objects.bulk_create(
        [AftercareCheckin(family=family, planned_on=add_months(closed_on, m)) for m in months]
    )


@transaction.atomic
def aftercare_checkin_record(
    *,
    checkin: AftercareCheckin,
    by: Any,
    held_on: datetime.date,
    how_it_goes: str,
    needs_help: bool,
    notes: str = "",
    today: datetime.date | None = None,
) -> AftercareCheckin:
    """Record a held check-in. One that finds a need for help reopens the file at once: a
    new trajectory in the same file (cases.intake), referred again on the day it was held."""
    today = today or timezone.localdate()
    family = _lock(checkin.family)
    checkin = AftercareCheckin.objects.select_for_update().get(pk=checkin.pk)
    if checkin.held_on is not None:
        raise PhaseError(_("Dit nazorgcontact is al vastgelegd."))
    if family.status != FamilyStatus.AFTERCARE:
        raise PhaseError(_("Dit gezin is niet meer in nazorg."))
    _check_date(held_on, not_before=closing_date(family), today=today)
    if not how_it_goes.strip():
        raise PhaseError(_("Beschrijf hoe het met het gezin gaat."))
    checkin.held_on = held_on
    checkin.how_it_goes = how_it_goes.strip()
    checkin.needs_help = needs_help
    checkin.notes = notes.strip()
    checkin.recorded_by = by
    checkin.recorded_at = timezone.now()
    if needs_help:
        checkin.reopened_as = family_reopen(
            family=family,
            referrer=Referrer.OTHER,
            referrer_detail=str(_("Hulpvraag bij nazorgcontact van %(date)s"))
            % {"date": long_date(held_on)},
            referral_date=held_on,
            by=by,
        )
    checkin.save()
    return checkin


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
