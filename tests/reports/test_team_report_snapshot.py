# ruff: noqa: F811 (the fixtures data and ticks are imported)
"""The team report read from its snapshot (reports.TeamReportSnapshot): the same report as
computed live, in either language; computed and stored when a team and year have none,
shown as stored while fresh, asked for anew once when stale; computed anew by the beat job
(this year and every year stored), its command, and the coordinator's "Nu verversen"."""

from __future__ import annotations

import dataclasses
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import PartnerKind
from reports import tasks
from reports.models import FidelitySnapshot, ImplementationResponse, TeamReportSnapshot
from reports.teamreport import (
    refresh_team_reports,
    report_data,
    report_from,
    team_report,
    team_report_snapshot,
)
from tests.cases.partners.factories import PartnerFactory, referral
from tests.clock import now_with_time_left_today
from tests.factories import ContactFactory, FamilyFactory, TeamFactory
from tests.phases.helpers import open_phase
from tests.reports.test_team_report import data  # noqa: F401 (a fixture)
from tests.reports.test_team_report_elements import ticks  # noqa: F401 (a fixture)
from tests.reports.test_team_report_referrals import _started

pytestmark = pytest.mark.django_db

D = datetime.date
MINUTE = datetime.timedelta(minutes=1)
YEAR = 2025


@pytest.fixture
def rich(data, ticks, team, alice, bob, charlie):  # type: ignore[no-untyped-def]
    """Every table of the report with rows: the team report's, its working elements', and
    referrals to partners, implementation answers above the threshold, and open files
    with and without a coach for the fidelity table."""
    family = FamilyFactory(team=team, coach=alice, referrer="gp", referral_date=D(2025, 8, 1))
    ggz = PartnerFactory(team=team, kind=PartnerKind.ADULT_MENTAL_HEALTH, name="GGZ")
    _started(family, ggz, alice, D(2025, 1, 1), D(2025, 1, 11))
    referral(family, ggz, alice, asked_on=D(2025, 7, 1))
    open_phase(family, kind="start", started_on=timezone.localdate() - datetime.timedelta(30))
    without_coach = FamilyFactory(team=team, coach=None, referrer="okt")
    open_phase(without_coach, kind="start", started_on=timezone.localdate())
    for who, score in ((alice, 4), (bob, 3), (charlie, 5)):
        ImplementationResponse.objects.create(
            team=team,
            professional=who,
            year=YEAR,
            half=1,
            remark=f"opmerking {score}",
            **{
                f"{area}_{i}": score
                for area in ("method", "professional", "organisation", "context")
                for i in (1, 2, 3)
            },
        )
    return team


def _without_times(report):  # type: ignore[no-untyped-def]
    return dataclasses.replace(
        report,
        computed_at=None,
        fidelity=dataclasses.replace(report.fidelity, computed_at=None),
    )


def test_a_snapshot_is_the_live_report_in_either_language(rich):  # type: ignore[no-untyped-def]
    now = now_with_time_left_today()
    with translation.override("nl"):
        live = team_report(rich, year=YEAR, now=now)
        stored = team_report_snapshot(rich, year=YEAR, now=now)
    # Every table has rows, so the comparison covers every kind of figure.
    assert live.partner_referrals and live.working_elements and live.durations
    assert live.implementation[0].averages["method"] is not None
    assert "(geen coach)" in [row.label for row in live.fidelity.rows]
    assert stored.computed_at == now == stored.fidelity.computed_at
    assert _without_times(stored) == _without_times(live)
    # The stored data went through JSON (Decimals as strings) and reads back the same.
    snapshot = TeamReportSnapshot.objects.get(team=rich, year=YEAR)
    snapshot.refresh_from_db()
    assert _without_times(
        report_from(rich, year=YEAR, data=snapshot.data, computed_at=snapshot.computed_at)
    ) == _without_times(live)
    # Stored while Dutch was active, read in English: the English report.
    with translation.override("en"):
        english = team_report_snapshot(rich, year=YEAR, now=now + MINUTE)
        assert _without_times(english) == _without_times(team_report(rich, year=YEAR, now=now))
    assert "(no coach)" in [row.label for row in english.fidelity.rows]
    assert english.contact_times_total.label == "Team"


def test_report_data_is_language_neutral(rich):  # type: ignore[no-untyped-def]
    with translation.override("nl"):
        dutch = report_data(team_report(rich, year=YEAR))
    with translation.override("en"):
        english = report_data(team_report(rich, year=YEAR))
    dutch["fidelity"]["computed_at"] = english["fidelity"]["computed_at"] = None
    assert dutch == english


@override_settings(FIDELITY_SNAPSHOT_MINUTES=30)
def test_stored_until_stale_then_asked_for_once(data, alice, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    now = now_with_time_left_today()
    first = team_report_snapshot(data, year=YEAR, now=now)
    assert first.computed_at == now
    assert FidelitySnapshot.objects.get(team=data).computed_at == now
    ContactFactory(family=data.families.first(), author=alice, date=D(2025, 4, 1), minutes=60)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fresh = team_report_snapshot(data, year=YEAR, now=now + 29 * MINUTE)
    assert callbacks == []
    assert fresh.contact_times_total == first.contact_times_total
    later = now + 31 * MINUTE
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stale = team_report_snapshot(data, year=YEAR, now=later)
        team_report_snapshot(data, year=YEAR, now=later + MINUTE)
    assert stale.contact_times_total == first.contact_times_total
    assert len(callbacks) == 1
    callbacks[0]()  # the task, in-process
    renewed = team_report_snapshot(data, year=YEAR)
    assert renewed.contact_times_total.contacts == first.contact_times_total.contacts + 1
    assert renewed.computed_at > now
    assert TeamReportSnapshot.objects.get(team=data, year=YEAR).refresh_asked_at is None


def test_a_snapshot_of_another_format_is_computed_anew(data):  # type: ignore[no-untyped-def]
    team_report_snapshot(data, year=YEAR)
    TeamReportSnapshot.objects.filter(team=data).update(data={"v": 0})
    report = team_report_snapshot(data, year=YEAR)
    assert report.referrals == team_report(data, year=YEAR).referrals
    assert TeamReportSnapshot.objects.get(team=data, year=YEAR).data["v"] != 0


def test_beat_job_and_command_compute_this_year_and_every_stored_year(data, other_team):  # type: ignore[no-untyped-def]
    other = TeamFactory()
    refresh_team_reports(data.pk, years=[YEAR])
    assert tasks.refresh_team_reports_all.delay().get() == 3
    this_year = timezone.localdate().year
    assert set(TeamReportSnapshot.objects.values_list("team_id", "year")) == {
        (data.pk, YEAR),
        (data.pk, this_year),
        (other_team.pk, this_year),
        (other.pk, this_year),
    }
    assert FidelitySnapshot.objects.filter(team=other).exists()
    before = TeamReportSnapshot.objects.get(team=data, year=YEAR).computed_at
    out = io.StringIO()
    call_command("refresh_team_reports", stdout=out)
    assert "3 teams" in out.getvalue()
    assert TeamReportSnapshot.objects.get(team=data, year=YEAR).computed_at > before


def test_page_says_when_and_refresh_now(coordinator, data, alice):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    page = client.get(reverse("reports:team_report"), {"year": YEAR})
    html = page.content.decode()
    assert "data-report-computed" in html and "elk half uur ververst" in html
    assert "Nu verversen" in html
    assert page.context["report"].computed_at is not None
    ContactFactory(family=data.families.first(), author=alice, date=D(2025, 4, 1), minutes=60)
    url = reverse("reports:team_report_refresh")
    # Without the CSRF token: refused, nothing computed.
    assert client.post(url, {"team": data.pk, "year": YEAR}).status_code == 403
    assert (
        client.get(reverse("reports:team_report"), {"year": YEAR})
        .context["report"]
        .contact_times_total.contacts
        == 3
    )
    token = client.cookies["csrftoken"].value
    response = client.post(
        url, {"team": data.pk, "year": YEAR, "csrfmiddlewaretoken": token}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/reports/team/?team={data.pk}&year={YEAR}"
    assert "De cijfers zijn opnieuw berekend." in response.content.decode()
    assert response.context["report"].contact_times_total.contacts == 4
    print_page = client.get(reverse("reports:team_report_print"), {"year": YEAR})
    assert "met de cijfers van" in print_page.content.decode()


@pytest.mark.parametrize("who", ["psychologist_client", "alice_client", "charlie_client"])
def test_refresh_only_for_the_coordinator(request, who, data):  # type: ignore[no-untyped-def]
    client = request.getfixturevalue(who)
    assert client.post(reverse("reports:team_report_refresh"), {"year": YEAR}).status_code == 403
    assert not TeamReportSnapshot.objects.exists()


def test_refresh_is_post_only(coordinator_client):  # type: ignore[no-untyped-def]
    assert coordinator_client.get(reverse("reports:team_report_refresh")).status_code == 405


def _add_families(team, coach, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        family = FamilyFactory(team=team, coach=coach, referral_date=D(2025, 1 + i % 12, 1))
        open_phase(family, kind="start", started_on=timezone.localdate() - datetime.timedelta(9))
        ContactFactory(family=family, author=coach, date=D(2025, 1 + i % 12, 2), minutes=30)


@pytest.mark.parametrize(
    ("path", "logged"),
    [("/reports/team/", False), ("/reports/team/csv/", True), ("/reports/team/print/", True)],
)
def test_the_same_queries_with_few_and_more_families_each_freshly_computed(
    coordinator_client, team, alice, path, logged
):  # type: ignore[no-untyped-def]
    from tests.querycounts import chain_queries

    assert coordinator_client.get(path, {"year": YEAR}).status_code == 200  # the session's first
    counts = []
    for n in (3, 30):
        _add_families(team, alice, n)
        refresh_team_reports(team.pk, years=[YEAR])  # the beat job, at this size
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(path, {"year": YEAR}).status_code == 200
        counts.append(len(queries.captured_queries))
    # Session, user, memberships, the snapshot; the page's navigation its unread reminders,
    # the downloads their access-log row.
    pinned = 4 + (1 + chain_queries() if logged else 1)
    assert counts == [pinned, pinned]
