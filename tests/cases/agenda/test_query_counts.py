"""The agenda, Mijn taken and the documents list: a fixed number of queries however much
they show (pinned, as the other list pages)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.agenda import services as agenda_services
from cases.documents import services as document_services
from cases.todo import services as task_services
from tests.cases.documents.helpers import PDF
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _fill(team, coach, colleague, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        family = FamilyFactory(team=team, coach=coach)
        member = MemberFactory(family=family)
        for day in (0, 1, 8, -2):
            agenda_services.appointment_create(
                family=family,
                by=coach,
                kind="home_visit",
                date=TODAY() + datetime.timedelta(days=day),
                starts_at=datetime.time(9 + i % 8),
                ends_at=datetime.time(10 + i % 8),
                coach=coach,
                members=[member],
                colleagues=[colleague],
            )
        task_services.task_create(
            family=family, by=coach, title="bellen", owner=coach, due_on=TODAY()
        )


def _count(client, url) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["cases:agenda", "cases:task_list"])
def test_own_pages_do_not_grow(team, alice, bob, alice_client, url_name):
    url = reverse(url_name)
    _fill(team, alice, bob, 2)
    alice_client.get(url)  # the session's first request loads settings
    few = _count(alice_client, url)
    _fill(team, alice, bob, 6)
    assert _count(alice_client, url) == few


def test_team_agenda_does_not_grow(team, alice, bob, psychologist_client):
    url = reverse("cases:agenda") + f"?team={team.pk}"
    _fill(team, alice, bob, 2)
    psychologist_client.get(url)
    few = _count(psychologist_client, url)
    _fill(team, alice, bob, 6)
    assert _count(psychologist_client, url) == few


def test_documents_list_does_not_grow(family, alice, alice_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("cases:document_list", args=[family.pk])

    def add(n: int) -> None:
        for _ in range(n):
            document = document_services.document_upload(
                family=family,
                by=alice,
                content=PDF,
                original_name="a.pdf",
                kind="letter",
                date=TODAY(),
                members=list(family.members.all()),
            )
            document_services.document_replace(
                document=document, by=alice, content=PDF, original_name="b.pdf"
            )

    add(1)
    alice_client.get(url)
    few = _count(alice_client, url)
    add(5)
    assert _count(alice_client, url) == few


# See the test below for what they are.
PINNED_AGENDA = 15


def test_agenda_query_count_is_pinned(team, alice, bob, alice_client, django_assert_num_queries):
    from tests.querycounts import chain_queries

    _fill(team, alice, bob, 3)
    alice_client.get(reverse("cases:agenda"))
    # session, user, unread reminders and memberships (navigation), the team-wide
    # memberships, the week and the weeks after, members, colleagues and network members
    # expected (prefetch), the missed ones with the same three, the feed; 1 for the access
    # log of the families shown (the roles come with the navigation's memberships); the
    # session is not written within a minute of its last write
    with django_assert_num_queries(PINNED_AGENDA + chain_queries()):
        alice_client.get(reverse("cases:agenda"))


def test_family_agenda_does_not_grow(family, alice, bob, alice_client):
    from network.models import NetworkMember

    grandma = NetworkMember.objects.create(
        family=family, name="Oma Ria", relation="oma", circle="family"
    )
    url = reverse("cases:family_agenda", args=[family.pk])

    def add(n: int) -> None:
        for i in range(n):
            agenda_services.appointment_create(
                family=family,
                by=alice,
                kind="network_meeting",
                date=TODAY() + datetime.timedelta(days=i - 1),
                starts_at=datetime.time(9),
                ends_at=datetime.time(10),
                coach=alice,
                members=list(family.members.all()),
                colleagues=[bob],
                network_members_expected=[grandma],
            )

    add(2)
    alice_client.get(url)
    few = _count(alice_client, url)
    add(6)
    assert _count(alice_client, url) == few
    assert "Oma Ria" in alice_client.get(url).content.decode()
