"""The team caseload (/caseload/): access, figures, filters, sorting, paging, query count."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessAction, AccessLog, FamilyStatus, Membership, Role
from phases.models import Reminder, ReminderKind
from reports.caseload import (
    caseload_rows,
    coach_load,
    coach_loads,
    fill_page,
    filter_rows,
    sort_rows,
)
from reports.figures import refresh_figures
from reports.models import CaseReview, FamilyFigures
from tests.factories import ContactFactory, FamilyFactory, TeamFactory, member_of
from tests.phases.helpers import open_phase
from tests.reports.helpers import scored_moment

pytestmark = pytest.mark.django_db

URL = "/caseload/"
TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _family(team, coach, name, *, phase="execution", started=60, contact=3, minutes=60, **kw):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=coach, display_name=name, **kw)
    if phase:
        open_phase(family, kind=phase, started_on=days_ago(started))
    if contact is not None:
        ContactFactory(family=family, author=coach, date=days_ago(contact), minutes=minutes)
    return family


def test_url_is_caseload():
    assert reverse("reports:caseload") == URL


def test_psychologist_and_coordinator_see_the_team(
    psychologist_client, coordinator_client, family, team, alice
):
    other = FamilyFactory(team=TeamFactory(name="Elders"), display_name="Gezin Elders")
    closed = FamilyFactory(team=team, status=FamilyStatus.CLOSED, display_name="Gezin Dicht")
    for client in (psychologist_client, coordinator_client):
        response = client.get(URL)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Gezin Jansen" in body
        assert other.display_name not in body
        assert closed.display_name not in body


@pytest.mark.parametrize("who", ["alice_client", "bob_client", "charlie_client"])
def test_coaches_are_refused(request, who, family):
    assert request.getfixturevalue(who).get(URL).status_code == 403


def test_anonymous_goes_to_login():
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_post_is_not_allowed(psychologist_client):
    assert psychologist_client.post(URL).status_code == 405


def test_user_in_two_teams_chooses_a_team(team, other_team, alice, charlie):
    psy = member_of(team, Role.PSYCHOLOGIST, username="psy2")
    from tests.factories import MembershipFactory

    MembershipFactory(user=psy, team=other_team, role=Role.COORDINATOR)
    FamilyFactory(team=team, coach=alice, display_name="Gezin Zuid")
    FamilyFactory(team=other_team, coach=charlie, display_name="Gezin Haag")
    client = Client()
    client.force_login(psy)
    # Default: the first team by name ("Amsterdam Zuidoost" before "Den Haag").
    body = client.get(URL).content.decode()
    assert "Gezin Zuid" in body and "Gezin Haag" not in body
    body = client.get(URL, {"team": other_team.pk}).content.decode()
    assert "Gezin Haag" in body and "Gezin Zuid" not in body
    # A team the user is not in falls back to the first, never shows a stranger's team.
    stranger = TeamFactory(name="Aaa Vreemd")
    FamilyFactory(team=stranger, display_name="Gezin Vreemd")
    body = client.get(URL, {"team": stranger.pk}).content.decode()
    assert "Gezin Vreemd" not in body and "Gezin Zuid" in body


def test_row_figures(team, alice, psychologist):
    family = _family(team, alice, "Gezin Cijfers", phase="execution", started=30, contact=None)
    # 4 h within the last 4 weeks, 2 h before it but inside the phase.
    ContactFactory(family=family, author=alice, date=days_ago(2), minutes=120)
    ContactFactory(family=family, author=alice, date=days_ago(20), minutes=120)
    ContactFactory(family=family, author=alice, date=days_ago(29), minutes=120)
    scored_moment(family, alice, kind="start", date=days_ago(25), severity=2)
    scored_moment(family, alice, kind="interim", date=days_ago(5), severity=4)
    review = CaseReview.objects.create(
        family=family,
        date=days_ago(10),
        next_review_on=TODAY + datetime.timedelta(days=3),
        created_by=psychologist,
    )
    # One reminder to two people counts once; a read one does not count.
    for user in (alice, psychologist):
        Reminder.objects.create(
            recipient=user,
            family=family,
            kind=ReminderKind.PHASE_ENDS_SOON,
            subject="episode:1",
            due_on=TODAY,
        )
    Reminder.objects.create(
        recipient=alice,
        family=family,
        kind=ReminderKind.NO_CONTACT,
        subject="family:1",
        due_on=TODAY,
        read_at=timezone.now(),
    )
    [row] = caseload_rows(team, today=TODAY)
    assert row.phase == "execution"
    assert row.day == 31
    assert row.used_hours == 6
    assert str(row.hours_per_week_4) == "1.0"  # 4 h / 4 weeks
    assert row.last_contact == days_ago(2)
    assert row.open_reminders == 1
    assert row.next_review == review.next_review_on
    assert row.review_due
    assert not row.no_recent_contact
    assert "under_band" in row.flags  # 1 h/week against the band's 4
    assert row.trend is None and row.figures is None  # only for the rows on the page
    fill_page([row], today=TODAY)
    assert row.figures.kind == "execution"
    assert (row.figures.day, row.figures.used_hours) == (31, 6)
    assert str(row.trend) == "2.0"


def test_flags_agree_with_the_phase_figures(team, alice):
    """The light rows use the rules of phases.budget.Figures; check them family by family."""
    cases = [
        ("start", 5, [(1, 600)]),
        ("start", 20, [(1, 720), (2, 720)]),
        ("analysis", 30, [(3, 60)]),
        ("analysis", 10, []),
        ("execution", 100, [(1, 720), (3, 720), (5, 600), (40, 120)]),
        ("closing", 50, [(20, 60)]),
    ]
    for i, (kind, started, contacts) in enumerate(cases):
        family = _family(team, alice, f"G{i}", phase=kind, started=started, contact=None)
        for day, minutes in contacts:
            ContactFactory(family=family, author=alice, date=days_ago(day), minutes=minutes)
    rows = caseload_rows(team, today=TODAY)
    fill_page(rows, today=TODAY)
    for row in rows:
        f = row.figures
        assert (row.phase, row.day, row.planned_days, row.days_late) == (
            f.kind,
            f.day,
            f.planned_days,
            f.days_late,
        ), row.name
        assert (row.used_hours, row.budget_max, row.hours_per_week_4) == (
            f.used_hours,
            f.budget_max,
            f.hours_per_week_4,
        ), row.name
        assert (row.overdue, row.over_budget, row.under_band) == (
            f.overdue,
            f.over_budget,
            f.under_band,
        ), row.name
    assert {flag for row in rows for flag in row.flags} >= {"overdue", "over_budget", "under_band"}


def test_attention_first(team, alice, bob):
    # A fresh phase (day 11) is not yet judged on its weekly hours.
    _family(team, alice, "A rustig", phase="execution", started=10, contact=1, minutes=300)
    _family(team, alice, "B geen contact", phase="execution", started=10, contact=20)
    _family(team, alice, "C over tijd", phase="start", started=30, contact=1, minutes=300)
    _family(
        team,
        alice,
        "D veilig",
        phase="execution",
        started=10,
        contact=1,
        minutes=300,
        safety_flag=True,
    )
    # Start phase: at most 2 weeks × 10 h = 20 h; 3 × 8 h is over it.
    over = _family(team, bob, "E over budget", phase="start", started=10, contact=1, minutes=480)
    for d in (2, 3):
        ContactFactory(family=over, author=bob, date=days_ago(d), minutes=480)
    ContactFactory(family__display_name="x", date=days_ago(0))  # another team's contact
    rows, used = sort_rows(caseload_rows(team, today=TODAY), "")
    assert used == "attention"
    assert [r.name for r in rows] == [
        "D veilig",
        "C over tijd",
        "E over budget",
        "B geen contact",
        "A rustig",
    ]


def test_the_page_shows_attention_first_and_sorts_by_any_column(psychologist_client, team, alice):
    _family(team, alice, "A rustig", phase="execution", started=20, contact=1, minutes=300)
    _family(
        team,
        alice,
        "Z veilig",
        phase="execution",
        started=10,
        contact=1,
        minutes=300,
        safety_flag=True,
    )
    body = psychologist_client.get(URL).content.decode()
    assert body.index("Z veilig") < body.index("A rustig")
    body = psychologist_client.get(URL, {"sort": "name"}).content.decode()
    assert body.index("A rustig") < body.index("Z veilig")
    body = psychologist_client.get(URL, {"sort": "-name"}).content.decode()
    assert body.index("Z veilig") < body.index("A rustig")
    for key in (
        "coach",
        "phase",
        "day",
        "hours",
        "week",
        "contact",
        "safety",
        "trend",
        "reminders",
        "review",
    ):
        for sort in (key, f"-{key}"):
            assert psychologist_client.get(URL, {"sort": sort}).status_code == 200
    # Not whitelisted: falls back to attention first (no ORM field names from the URL).
    body = psychologist_client.get(URL, {"sort": "coach__password"}).content.decode()
    assert body.index("Z veilig") < body.index("A rustig")


def test_the_trend_sort_in_the_database_agrees_with_the_trends_shown(
    team, alice, psychologist_client
):
    # (first severity, later severities, perspective of the later ones): trends +2, -1, +0.5
    # via the preferred perspective, one moment only (no trend) and no scores at all.
    specs = {
        "Beter": [(2, "joint"), (4, "joint")],
        "Slechter": [(4, "joint"), (3, "joint")],
        "Voorkeur": [(2, "joint"), (3, "parent"), (1, "professional")],
        "Eenmalig": [(3, "joint")],
        "Zonder": [],
    }
    for name, moments in specs.items():
        family = _family(team, alice, name)
        day = 30
        for severity, perspective in moments:
            if name == "Voorkeur" and perspective == "professional":
                # A second sheet on the same (last) moment: professional beats parent.
                from strengths.models import DomainScore, Moment, ScoreSheet

                moment = Moment.objects.filter(family=family).order_by("-date").first()
                sheet = ScoreSheet.objects.create(
                    moment=moment, perspective=perspective, updated_by=alice
                )
                DomainScore.objects.bulk_create(
                    DomainScore(sheet=sheet, domain=d, severity=severity + (i % 2), strength=1)
                    for i, d in enumerate(["child", "parent"])
                )
                continue
            scored_moment(
                family,
                alice,
                kind="interim",
                date=days_ago(day),
                severity=severity,
                perspective=perspective,
            )
            day -= 10
    # The scores went in with bulk_create, which sends no signals: their writer brings the
    # stored trends up to date, as seed_demo does.
    refresh_figures()
    rows = caseload_rows(team, today=TODAY)
    fill_page(rows, today=TODAY)
    trends = {r.name: r.trend for r in rows}
    assert trends == {
        "Beter": Decimal("2.0"),
        "Slechter": Decimal("-1.0"),
        "Voorkeur": Decimal("-0.5"),
        "Eenmalig": None,
        "Zonder": None,
    }
    for sort in ("trend", "-trend"):
        page = psychologist_client.get(URL, {"sort": sort}).context["page"]
        assert [r.name for r in page.object_list] == [r.name for r in sort_rows(rows, sort)[0]]
        assert {r.name: r.trend for r in page.object_list} == trends
    # Without the stored rows the trends are computed live: the same order, the same trends.
    assert FamilyFigures.objects.filter(trend_kept=True).count() == len(specs)
    FamilyFigures.objects.all().delete()
    for sort in ("trend", "-trend"):
        page = psychologist_client.get(URL, {"sort": sort}).context["page"]
        assert [r.name for r in page.object_list] == [r.name for r in sort_rows(rows, sort)[0]]
        assert {r.name: r.trend for r in page.object_list} == trends


def test_sort_by_hours_per_week(team, alice):
    _family(team, alice, "Veel", contact=1, minutes=600)
    _family(team, alice, "Weinig", contact=1, minutes=60)
    _family(team, alice, "Midden", contact=1, minutes=300)
    rows, _ = sort_rows(caseload_rows(team, today=TODAY), "-week")
    assert [r.name for r in rows] == ["Veel", "Midden", "Weinig"]


def test_filters_and_search_log(psychologist_client, team, alice, bob):
    alice_family = _family(team, alice, "Gezin Alice", phase="analysis", started=5)
    bob_family = _family(team, bob, "Gezin Bob", phase="start", started=5, safety_flag=True)
    body = psychologist_client.get(URL).content.decode()
    assert "Gezin Alice" in body and "Gezin Bob" in body
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()
    # The unfiltered list is a read of each family it shows (NEN 7513).
    reads = AccessLog.objects.filter(action=AccessAction.READ)
    assert sorted(reads.values_list("family_id_ref", flat=True)) == sorted(
        [alice_family.pk, bob_family.pk]
    )

    body = psychologist_client.get(URL, {"coach": alice.pk}).content.decode()
    assert "Gezin Alice" in body and "Gezin Bob" not in body
    body = psychologist_client.get(URL, {"phase": "start"}).content.decode()
    assert "Gezin Bob" in body and "Gezin Alice" not in body
    body = psychologist_client.get(URL, {"flag": "safety"}).content.decode()
    assert "Gezin Bob" in body and "Gezin Alice" not in body
    logs = AccessLog.objects.filter(action=AccessAction.SEARCH)
    assert logs.count() == 3
    # Each filtered page logs the one family it found, with the psychologist's role; the
    # filter values themselves are not in the log.
    assert sorted(logs.values_list("family_id_ref", flat=True)) == sorted(
        [alice_family.pk, bob_family.pk, bob_family.pk]
    )
    assert set(logs.values_list("role", flat=True)) == {Role.PSYCHOLOGIST}
    assert AccessLog.objects.filter(action=AccessAction.READ).count() == 2


def test_bad_filter_values_show_everything(psychologist_client, team, alice):
    _family(team, alice, "Gezin Alice")
    response = psychologist_client.get(URL, {"coach": "abc", "phase": "nope", "flag": "x"})
    assert response.status_code == 200
    assert "Gezin Alice" in response.content.decode()


def test_fifty_rows_a_page(psychologist_client, team, alice):
    for i in range(55):
        FamilyFactory(team=team, coach=alice, display_name=f"Gezin {i:02d}")
    page1 = psychologist_client.get(URL, {"sort": "name"})
    assert page1.context["page"].paginator.per_page == 50
    assert len(page1.context["page"].object_list) == 50
    page2 = psychologist_client.get(URL, {"sort": "name", "page": 2})
    names = [r.name for r in page2.context["page"].object_list]
    assert names == [f"Gezin {i}" for i in range(50, 55)]


def test_page_numbers_past_the_end_or_not_numbers_as_the_paginator_reads_them(
    psychologist_client, team, alice
):
    """The first page and its count come in one query; a page past the end shows the last
    page, a page that is not a number the first, as Django's paginator does."""
    for i in range(55):
        FamilyFactory(team=team, coach=alice, display_name=f"Gezin {i:02d}")
    cases = (
        ("9", 2, "Gezin 50"),
        ("0", 2, "Gezin 50"),
        ("x", 1, "Gezin 00"),
        ("1", 1, "Gezin 00"),
        ("2", 2, "Gezin 50"),
        (str(10**30), 2, "Gezin 50"),
    )
    for asked, number, first in cases:
        page = psychologist_client.get(URL, {"sort": "name", "page": asked}).context["page"]
        assert page.number == number, asked
        assert page.paginator.count == 55
        assert page.paginator.num_pages == 2
        assert page.object_list[0].name == first
    flagged = psychologist_client.get(URL, {"flag": "safety"}).context["page"]
    assert flagged.paginator.count == 0 and list(flagged.object_list) == []


def _add_families(team, coach, n, start=0):  # type: ignore[no-untyped-def]
    psy = Membership.objects.filter(team=team, role=Role.PSYCHOLOGIST).first().user
    for i in range(start, start + n):
        family = _family(
            team,
            coach,
            f"Gezin {i:02d}",
            phase=("start", "analysis")[i % 2],
            started=10 + i,
            contact=i % 20,
            safety_flag=i % 5 == 0,
        )
        scored_moment(family, coach, kind="start", date=days_ago(40), severity=2)
        scored_moment(family, coach, kind="analysis_end", date=days_ago(5), severity=3)
        CaseReview.objects.create(
            family=family, date=days_ago(3), next_review_on=days_ago(-i), created_by=psy
        )
        Reminder.objects.create(
            recipient=coach,
            family=family,
            kind=ReminderKind.NO_CONTACT,
            subject=f"family:{family.pk}",
            due_on=TODAY,
        )


# The page's own queries: teams, coach names, savepoint + SET LOCAL jit + release (the page's
# transaction), count, the page's rows, their phase figures and domain scores (9), on top of
# what every request costs (session, user, navigation, middleware). The trend sort is one of
# the database's sorts and costs the same. The access log of the families shown
# adds 2 to every variant (the user's memberships for the roles, one insert of all rows); a
# filter logs its rows as a search instead of a read, so it costs no more than the default.
PAGE_VIEWS = [
    ({}, "default"),
    ({"sort": "-trend"}, "trend"),
    ({"flag": "safety", "sort": "-week"}, "filtered"),
]


def test_query_count_does_not_depend_on_the_number_of_families(
    team, alice, psychologist_client, django_assert_num_queries, django_assert_max_num_queries
):
    _add_families(team, alice, 3)
    psychologist_client.get(URL)  # warm the session
    counts = {}
    for params, name in PAGE_VIEWS:
        with CaptureQueriesContext(connection) as context:
            response = psychologist_client.get(URL, params)
        assert response.status_code == 200
        counts[name] = len(context.captured_queries)
    # Fixed differences between the variants, and a ceiling for the whole request.
    # The trend sort is SQL like every other sort: the same queries as the default.
    assert counts["trend"] == counts["default"]
    # Both views log the families they show in one bulk insert (cases.permissions
    # .log_families_shown), so a filter adds no query.
    assert counts["filtered"] == counts["default"]
    # The ceiling includes the logged rows: the insert, the chain's last hash and (PostgreSQL)
    # the writer lock (cases.log_chain).
    with django_assert_max_num_queries(20):
        psychologist_client.get(URL)

    _add_families(team, alice, 27, start=3)  # 30 families now
    for params, name in PAGE_VIEWS:
        with django_assert_num_queries(counts[name]):
            response = psychologist_client.get(URL, params)
        shown = response.context["page"].object_list
        assert len(shown) == (6 if name == "filtered" else 30)


def test_coach_load(team, alice, bob, settings):
    settings.REPORTS = {**settings.REPORTS, "INTENSIVE_HOURS_PER_WEEK": 3}
    # alice: 16 h + 4 h in the last 4 weeks → 5 h/week; one intensive case (4 h/week > 3).
    _family(team, alice, "A1", phase="execution", contact=1, minutes=16 * 60 // 2)
    a1 = caseload_rows(team, today=TODAY)[0]
    ContactFactory(family_id=a1.family_id, author=alice, date=days_ago(2), minutes=8 * 60)
    _family(team, alice, "A2", phase="execution", contact=3, minutes=4 * 60)
    # bob: 2 h in 4 weeks, one more hour 5 weeks ago (outside the window).
    b1 = _family(team, bob, "B1", phase="execution", contact=1, minutes=120)
    ContactFactory(family=b1, author=bob, date=days_ago(35), minutes=60)
    loads = coach_load(caseload_rows(team, today=TODAY))
    assert [(c.coach_name, c.families, str(c.hours_per_week), c.intensive) for c in loads] == [
        (alice.get_full_name(), 2, "5.0", 1),
        (bob.get_full_name(), 1, "0.5", 0),
    ]
    # The page sums in the database (coach_loads) and gives the same answer as the rows.
    assert coach_loads(team, today=TODAY) == loads
    settings.REPORTS = {**settings.REPORTS, "INTENSIVE_HOURS_PER_WEEK": 0.9}
    loads = coach_load(caseload_rows(team, today=TODAY))
    assert [c.intensive for c in loads] == [2, 0]
    assert coach_loads(team, today=TODAY) == loads


def test_start_phase_band_top_makes_a_case_intensive(team, alice, settings):
    settings.REPORTS = {**settings.REPORTS, "INTENSIVE_HOURS_PER_WEEK": 100}
    # Start phase band 5–10 h/week: 44 h in the last 4 weeks is 11 h/week, over the top.
    family = _family(team, alice, "Intensief", phase="start", started=27, contact=1, minutes=720)
    for d in range(2, 5):
        ContactFactory(family=family, author=alice, date=days_ago(d), minutes=640)
    [load] = coach_load(caseload_rows(team, today=TODAY))
    assert load.intensive == 1
    assert coach_loads(team, today=TODAY) == [load]


def test_coach_load_page(psychologist_client, alice_client, charlie_client, family, alice):
    response = psychologist_client.get("/caseload/coaches/")
    assert response.status_code == 200
    assert alice.get_full_name() in response.content.decode()
    assert alice_client.get("/caseload/coaches/").status_code == 403
    assert charlie_client.get("/caseload/coaches/").status_code == 403
    assert psychologist_client.post("/caseload/coaches/").status_code == 405


def test_navigation_links(psychologist_client, coordinator_client, alice_client, family):
    psy = psychologist_client.get("/families/").content.decode()
    assert 'href="/caseload/"' in psy and 'href="/reports/team/"' not in psy
    coord = coordinator_client.get("/families/").content.decode()
    assert 'href="/caseload/"' in coord and 'href="/reports/team/"' in coord
    coach = alice_client.get("/families/").content.decode()
    assert 'href="/caseload/"' not in coach and 'href="/reports/team/"' not in coach


def test_database_order_and_flags_agree_with_the_rows(psychologist_client, team, alice, bob):
    """The page sorts and filters in SQL; the same rules in Python must give the same answer."""
    specs = [
        ("start", 5, [(1, 600)], False),
        ("start", 20, [(1, 720), (2, 720)], False),
        ("analysis", 30, [(3, 60)], True),
        ("analysis", 10, [], False),
        ("execution", 100, [(1, 720), (3, 720), (5, 600), (40, 120)], False),
        ("closing", 50, [(20, 60)], False),
        ("execution", 16, [(15, 60)], False),
        (None, 0, [(2, 60)], False),
    ]
    for i, (kind, started, contacts, safety) in enumerate(specs):
        family = _family(
            team,
            (alice, bob)[i % 2],
            f"G{i}",
            phase=kind,
            started=started,
            contact=None,
            safety_flag=safety,
        )
        for day, minutes in contacts:
            ContactFactory(family=family, author=alice, date=days_ago(day), minutes=minutes)
        if i == 3:
            CaseReview.objects.create(
                family=family, date=days_ago(9), next_review_on=days_ago(1), created_by=alice
            )
    rows = caseload_rows(team, today=TODAY)
    # The coach-load page sums the same flags per coach in the database.
    assert coach_loads(team, today=TODAY) == coach_load(rows)

    def page_names(**params):  # type: ignore[no-untyped-def]
        response = psychologist_client.get(URL, params)
        return [r.name for r in response.context["page"].object_list]

    assert page_names() == [r.name for r in sort_rows(rows, "")[0]]
    for key in (
        "coach",
        "phase",
        "day",
        "hours",
        "week",
        "contact",
        "safety",
        "reminders",
        "review",
    ):
        for sort in (key, f"-{key}"):
            expected = [r.name for r in sort_rows(rows, sort)[0]]
            assert page_names(sort=sort) == expected, sort
    for flag in (
        "safety",
        "overdue",
        "over_budget",
        "under_band",
        "above_band",
        "no_contact",
        "review_due",
        "attention",
    ):
        expected = sorted(r.name for r in filter_rows(rows, flag=flag))
        assert sorted(page_names(flag=flag)) == expected, flag
    assert {f for r in rows for f in r.flags} >= {
        "safety",
        "overdue",
        "over_budget",
        "under_band",
        "no_contact",
        "review_due",
    }


def test_coach_load_query_count_is_fixed(
    team, alice, psychologist_client, django_assert_num_queries
):
    _add_families(team, alice, 3)
    psychologist_client.get("/caseload/coaches/")
    with CaptureQueriesContext(connection) as context:
        psychologist_client.get("/caseload/coaches/")
    _add_families(team, alice, 27, start=3)
    with django_assert_num_queries(len(context.captured_queries)):
        response = psychologist_client.get("/caseload/coaches/")
    [load] = response.context["loads"]
    assert load.families == 30


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite computes decimals as floats: 20.05 rounds to 20.0 there",
)
def test_the_row_the_filter_and_the_family_page_give_one_answer_on_a_rounding_edge(
    psychologist_client, team, alice
):
    """1203 minutes are 20.05 hours: rounded to a tenth that is 20.1, over the start phase's
    20 h. The flag comes from one place (the SQL annotations), so the light row, the page's
    flag filter and the family's phase figures all say "over budget"."""
    family = _family(team, alice, "Rand", phase="start", started=5, contact=None)
    ContactFactory(family=family, author=alice, date=days_ago(1), minutes=600)
    ContactFactory(family=family, author=alice, date=days_ago(2), minutes=603)
    [row] = caseload_rows(team, today=TODAY)
    fill_page([row], today=TODAY)
    assert row.figures.used_hours == row.used_hours == Decimal("20.1")
    assert row.figures.budget_max == row.budget_max == 20
    assert row.over_budget and row.figures.over_budget
    assert "over_budget" in row.flags
    response = psychologist_client.get(URL, {"flag": "over_budget"})
    assert [r.name for r in response.context["page"].object_list] == ["Rand"]


def test_coach_names_are_the_coaches_of_the_teams_active_families(
    team, other_team, alice, bob, charlie
):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from reports.caseload import coach_names

    # Two active families for alice (her name once), a closed one only for bob, and
    # charlie's active family in the other team: only alice coaches this team's open work.
    alice.first_name, alice.last_name = "Alice", "de Vries"
    alice.save()
    FamilyFactory(team=team, coach=alice)
    FamilyFactory(team=team, coach=alice)
    FamilyFactory(team=team, coach=bob, status=FamilyStatus.CLOSED)
    FamilyFactory(team=other_team, coach=charlie)
    nameless = get_user_model().objects.create_user("zonder-naam", password="x-pass-12345")
    FamilyFactory(team=team, coach=nameless)
    assert coach_names(team) == {alice.pk: "Alice de Vries", nameless.pk: "zonder-naam"}
    assert coach_names(other_team) == {charlie.pk: charlie.get_full_name() or charlie.username}


def test_each_coach_load_figure_stands_under_its_own_heading(psychologist_client, family, alice):  # type: ignore[no-untyped-def]
    """A row has a cell for each heading, and each figure is in its column ("Geen
    recent contact" holds the families without a recent contact)."""
    import re
    from html import unescape

    from django.utils import translation

    translation.activate("nl")
    html = psychologist_client.get("/caseload/coaches/").content.decode()
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    headings = [
        unescape(re.sub(r"<[^>]+>", "", h)).strip()
        for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    ]
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    (row,) = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    cells = [
        unescape(re.sub(r"<[^>]+>", " ", c)).split()
        for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]
    assert len(cells) == len(headings) == 8
    by_heading = dict(zip(headings, cells, strict=True))
    # The family was never contacted: it counts as without a recent contact.
    assert by_heading["Geen recent contact"] == ["1"]
    assert by_heading["Actieve gezinnen"] == ["1"]
    assert by_heading["Laatste supervisie"] == ["nog", "geen"]
