"""The per-family caseload figures (reports.FamilyFigures): equal to the live sums after
every kind of write, rebuilt by the nightly job and its command, and read by the caseload."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from cases import services as case_services
from cases.models import Contact, Family, FamilyStatus, Role
from phases import services as phase_services
from phases.models import PhaseEpisode
from reports.caseload import caseload_rows, coach_loads
from reports.figures import (
    live_last_contact,
    live_minutes_4w,
    live_used_minutes,
    refresh_figures,
)
from reports.models import FamilyFigures
from reports.tasks import refresh_family_figures
from tests.factories import ContactFactory, FamilyFactory
from tests.phases.helpers import open_phase

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def live(family: Family, today: datetime.date = TODAY) -> tuple:
    """(last contact, open phase start, minutes in it, minutes in the last 4 weeks), summed
    from the contacts as the caseload did before the table."""
    row = (
        Family.objects.filter(pk=family.pk)
        .annotate(
            open_phase=FilteredRelation(
                "phase_episodes", condition=Q(phase_episodes__ended_on__isnull=True)
            )
        )
        .annotate(
            live_last=live_last_contact(),
            live_used=live_used_minutes("open_phase__"),
            live_4w=live_minutes_4w(today),
        )
        .values_list("live_last", "open_phase__started_on", "live_used", "live_4w")
        .get()
    )
    last, started, used, window = row
    return (last, started, used if started else 0, window)


def stored(family: Family) -> tuple:
    f = FamilyFigures.objects.get(family=family)
    return (f.last_contact, f.phase_started_on, f.used_minutes, f.minutes_4w, f.as_of)


def assert_current(family: Family) -> None:
    assert stored(family) == (*live(family), TODAY)


def _create(family, author, *, date, minutes):  # type: ignore[no-untyped-def]
    return case_services.contact_create(
        family=family, author=author, date=date, minutes=minutes, kind="home_visit", note="x"
    )


def test_contact_created_edited_and_deleted_keep_the_figures(family, alice):
    open_phase(family, kind="execution", started_on=days_ago(60))
    assert stored(family)[:4] == (None, days_ago(60), 0, 0)
    first = _create(family, alice, date=days_ago(3), minutes=45)
    assert_current(family)
    assert stored(family)[:4] == (days_ago(3), days_ago(60), 45, 45)
    # Before the phase and outside the window: counts for the last contact only if newest.
    _create(family, alice, date=days_ago(90), minutes=30)
    assert_current(family)
    assert stored(family)[2:4] == (45, 45)
    # Moved out of the 4 weeks, minutes changed.
    case_services.contact_update(
        contact=first,
        by=alice,
        version=first.version,
        date=days_ago(40),
        minutes=50,
        kind="home_visit",
        note="x",
    )
    assert_current(family)
    assert stored(family)[:4] == (days_ago(40), days_ago(60), 50, 0)
    Contact.objects.get(pk=first.pk).delete()
    assert_current(family)
    assert stored(family)[:4] == (days_ago(90), days_ago(60), 0, 0)


def test_phase_transitions_move_the_phase_minutes(family, alice, psychologist):
    family.referral_date = days_ago(60)
    family.save()
    phase_services.trajectory_start(family=family, by=alice, started_on=days_ago(30), today=TODAY)
    _create(family, alice, date=days_ago(20), minutes=60)
    _create(family, alice, date=days_ago(2), minutes=30)
    assert_current(family)
    assert stored(family)[1:3] == (days_ago(30), 90)
    phase_services.transition_propose(
        family=family,
        by=psychologist,
        role=Role.PSYCHOLOGIST,
        effective_on=days_ago(5),
        today=TODAY,
    )
    assert PhaseEpisode.objects.open().get(family=family).kind == "analysis"
    assert_current(family)
    assert stored(family)[1:3] == (days_ago(5), 30)
    phase_services.phase_step_back(
        family=family, by=psychologist, effective_on=TODAY, reason="Terugval", today=TODAY
    )
    assert_current(family)
    assert stored(family)[1:3] == (TODAY, 0)


def test_contacts_in_bulk_are_caught_up_by_refresh(family, alice):
    open_phase(family, kind="start", started_on=days_ago(10))
    Contact.objects.bulk_create(
        [Contact(family=family, author=alice, date=days_ago(d), minutes=20) for d in (1, 5, 40)]
    )
    # Sent no signal: the row is behind, and says so by nothing but its numbers.
    assert stored(family)[2] == 0
    assert refresh_figures([family.pk]) == 1
    assert_current(family)
    assert stored(family)[2:4] == (40, 40)


def test_nightly_job_and_command_move_the_window_to_the_new_day(team, alice):
    families = [FamilyFactory(team=team, coach=alice) for _ in range(3)]
    for i, family in enumerate(families):
        open_phase(family, kind="execution", started_on=days_ago(50))
        ContactFactory(family=family, author=alice, date=days_ago(27 + i), minutes=60)
    closed = FamilyFactory(team=team, coach=alice, status=FamilyStatus.CLOSED)
    # As the rows stood yesterday (and one garbled), as after a missed night.
    FamilyFigures.objects.update(as_of=days_ago(1), minutes_4w=999)
    FamilyFigures.objects.filter(family=families[0]).update(used_minutes=7)
    FamilyFigures.objects.filter(family=families[1]).delete()
    assert refresh_family_figures() == Family.objects.filter(status=FamilyStatus.ACTIVE).count()
    for family in families:
        assert_current(family)
    assert [stored(f)[3] for f in families] == [60, 0, 0]
    assert not FamilyFigures.objects.filter(family=closed, as_of=TODAY).exists()

    FamilyFigures.objects.update(as_of=days_ago(1), minutes_4w=999)
    out = io.StringIO()
    call_command("refresh_family_figures", stdout=out)
    assert "3" in out.getvalue()
    for family in families:
        assert_current(family)


def test_the_caseload_reads_the_table_while_it_holds(team, alice):
    family = FamilyFactory(team=team, coach=alice)
    open_phase(family, kind="execution", started_on=days_ago(50))
    ContactFactory(family=family, author=alice, date=days_ago(3), minutes=60)
    (row,) = caseload_rows(team, today=TODAY)
    assert (row.minutes_4w, row.last_contact, row.used_hours) == (60, days_ago(3), 1)
    # A row for today is read as it stands (here changed behind the write paths' back) ...
    FamilyFigures.objects.filter(family=family).update(minutes_4w=120, used_minutes=180)
    (row,) = caseload_rows(team, today=TODAY)
    assert (row.minutes_4w, row.used_hours) == (120, 3)
    (load,) = coach_loads(team, today=TODAY)
    assert load.hours_per_week == round(2 / 4, 1)
    # ... one for another day or another phase start is not: the live sums are used.
    FamilyFigures.objects.filter(family=family).update(
        as_of=days_ago(1), phase_started_on=days_ago(49)
    )
    (row,) = caseload_rows(team, today=TODAY)
    assert (row.minutes_4w, row.used_hours) == (60, 1)
    # Without a row at all, too.
    FamilyFigures.objects.filter(family=family).delete()
    (row,) = caseload_rows(team, today=TODAY)
    assert (row.minutes_4w, row.last_contact, row.used_hours) == (60, days_ago(3), 1)


def test_a_family_destroyed_takes_its_figures_along(family, alice):
    open_phase(family, kind="start", started_on=days_ago(5))
    _create(family, alice, date=days_ago(1), minutes=30)
    assert FamilyFigures.objects.filter(family=family).exists()
    family.delete()
    assert not FamilyFigures.objects.exists()


def test_families_deleted_in_bulk_leave_no_figures(team, alice):
    family = FamilyFactory(team=team, coach=alice)
    open_phase(family, kind="start", started_on=days_ago(5))
    ContactFactory(family=family, author=alice, date=days_ago(1), minutes=30)
    Contact.objects.filter(family=family).delete()  # a queryset of contacts: still kept
    assert_current(family)
    assert stored(family)[0] is None
    ContactFactory(family=family, author=alice, date=days_ago(1), minutes=30)
    Family.objects.filter(team=team).delete()
    assert not FamilyFigures.objects.exists()


def test_seed_demo_fills_the_figures_as_the_write_paths_would(capsys):
    call_command("seed_demo", "--families", "20")
    active = list(Family.objects.filter(status=FamilyStatus.ACTIVE))
    assert len(active) > 20
    for family in active:
        assert_current(family)
    # The demo has families contacted in the last 4 weeks and inside their phase.
    assert FamilyFigures.objects.filter(minutes_4w__gt=0).exists()
    assert FamilyFigures.objects.filter(used_minutes__gt=0).exists()


def test_relapse_hours_are_kept_with_the_phase_and_read_while_they_hold(family, alice):
    """The open phase's relapse hours (phases.ExtraHours) are stored with the phase's start:
    kept when hours are added or deleted and when the phase changes, read by the budget
    flags while the row holds for the open phase, else summed live."""
    open_phase(family, kind="execution", started_on=days_ago(60))
    _create(family, alice, date=days_ago(3), minutes=60)
    assert FamilyFigures.objects.get(family=family).extra_hours == 0
    added = phase_services.extra_hours_add(
        family=family, by=alice, hours=Decimal("5.5"), reason="Terugval"
    )
    phase_services.extra_hours_add(family=family, by=alice, hours=Decimal("2"), reason="Crisis")
    assert FamilyFigures.objects.get(family=family).extra_hours == Decimal("7.5")
    (row,) = caseload_rows(family.team, today=TODAY)
    budget = row.budget_max
    added.delete()
    assert FamilyFigures.objects.get(family=family).extra_hours == 2
    (row,) = caseload_rows(family.team, today=TODAY)
    assert row.budget_max == budget - Decimal("5.5")
    # Changed behind the write paths' back: read while the row holds for the open phase ...
    FamilyFigures.objects.filter(family=family).update(extra_hours=10)
    (row,) = caseload_rows(family.team, today=TODAY)
    assert row.budget_max == budget - Decimal("5.5") + 8
    # ... summed live once it is for another phase start, or missing.
    FamilyFigures.objects.filter(family=family).update(phase_started_on=days_ago(59))
    (row,) = caseload_rows(family.team, today=TODAY)
    assert row.budget_max == budget - Decimal("5.5")
    FamilyFigures.objects.filter(family=family).delete()
    (row,) = caseload_rows(family.team, today=TODAY)
    assert row.budget_max == budget - Decimal("5.5")
    # The nightly rebuild writes them too.
    refresh_figures(today=TODAY)
    assert FamilyFigures.objects.get(family=family).extra_hours == 2


def test_the_over_budget_flag_counts_the_stored_relapse_hours(team, alice):
    family = FamilyFactory(team=team, coach=alice)
    episode = open_phase(family, kind="execution", started_on=days_ago(30))
    budget = episode.weeks_max * episode.hours_max
    # An hour over the budget, in contacts of at most twelve hours.
    left = int(budget * 60) + 60
    while left > 0:
        ContactFactory(family=family, author=alice, date=days_ago(2), minutes=min(left, 720))
        left -= 720
    refresh_figures([family.pk], today=TODAY)
    (row,) = caseload_rows(team, today=TODAY)
    assert row.over_budget
    phase_services.extra_hours_add(family=family, by=alice, hours=Decimal(2), reason="Terugval")
    (row,) = caseload_rows(team, today=TODAY)
    assert not row.over_budget
    assert FamilyFigures.objects.get(family=family).extra_hours == 2
