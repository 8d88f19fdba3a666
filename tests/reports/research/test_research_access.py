"""The researcher: 404 on every family URL, nothing on the landing page, lists or search;
only the research pages, where every download is logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import AccessLog, AccessOutcome, Family, Role
from cases.permissions import Need, _rules
from reports.models import ExportState, ResearchDownload, ResearchExport, ResearchProject
from reports.research.services import research_export_request
from tests.cases.test_permission_matrix import MARKER, _kwargs, all_routes
from tests.factories import ContactFactory, MemberFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secret_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.RESEARCH_SECRET = "test-secret-of-the-environment"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def researcher(team):  # type: ignore[no-untyped-def]
    return member_of(team, Role.RESEARCHER, username="onderzoeker")


@pytest.fixture
def researcher_client(researcher):  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(researcher)
    return client


@pytest.fixture
def project(team):  # type: ignore[no-untyped-def]
    project = ResearchProject.objects.create(name="Effectonderzoek", key_id="effect-1")
    project.teams.add(team)
    return project


def test_the_rules_give_the_researcher_nothing():
    assert _rules(Role.RESEARCHER, writer=True) == frozenset()
    assert _rules(Role.RESEARCHER, writer=False) == frozenset()
    assert Need.READ in _rules(Role.COACH, writer=False)


def test_the_researcher_gets_404_on_every_family_url(family, alice, researcher_client):
    family.display_name = MARKER
    family.save(update_fields=["display_name"])
    ContactFactory(family=family, author=alice)
    routes = [(r, _kwargs(r, family)) for r in all_routes()]
    family_routes = [(r, kw) for r, kw in routes if kw is not None and "family_id" in kw]
    assert len(family_routes) >= 10
    failures = []
    for route, kwargs in family_routes:
        url = reverse(route.name, kwargs=kwargs)
        for method in ("get", "post"):
            last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()
            response = getattr(researcher_client, method)(url)
            # 405 only where the method itself is refused before the gate.
            if response.status_code not in (404, 405):
                failures.append(f"{method.upper()} {url} -> {response.status_code}")
            outcomes = {row.outcome for row in AccessLog.objects.filter(pk__gt=last or 0)}
            if response.status_code == 404 and outcomes != {AccessOutcome.DENIED}:
                failures.append(f"{method.upper()} {url}: logged {sorted(outcomes)}")
    assert not failures, "\n".join(failures)
    response = researcher_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert response.status_code == 404


def test_no_family_on_the_landing_page_lists_search_or_team_pages(
    family, researcher, researcher_client
):
    family.display_name = MARKER
    family.save(update_fields=["display_name"])
    # The landing page sends a researcher to the research page.
    response = researcher_client.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:research")
    assert Family.objects.visible_to(researcher).count() == 0
    for url in (
        reverse("cases:family_list"),
        reverse("cases:family_list") + "?q=Zzyzx",
        reverse("reports:research"),
    ):
        response = researcher_client.get(url)
        assert MARKER.encode() not in response.content, url
    # Team-wide pages (the team's caseload, the team report) are not for the researcher.
    assert researcher_client.get(reverse("reports:caseload")).status_code == 403
    assert researcher_client.get(reverse("reports:team_report")).status_code == 403
    # Nor are the pages of the care work: supervision, the implementation questionnaire for
    # professionals, the team's partners; the navigation offers none of them.
    for name in ("reports:supervision_mine", "reports:implementation", "cases:partner_list"):
        assert researcher_client.get(reverse(name)).status_code == 403, name
    page = researcher_client.get(reverse("reports:research")).content.decode()
    assert reverse("reports:research") in page
    for name in (
        "reports:supervision_mine",
        "reports:implementation",
        "cases:partner_list",
        "cases:family_list",
        "phases:reminder_list",
        "cases:agenda",
    ):
        assert f'href="{reverse(name)}"' not in page, name
    assert 'action="/search/"' not in page


def test_a_coach_has_no_research_page(alice):
    client = Client()
    client.force_login(alice)
    assert client.get(reverse("reports:research")).status_code == 403


def test_the_researcher_requests_and_downloads_a_dataset_and_it_is_logged(
    team, family, project, researcher, researcher_client, django_capture_on_commit_callbacks
):
    MemberFactory(family=family)
    with django_capture_on_commit_callbacks(execute=True):
        response = researcher_client.post(
            reverse("reports:research"), {"project": project.pk, "team": team.pk}
        )
    assert response.status_code == 302
    export = ResearchExport.objects.get()
    assert export.state == ExportState.DONE
    assert export.families == 1
    page = researcher_client.get(reverse("reports:research")).content.decode()
    assert export.filename in page
    url = reverse("reports:research_download", args=[export.pk, export.filename])
    response = researcher_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    download = ResearchDownload.objects.get()
    assert download.user == researcher and download.checksum_sha256 == export.checksum_sha256
    log = AccessLog.objects.filter(object=f"onderzoeksdataset {export.pk}").get()
    assert log.outcome == AccessOutcome.ALLOWED and log.family_id_ref is None
    assert log.action == "export"


def test_a_researcher_of_another_team_cannot_download(
    team, other_team, project, researcher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = research_export_request(project=project, team=team, by=researcher)
    export.refresh_from_db()
    outsider = member_of(other_team, Role.RESEARCHER, username="onderzoeker-b")
    client = Client()
    client.force_login(outsider)
    url = reverse("reports:research_download", args=[export.pk, export.filename])
    assert client.get(url).status_code == 404
    assert not ResearchDownload.objects.exists()


def test_a_team_not_in_the_project_gets_no_dataset(
    team, other_team, project, researcher, researcher_client
):
    # The researcher's own team takes part; a project of another team is not offered.
    other = ResearchProject.objects.create(name="Ander", key_id="other")
    other.teams.add(other_team)
    response = researcher_client.post(
        reverse("reports:research"), {"project": other.pk, "team": team.pk}
    )
    assert response.status_code == 200
    assert not ResearchExport.objects.exists()


def test_without_the_secret_the_dataset_fails_visibly_and_can_be_retried(
    team, project, researcher, researcher_client, settings, django_capture_on_commit_callbacks
):
    settings.RESEARCH_SECRET = ""
    with django_capture_on_commit_callbacks(execute=True):
        export = research_export_request(project=project, team=team, by=researcher)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    assert "RESEARCH_SECRET" in export.error
    page = researcher_client.get(reverse("reports:research")).content.decode()
    assert reverse("reports:research_retry", args=[export.pk]) in page
    settings.RESEARCH_SECRET = "now-set"
    with django_capture_on_commit_callbacks(execute=True):
        researcher_client.post(reverse("reports:research_retry", args=[export.pk]))
    export.refresh_from_db()
    assert export.state == ExportState.DONE


def test_the_research_page_costs_the_same_with_more_teams_and_datasets(
    team, other_team, project, researcher, researcher_client, django_assert_num_queries
):
    LAST: list = []

    def page_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert researcher_client.get(reverse("reports:research")).status_code == 200
        LAST[:] = queries.captured_queries
        return len(queries)

    page_queries()  # the first request of a session reads more (session, log-in)
    few = page_queries()
    # Session, user, memberships (shared with the navigation), the team's counts, the
    # datasets, the projects and their teams, and the form's two choice lists (projects,
    # teams); a researcher's navigation has no reminders to count.
    assert few == 9, "\n".join(q["sql"][:90] for q in LAST)
    member_of(other_team, Role.COACH, username="extra")
    from tests.factories import MembershipFactory

    MembershipFactory(user=researcher, team=other_team, role=Role.RESEARCHER)
    project.teams.add(other_team)
    for _ in range(3):
        ResearchExport.objects.create(project=project, team=team, requested_by=researcher)
    # Per team one query for its counts (of the teams the researcher takes part for).
    assert page_queries() == few + 1


def test_the_demo_project_takes_both_teams_and_requests_a_dataset(
    team, other_team, settings, django_capture_on_commit_callbacks
):
    from familiekracht.demo import research as demo_research
    from familiekracht.demo.users import DEMO_USERS

    assert ("onderzoeker", Role.RESEARCHER) in {(row[0], row[4]) for row in DEMO_USERS}
    researcher = member_of(team, Role.RESEARCHER, username="demo-onderzoeker")
    settings.RESEARCH_SECRET = ""
    with django_capture_on_commit_callbacks(execute=True):
        project = demo_research.seed(teams=[team, other_team], researcher=researcher)
    assert set(project.teams.all()) == {team, other_team}
    # Without the secret the demo shows the failed state with its retry button.
    assert ResearchExport.objects.get().state == ExportState.FAILED


def test_the_demo_dataset_is_built_with_a_secret(
    team, other_team, settings, django_capture_on_commit_callbacks
):
    from familiekracht.demo import research as demo_research

    researcher = member_of(team, Role.RESEARCHER, username="demo-onderzoeker")
    settings.RESEARCH_SECRET = "a-secret-for-this-test"
    with django_capture_on_commit_callbacks(execute=True):
        demo_research.seed(teams=[team, other_team], researcher=researcher)
    assert ResearchExport.objects.get().state == ExportState.DONE
