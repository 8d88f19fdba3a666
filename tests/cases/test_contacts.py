from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact, ContactRevision
from tests.factories import ContactFactory, FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db


def contact_data(family, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": timezone.localdate().isoformat(),
        "minutes": "60",
        "kind": "home_visit",
        "members_present": [m.pk for m in family.members.all()],
        "domains": ["child", "parenting"],
        "note": "Huisbezoek met het hele gezin.",
    }
    data.update(overrides)
    return data


def test_coach_logs_a_contact(family, alice, alice_client):
    url = reverse("cases:contact_create", args=[family.pk])
    response = alice_client.post(url, contact_data(family))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.author == alice
    assert contact.minutes == 60
    assert contact.domains == ["child", "parenting"]
    assert set(contact.members_present.all()) == set(family.members.all())
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert "Huisbezoek met het hele gezin." in page.content.decode()


def test_a_contact_with_no_one_chosen_compiles_no_empty_query(family, alice_client, monkeypatch):
    """Multiple-choice fields left empty (members, network members, colleagues, partners,
    working elements) clean to `queryset.none()`; saving must not compile those queries
    only to learn they are empty (they cost a contact post about half a millisecond each)."""
    from django.core.exceptions import EmptyResultSet
    from django.db.models.sql.compiler import SQLCompiler

    empty: list[str] = []
    original = SQLCompiler.as_sql

    def noted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return original(self, *args, **kwargs)
        except EmptyResultSet:
            empty.append(self.query.model.__name__)
            raise

    url = reverse("cases:contact_create", args=[family.pk])
    data = contact_data(family, members_present=[], note="Niemand aangevinkt.")
    alice_client.get(url)  # the form page first, as a coach opens it
    monkeypatch.setattr(SQLCompiler, "as_sql", noted)
    response = alice_client.post(url, data)
    assert response.status_code == 302
    contact = Contact.objects.get(note="Niemand aangevinkt.")
    assert list(contact.members_present.all()) == []
    assert empty == []
    # A correction that empties the list again compiles none either, and keeps it empty.
    member = family.members.first()
    contact.members_present.add(member)
    edit = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    response = alice_client.post(edit, {**data, "version": contact.version})
    assert response.status_code == 302
    assert list(contact.members_present.all()) == []
    assert empty == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "4", "Minimaal 5 minuten"),
        ("minutes", "721", "Maximaal 720 minuten"),
        ("minutes", "abc", "Voer een geheel getal in"),
        ("date", "tomorrow", "Voer een geldige datum in"),
        ("kind", "party", "Selecteer een geldige keuze"),
        ("domains", ["nonsense"], "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_saves_nothing(family, alice_client, field, value, message):
    url = reverse("cases:contact_create", args=[family.pk])
    response = alice_client.post(url, contact_data(family, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_future_date_is_refused(family, alice_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]),
        contact_data(family, date=tomorrow.isoformat()),
    )
    assert "toekomst" in response.content.decode()
    assert not Contact.objects.exists()


def test_member_of_another_family_is_refused(family, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]),
        contact_data(family, members_present=[stranger.pk]),
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Contact.objects.exists()


def test_get_and_post_only(family, alice_client):
    url = reverse("cases:contact_create", args=[family.pk])
    assert alice_client.put(url).status_code == 405
    assert alice_client.delete(url).status_code == 405


def test_correction_keeps_before_and_after(family, alice, alice_client):
    contact = ContactFactory(family=family, author=alice, minutes=60, note="eerst")
    url = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    response = alice_client.post(
        url, contact_data(family, minutes="90", note="later", version=contact.version)
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.minutes == 90
    revision = ContactRevision.objects.get()
    assert revision.changed_by == alice
    assert revision.before["minutes"] == 60 and revision.before["note"] == "eerst"
    assert revision.after["minutes"] == 90 and revision.after["note"] == "later"


def test_only_the_author_corrects(family, alice, psychologist_client):
    contact = ContactFactory(family=family, author=alice)
    url = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    assert psychologist_client.get(url).status_code == 403


def test_concurrent_correction_gets_a_conflict_and_keeps_input(family, alice, alice_client):
    contact = ContactFactory(family=family, author=alice, minutes=60, note="eerst")
    url = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    stale_version = contact.version
    first = alice_client.post(url, contact_data(family, minutes="90", version=stale_version))
    assert first.status_code == 302
    second = alice_client.post(
        url, contact_data(family, minutes="30", note="mijn tekst", version=stale_version)
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Iemand anders heeft dit intussen opgeslagen" in body
    assert "mijn tekst" in body  # what they typed is still in the form
    contact.refresh_from_db()
    assert contact.minutes == 90  # the first save was not overwritten


def test_contacts_paginated_newest_first(family, alice, alice_client):
    today = timezone.localdate()
    for days in range(25):
        ContactFactory(
            family=family,
            author=alice,
            date=today - datetime.timedelta(days=days),
            note=f"contact-{days:02d}",
        )
    body = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert body.index("contact-00") < body.index("contact-01")
    assert "contact-24" not in body
    page2 = alice_client.get(reverse("cases:family_detail", args=[family.pk]), {"page": 2})
    assert "contact-24" in page2.content.decode()


def test_corrections_are_listed_readably(family, alice, alice_client):
    contact = ContactFactory(family=family, author=alice, minutes=60, kind="phone")
    url = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    alice_client.post(
        url, contact_data(family, minutes="90", kind="home_visit", version=contact.version)
    )
    body = alice_client.get(url).content.decode()
    assert "minuten: 60 → 90" in body
    assert "soort contact: Telefonisch → Huisbezoek" in body
    assert "home_visit" not in body.split("Eerdere correcties")[1]
