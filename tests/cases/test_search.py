"""The search box in the navigation (cases/search/)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cases.models import AccessAction, AccessLog, AccessOutcome
from tests.factories import FamilyFactory, MemberFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram and unaccent search run on PostgreSQL"
)


def search(client: Client, term: str) -> str:
    response = client.post(reverse("cases:search"), {"q": term})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def elders(other_team):  # type: ignore[no-untyped-def]
    """A family of another team with a member of the same name as in `family`."""
    other = FamilyFactory(team=other_team, display_name="Gezin Elders", case_number="DH-2026-001")
    MemberFactory(family=other, name="Naomi Elders", date_of_birth=datetime.date(1985, 5, 1))
    return other


def test_the_search_box_is_in_every_pages_navigation(family, bob_client):
    body = bob_client.get(reverse("cases:caseload")).content.decode()
    assert f'action="{reverse("cases:search")}"' in body
    assert 'id="nav-search"' in body


def test_finds_a_family_by_part_of_a_members_first_name(family, elders, bob_client):
    body = search(bob_client, "naom")
    assert "Gezin Jansen" in body
    assert "naam gezinslid" in body and "Naomi Jansen" in body
    # Not the member of another team with the same first name.
    assert "Gezin Elders" not in body and "Naomi Elders" not in body


def test_finds_a_family_by_a_members_birth_date(family, elders, bob_client):
    FamilyFactory(team=family.team, display_name="Gezin Bakker")
    body = search(bob_client, "01-05-1985")
    assert "Gezin Jansen" in body and "geboortedatum gezinslid" in body
    assert "Gezin Bakker" not in body and "Gezin Elders" not in body
    assert "Gezin Jansen" in search(bob_client, "1985-05-01")


def test_finds_a_family_by_case_number_and_area(family, elders, bob_client):
    body = search(bob_client, family.case_number.lower())
    assert "Gezin Jansen" in body and "dossiernummer" in body
    body = search(bob_client, "bijlmer")
    assert "Gezin Jansen" in body and "wijk" in body
    # Another team's case number finds nothing.
    assert "Gezin Elders" not in search(bob_client, "DH-2026-001")


@postgres_only
def test_forgives_a_typing_error_and_accents(family, bob_client):
    accented = FamilyFactory(team=family.team, display_name="Gezin Çelik")
    MemberFactory(family=accented, name="Zoë Çelik")
    body = search(bob_client, "Janssen")  # one letter too many
    assert "Gezin Jansen" in body
    body = search(bob_client, "Jansne")  # two letters swapped
    assert "Gezin Jansen" in body
    body = search(bob_client, "zoe celik")
    assert "Gezin Çelik" in body and "naam gezinslid" in body
    assert "Gezin Jansen" not in search(bob_client, "Pietersma")


def test_another_teams_families_are_never_found(family, elders, charlie):
    client = Client()
    client.force_login(charlie)
    for term in ("Jansen", "naomi", "01-05-1985", family.case_number):
        assert "Gezin Jansen" not in search(client, term)
    assert "Gezin Elders" in search(client, "naomi")


def test_every_search_is_logged_without_the_term(family, elders, bob_client):
    search(bob_client, "Naomi")
    search(bob_client, "Pietersma")
    rows = AccessLog.objects.filter(action=AccessAction.SEARCH)
    # One row per search (with the number found), one per family shown.
    assert sorted(rows.filter(family_id_ref=None).values_list("object", flat=True)) == [
        "zoekopdracht: 0 gezinnen",
        "zoekopdracht: 1 gezinnen",
    ]
    shown = rows.exclude(family_id_ref=None)
    assert list(shown.values_list("family_id_ref", "object", "outcome", "role")) == [
        (family.pk, "zoekresultaat", AccessOutcome.ALLOWED, "coach")
    ]
    assert set(rows.values_list("path", flat=True)) == {reverse("cases:search")}
    for row in AccessLog.objects.values():
        for column, value in row.items():
            assert "naomi" not in str(value).lower(), column
            assert "pietersma" not in str(value).lower(), column


def test_a_search_is_a_post_and_a_get_searches_nothing(family, bob_client):
    response = bob_client.get(reverse("cases:search"), {"q": "Jansen"})
    assert response.status_code == 200
    assert "Gezin Jansen" not in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()
    assert bob_client.put(reverse("cases:search")).status_code == 405


def test_a_too_short_term_gets_a_dutch_sentence_and_searches_nothing(family, bob_client):
    body = search(bob_client, "n")
    assert "Typ minstens 2 tekens." in body
    assert "Gezin Jansen" not in body
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()


def test_anonymous_users_are_sent_to_log_in(family):
    response = Client().post(reverse("cases:search"), {"q": "Jansen"})
    assert response.status_code == 302
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()
