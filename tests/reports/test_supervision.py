"""Supervision of coaches: the sessions' pages and who sees them, what a family's file shows
of a session, the "ingezogen" flag on its date boundaries, and the coach load's columns."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, Role
from cases.records.services import family_export_json, family_records, readable_sections
from reports.attention import caseload_attention
from reports.caseload import caseload_queryset, caseload_rows, coach_loads
from reports.models import (
    CaseReview,
    FamilyFigures,
    SupervisionDiscussion,
    SupervisionKind,
    SupervisionSession,
)
from reports.supervision.queries import with_last_supervision
from reports.supervision.services import supervision_session_create
from tests.factories import ContactFactory, FamilyFactory, MemberFactory, member_of
from tests.phases.helpers import open_phase
from tests.querycounts import chain_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)


def _client(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _flag(family) -> bool:  # type: ignore[no-untyped-def]
    return (
        caseload_queryset(family.team, today=TODAY)
        .filter(pk=family.pk)
        .values_list("is_sucked_in", flat=True)
        .get()
    )


def _execution_family(team, coach, *, days_in: int, name: str = "Gezin Uitvoering"):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=coach, display_name=name, status="active")
    open_phase(family, kind="execution", started_on=TODAY - datetime.timedelta(days=days_in))
    return family


# --- The flag on its boundaries ---------------------------------------------------------------


def test_long_in_execution_exactly_at_the_threshold_is_not_flagged_one_day_over_is(
    team, alice, settings
):
    weeks = settings.REPORTS["SUCKED_IN_EXECUTION_WEEKS"]
    at = _execution_family(team, alice, days_in=7 * weeks, name="Op de grens")
    over = _execution_family(team, alice, days_in=7 * weeks + 1, name="Een dag over")
    assert _flag(at) is False
    assert _flag(over) is True
    # Another phase as long is not "long in execution".
    analysis = FamilyFactory(team=team, coach=alice, status="active")
    open_phase(analysis, kind="analysis", started_on=TODAY - (7 * weeks + 30) * DAY)
    assert _flag(analysis) is False


def test_the_threshold_is_a_setting(team, alice, settings):
    family = _execution_family(team, alice, days_in=100)
    assert _flag(family) is False
    settings.REPORTS = {**settings.REPORTS, "SUCKED_IN_EXECUTION_WEEKS": 10}
    assert _flag(family) is True


@pytest.mark.parametrize(("days_ago", "cleared"), [(0, True), (56, True), (57, False)])
def test_a_supervision_discussion_within_the_period_clears_the_flag(
    team, alice, psychologist, settings, days_ago, cleared
):
    assert settings.REPORTS["SUCKED_IN_DISCUSSION_WEEKS"] == 8
    family = _execution_family(team, alice, days_in=400)
    supervision_session_create(
        team=team,
        coach=alice,
        date=TODAY - days_ago * DAY,
        kind=SupervisionKind.WORK_SUPERVISION,
        by=psychologist,
        families=[family],
    )
    assert _flag(family) is (not cleared)


@pytest.mark.parametrize(("days_ago", "cleared"), [(56, True), (57, False), (-3, False)])
def test_a_case_review_within_the_period_clears_the_flag_a_planned_one_does_not(
    team, alice, psychologist, days_ago, cleared
):
    family = _execution_family(team, alice, days_in=400)
    CaseReview.objects.create(family=family, date=TODAY - days_ago * DAY, created_by=psychologist)
    assert _flag(family) is (not cleared)


def test_a_session_about_another_family_does_not_clear_the_flag(team, alice, psychologist):
    family = _execution_family(team, alice, days_in=400)
    other = _execution_family(team, alice, days_in=10)
    supervision_session_create(
        team=team, coach=alice, date=TODAY, kind="coaching", by=psychologist, families=[other]
    )
    assert _flag(family) is True


def test_above_the_band_on_average_over_the_weeks_is_flagged_at_the_band_it_is_not(
    team, alice, settings
):
    weeks = settings.REPORTS["SUCKED_IN_ABOVE_BAND_WEEKS"]
    family = FamilyFactory(team=team, coach=alice, status="active")
    episode = open_phase(family, kind="start", started_on=TODAY - 60 * DAY)
    top = int(episode.hours_max * 60 * weeks)
    # Exactly the band's top on average, spread over the period (its first day included).
    first_day = TODAY - (7 * weeks - 1) * DAY
    ContactFactory(family=family, author=alice, date=first_day, minutes=top - 600 * 3)
    for i in range(3):
        ContactFactory(family=family, author=alice, date=TODAY - i * DAY, minutes=600)
    # Before the period: does not count.
    ContactFactory(family=family, author=alice, date=first_day - DAY, minutes=700)
    assert _flag(family) is False
    ContactFactory(family=family, author=alice, date=TODAY, minutes=5)
    assert _flag(family) is True


@pytest.mark.parametrize("weeks", [4, 6])
@pytest.mark.parametrize("stale", [False, True])
def test_the_band_minutes_come_from_the_4_weeks_figure_or_live_with_the_same_flag(
    team, alice, settings, weeks, stale
):
    # 4 weeks (the default) is the caseload's window: the minutes are read from the
    # per-family figures when their row is today's, else summed live; other lengths live.
    settings.REPORTS = {**settings.REPORTS, "SUCKED_IN_ABOVE_BAND_WEEKS": weeks}
    family = FamilyFactory(team=team, coach=alice, status="active")
    episode = open_phase(family, kind="start", started_on=TODAY - 60 * DAY)
    top = int(episode.hours_max * 60 * weeks)
    first_day = TODAY - (7 * weeks - 1) * DAY
    # Exactly the band's top over the period, on its first day (a contact holds 600 at most).
    for chunk in [600] * (top // 600) + ([top % 600] if top % 600 else []):
        ContactFactory(family=family, author=alice, date=first_day, minutes=chunk)
    ContactFactory(family=family, author=alice, date=first_day - DAY, minutes=600)
    if stale:
        FamilyFigures.objects.filter(family=family).update(
            as_of=TODAY - DAY, minutes_4w=0, last_contact=None
        )
    assert _flag(family) is False
    ContactFactory(family=family, author=alice, date=first_day, minutes=5)
    if stale:
        FamilyFigures.objects.filter(family=family).update(as_of=TODAY - DAY, minutes_4w=0)
    assert _flag(family) is True
    assert [load.sucked_in for load in coach_loads(team, today=TODAY)] == [1]


def test_a_family_without_a_phase_is_not_flagged(team, alice):
    family = FamilyFactory(team=team, coach=alice, status="active")
    assert _flag(family) is False


# --- Where the flag shows ---------------------------------------------------------------------


def test_the_flag_shows_on_the_caseload_its_filter_and_the_landing_badges(
    team, alice, psychologist, psychologist_client
):
    drawn = _execution_family(team, alice, days_in=400, name="Gezin Lang")
    calm = _execution_family(team, alice, days_in=20, name="Gezin Kort")
    rows = {r.family_id: r for r in caseload_rows(team, today=TODAY)}
    assert rows[drawn.pk].sucked_in and "sucked_in" in rows[drawn.pk].flags
    assert not rows[calm.pk].sucked_in
    page = psychologist_client.get(reverse("reports:caseload") + "?flag=sucked_in")
    body = page.content.decode()
    assert "Gezin Lang" in body and "Gezin Kort" not in body
    assert "ingezogen? bespreken" in body
    badges = caseload_attention([(drawn.pk, team.pk), (calm.pk, team.pk)], today=TODAY)
    assert "sucked_in" in badges[drawn.pk] and "sucked_in" not in badges[calm.pk]


def test_coach_load_counts_the_flagged_families_and_shows_the_last_supervision(
    team, alice, bob, psychologist, psychologist_client
):
    _execution_family(team, alice, days_in=400)
    _execution_family(team, bob, days_in=400)
    for days_ago, kind in ((30, "intervision"), (5, "coaching")):
        supervision_session_create(
            team=team, coach=alice, date=TODAY - days_ago * DAY, kind=kind, by=psychologist
        )
    loads = {
        load.coach_id: load for load in with_last_supervision(coach_loads(team, today=TODAY), team)
    }
    assert loads[alice.pk].sucked_in == 1 and loads[bob.pk].sucked_in == 1
    assert loads[alice.pk].last_supervision.date == TODAY - 5 * DAY
    assert loads[alice.pk].last_supervision.kind == "coaching"
    assert loads[bob.pk].last_supervision is None
    body = psychologist_client.get(reverse("reports:coach_load")).content.decode()
    assert "Laatste supervisie" in body and "nog geen" in body and "coaching" in body


# --- Pages and access -------------------------------------------------------------------------


def test_psychologist_records_a_session_and_the_families_are_linked_and_logged(
    team, family, alice, psychologist, psychologist_client
):
    other = FamilyFactory(team=team, coach=alice, display_name="Gezin Ander", status="active")
    url = reverse("reports:supervision_create")
    assert psychologist_client.get(url).status_code == 200
    response = psychologist_client.post(
        url,
        {
            "date": TODAY.isoformat(),
            "kind": "work_supervision",
            "coach": alice.pk,
            "led_by": psychologist.pk,
            "families": [family.pk, other.pk],
            "points": "Grenzen bewaken bij avondbezoeken",
        },
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert (session.team, session.coach, session.led_by) == (team, alice, psychologist)
    assert set(session.families.all()) == {family, other}
    assert AccessLog.objects.filter(
        family_id_ref=family.pk, object="bespreking in supervisie", action="create"
    ).exists()
    listing = psychologist_client.get(reverse("reports:supervision_list")).content.decode()
    assert "Grenzen bewaken bij avondbezoeken" in listing and "Gezin Ander" in listing


def test_a_family_of_another_team_cannot_be_linked_and_nothing_is_saved(
    team, other_team, alice, psychologist_client
):
    foreign = FamilyFactory(team=other_team, status="active")
    response = psychologist_client.post(
        reverse("reports:supervision_create"),
        {
            "date": TODAY.isoformat(),
            "kind": "coaching",
            "coach": alice.pk,
            "families": [foreign.pk],
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_bad_input_is_refused_in_dutch(team, alice, psychologist_client):
    url = reverse("reports:supervision_create")
    cases = [
        ({"kind": "therapy"}, "Selecteer een geldige keuze"),
        ({"date": (TODAY + DAY).isoformat()}, "Een datum in de toekomst kan niet"),
        ({"points": "x" * 4001}, "niet meer dan 4.000"),
        ({"coach": ""}, "Dit veld is verplicht."),
    ]
    for override, message in cases:
        data = {"date": TODAY.isoformat(), "kind": "coaching", "coach": alice.pk, **override}
        response = psychologist_client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_a_coach_sees_only_their_own_sessions_and_not_the_team_pages(
    team, family, alice, bob, psychologist, alice_client
):
    supervision_session_create(
        team=team, coach=alice, date=TODAY, kind="coaching", by=psychologist, points="Voor Alice"
    )
    supervision_session_create(
        team=team, coach=bob, date=TODAY, kind="coaching", by=psychologist, points="Voor Bob"
    )
    body = alice_client.get(reverse("reports:supervision_mine")).content.decode()
    assert "Voor Alice" in body and "Voor Bob" not in body
    assert alice_client.get(reverse("reports:supervision_list")).status_code == 403
    assert alice_client.post(reverse("reports:supervision_create"), {}).status_code == 403
    assert not SupervisionSession.objects.filter(points="").exists()


def test_another_teams_psychologist_sees_none_of_team_a(
    team, other_team, family, alice, psychologist
):
    supervision_session_create(
        team=team,
        coach=alice,
        date=TODAY,
        kind="coaching",
        by=psychologist,
        points="Alleen team A",
        families=[family],
    )
    b_psy = member_of(other_team, Role.PSYCHOLOGIST, username="b-psy")
    client = _client(b_psy)
    for url in (reverse("reports:supervision_list"), reverse("reports:coach_load")):
        body = client.get(url + f"?team={team.pk}").content.decode()
        assert "Alleen team A" not in body and family.display_name not in body


def test_the_family_file_shows_only_kind_and_date_never_the_notes_or_other_families(
    team, family, alice, psychologist, alice_client
):
    other = FamilyFactory(team=team, coach=alice, display_name="Gezin Buurman", status="active")
    MemberFactory(family=other, name="Piet Buurman")
    day = TODAY - 3 * DAY
    supervision_session_create(
        team=team,
        coach=alice,
        date=day,
        kind=SupervisionKind.WORK_SUPERVISION,
        by=psychologist,
        points="Aandachtspunt-voor-de-coach",
        families=[family, other],
    )
    body = alice_client.get(reverse("reports:family_reports", args=[family.pk])).content.decode()
    assert "besproken in werkbegeleiding op" in body
    assert "Aandachtspunt-voor-de-coach" not in body and "Gezin Buurman" not in body
    # The inzage: a line of the session's kind and date, nothing else of it.
    exported = family_export_json(family, by=alice)
    assert "Aandachtspunt-voor-de-coach" not in exported
    assert "Buurman" not in exported
    records = json.loads(exported)["records"]
    assert len(records["reports.SupervisionDiscussion"]) == 1
    assert "reports.SupervisionSession" not in records
    section = next(
        s
        for s in readable_sections(family_records(family))
        if s["title"] == "Besprekingen in supervisie"
    )
    assert section["rows"][0]["title"] == f"Besproken in werkbegeleiding op {day:%d-%m-%Y}"
    assert "Aandachtspunt" not in json.dumps(section)


def test_destroying_a_family_keeps_the_session_of_the_coach(team, family, alice, psychologist):
    session = supervision_session_create(
        team=team, coach=alice, date=TODAY, kind="coaching", by=psychologist, families=[family]
    )
    family.delete()
    assert SupervisionSession.objects.filter(pk=session.pk).exists()
    assert not SupervisionDiscussion.objects.exists()


# --- Query counts -----------------------------------------------------------------------------


# session, user, memberships, unread reminders (navigation), the count, the page of sessions
# (coach, led by, team joined), the families of the page, and the log of the families shown
# (one insert plus the chain).
SUPERVISION_LIST = 8 + chain_queries()


@pytest.mark.parametrize("path", ["reports:supervision_list", "reports:supervision_mine"])
def test_the_supervision_lists_cost_the_same_queries_at_two_sizes(team, alice, psychologist, path):
    client = _client(psychologist if path.endswith("list") else alice)
    url = reverse(path)

    def add(n: int) -> None:
        for _i in range(n):
            family = FamilyFactory(team=team, coach=alice, status="active")
            supervision_session_create(
                team=team,
                coach=alice,
                date=TODAY,
                kind="coaching",
                by=psychologist,
                families=[family],
            )

    add(2)
    client.get(url)
    counts = []
    for more in (0, 10):
        add(more)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    # A psychologist's navigation counts what waits for them: a query per waiting source.
    pinned = SUPERVISION_LIST + (len(settings.WAITING_SOURCES) if path.endswith("list") else 0)
    assert counts == [pinned, pinned], "\n".join(q["sql"][:120] for q in queries.captured_queries)
