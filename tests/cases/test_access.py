from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import AccessLog, AccessOutcome, Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def family_urls(family, contact=None, member=None):  # type: ignore[no-untyped-def]
    urls = [
        reverse("cases:family_detail", args=[family.pk]),
        reverse("cases:family_edit", args=[family.pk]),
        reverse("cases:member_create", args=[family.pk]),
        reverse("cases:contact_create", args=[family.pk]),
        reverse("cases:access_log", args=[family.pk]),
    ]
    if member:
        urls.append(reverse("cases:member_edit", args=[family.pk, member.pk]))
    if contact:
        urls.append(reverse("cases:contact_edit", args=[family.pk, contact.pk]))
    return urls


def test_other_team_gets_404_on_every_family_page(family, alice, charlie_client):
    contact = ContactFactory(family=family, author=alice)
    member = family.members.first()
    for url in family_urls(family, contact, member):
        assert charlie_client.get(url).status_code == 404, url
        assert charlie_client.post(url, {}).status_code == 404, url
    assert charlie_client.post(reverse("cases:family_safety", args=[family.pk])).status_code == 404


def test_missing_family_and_foreign_family_look_the_same(family, charlie_client):
    missing = charlie_client.get(reverse("cases:family_detail", args=[family.pk + 1000]))
    foreign = charlie_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert missing.status_code == foreign.status_code == 404


def test_anonymous_is_sent_to_login(client, family):
    for url in family_urls(family) + [reverse("cases:caseload"), reverse("cases:family_list")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_colleague_reads_but_may_not_write(family, bob_client):
    assert bob_client.get(reverse("cases:family_detail", args=[family.pk])).status_code == 200
    for url in (
        reverse("cases:contact_create", args=[family.pk]),
        reverse("cases:member_create", args=[family.pk]),
        reverse("cases:family_edit", args=[family.pk]),
        reverse("cases:family_safety", args=[family.pk]),
    ):
        assert bob_client.post(url, {"minutes": 30}).status_code == 403, url
    assert not Contact.objects.exists()


def test_involved_colleague_writes(family, bob, bob_client):
    family.involved.add(bob)
    url = reverse("cases:contact_create", args=[family.pk])
    assert bob_client.get(url).status_code == 200


def test_team_wide_roles_write(family, psychologist_client, coordinator_client):
    for client in (psychologist_client, coordinator_client):
        assert client.get(reverse("cases:contact_create", args=[family.pk])).status_code == 200


def test_every_family_page_view_is_logged(family, alice, alice_client):
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    # The force_login of the client fixture is logged too (action "login").
    entry = AccessLog.objects.get(family_id_ref=family.pk)
    assert entry.user == alice
    assert entry.username == "alice"
    assert entry.role == "coach"
    assert entry.family_id_ref == family.pk
    assert entry.action == "read"
    assert entry.outcome == AccessOutcome.ALLOWED
    assert entry.path == reverse("cases:family_detail", args=[family.pk])


def test_denied_access_is_logged(family, charlie, charlie_client, bob_client):
    charlie_client.get(reverse("cases:family_detail", args=[family.pk]))
    bob_client.post(reverse("cases:contact_create", args=[family.pk]), {})
    outcomes = list(
        AccessLog.objects.exclude(action="login")
        .order_by("at")
        .values_list("username", "action", "outcome")
    )
    assert outcomes == [("charlie", "read", "denied"), ("bob", "create", "denied")]


def test_create_and_change_are_logged_as_such(family, alice_client):
    alice_client.post(
        reverse("cases:member_create", args=[family.pk]),
        {"name": "Sara Jansen", "role": "child", "lives_in_household": "on"},
    )
    assert AccessLog.objects.filter(action="create", object="gezinslid").count() == 1


def test_access_log_page_is_for_the_coordinator(family, alice_client, coordinator_client):
    url = reverse("cases:access_log", args=[family.pk])
    assert alice_client.get(url).status_code == 403
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert b"alice" in response.content


def test_visible_to_lists_only_own_team(family, charlie_client, bob_client):
    assert b"Gezin Jansen" in bob_client.get(reverse("cases:family_list")).content
    assert b"Gezin Jansen" not in charlie_client.get(reverse("cases:family_list")).content


def test_search_is_logged(family, bob_client):
    # The search is a POST (the term stays out of URLs); each family found gets a row.
    response = bob_client.post(reverse("cases:family_list"), {"q": "Jansen"})
    assert b"Gezin Jansen" in response.content
    assert AccessLog.objects.filter(
        action="search", username="bob", family_id_ref=family.pk, role="coach"
    ).exists()
