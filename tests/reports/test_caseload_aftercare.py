"""The caseload's "Nazorg" tab: the team's aftercare families and their next check-in."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.formats import short_date
from cases.models import AccessLog, Role
from phases import services
from phases.models import AftercareCheckin
from tests.factories import FamilyFactory, MemberFactory, member_of
from tests.phases.helpers import CLOSE_WITH_AFTERCARE, CLOSE_WITHOUT_AFTERCARE, open_phase
from tests.querycounts import chain_queries

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
URL = reverse("reports:caseload_aftercare")


def today() -> datetime.date:
    return timezone.localdate()


def _closed(team, coach, psychologist, name, closed_on, *, aftercare=True):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=coach, display_name=name, status="active")
    MemberFactory(family=family)
    open_phase(family, kind="closing", started_on=closed_on - 30 * DAY)
    services.transition_propose(
        family=family,
        by=psychologist,
        role=Role.PSYCHOLOGIST,
        effective_on=closed_on,
        today=closed_on,
        **(CLOSE_WITH_AFTERCARE if aftercare else CLOSE_WITHOUT_AFTERCARE),
    )
    return family


def test_aftercare_families_with_their_next_checkin(team, alice, psychologist, psychologist_client):
    soon = _closed(team, alice, psychologist, "Gezin Binnenkort", today() - 85 * DAY)
    later = _closed(team, alice, psychologist, "Gezin Later", today() - 10 * DAY)
    _closed(team, alice, psychologist, "Gezin Dicht", today() - 10 * DAY, aftercare=False)
    FamilyFactory(team=team, coach=alice, display_name="Gezin Actief", status="active")
    # Later's first check-in was held early: its next one is the second, months away.
    held = AftercareCheckin.objects.filter(family=later).order_by("planned_on").first()
    services.aftercare_checkin_record(
        checkin=held, by=alice, held_on=today(), how_it_goes="Goed", needs_help=False
    )
    response = psychologist_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 gezinnen in nazorg" in html
    assert "Gezin Dicht" not in html and "Gezin Actief" not in html
    # The next planned (not held) check-in, soonest first.
    assert html.index("Gezin Binnenkort") < html.index("Gezin Later")
    assert "Doelen bereikt" in html
    next_soon = AftercareCheckin.objects.planned().filter(family=soon).first().planned_on
    assert short_date(next_soon) in html
    assert short_date(today()) in html  # later's last held check-in
    # The families shown are in their access logs.
    for family in (soon, later):
        assert AccessLog.objects.filter(
            family_id_ref=family.pk, user=psychologist, object="lijst: nazorg van het team"
        ).exists()


def test_a_checkin_past_its_date_is_marked(team, alice, psychologist, psychologist_client):
    _closed(team, alice, psychologist, "Gezin Laat", today() - 100 * DAY)
    html = psychologist_client.get(URL).content.decode()
    assert "over tijd" in html


def test_empty_list(team, psychologist_client):
    html = psychologist_client.get(URL).content.decode()
    assert "Geen gezinnen in nazorg." in html


def test_the_caseload_links_to_the_tab(psychologist_client):
    html = psychologist_client.get(reverse("reports:caseload")).content.decode()
    assert f'href="{URL}"' in html


def test_only_team_wide_roles_of_the_team(
    team, other_team, alice, psychologist, alice_client, charlie_client
):
    _closed(team, alice, psychologist, "Gezin Geheim", today() - 20 * DAY)
    assert alice_client.get(URL).status_code == 403
    assert charlie_client.get(URL).status_code == 403
    other_psy = member_of(other_team, Role.PSYCHOLOGIST, username="psy-b")
    client = type(alice_client)()
    client.force_login(other_psy)
    response = client.get(URL)
    assert response.status_code == 200 and "Gezin Geheim" not in response.content.decode()


def test_the_page_costs_the_same_queries_at_two_sizes(
    team, alice, psychologist, psychologist_client
):
    def add(n, start):  # type: ignore[no-untyped-def]
        for i in range(start, start + n):
            _closed(team, alice, psychologist, f"Gezin {i:02d}", today() - (10 + i) * DAY)

    add(3, 0)
    assert psychologist_client.get(URL).status_code == 200
    counts = []
    for more in (0, 10):
        add(more, 3)
        with CaptureQueriesContext(connection) as queries:
            assert psychologist_client.get(URL).status_code == 200
        counts.append(len(queries.captured_queries))
    # Session, user, memberships (gate and navigation), unread reminders, the count, the
    # page's rows, the gate's access-log row and the log of the families shown (one insert
    # each, plus the chain).
    # A psychologist's navigation counts what waits for them: a query per waiting source.
    pinned = 7 + len(settings.WAITING_SOURCES) + chain_queries()
    assert counts == [pinned, pinned], "\n".join(q["sql"][:120] for q in queries.captured_queries)
