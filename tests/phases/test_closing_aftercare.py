"""Closing a trajectory with its outcome, aftercare check-ins as records, reopening."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import FamilyStatus, Role, Trajectory
from phases import services
from phases.models import (
    AftercareCheckin,
    PhaseEpisode,
    Reminder,
    ReminderKind,
    Step,
    Transition,
    TransitionStatus,
)
from phases.reminders import add_months, reminders_run
from tests.phases.helpers import CLOSE_WITH_AFTERCARE, CLOSE_WITHOUT_AFTERCARE, open_phase

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def in_closing(family):  # type: ignore[no-untyped-def]
    return open_phase(family, kind="closing", started_on=today() - 30 * DAY)


def url(name, family, *args):  # type: ignore[no-untyped-def]
    return reverse(f"phases:{name}", args=[family.pk, *args])


def _close(family, by, role, on, **closing):  # type: ignore[no-untyped-def]
    return services.transition_propose(family=family, by=by, role=role, effective_on=on, **closing)


def _in_aftercare(family, psychologist, closed_on):  # type: ignore[no-untyped-def]
    open_phase(family, kind="closing", started_on=closed_on - 30 * DAY)
    _close(
        family, psychologist, Role.PSYCHOLOGIST, closed_on, today=closed_on, **CLOSE_WITH_AFTERCARE
    )
    family.refresh_from_db()
    return family


# --- closing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"closing_outcome": ""}, "Kies de uitkomst van het traject."),
        ({"closing_outcome": "nonsense"}, "Kies de uitkomst van het traject."),
        ({"closing_reason": "  "}, "Geef de reden van het afsluiten."),
        ({"into_aftercare": None}, "Geef aan of het gezin in nazorg gaat."),
    ],
)
def test_closing_needs_outcome_reason_and_aftercare(
    family, psychologist, in_closing, missing, message
):
    with pytest.raises(services.PhaseError) as error:
        _close(
            family,
            psychologist,
            Role.PSYCHOLOGIST,
            today(),
            **{**CLOSE_WITHOUT_AFTERCARE, **missing},
        )
    assert str(error.value.message) == message
    assert not Transition.objects.exists()
    assert PhaseEpisode.objects.open().get(family=family) == in_closing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"closing_reason": "Klaar", "into_aftercare": "no"}, "Kies de uitkomst van het traject."),
        (
            {"closing_outcome": "goals_reached", "into_aftercare": "no"},
            "Geef de reden van het afsluiten.",
        ),
        (
            {"closing_outcome": "goals_reached", "closing_reason": "Klaar"},
            "Geef aan of het gezin in nazorg gaat.",
        ),
    ],
)
def test_closing_form_bad_input_is_dutch_and_saves_nothing(
    family, alice_client, in_closing, data, message
):
    page = alice_client.get(url("family_phases", family)).content.decode()
    assert "Uitkomst" in page and "Gaat het gezin in nazorg?" in page
    response = alice_client.post(
        url("transition_propose", family), {"effective_on": today().isoformat(), **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Transition.objects.exists()
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE


def test_closing_without_aftercare_keeps_its_outcome(family, psychologist, in_closing):
    transition = _close(
        family,
        psychologist,
        Role.PSYCHOLOGIST,
        today(),
        closing_outcome="referred",
        closing_reason="Naar specialistische GGZ",
        into_aftercare=False,
    )
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED
    transition.refresh_from_db()
    assert transition.to_step == Step.CLOSED
    assert (transition.closing_outcome, transition.closing_reason) == (
        "referred",
        "Naar specialistische GGZ",
    )
    assert transition.into_aftercare is False
    assert not AftercareCheckin.objects.exists()


def test_coach_closes_into_aftercare_after_approval(family, alice, psychologist, in_closing):
    proposal = _close(family, alice, Role.COACH, today(), **CLOSE_WITH_AFTERCARE)
    assert proposal.status == TransitionStatus.PENDING
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE
    assert not AftercareCheckin.objects.exists()

    services.transition_decide(transition=proposal, by=psychologist, approve=True)
    family.refresh_from_db()
    assert family.status == FamilyStatus.AFTERCARE
    steps = list(family.phase_transitions.order_by("id").values_list("to_step", "status"))
    assert steps == [(Step.CLOSED, "applied"), (Step.AFTERCARE, "applied")]
    planned = list(AftercareCheckin.objects.values_list("planned_on", "held_on"))
    assert planned == [(add_months(today(), 3), None), (add_months(today(), 6), None)]


def test_a_closed_family_moved_to_aftercare_later_gets_its_checkins(
    family, psychologist, in_closing, settings
):
    settings.PHASES = {**settings.PHASES, "AFTERCARE_CHECKIN_MONTHS": [2]}
    closed_on = today() - 10 * DAY
    _close(family, psychologist, Role.PSYCHOLOGIST, closed_on, **CLOSE_WITHOUT_AFTERCARE)
    assert not AftercareCheckin.objects.exists()
    services.transition_propose(
        family=family, by=psychologist, role=Role.PSYCHOLOGIST, effective_on=today()
    )
    family.refresh_from_db()
    assert family.status == FamilyStatus.AFTERCARE
    # Counted from the closing, not from the day aftercare was agreed.
    assert list(AftercareCheckin.objects.values_list("planned_on", flat=True)) == [
        add_months(closed_on, 2)
    ]


def test_the_phases_page_shows_the_outcome(family, psychologist, alice_client, in_closing):
    _close(family, psychologist, Role.PSYCHOLOGIST, today(), **CLOSE_WITH_AFTERCARE)
    html = alice_client.get(url("family_phases", family)).content.decode()
    assert "Doelen bereikt" in html and "Doelen van het plan gehaald." in html
    assert "Met nazorg." in html
    assert html.count(">gepland</span>") == 2


# --- check-ins ------------------------------------------------------------------------------


def test_reminder_reads_the_planned_checkins_not_the_held_ones(family, alice, psychologist):
    closed_on = today() - 200 * DAY
    _in_aftercare(family, psychologist, closed_on)
    first, second = AftercareCheckin.objects.order_by("planned_on")
    due_day = first.planned_on
    assert reminders_run(today=due_day, send_email=False) == 1
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.due_on) == (ReminderKind.AFTERCARE_CHECKIN, due_day)
    Reminder.objects.all().delete()
    services.aftercare_checkin_record(
        checkin=first,
        by=alice,
        held_on=due_day,
        how_it_goes="Goed",
        needs_help=False,
        today=due_day + DAY,
    )
    # Held: no reminder for it any more; the next one still comes.
    assert reminders_run(today=due_day + DAY, send_email=False) == 0
    assert reminders_run(today=second.planned_on, send_email=False) == 1
    assert Reminder.objects.get().due_on == second.planned_on


def test_a_moved_checkin_date_moves_the_reminder(family, alice, psychologist):
    # Both check-ins are long past their grace: only the moved one is due.
    _in_aftercare(family, psychologist, today() - 300 * DAY)
    assert reminders_run(today=today(), send_email=False) == 0
    first = AftercareCheckin.objects.order_by("planned_on").first()
    first.planned_on = today() + 3 * DAY
    first.save()
    assert reminders_run(today=today(), send_email=False) == 1
    assert Reminder.objects.get().due_on == today() + 3 * DAY


def test_recording_a_checkin_on_the_page(family, alice, psychologist, alice_client):
    _in_aftercare(family, psychologist, today() - 100 * DAY)
    checkin = AftercareCheckin.objects.order_by("planned_on").first()
    response = alice_client.post(
        url("aftercare_checkin_record", family, checkin.pk),
        {
            "held_on": today().isoformat(),
            "how_it_goes": "Het weekritme houdt stand.",
            "needs_help": "no",
            "notes": "",
        },
    )
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.held_on == today() and checkin.needs_help is False
    assert checkin.recorded_by == alice and checkin.reopened_as is None
    family.refresh_from_db()
    assert family.status == FamilyStatus.AFTERCARE
    with pytest.raises(services.PhaseError):  # a record, not edited again
        services.aftercare_checkin_record(
            checkin=checkin, by=alice, held_on=today(), how_it_goes="x", needs_help=False
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"how_it_goes": "", "needs_help": "no"}, "Dit veld is verplicht."),
        ({"how_it_goes": "Goed"}, "Geef aan of er een nieuwe hulpvraag is."),
        (
            {"how_it_goes": "Goed", "needs_help": "no", "held_on": "2099-01-01"},
            "toekomst",
        ),
    ],
)
def test_bad_checkin_input_saves_nothing(family, psychologist, alice_client, data, message):
    _in_aftercare(family, psychologist, today() - 100 * DAY)
    checkin = AftercareCheckin.objects.order_by("planned_on").first()
    response = alice_client.post(
        url("aftercare_checkin_record", family, checkin.pk),
        {"held_on": today().isoformat(), **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.held_on is None


def test_a_need_for_help_reopens_the_file_in_one_step(family, alice, psychologist, alice_client):
    _in_aftercare(family, psychologist, today() - 100 * DAY)
    checkin = AftercareCheckin.objects.order_by("planned_on").first()
    response = alice_client.post(
        url("aftercare_checkin_record", family, checkin.pk),
        {
            "held_on": today().isoformat(),
            "how_it_goes": "Vader is zijn werk kwijt.",
            "needs_help": "yes",
            "notes": "Gezin vraagt om hulp.",
        },
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.status == FamilyStatus.REFERRED
    assert family.referral_date == today()
    checkin.refresh_from_db()
    trajectory = Trajectory.objects.get(family=family, number=2)
    assert checkin.reopened_as == trajectory
    assert trajectory.previous_status == FamilyStatus.AFTERCARE
    # The next step is the start phase of the new trajectory.
    html = alice_client.get(url("family_phases", family)).content.decode()
    assert "Startfase beginnen" in html and "heropend als traject 2" in html
    # No reminder for the other check-in of the ended aftercare.
    later = AftercareCheckin.objects.planned().get()
    assert reminders_run(today=later.planned_on, send_email=False) == 0


def test_who_may_record_a_checkin(
    family, psychologist, bob_client, coordinator_client, charlie_client
):
    _in_aftercare(family, psychologist, today() - 100 * DAY)
    checkin = AftercareCheckin.objects.order_by("planned_on").first()
    record = url("aftercare_checkin_record", family, checkin.pk)
    data = {"held_on": today().isoformat(), "how_it_goes": "Goed", "needs_help": "no"}
    assert charlie_client.post(record, data).status_code == 404
    assert coordinator_client.post(record, data).status_code == 403
    assert bob_client.post(record, data).status_code == 403
    checkin.refresh_from_db()
    assert checkin.held_on is None


def test_families_already_in_aftercare_get_their_checkins(family, alice):
    """The data migration plans the check-ins of families that were in aftercare before."""
    from importlib import import_module

    from django.apps import apps

    closed_on = datetime.date(2026, 1, 31)
    family.status = FamilyStatus.AFTERCARE
    family.save()
    Transition.objects.create(
        family=family,
        from_step="closing",
        to_step=Step.CLOSED,
        status=TransitionStatus.APPLIED,
        effective_on=closed_on,
        proposed_by=alice,
    )
    migration = import_module("phases.migrations.0006_plan_checkins_of_aftercare_families")
    migration.plan_checkins(apps, None)
    migration.plan_checkins(apps, None)  # once only
    assert list(AftercareCheckin.objects.values_list("planned_on", flat=True)) == [
        datetime.date(2026, 4, 30),
        datetime.date(2026, 7, 31),
    ]
