"""Keeping the network involved: contacts in the log name network members present, and
members not contacted for NETWORK_STALE_WEEKS weeks are listed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact, ContactRevision
from network.involvement import stale_members
from network.models import NetworkMember, Quality
from tests.factories import ContactFactory, FamilyFactory
from tests.network.factories import MeetingFactory, NetworkMemberFactory

pytestmark = pytest.mark.django_db


def contact_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": timezone.localdate().isoformat(),
        "minutes": "60",
        "kind": "network_meeting",
        "members_present": [],
        "network_members_present": [],
        "domains": ["environment"],
        "note": "Met oma gesproken.",
    }
    data.update(overrides)
    return data


def test_contact_names_network_members_present(family, alice_client):
    oma = NetworkMemberFactory(family=family, name="Oma Ria")
    NetworkMemberFactory(family=family, name="Buurman")
    url = reverse("cases:contact_create", args=[family.pk])
    assert "Oma Ria" in alice_client.get(url).content.decode()
    response = alice_client.post(url, contact_data(network_members_present=[oma.pk]))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert list(contact.network_members_present.all()) == [oma]
    member = NetworkMember.objects.with_last_contact().get(pk=oma.pk)
    assert member.last_seen == timezone.localdate()


def test_network_member_of_another_family_is_refused(family, alice_client, team):
    stranger = NetworkMemberFactory(family=FamilyFactory(team=team))
    NetworkMemberFactory(family=family)
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]),
        contact_data(network_members_present=[stranger.pk]),
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Contact.objects.exists()


def test_correcting_a_contact_keeps_network_members_in_the_revision(family, alice, alice_client):
    oma = NetworkMemberFactory(family=family, name="Oma Ria")
    contact = ContactFactory(family=family, author=alice)
    url = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    data = contact_data(
        date=contact.date.isoformat(), network_members_present=[oma.pk], version=contact.version
    )
    assert alice_client.post(url, data).status_code == 302
    revision = ContactRevision.objects.get()
    assert revision.before["network_members_present"] == []
    assert revision.after["network_members_present"] == [oma.pk]
    # The edit form starts from what was saved.
    form = alice_client.get(url).context["form"]
    assert list(form["network_members_present"].initial) == [oma]


def test_last_contact_from_contacts_and_meetings(family, alice):
    today = timezone.localdate()
    oma = NetworkMemberFactory(family=family, name="Oma")
    contact = ContactFactory(family=family, author=alice, date=today - datetime.timedelta(days=20))
    contact.network_members_present.add(oma)
    meeting = MeetingFactory(family=family, created_by=alice, date=today - datetime.timedelta(5))
    meeting.network_members.add(oma)
    # A planned meeting in the future does not count as contact.
    future = MeetingFactory(family=family, created_by=alice, date=today + datetime.timedelta(9))
    future.network_members.add(oma)
    member = NetworkMember.objects.with_last_contact().get(pk=oma.pk)
    assert member.last_contact_date == today - datetime.timedelta(days=20)
    assert member.last_seen == today - datetime.timedelta(days=5)


def test_members_not_contacted_for_weeks_are_listed(family, alice, alice_client, settings):
    settings.NETWORK_STALE_WEEKS = 4
    today = timezone.localdate()
    recent = NetworkMemberFactory(family=family, name="Recent Gesproken")
    old = NetworkMemberFactory(family=family, name="Lang Geleden")
    NetworkMemberFactory(family=family, name="Nooit Gesproken")
    NetworkMemberFactory(family=family, name="Verbroken Contact", quality=Quality.BROKEN)
    for member, days in ((recent, 3), (old, 40)):
        contact = ContactFactory(
            family=family, author=alice, date=today - datetime.timedelta(days=days)
        )
        contact.network_members_present.add(member)
    members = list(NetworkMember.objects.filter(family=family).with_last_contact())
    assert [m.name for m in stale_members(members)] == ["Nooit Gesproken", "Lang Geleden"]
    settings.NETWORK_STALE_WEEKS = 8
    assert [m.name for m in stale_members(members)] == ["Nooit Gesproken"]
    settings.NETWORK_STALE_WEEKS = 4
    page = alice_client.get(reverse("network:overview", args=[family.pk])).content.decode()
    section = page[page.index('id="stale-heading"') : page.index('id="agreements-heading"')]
    assert "4 weken" in section
    assert "Lang Geleden" in section and "Nooit Gesproken" in section
    assert "Recent Gesproken" not in section and "Verbroken Contact" not in section


def test_overview_queries_do_not_grow_with_members(family, alice, alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("network:overview", args=[family.pk])
    NetworkMemberFactory(family=family)
    alice_client.get(url)
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    for _ in range(8):
        member = NetworkMemberFactory(family=family)
        ContactFactory(family=family, author=alice).network_members_present.add(member)
    with CaptureQueriesContext(connection) as many:
        alice_client.get(url)
    assert len(many) == len(few)
