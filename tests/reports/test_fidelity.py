"""Fidelity to the method (reports/fidelity.py): each element's state on its date
boundaries, the queries, the team percentages and the panel on the reports tab."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import ActionSource, Family, FamilyStatus
from cases.models.plan import PlanStatus
from network.models import Circle, MeetingKind, NetworkMeeting, NetworkMember
from phases.models import AftercareCheckin
from reports.fidelity import ELEMENTS, QUERIES, State, fidelity_for, shares
from reports.models import CaseReview
from reports.teamreport import fidelity_table
from strengths.models import MemberAnalysis, MomentKind, TimelineEvent
from tests.cases.plan_factories import ActionFactory, PlanFactory
from tests.factories import FamilyFactory, MemberFactory
from tests.phases.helpers import open_phase
from tests.reports.helpers import scored_moment

D0 = datetime.date(2026, 1, 5)  # intake
DAY = datetime.timedelta(days=1)


def states(family: Family, today: datetime.date) -> dict[str, str]:
    return {
        e.key: e.state for e in fidelity_for(Family.objects.filter(pk=family.pk), today)[family.pk]
    }


def element(family: Family, key: str, today: datetime.date):  # type: ignore[no-untyped-def]
    return next(
        e
        for e in fidelity_for(Family.objects.filter(pk=family.pk), today)[family.pk]
        if e.key == key
    )


@pytest.fixture
def fam(family):  # type: ignore[no-untyped-def]
    family.referral_date = D0
    family.save(update_fields=["referral_date"])
    return family


def test_every_element_in_order_and_only_inclusion_before_any_phase(fam):  # type: ignore[no-untyped-def]
    result = fidelity_for(Family.objects.filter(pk=fam.pk), D0)[fam.pk]
    assert [e.key for e in result] == [k for k, _label in ELEMENTS]
    assert result[0].state == State.DUE
    assert all(e.state == State.NOT_APPLICABLE for e in result[1:])


def test_inclusion_check_due_on_deadline_late_after_done_with_start_moment(fam, alice):  # type: ignore[no-untyped-def]
    deadline = D0 + datetime.timedelta(days=14)
    assert element(fam, "inclusion_check", deadline).state == State.DUE
    assert element(fam, "inclusion_check", deadline).deadline == deadline
    assert element(fam, "inclusion_check", deadline + DAY).state == State.LATE
    # An interim moment is no inclusion check.
    scored_moment(fam, alice, kind=MomentKind.INTERIM, date=D0 + DAY, severity=2)
    assert element(fam, "inclusion_check", deadline + DAY).state == State.LATE
    scored_moment(fam, alice, kind=MomentKind.START, date=D0 + 3 * DAY, severity=2)
    done = element(fam, "inclusion_check", deadline + DAY)
    assert done.state == State.DONE
    assert done.done_on == D0 + 3 * DAY


def test_analysis_elements_due_until_the_analysis_ends(fam, alice):  # type: ignore[no-untyped-def]
    start = D0 + datetime.timedelta(days=14)
    end = start + datetime.timedelta(weeks=6)
    open_phase(fam, kind="analysis", started_on=start, planned_end=end)
    keys = ("member_analyses", "timeline", "network_map")
    assert [states(fam, end)[k] for k in keys] == [State.DUE] * 3
    assert [states(fam, end + DAY)[k] for k in keys] == [State.LATE] * 3

    naomi, noah = fam.members.order_by("name")
    MemberAnalysis.objects.create(
        family=fam, member=naomi, date=start, filled_in_by="zelf", strengths="x", recorded_by=alice
    )
    # One of two members: the sibling is still missing.
    assert states(fam, end + DAY)["member_analyses"] == State.LATE
    MemberAnalysis.objects.create(
        family=fam, member=noah, date=start, filled_in_by="zelf", strengths="x", recorded_by=alice
    )
    assert states(fam, end + DAY)["member_analyses"] == State.DONE

    TimelineEvent.objects.create(
        family=fam, precision="year", year=2019, kind="move", description="x", created_by=alice
    )
    assert states(fam, end + DAY)["timeline"] == State.DONE

    # A professional does not make a network map.
    NetworkMember.objects.create(
        family=fam, name="Huisarts", relation="huisarts", circle=Circle.PROFESSIONALS
    )
    assert states(fam, end + DAY)["network_map"] == State.LATE
    NetworkMember.objects.create(family=fam, name="Ria", relation="oma", circle=Circle.FAMILY)
    assert states(fam, end + DAY)["network_map"] == State.DONE


def test_analysis_deadline_follows_an_earlier_end_and_an_extension(fam):  # type: ignore[no-untyped-def]
    start = D0 + datetime.timedelta(days=14)
    episode = open_phase(fam, kind="analysis", started_on=start, planned_end=start + 42 * DAY)
    episode.ended_on = start + 20 * DAY
    episode.save(update_fields=["ended_on"])
    assert element(fam, "timeline", start + 20 * DAY).state == State.DUE
    assert element(fam, "timeline", start + 21 * DAY).state == State.LATE
    episode.ended_on = None
    episode.extended_end = start + 60 * DAY
    episode.save(update_fields=["ended_on", "extended_end"])
    assert element(fam, "timeline", start + 60 * DAY).state == State.DUE
    assert element(fam, "timeline", start + 61 * DAY).state == State.LATE


def test_plan_needs_a_network_contribution_before_professional_help(fam, alice):  # type: ignore[no-untyped-def]
    start = D0 + datetime.timedelta(days=60)
    open_phase(fam, kind="execution", started_on=start)
    deadline = start + 14 * DAY
    assert states(fam, deadline)["plan"] == State.DUE
    assert states(fam, deadline + DAY)["plan"] == State.LATE

    plan = PlanFactory(family=fam, number=1, created_by=alice)
    ActionFactory(plan=plan, source=ActionSource.NETWORK)
    # A draft is not the plan yet.
    assert states(fam, deadline + DAY)["plan"] == State.LATE
    plan.status = PlanStatus.FIXED
    plan.fixed_at = timezone.now()
    plan.save(update_fields=["status", "fixed_at"])
    assert states(fam, deadline + DAY)["plan"] == State.DONE

    # Professional help agreed before any network contribution: not by the method.
    second = PlanFactory(family=fam, number=2, created_by=alice, status=PlanStatus.FIXED)
    now = timezone.now()
    ActionFactory(plan=second, source=ActionSource.PROFESSIONAL, created_at=now)
    ActionFactory(
        plan=second, source=ActionSource.NETWORK, created_at=now + datetime.timedelta(hours=1)
    )
    assert states(fam, deadline + DAY)["plan"] == State.LATE
    third = PlanFactory(family=fam, number=3, created_by=alice, status=PlanStatus.FIXED)
    ActionFactory(plan=third, source=ActionSource.PROFESSIONAL)
    assert states(fam, deadline + DAY)["plan"] == State.LATE
    ActionFactory(
        plan=third, source=ActionSource.NETWORK, created_at=now - datetime.timedelta(days=1)
    )
    assert states(fam, deadline + DAY)["plan"] == State.DONE


def test_evaluation_dates_and_network_meeting(fam, alice):  # type: ignore[no-untyped-def]
    assert states(fam, D0)["network_meeting"] == State.NOT_APPLICABLE
    assert states(fam, D0)["evaluation_dates"] == State.NOT_APPLICABLE
    start = D0 + datetime.timedelta(days=60)
    open_phase(fam, kind="execution", started_on=start)
    assert states(fam, start + 14 * DAY)["evaluation_dates"] == State.DUE
    assert states(fam, start + 15 * DAY)["evaluation_dates"] == State.LATE
    PlanFactory(
        family=fam,
        number=1,
        created_by=alice,
        status=PlanStatus.FIXED,
        evaluation_dates=["2026-06-01"],
    )
    assert states(fam, start + 15 * DAY)["evaluation_dates"] == State.DONE

    assert states(fam, start + 42 * DAY)["network_meeting"] == State.DUE
    assert states(fam, start + 43 * DAY)["network_meeting"] == State.LATE
    NetworkMeeting.objects.create(
        family=fam, kind=MeetingKind.NETWORK_MEETING, date=start + 50 * DAY, created_by=alice
    )
    # Planned ahead is not held yet.
    assert states(fam, start + 49 * DAY)["network_meeting"] == State.LATE
    assert states(fam, start + 50 * DAY)["network_meeting"] == State.DONE


def test_case_review_within_the_period(fam, alice):  # type: ignore[no-untyped-def]
    start = D0 + 7 * DAY
    assert states(fam, start)["case_review"] == State.NOT_APPLICABLE
    open_phase(fam, kind="start", started_on=start)
    assert states(fam, start + 91 * DAY)["case_review"] == State.DUE
    assert states(fam, start + 92 * DAY)["case_review"] == State.LATE
    review_on = start + 30 * DAY
    CaseReview.objects.create(family=fam, date=review_on, created_by=alice)
    assert states(fam, review_on + 91 * DAY)["case_review"] == State.DONE
    late = element(fam, "case_review", review_on + 92 * DAY)
    assert late.state == State.LATE
    assert late.deadline == review_on + 91 * DAY


def test_aftercare_checkins_on_time(fam, alice):  # type: ignore[no-untyped-def]
    assert states(fam, D0)["aftercare_checkins"] == State.NOT_APPLICABLE
    planned = D0 + 200 * DAY
    checkin = AftercareCheckin.objects.create(family=fam, planned_on=planned)
    assert states(fam, planned + 14 * DAY)["aftercare_checkins"] == State.DUE
    assert states(fam, planned + 15 * DAY)["aftercare_checkins"] == State.LATE
    checkin.held_on = planned + 2 * DAY
    checkin.needs_help = False
    checkin.recorded_by = alice
    checkin.save()
    done = element(fam, "aftercare_checkins", planned + 15 * DAY)
    assert done.state == State.DONE
    assert done.done_on == planned + 2 * DAY


def test_closed_file_is_judged_on_its_closing_day(fam):  # type: ignore[no-untyped-def]
    start = D0 + 7 * DAY
    first = open_phase(fam, kind="start", started_on=start)
    first.ended_on = start
    first.save(update_fields=["ended_on"])
    episode = open_phase(fam, kind="closing", started_on=start)
    episode.ended_on = start + 10 * DAY
    episode.save(update_fields=["ended_on"])
    fam.status = FamilyStatus.CLOSED
    fam.save(update_fields=["status"])
    # Long after, the inclusion check (deadline D0 + 14, closing day D0 + 17) is late, but a
    # review (deadline start + 91) is still only due: the file closed before it was late.
    later = D0 + 400 * DAY
    assert states(fam, later)["inclusion_check"] == State.LATE
    assert states(fam, later)["case_review"] == State.DUE


def _families(team, coach, n):  # type: ignore[no-untyped-def]
    out = []
    for _i in range(n):
        family = FamilyFactory(team=team, coach=coach, referral_date=D0)
        MemberFactory(family=family)
        open_phase(family, kind="start", started_on=D0)
        AftercareCheckin.objects.create(family=family, planned_on=D0)
        out.append(family)
    return out


@pytest.mark.parametrize("n", [3, 30])
def test_fixed_number_of_queries(team, alice, n, django_assert_num_queries):  # type: ignore[no-untyped-def]
    _families(team, alice, n)
    with django_assert_num_queries(QUERIES):
        result = fidelity_for(Family.objects.filter(team=team), D0 + 100 * DAY)
    assert len(result) == n
    assert all(len(v) == len(ELEMENTS) for v in result.values())


def test_shares_and_team_table_against_hand_computed(team, alice, bob, psychologist):  # type: ignore[no-untyped-def]
    today = D0 + 30 * DAY
    # Alice: two families, start phase since D0 (review due, not late), inclusion late in
    # one and done in the other. Bob: one family, inclusion done.
    a1 = FamilyFactory(team=team, coach=alice, referral_date=D0)
    a2 = FamilyFactory(team=team, coach=alice, referral_date=D0)
    b1 = FamilyFactory(team=team, coach=bob, referral_date=D0)
    for family in (a1, a2, b1):
        open_phase(family, kind="start", started_on=D0)
    scored_moment(a2, alice, kind=MomentKind.START, date=D0, severity=2)
    scored_moment(b1, bob, kind=MomentKind.START, date=D0, severity=2)
    # Alice also had a review in a1: done.
    CaseReview.objects.create(family=a1, date=D0 + 10 * DAY, created_by=psychologist)

    result = fidelity_for(Family.objects.filter(team=team), today)
    alice_shares = shares([result[a1.pk], result[a2.pk]])
    assert (alice_shares["inclusion_check"].done, alice_shares["inclusion_check"].late) == (1, 1)
    assert alice_shares["inclusion_check"].percentage == 50
    # a2's review is due (not counted), a1's done.
    assert alice_shares["case_review"].percentage == 100
    # Alice: done 1 inclusion + 1 review = 2, late 1: 67 %.
    assert alice_shares["all"].percentage == 67
    assert alice_shares["network_map"].percentage is None

    table = fidelity_table(team, today=today)
    rows = {row.label: row for row in table.rows}
    alice_row = rows[alice.get_full_name() or alice.username]
    bob_row = rows[bob.get_full_name() or bob.username]
    assert alice_row.families == 2
    assert alice_row.shares["all"].percentage == 67
    assert bob_row.shares["all"].percentage == 100
    # The team: inclusion 2 done of 3, review 1 done: 3 of 4 = 75 %.
    assert table.total.families == 3
    assert table.total.shares["inclusion_check"].percentage == 67
    assert table.total.shares["all"].percentage == 75


def test_panel_on_the_reports_tab(fam, alice_client, charlie_client):  # type: ignore[no-untyped-def]
    url = reverse("reports:family_reports", args=[fam.pk])
    response = alice_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fidelity-heading"' in html
    assert "Inclusiecheck bij de intake" in html
    assert "nog niet aan de orde" in html
    assert charlie_client.get(url).status_code == 404


def test_team_report_page_csv_and_xlsx_show_the_fidelity_table(team, alice, coordinator_client):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=alice, referral_date=D0)
    open_phase(family, kind="start", started_on=D0)
    page = coordinator_client.get(reverse("reports:team_report")).content.decode()
    assert 'id="tr-fidelity"' in page
    assert "Inclusiecheck bij de intake" in page
    # Long past its deadline and not done: 0 % for alice and the team.
    assert "0%" in page
    csv_text = coordinator_client.get(reverse("reports:team_report_csv")).content.decode()
    fidelity_part = csv_text.split("Werken volgens de methode")[1].split("\r\n\r\n")[0]
    lines = fidelity_part.split("\r\n")
    assert lines[1].startswith("Coach;Gezinnen;Alle onderdelen;Inclusiecheck bij de intake")
    assert lines[-1].startswith("Team;1;0;0;")
    xlsx = coordinator_client.get(reverse("reports:team_report_xlsx"))
    assert xlsx.status_code == 200


def test_team_report_without_open_files_says_so(team, coordinator_client):  # type: ignore[no-untyped-def]
    FamilyFactory(team=team, status=FamilyStatus.CLOSED)
    page = coordinator_client.get(reverse("reports:team_report")).content.decode()
    assert "Geen open dossiers." in page
