"""The per-family caseload figures (reports.FamilyFigures): equal to the live sums after
every kind of write, rebuilt by the nightly job and its command, and read by the caseload.
The domain trend too: equal to the live computation after every write of a moment, sheet
or score, and the caseload's ?sort=trend orders alike with and without the rows."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from cases import services as case_services
from cases.models import Contact, Family, FamilyStatus, LifeDomain, Role
from phases import services as phase_services
from phases.models import PhaseEpisode
from reports import figures
from reports.caseload import caseload_queryset, caseload_rows, coach_loads, order_queryset
from reports.figures import (
    live_last_contact,
    live_minutes_4w,
    live_trend,
    live_used_minutes,
    refresh_figures,
)
from reports.models import FamilyFigures
from reports.tasks import refresh_family_figures
from strengths import services as strength_services
from strengths.models import DomainScore, Moment, ScoreSheet
from tests.factories import ContactFactory, FamilyFactory
from tests.phases.helpers import open_phase
from tests.reports.helpers import scored_moment

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


def live_trend_of(family: Family) -> float | None:
    return Family.objects.filter(pk=family.pk).annotate(t=live_trend()).values_list("t").get()[0]


def stored_trend(family: Family) -> tuple[float | None, bool]:
    return FamilyFigures.objects.values_list("trend", "trend_kept").get(family=family)


def assert_current(family: Family) -> None:
    assert stored(family) == (*live(family), TODAY)
    assert stored_trend(family) == (live_trend_of(family), True)


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
    # Scores in batches (no signals), then the rows as they stood yesterday (and some
    # garbled), as after a missed night.
    scored_moment(families[0], alice, kind="start", date=days_ago(40), severity=2)
    scored_moment(families[0], alice, kind="interim", date=days_ago(10), severity=4)
    FamilyFigures.objects.update(as_of=days_ago(1), minutes_4w=999, trend=9.0)
    FamilyFigures.objects.filter(family=families[0]).update(used_minutes=7)
    FamilyFigures.objects.filter(family=families[2]).update(trend_kept=False)
    FamilyFigures.objects.filter(family=families[1]).delete()
    assert refresh_family_figures() == Family.objects.filter(status=FamilyStatus.ACTIVE).count()
    for family in families:
        assert_current(family)
    assert [stored(f)[3] for f in families] == [60, 0, 0]
    assert [stored_trend(f) for f in families] == [(2.0, True), (None, True), (None, True)]
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
    # ... and families with a domain trend (the bulk families' scores came in batches).
    assert FamilyFigures.objects.filter(trend__isnull=False, trend_kept=True).exists()


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


# --- The domain trend ---


def _scores(severity: int, *, first: int | None = None) -> dict[str, dict]:
    """All seven domains at `severity` (the first domain at `first` if given)."""
    plain = {"strength": 1, "problem_present": False, "long_lasting": False}
    values = {d: {**plain, "severity": severity} for d in LifeDomain.values}
    if first is not None:
        values[LifeDomain.values[0]] = {**plain, "severity": first}
    return values


def _save(moment, by, perspective, scores):  # type: ignore[no-untyped-def]
    sheet = ScoreSheet.objects.filter(moment=moment, perspective=perspective).first()
    return strength_services.scores_save(
        moment=moment,
        perspective=perspective,
        by=by,
        version=sheet.version if sheet else None,
        scores=scores,
    )


def assert_trend(family: Family, expected: float | None) -> None:
    """The stored trend is the live one, and it is `expected` (to a tenth)."""
    trend, kept = stored_trend(family)
    assert kept
    assert trend == live_trend_of(family)
    if expected is None:
        assert trend is None
    else:
        assert trend is not None and round(trend, 1) == expected


def test_the_trend_is_kept_by_every_write_of_moments_sheets_and_scores(family, alice):
    start = strength_services.moment_create(
        family=family, kind="start", date=days_ago(60), by=alice
    )
    assert_trend(family, None)  # the moment alone makes a row, without a trend
    _save(start, alice, "joint", _scores(2))
    assert_trend(family, None)  # one scored moment
    interim = strength_services.moment_create(
        family=family, kind="interim", date=days_ago(20), by=alice
    )
    assert_trend(family, None)  # a moment without scores does not count
    # New scores: a sheet inserted in one batch (scores_save's bulk insert).
    _save(interim, alice, "parent", _scores(4))
    assert_trend(family, 2.0)
    # Scores changed (each saved on its own): 6 × 4 + 1 = 25, mean 25/7.
    _save(interim, alice, "parent", _scores(4, first=1))
    assert_trend(family, round(25 / 7 - 2, 1))
    # A more preferred perspective on the same moment takes over.
    _save(interim, alice, "professional", _scores(3))
    assert_trend(family, 1.0)
    # A score deleted on its own: the professional mean is now over six domains.
    DomainScore.objects.filter(sheet__moment=interim, sheet__perspective="professional").filter(
        domain=LifeDomain.values[0]
    ).get().delete()
    assert_trend(family, 1.0)
    DomainScore.objects.filter(sheet__moment=interim, sheet__perspective="professional").update(
        severity=5
    )
    refresh_figures([family.pk])  # an update() sends no signals: refreshed by its writer
    assert_trend(family, 3.0)
    # A sheet deleted: the parent's counts again.
    ScoreSheet.objects.get(moment=interim, perspective="professional").delete()
    assert_trend(family, round(25 / 7 - 2, 1))
    # A moment re-dated before the first: the order turns round.
    interim.date = days_ago(90)
    interim.save()
    assert_trend(family, round(2 - 25 / 7, 1))
    # A moment deleted (its sheets and scores with it): one scored moment left.
    Moment.objects.get(pk=start.pk).delete()
    assert_trend(family, None)
    assert live_trend_of(family) is None


def test_the_trend_statement_is_compiled_once_and_is_the_live_expression():
    # A contact post compiles nothing for the trend: the statement's subquery is kept per
    # database engine, and it is what compiling the caseload's expression gives now.
    first = figures._trend_select()
    assert figures._trend_select() is first
    assert figures._compile_trend_select() == first
    sql, params = first
    assert sql.startswith("(SELECT") and "f.id" in sql
    assert params  # the perspectives' order is a parameter of the expression


def test_deleting_all_sheets_or_moments_in_bulk_keeps_the_trend(team, alice):
    family = FamilyFactory(team=team, coach=alice)
    for day, severity in ((50, 1), (30, 2), (10, 5)):
        moment = strength_services.moment_create(
            family=family, kind="interim", date=days_ago(day), by=alice
        )
        _save(moment, alice, "joint", _scores(severity))
    assert_trend(family, 4.0)
    ScoreSheet.objects.filter(moment__family=family, moment__date=days_ago(10)).delete()
    assert_trend(family, 1.0)
    Moment.objects.filter(family=family, date__gte=days_ago(30)).delete()
    assert_trend(family, None)


def test_scores_in_bulk_are_caught_up_by_refresh(family, alice):
    scored_moment(family, alice, kind="start", date=days_ago(40), severity=2)
    scored_moment(family, alice, kind="interim", date=days_ago(10), severity=5)
    # The scores went in with bulk_create, which sends no signals: the row is behind.
    assert stored_trend(family) == (None, True)
    refresh_figures([family.pk])
    assert_trend(family, 3.0)


def _trend_order(team, sort: str) -> list[int]:  # type: ignore[no-untyped-def]
    qs, _ = order_queryset(caseload_queryset(team, today=TODAY), sort)
    return list(qs.values_list("pk", flat=True))


def test_the_trend_sort_reads_the_row_while_it_holds_and_orders_alike_without(team, alice):
    """?sort=trend orders the same from the stored trends as from the live ones; a row
    that holds the trend is read as it stands, one that does not (missing, or from before
    the trend was stored) is computed live."""
    families = [FamilyFactory(team=team, coach=alice) for _ in range(5)]
    severities = [(2, 4), (4, 3), (3, 3), (1, 5), (3,)]
    for family, series in zip(families, severities, strict=True):
        for i, severity in enumerate(series):
            scored_moment(
                family, alice, kind="interim", date=days_ago(50 - 10 * i), severity=severity
            )
    FamilyFactory(team=team, coach=alice)  # no scores: no trend
    refresh_figures(today=TODAY)
    orders = {sort: _trend_order(team, sort) for sort in ("trend", "-trend")}
    ids = [f.pk for f in families]
    # -1, 0, +2, +4, then the families without a trend.
    assert orders["trend"][:4] == [ids[1], ids[2], ids[0], ids[3]]
    assert orders["-trend"][:4] == [ids[3], ids[0], ids[2], ids[1]]
    FamilyFigures.objects.all().delete()
    assert {sort: _trend_order(team, sort) for sort in orders} == orders
    # Rows from before the trend was stored: computed live, the same order.
    refresh_figures(today=TODAY)
    FamilyFigures.objects.update(trend=None, trend_kept=False)
    assert {sort: _trend_order(team, sort) for sort in orders} == orders
    # A row that holds it is read as it stands (here changed behind the write paths' back).
    FamilyFigures.objects.filter(family=families[1]).update(trend=10.0, trend_kept=True)
    assert _trend_order(team, "-trend")[0] == ids[1]
