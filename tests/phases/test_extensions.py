"""Agreed extensions of a phase's planned end: approval, the flags, the history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Role
from phases import services
from phases.budget import phase_figures_for
from phases.extensions import pending_extensions
from phases.models import ExtraHours, PhaseEpisode, PhaseExtension, ReminderKind, TransitionStatus
from phases.reminders import reminders_run
from reports.caseload import caseload_rows
from tests.factories import ContactFactory
from tests.phases.helpers import open_phase

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def late(family):  # type: ignore[no-untyped-def]
    """An analysis phase 10 days past its planned end (planned for 6 weeks)."""
    return open_phase(
        family,
        kind="analysis",
        started_on=today() - datetime.timedelta(weeks=6) - 10 * DAY,
        planned_end=today() - 10 * DAY,
    )


def url(name, family, *args):  # type: ignore[no-untyped-def]
    return reverse(f"phases:{name}", args=[family.pk, *args])


def _extend(family, by, role, new_end):  # type: ignore[no-untyped-def]
    return services.extension_propose(
        family=family,
        by=by,
        role=role,
        new_end=new_end,
        reason="Verhuizing van het gezin",
        agreed_with="Moeder en de huisarts",
    )


def test_extension_moves_the_flags_within_and_past_it(family, psychologist, late, alice):
    ContactFactory(family=family, author=alice, date=today(), minutes=60)
    assert phase_figures_for([family.pk], today=today())[family.pk].overdue
    _extend(family, psychologist, Role.PSYCHOLOGIST, today() + 14 * DAY)

    within = phase_figures_for([family.pk], today=today())[family.pk]
    assert not within.overdue
    assert within.planned_end == today() + 14 * DAY and within.extended
    assert within.original_end == today() - 10 * DAY
    assert within.days_left == 14
    # 24 extended days at the analysis band (6 h a week) add 20.6 hours to the budget.
    assert within.extension_hours == Decimal("20.6")
    assert within.budget_max == Decimal(36) + Decimal("20.6")
    assert within.budget_min == Decimal(24) + Decimal("20.6")

    on_last_day = today() + 14 * DAY
    assert not phase_figures_for([family.pk], today=on_last_day)[family.pk].overdue
    past = phase_figures_for([family.pk], today=on_last_day + DAY)[family.pk]
    assert past.overdue and past.days_late == 1

    # The caseload and the reminder job read the same flag.
    (row,) = caseload_rows(family.team, today=today())
    assert not row.overdue and row.days_late == 0
    assert row.budget_max == Decimal(36) + Decimal("20.6")
    (row,) = caseload_rows(family.team, today=on_last_day + DAY)
    assert row.overdue and row.days_late == 1


def test_reminders_follow_the_extended_end(family, alice, psychologist, late):
    ContactFactory(family=family, author=alice, date=today(), minutes=60)
    _extend(family, psychologist, Role.PSYCHOLOGIST, today() + 20 * DAY)
    reminders_run(today=today(), send_email=False)
    assert not alice.phase_reminders.filter(kind=ReminderKind.PHASE_OVERDUE).exists()
    ContactFactory(family=family, author=alice, date=today() + 21 * DAY, minutes=60)
    reminders_run(today=today() + 21 * DAY, send_email=False)
    overdue = alice.phase_reminders.get(kind=ReminderKind.PHASE_OVERDUE)
    assert overdue.due_on == today() + 20 * DAY


def test_history_keeps_the_original_end(family, psychologist, late):
    first = _extend(family, psychologist, Role.PSYCHOLOGIST, today() + 7 * DAY)
    second = _extend(family, psychologist, Role.PSYCHOLOGIST, today() + 21 * DAY)
    late.refresh_from_db()
    assert late.planned_end == today() - 10 * DAY  # the original plan stays
    assert late.extended_end == today() + 21 * DAY
    assert (first.previous_end, first.new_end) == (today() - 10 * DAY, today() + 7 * DAY)
    assert (second.previous_end, second.new_end) == (today() + 7 * DAY, today() + 21 * DAY)


def test_coach_proposes_and_waits_for_the_psychologist(family, alice, psychologist, late):
    extension = _extend(family, alice, Role.COACH, today() + 14 * DAY)
    assert extension.status == TransitionStatus.PENDING
    late.refresh_from_db()
    assert late.extended_end is None
    assert phase_figures_for([family.pk], today=today())[family.pk].overdue
    assert list(pending_extensions(psychologist)) == [extension]
    assert list(pending_extensions(alice)) == []

    services.extension_decide(extension=extension, by=psychologist, approve=True, note="Goed")
    late.refresh_from_db()
    assert late.extended_end == today() + 14 * DAY
    assert not phase_figures_for([family.pk], today=today())[family.pk].overdue
    assert list(pending_extensions(psychologist)) == []
    with pytest.raises(services.PhaseError):
        services.extension_decide(extension=extension, by=psychologist, approve=False)


def test_refusal_leaves_the_end_and_is_kept(family, alice, psychologist, late):
    extension = _extend(family, alice, Role.COACH, today() + 14 * DAY)
    services.extension_decide(extension=extension, by=psychologist, approve=False, note="Nee")
    extension.refresh_from_db()
    late.refresh_from_db()
    assert extension.status == TransitionStatus.REJECTED and extension.decided_by == psychologist
    assert late.extended_end is None
    assert phase_figures_for([family.pk], today=today())[family.pk].overdue


def test_without_team_approval_a_coach_extends_at_once(family, alice, late):
    team_phase = services.team_settings(family.team)
    team_phase.approval_required = False
    team_phase.save()
    extension = _extend(family, alice, Role.COACH, today() + 14 * DAY)
    assert extension.status == TransitionStatus.APPLIED and extension.decided_by is None
    late.refresh_from_db()
    assert late.extended_end == today() + 14 * DAY


def test_bad_extensions_save_nothing(family, alice, late):
    with pytest.raises(services.PhaseError):
        _extend(family, alice, Role.COACH, today() - 10 * DAY)  # not after the current end
    with pytest.raises(services.PhaseError):
        services.extension_propose(
            family=family,
            by=alice,
            role=Role.COACH,
            new_end=today() + DAY,
            reason=" ",
            agreed_with="Moeder",
        )
    _extend(family, alice, Role.COACH, today() + 7 * DAY)
    with pytest.raises(services.PhaseError):  # one waiting at a time
        _extend(family, alice, Role.COACH, today() + 9 * DAY)
    assert PhaseExtension.objects.count() == 1


def test_a_waiting_extension_lapses_when_the_phase_ends(family, alice, psychologist, late):
    extension = _extend(family, alice, Role.COACH, today() + 14 * DAY)
    services.transition_propose(
        family=family, by=psychologist, role=Role.PSYCHOLOGIST, effective_on=today()
    )
    extension.refresh_from_db()
    assert extension.status == TransitionStatus.REJECTED
    assert list(pending_extensions(psychologist)) == []


# --- the views ------------------------------------------------------------------------------


def test_coach_proposes_on_the_page_and_the_psychologist_decides(
    family, alice_client, psychologist_client, late
):
    new_end = today() + 14 * DAY
    response = alice_client.post(
        url("extension_propose", family),
        {
            "new_end": new_end.isoformat(),
            "reason": "Gezin verhuist",
            "agreed_with": "Moeder",
        },
    )
    assert response.status_code == 302
    extension = PhaseExtension.objects.get()
    assert extension.status == TransitionStatus.PENDING
    html = psychologist_client.get(url("family_phases", family)).content.decode()
    assert "Akkoord gevraagd: verlenging" in html
    response = psychologist_client.post(
        url("extension_decide", family, extension.pk),
        {"extension_decision-decision": "approve", "extension_decision-note": ""},
    )
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.status == TransitionStatus.APPLIED
    html = alice_client.get(url("family_phases", family)).content.decode()
    assert "verlengd; eerst gepland tot" in html
    assert "Over de geplande einddatum" not in html


def test_bad_input_on_the_page_is_a_dutch_sentence(family, alice_client, late):
    response = alice_client.post(
        url("extension_propose", family),
        {
            "new_end": (today() - 20 * DAY).isoformat(),
            "reason": "x",
            "agreed_with": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een datum na de huidige geplande einddatum" in html
    assert not PhaseExtension.objects.exists()


def test_who_may_propose_and_decide(
    family,
    alice,
    late,
    alice_client,
    bob_client,
    coordinator_client,
    charlie_client,
):
    data = {
        "new_end": (today() + 7 * DAY).isoformat(),
        "reason": "Gezin verhuist",
        "agreed_with": "Moeder",
    }
    assert charlie_client.post(url("extension_propose", family), data).status_code == 404
    assert coordinator_client.post(url("extension_propose", family), data).status_code == 403
    assert bob_client.post(url("extension_propose", family), data).status_code == 403
    assert not PhaseExtension.objects.exists()
    extension = _extend(family, alice, Role.COACH, today() + 7 * DAY)
    decide = url("extension_decide", family, extension.pk)
    verdict = {"extension_decision-decision": "approve"}
    assert charlie_client.post(decide, verdict).status_code == 404
    for client in (alice_client, bob_client, coordinator_client):
        assert client.post(decide, verdict).status_code == 403
    extension.refresh_from_db()
    assert extension.status == TransitionStatus.PENDING


# --- relapse hours stay where they were spent -------------------------------------------------


def test_extra_hours_of_an_ended_phase_show_in_that_phase_row(family, alice, alice_client):
    execution = open_phase(family, kind="execution", started_on=today() - 60 * DAY)
    services.extra_hours_add(family=family, by=alice, hours=Decimal(7), reason="Terugval A")
    services.phase_step_back(
        family=family, by=alice, effective_on=today() - 5 * DAY, reason="Terugval B"
    )
    current = PhaseEpisode.objects.open().get(family=family)
    assert ExtraHours.objects.get().episode == execution
    html = alice_client.get(url("family_phases", family)).content.decode()
    # Newest first: the current phase's row, then the ended execution phase with its hours.
    current_row = html.index('<th scope="row">Analysefase</th>')
    ended_row = html.index('<th scope="row">Uitvoeringsfase</th>')
    hours_row = html.index(f'data-extra-hours="{execution.pk}"')
    assert current_row < ended_row < hours_row
    assert f'data-extra-hours="{current.pk}"' not in html
    assert "Terugval A" in html[ended_row:]
    # The current phase's budget has no relapse hours; the ended one has them.
    assert phase_figures_for([family.pk], today=today())[family.pk].extra_hours == 0
