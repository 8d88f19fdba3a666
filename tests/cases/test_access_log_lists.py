"""NEN 7513: list and search pages log every family whose name they showed.

The auditor's question "who saw this family's name" is answered by the family's own
access-log page and CSV, so each list page writes one row per family shown, with the
user's role in that family's team. The search term is free text about clients: it goes in
a POST body, never in a URL or in the log.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AccessAction,
    AccessLog,
    AccessOutcome,
    Family,
    FamilyStatus,
    Role,
)
from phases.models import Reminder
from tests.cases.test_families import family_data
from tests.factories import FamilyFactory, MembershipFactory
from tests.network.factories import KrachtgezinFactory
from tests.querycounts import chain_queries

pytestmark = pytest.mark.django_db

TERM = "Zonnebloem"  # a search term that occurs in no family name, path or label


def family_rows():  # type: ignore[no-untyped-def]
    """The rows about a family: not the log-in rows that force_login writes."""
    return AccessLog.objects.exclude(action=AccessAction.LOGIN)


def shown(**filters) -> list[tuple[int | None, str, str, str, str]]:  # type: ignore[no-untyped-def]
    """(family id, username, role, action, object) of the rows, by family id."""
    rows = (
        family_rows()
        .filter(**filters)
        .values_list("family_id_ref", "username", "role", "action", "object")
    )
    return sorted(rows, key=lambda row: (row[0] or 0, row[3]))


def _no_family_rows_yet() -> None:
    assert not family_rows().exists()


# --- The landing page: the user's own caseload -------------------------------------------


def test_landing_page_logs_each_own_family(
    family, alice, charlie, other_team, alice_client, charlie_client
):
    charlie_client.get(reverse("cases:caseload"))  # an empty caseload logs nothing
    FamilyFactory(team=family.team, display_name="Gezin Bakker")  # not alice's
    FamilyFactory(team=other_team, display_name="Gezin Elders")  # another team
    _no_family_rows_yet()
    response = alice_client.get(reverse("cases:caseload"))
    assert response.status_code == 200
    assert shown() == [(family.pk, "alice", Role.COACH, "read", "lijst: mijn gezinnen")]
    assert family_rows().get().outcome == AccessOutcome.ALLOWED
    assert family_rows().get().path == "/"


def test_landing_page_role_is_the_role_in_each_familys_team(family, alice, other_team):
    """A coach here and a psychologist in another team: each row has that team's role."""
    MembershipFactory(user=alice, team=other_team, role=Role.PSYCHOLOGIST)
    elsewhere = FamilyFactory(team=other_team, display_name="Gezin Elders")
    client = Client()
    client.force_login(alice)
    client.get(reverse("cases:caseload"))
    assert shown() == sorted(
        [
            (family.pk, "alice", Role.COACH, "read", "lijst: mijn gezinnen"),
            (elsewhere.pk, "alice", Role.PSYCHOLOGIST, "read", "lijst: mijn gezinnen"),
        ]
    )


# --- The family list and its search ------------------------------------------------------


def test_family_list_logs_each_family_on_the_page(family, alice, other_team, bob_client):
    bakker = FamilyFactory(team=family.team, display_name="Gezin Bakker")
    FamilyFactory(team=other_team, display_name="Gezin Elders")
    bob_client.get(reverse("cases:family_list"))
    assert shown() == [
        (family.pk, "bob", Role.COACH, "read", "lijst: alle gezinnen"),
        (bakker.pk, "bob", Role.COACH, "read", "lijst: alle gezinnen"),
    ]


def test_family_list_logs_only_the_page_shown(family, bob_client, monkeypatch):
    monkeypatch.setattr("cases.views.FAMILIES_PER_PAGE", 1)
    bakker = FamilyFactory(team=family.team, display_name="Gezin Bakker")  # first by name
    bob_client.get(reverse("cases:family_list"))
    assert shown() == [(bakker.pk, "bob", Role.COACH, "read", "lijst: alle gezinnen")]
    bob_client.get(reverse("cases:family_list"), {"page": 2})
    assert shown(family_id_ref=family.pk) == [
        (family.pk, "bob", Role.COACH, "read", "lijst: alle gezinnen")
    ]


def test_search_is_a_post_and_logs_each_result(family, other_team, bob):
    family.area = TERM
    family.save()
    FamilyFactory(team=family.team, display_name="Gezin Bakker")
    FamilyFactory(team=other_team, display_name="Gezin Elders", area=TERM)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.post(reverse("cases:family_list"), {"q": TERM}).status_code == 403
    _no_family_rows_yet()
    token = client.get(reverse("cases:family_list")).context["csrf_token"]
    response = client.post(
        reverse("cases:family_list"), {"q": TERM, "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 200  # rendered in the POST response, no redirect
    body = response.content.decode()
    assert "Gezin Jansen" in body and "Gezin Bakker" not in body and "Gezin Elders" not in body
    assert shown(action="search") == [(family.pk, "bob", Role.COACH, "search", "zoekresultaat")]
    assert family_rows().get(action="search").path == reverse("cases:family_list")


def test_search_term_is_in_no_log_column(family, bob_client):
    family.area = TERM
    family.save()
    bob_client.post(reverse("cases:family_list"), {"q": TERM, "status": "active"})
    bob_client.post(reverse("cases:family_list"), {"q": TERM[:3]})
    assert AccessLog.objects.filter(action=AccessAction.SEARCH).count() == 2
    for row in AccessLog.objects.values():
        for column, value in row.items():
            assert TERM[:3].lower() not in str(value).lower(), column


def test_search_without_results_logs_no_family(family, bob_client):
    body = bob_client.post(reverse("cases:family_list"), {"q": TERM}).content.decode()
    assert "Geen gezinnen gevonden" in body
    _no_family_rows_yet()


def test_search_pages_through_post(family, bob_client, monkeypatch):
    monkeypatch.setattr("cases.views.FAMILIES_PER_PAGE", 1)
    second = FamilyFactory(team=family.team, display_name="Gezin Zwart", area=TERM)
    family.area = TERM
    family.save()
    response = bob_client.post(reverse("cases:family_list"), {"q": TERM, "page": 2})
    body = response.content.decode()
    assert "Gezin Zwart" in body and "Gezin Jansen" not in body
    assert shown() == [(second.pk, "bob", Role.COACH, "search", "zoekresultaat")]
    # The way to the other page is a POST button, not a link with the term in it.
    assert TERM not in " ".join(re.findall(r'href="([^"]*)"', body))
    assert re.search(r'<button[^>]*name="page"[^>]*value="1"', body)


def test_old_get_search_shows_no_search_results(family, bob_client):
    FamilyFactory(team=family.team, display_name="Gezin Bakker", status=FamilyStatus.CLOSED)
    response = bob_client.get(reverse("cases:family_list"), {"q": "Jansen"})
    body = response.content.decode()
    # ?q= is ignored: the plain list, nothing searched, nothing logged as a search.
    assert "Gezin Jansen" in body and "Gezin Bakker" in body
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()
    assert response.context["form"]["q"].value() in (None, "")
    # The status filter is no free text: it still works as a GET link, the term still not.
    response = bob_client.get(reverse("cases:family_list"), {"status": "closed", "q": "Jansen"})
    body = response.content.decode()
    assert "Gezin Bakker" in body and "Gezin Jansen" not in body
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()


def test_search_form_posts_with_csrf(family, bob_client):
    body = bob_client.get(reverse("cases:family_list")).content.decode()
    # The page's own search and the navigation's search box.
    search_forms = re.findall(r"<form[^>]*role=\"search\"[^>]*>.*?</form>", body, re.S)
    assert len(search_forms) == 2
    for search_form in search_forms:
        assert 'method="post"' in search_form
        assert 'name="csrfmiddlewaretoken"' in search_form and 'name="q"' in search_form
    # No form anywhere on the page sends free text by GET.
    assert 'method="get"' not in body.lower()


def test_family_list_query_counts(team, bob, bob_client, django_assert_num_queries):
    """Fixed, whatever the number of families: one membership query and one insert log them."""

    def add(n: int) -> None:
        for _ in range(n):
            FamilyFactory(team=team, area=TERM)

    add(2)
    bob_client.get(reverse("cases:family_list"))  # the session's first request loads settings
    # session, user, count, the page of families, memberships (for the log rows and the
    # navigation, cases.permissions.user_memberships) and one insert for the log rows, intake
    # teams, unread reminders; the session is not written within a minute of the last write
    with django_assert_num_queries(8 + chain_queries()):
        bob_client.get(reverse("cases:family_list"))
    with django_assert_num_queries(8 + chain_queries()):
        bob_client.post(reverse("cases:family_list"), {"q": TERM})
    add(10)
    with django_assert_num_queries(8 + chain_queries()):
        bob_client.get(reverse("cases:family_list"))
    with django_assert_num_queries(8 + chain_queries()):
        assert bob_client.post(reverse("cases:family_list"), {"q": TERM}).status_code == 200
    assert AccessLog.objects.filter(action=AccessAction.SEARCH).count() == 2 + 12


# --- Registering a family ------------------------------------------------------------------


def test_family_creation_row_has_the_role(team, alice, coordinator_client):
    coordinator_client.post(reverse("cases:family_create"), family_data(team, alice))
    created = Family.objects.get(case_number="FK-2026-0100")
    [row] = AccessLog.objects.filter(action=AccessAction.CREATE)
    assert (row.family_id_ref, row.role, row.object) == (created.pk, Role.COORDINATOR, "gezin")


# --- The team caseload (/caseload/) ----------------------------------------------------------


def test_team_caseload_logs_each_family_shown(family, alice, other_team, psychologist_client):
    bakker = FamilyFactory(team=family.team, display_name="Gezin Bakker", coach=alice)
    FamilyFactory(team=other_team, display_name="Gezin Elders")
    psychologist_client.get("/caseload/")
    label = "lijst: caseload van het team"
    assert shown() == [
        (family.pk, "psy", Role.PSYCHOLOGIST, "read", label),
        (bakker.pk, "psy", Role.PSYCHOLOGIST, "read", label),
    ]


def test_team_caseload_filter_logs_the_families_found(family, alice, psychologist_client):
    FamilyFactory(team=family.team, display_name="Gezin Bakker", coach=alice)
    flagged = FamilyFactory(team=family.team, display_name="Gezin Rood", safety_flag=True)
    psychologist_client.get("/caseload/", {"flag": "safety"})
    assert shown() == [
        (flagged.pk, "psy", Role.PSYCHOLOGIST, "search", "zoekresultaat: caseload van het team")
    ]


# --- Krachtgezinnen, reminders, the destruction list ---------------------------------------


def test_krachtgezin_list_logs_each_supported_family(family, other_team, alice_client):
    KrachtgezinFactory(supported_family=family, name="Familie Veldhuis")
    KrachtgezinFactory(supported_family=family, name="Familie Tweede")  # same family once
    other = FamilyFactory(team=family.team)
    KrachtgezinFactory(supported_family=other, name="Familie Kromo")
    KrachtgezinFactory(supported_family=FamilyFactory(team=other_team), name="Familie Elders")
    FamilyFactory(team=family.team)  # no Krachtgezin: not on the page
    alice_client.get(reverse("network:krachtgezin_list"))
    assert shown() == [
        (family.pk, "alice", Role.COACH, "read", "lijst: krachtgezinnen"),
        (other.pk, "alice", Role.COACH, "read", "lijst: krachtgezinnen"),
    ]


def test_krachtgezin_list_query_count(family, alice_client, django_assert_num_queries):
    KrachtgezinFactory(supported_family=family)
    alice_client.get(reverse("network:krachtgezin_list"))
    # session, user, the Krachtgezinnen and their stays, memberships (log rows and
    # navigation) and one insert for the log rows, unread reminders; 8: the running
    # matchings with their families (whom each Krachtgezin supports)
    with django_assert_num_queries(8 + chain_queries()):
        alice_client.get(reverse("network:krachtgezin_list"))
    for _ in range(5):
        KrachtgezinFactory(supported_family=FamilyFactory(team=family.team))
    with django_assert_num_queries(8 + chain_queries()):
        alice_client.get(reverse("network:krachtgezin_list"))


def _reminder(user, family, kind="no_contact"):  # type: ignore[no-untyped-def]
    return Reminder.objects.create(
        recipient=user,
        family=family,
        kind=kind,
        subject=f"family:{family.pk}",
        due_on=timezone.localdate(),
    )


def test_reminder_list_logs_each_family_named(family, alice, bob, alice_client):
    _reminder(alice, family)
    _reminder(alice, family, kind="phase_overdue")  # the same family: one row
    other = FamilyFactory(team=family.team)
    _reminder(alice, other)
    _reminder(bob, FamilyFactory(team=family.team))  # bob's: not on alice's page
    alice_client.get(reverse("phases:reminder_list"))
    assert shown() == [
        (family.pk, "alice", Role.COACH, "read", "lijst: herinneringen"),
        (other.pk, "alice", Role.COACH, "read", "lijst: herinneringen"),
    ]


def test_reminder_list_query_count(family, alice, alice_client, django_assert_num_queries):
    _reminder(alice, family)
    alice_client.get(reverse("phases:reminder_list"))
    # session, user, count, reminders with their families, memberships (log rows and
    # navigation) and one insert for the log rows, unread reminders
    with django_assert_num_queries(7 + chain_queries()):
        alice_client.get(reverse("phases:reminder_list"))
    for _ in range(5):
        _reminder(alice, FamilyFactory(team=family.team))
    with django_assert_num_queries(7 + chain_queries()):
        alice_client.get(reverse("phases:reminder_list"))


def test_destruction_list_logs_each_family_listed(team, other_team, coordinator_client):
    def old_closed(team):  # type: ignore[no-untyped-def]
        family = FamilyFactory(team=team, status=FamilyStatus.CLOSED)
        Family.objects.filter(pk=family.pk).update(
            updated_at=timezone.now() - datetime.timedelta(days=365 * 21 + 10)
        )
        return family

    due = old_closed(team)
    old_closed(other_team)
    FamilyFactory(team=team, status=FamilyStatus.CLOSED)  # recent: not listed
    coordinator_client.get(reverse("cases:destruction_list"))
    assert shown() == [
        (due.pk, "coord", Role.COORDINATOR, "read", "lijst: te vernietigen dossiers")
    ]
