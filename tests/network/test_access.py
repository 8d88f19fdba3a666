"""The access gate on every network page: outsiders 404, read-only colleagues 403 on
writes, anonymous users to the login page, wrong methods 405."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import AccessLog, AccessOutcome
from network.models import NetworkMember
from tests.network.factories import (
    AgreementFactory,
    KrachtgezinFactory,
    MeetingFactory,
    NetworkMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(family, alice):  # type: ignore[no-untyped-def]
    return {
        "member": NetworkMemberFactory(family=family),
        "agreement": AgreementFactory(family=family),
        "meeting": MeetingFactory(family=family, created_by=alice),
        "krachtgezin": KrachtgezinFactory(supported_family=family),
    }


def read_urls(family, o):  # type: ignore[no-untyped-def]
    f = family.pk
    return [
        reverse("network:overview", args=[f]),
        reverse("network:meeting_detail", args=[f, o["meeting"].pk]),
        reverse("network:krachtgezin_detail", args=[f, o["krachtgezin"].pk]),
    ]


def write_urls(family, o):  # type: ignore[no-untyped-def]
    f = family.pk
    return [
        reverse("network:member_quick_add", args=[f]),
        reverse("network:member_edit", args=[f, o["member"].pk]),
        reverse("network:agreement_create", args=[f]),
        reverse("network:agreement_edit", args=[f, o["agreement"].pk]),
        reverse("network:meeting_create", args=[f]),
        reverse("network:meeting_edit", args=[f, o["meeting"].pk]),
        reverse("network:meeting_evaluate", args=[f, o["meeting"].pk]),
        reverse("network:krachtgezin_create", args=[f]),
        reverse("network:krachtgezin_edit", args=[f, o["krachtgezin"].pk]),
        reverse("network:krachtgezin_match_edit", args=[f, o["krachtgezin"].pk]),
        reverse("network:krachtgezin_match_end", args=[f, o["krachtgezin"].pk]),
        reverse("network:stay_create", args=[f, o["krachtgezin"].pk]),
    ]


def test_coach_opens_every_page(family, objects, alice_client):
    for url in read_urls(family, objects) + write_urls(family, objects)[1:]:
        assert alice_client.get(url).status_code == 200, url


def test_outsider_gets_404_everywhere_and_it_is_logged(family, objects, charlie_client):
    for url in read_urls(family, objects) + write_urls(family, objects)[1:]:
        assert charlie_client.get(url).status_code == 404, url
    for url in write_urls(family, objects):
        assert charlie_client.post(url, {"name": "x"}).status_code == 404, url
    assert AccessLog.objects.filter(family_id_ref=family.pk, outcome=AccessOutcome.DENIED).exists()
    assert NetworkMember.objects.count() == 1


def test_colleague_reads_but_may_not_write(family, objects, bob_client):
    for url in read_urls(family, objects):
        assert bob_client.get(url).status_code == 200, url
    for url in write_urls(family, objects):
        assert bob_client.post(url, {"name": "Oma", "relation": "oma"}).status_code == 403, url
    assert NetworkMember.objects.count() == 1


def test_colleague_sees_no_edit_links(family, objects, bob_client):
    page = bob_client.get(reverse("network:overview", args=[family.pk])).content.decode()
    assert reverse("network:member_quick_add", args=[family.pk]) not in page
    assert reverse("network:agreement_create", args=[family.pk]) not in page


def test_anonymous_goes_to_login(client, family, objects):
    for url in read_urls(family, objects) + [reverse("network:krachtgezin_list")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_objects_of_another_family_are_404(family, alice, alice_client, team):
    from tests.factories import FamilyFactory

    other = FamilyFactory(team=team, coach=alice)
    o = {
        "member": NetworkMemberFactory(family=other),
        "agreement": AgreementFactory(family=other),
        "meeting": MeetingFactory(family=other, created_by=alice),
        "krachtgezin": KrachtgezinFactory(supported_family=other),
    }
    for url in read_urls(family, o)[1:] + write_urls(family, o):
        if "/new/" in url and "stays" not in url or url.endswith("/add/"):
            continue
        assert alice_client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("network:overview", "post"),
        ("network:member_quick_add", "get"),
        ("network:agreement_create", "put"),
        ("network:meeting_create", "delete"),
        ("network:krachtgezin_create", "patch"),
    ],
)
def test_wrong_method_is_405(family, alice_client, name, method):
    response = getattr(alice_client, method)(reverse(name, args=[family.pk]))
    assert response.status_code == 405


def test_wrong_method_on_object_pages(family, objects, alice_client):
    f = family.pk
    assert (
        alice_client.post(reverse("network:meeting_detail", args=[f, objects["meeting"].pk]))
    ).status_code == 405
    assert (
        alice_client.post(
            reverse("network:krachtgezin_detail", args=[f, objects["krachtgezin"].pk])
        )
    ).status_code == 405
    assert alice_client.post(reverse("network:krachtgezin_list")).status_code == 405
    for url in write_urls(family, objects)[1:]:
        assert alice_client.delete(url).status_code == 405, url
