"""The caseload's attention flags stored per family (reports.FamilyFigures.flags): equal to
the live rules after a refresh, emptied by every write that can change one, read by the
caseload, its filters and sorts and the coach load only while they hold for today."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import services as case_services
from cases.models import Family, FamilyStatus, LegalMeasure, MeasureKind, Task, Team
from cases.todo.services import task_create
from reports.caseload import (
    FLAG_BITS,
    STORED_FLAGS,
    caseload_queryset,
    caseload_rows,
    coach_load,
    coach_loads,
    counted_page,
    filter_queryset,
    live_flags_queryset,
    order_queryset,
    refresh_flags,
)
from reports.figures import refresh_all
from reports.models import CaseReview, FamilyFigures
from reports.supervision.services import supervision_session_create
from reports.tasks import refresh_stale_flags
from tests.factories import ContactFactory, FamilyFactory, MemberFactory
from tests.phases.helpers import open_phase

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COLUMNS = ("pk", *STORED_FLAGS, "late")


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def flags_of(team: Team) -> list[tuple]:
    return list(caseload_queryset(team, today=TODAY).order_by("pk").values_list(*COLUMNS))


def live_of(team: Team) -> list[tuple]:
    families = Family.objects.filter(team=team, status=FamilyStatus.ACTIVE)
    return list(live_flags_queryset(families, today=TODAY).order_by("pk").values_list(*COLUMNS))


def held(family: Family) -> bool:
    return FamilyFigures.objects.filter(family=family, flags_as_of=TODAY).exists()


def test_seed_demo_stores_every_active_familys_flags_as_the_rules_give_them(capsys):
    call_command("seed_demo", "--families", "20")
    active = Family.objects.filter(status=FamilyStatus.ACTIVE)
    assert FamilyFigures.objects.filter(family__in=active, flags_as_of=TODAY).count() == (
        active.count()
    )
    for team in Team.objects.all():
        stored = flags_of(team)
        assert stored == live_of(team)
    # The demo has families with attention and without, so the bits are not all one value.
    bits = set(FamilyFigures.objects.values_list("flags", flat=True))
    attention = FLAG_BITS["needs_attention"]
    assert {b & attention for b in bits} == {0, attention}


@pytest.fixture
def calm(team, alice):  # type: ignore[no-untyped-def]
    """A family without any flag: in its phase's band, contacted yesterday, flags stored."""
    family = FamilyFactory(team=team, coach=alice)
    open_phase(family, kind="execution", started_on=days_ago(30))
    for week in range(4):
        ContactFactory(family=family, author=alice, date=days_ago(1 + 7 * week), minutes=240)
    refresh_all()
    assert held(family)
    (row,) = flags_of(team)
    assert not row[STORED_FLAGS.index("needs_attention") + 1]
    return family


def _overdue_task(family, alice):  # type: ignore[no-untyped-def]
    task_create(family=family, by=alice, title="Bellen", owner=alice, due_on=days_ago(2))


def _review_due(family, alice):  # type: ignore[no-untyped-def]
    CaseReview.objects.create(
        family=family, date=days_ago(80), next_review_on=TODAY, created_by=alice
    )


def _measure_ending(family, alice):  # type: ignore[no-untyped-def]
    LegalMeasure.objects.create(
        family=family,
        member=MemberFactory(family=family),
        kind=MeasureKind.OTS,
        starts_on=days_ago(300),
        ends_on=TODAY + datetime.timedelta(days=3),
        institution="William Schrikker Stichting",
    )


def _safety(family, alice):  # type: ignore[no-untyped-def]
    case_services.family_set_safety(family=family, by=alice, flag=True, note="Zorg")


def _no_contact(family, alice):  # type: ignore[no-untyped-def]
    family.contacts.all().delete()


@pytest.mark.parametrize(
    ("write", "flag"),
    [
        (_overdue_task, "has_overdue_tasks"),
        (_review_due, "is_review_due"),
        (_measure_ending, "is_measure_ending"),
        (_safety, "needs_attention"),
        (_no_contact, "is_no_contact"),
    ],
)
def test_a_write_that_changes_a_flag_empties_the_stored_day(team, alice, calm, write, flag):
    write(calm, alice)
    # The stored bits no longer hold, so the caseload computes this family's flags live ...
    assert not held(calm)
    (row,) = flags_of(team)
    assert row[STORED_FLAGS.index(flag) + 1] is True
    assert row[STORED_FLAGS.index("needs_attention") + 1] is True
    assert flags_of(team) == live_of(team)
    # ... until the job stores them again, and then reads the same.
    assert refresh_stale_flags() == 1
    assert held(calm)
    assert flags_of(team) == live_of(team)
    assert refresh_stale_flags() == 0


def test_a_supervision_discussion_empties_the_stored_day(team, alice, psychologist, calm):
    # Long in execution and not discussed: "ingezogen" ...
    calm.phase_episodes.update(started_on=days_ago(400))
    refresh_all()
    assert flags_of(team)[0][STORED_FLAGS.index("is_sucked_in") + 1] is True
    # ... until the coach's supervision discusses the family (a batch insert, no signal).
    supervision_session_create(
        team=team,
        coach=alice,
        date=TODAY,
        kind="work_supervision",
        by=psychologist,
        families=[calm],
    )
    assert not held(calm)
    assert flags_of(team)[0][STORED_FLAGS.index("is_sucked_in") + 1] is False


def test_deleting_a_task_or_review_empties_it_too(team, alice, calm):
    _overdue_task(calm, alice)
    _review_due(calm, alice)
    refresh_all()
    Task.objects.get(family=calm).delete()
    assert not held(calm)
    refresh_all()
    CaseReview.objects.filter(family=calm).delete()
    assert not held(calm)
    assert flags_of(team) == live_of(team)


def test_the_caseload_reads_the_stored_bits_while_they_hold(team, alice, calm):
    other = FamilyFactory(team=team, coach=alice)
    refresh_all()
    # Bits changed behind the write paths' back are read as they stand for today ...
    FamilyFigures.objects.filter(family=calm).update(
        flags=FLAG_BITS["needs_attention"] | FLAG_BITS["is_overdue"], late=9
    )
    attention = filter_queryset(caseload_queryset(team, today=TODAY), flag="attention")
    assert calm.pk in set(attention.values_list("pk", flat=True))
    ordered, _ = order_queryset(caseload_queryset(team, today=TODAY), "attention")
    assert list(ordered.values_list("pk", "late"))[0] == (calm.pk, 9)
    (load,) = coach_loads(team, today=TODAY)
    assert load.overdue == 1
    # ... and not for another day: then the rules are computed live.
    FamilyFigures.objects.filter(family=calm).update(flags_as_of=days_ago(1))
    attention = filter_queryset(caseload_queryset(team, today=TODAY), flag="attention")
    assert calm.pk not in set(attention.values_list("pk", flat=True))
    assert other.pk in set(attention.values_list("pk", flat=True))  # never contacted
    (load,) = coach_loads(team, today=TODAY)
    assert load.overdue == 0


def test_the_nightly_command_stores_the_flags_for_the_new_day(team, alice, calm):
    FamilyFigures.objects.update(flags_as_of=days_ago(1), flags=0)
    call_command("refresh_family_figures", stdout=io.StringIO())
    assert held(calm)
    assert flags_of(team) == live_of(team)
    # A closed family's flags are not computed.
    calm.status = FamilyStatus.CLOSED
    calm.save(update_fields=["status"])
    assert refresh_flags() == 0


def test_a_page_is_found_by_its_ids_and_read_in_that_order(team, alice):
    families = [FamilyFactory(team=team, coach=alice) for _ in range(5)]
    refresh_all()
    ordered, _ = order_queryset(caseload_queryset(team, today=TODAY), "-name")
    expected = list(ordered.values_list("pk", flat=True))
    page = counted_page(ordered, columns=("pk", "display_name"), number=None, per_page=2)
    assert [row[0] for row in page.object_list] == expected[:2]
    assert page.paginator.count == len(families)
    page = counted_page(ordered, columns=("pk", "display_name"), number="3", per_page=2)
    assert [row[0] for row in page.object_list] == expected[4:]
    with pytest.raises(ValueError, match="pk"):
        counted_page(ordered, columns=("display_name", "pk"), number=None, per_page=2)


def test_the_coach_load_adds_stored_and_live_counts_alike(team, alice, bob, calm):
    for i, coach in enumerate([alice, alice, bob]):
        family = FamilyFactory(team=team, coach=coach)
        open_phase(family, kind="execution", started_on=days_ago(400 - i))
        for day in range(8):  # more hours a week than any band: intensive
            ContactFactory(family=family, author=coach, date=days_ago(day + i), minutes=480)
    refresh_all()
    expected = coach_load(caseload_rows(team, today=TODAY))
    assert coach_loads(team, today=TODAY) == expected
    assert {load.sucked_in for load in expected} != {0}
    assert {load.intensive for load in expected} != {0}
    # One family's flags emptied by a write: counted live, the rest from their bits.
    _overdue_task(calm, alice)
    assert FamilyFigures.objects.filter(flags_as_of=TODAY).count() == 3
    assert coach_loads(team, today=TODAY) == coach_load(caseload_rows(team, today=TODAY))
    FamilyFigures.objects.update(flags_as_of=None)
    assert coach_loads(team, today=TODAY) == expected
