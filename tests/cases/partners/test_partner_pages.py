"""The team's partners: the coordinator lists, adds, edits (merging, never overwriting) and
archives them; another team never sees or reaches them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import AccessLog, AccessOutcome, Partner, PartnerContact, PartnerKind, Role
from tests.cases.partners.factories import PartnerContactFactory, PartnerFactory, referral
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(team):  # type: ignore[no-untyped-def]
    partner = PartnerFactory(team=team, name="Buurtteam Zuidoost", phone="020 1234")
    PartnerContactFactory(partner=partner, name="Sandra Kwakye", role="regisseur")
    return partner


@pytest.fixture
def b_coordinator(other_team):  # type: ignore[no-untyped-def]
    return member_of(other_team, Role.COORDINATOR, username="b-coord")


def test_list_shows_the_teams_partners_and_contacts(coordinator_client, partner):
    response = coordinator_client.get(reverse("cases:partner_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Buurtteam Zuidoost" in body and "Sandra Kwakye" in body and "020 1234" in body
    assert reverse("cases:partner_edit", args=[partner.pk]) in body


def test_coach_reads_the_list_without_edit_buttons(alice_client, partner):
    body = alice_client.get(reverse("cases:partner_list")).content.decode()
    assert "Buurtteam Zuidoost" in body
    assert reverse("cases:partner_edit", args=[partner.pk]) not in body
    assert alice_client.get(reverse("cases:partner_create")).status_code == 403


def test_the_list_query_count_is_fixed(coordinator_client, team, django_assert_num_queries):
    for n in range(3):
        PartnerContactFactory.create_batch(2, partner=PartnerFactory(team=team, name=f"P{n}"))
    coordinator_client.get(reverse("cases:partner_list"))  # session and caches warm
    # session, user, memberships, partners, their contacts, the navigation's unread reminders
    with django_assert_num_queries(6):
        assert coordinator_client.get(reverse("cases:partner_list")).status_code == 200


def test_another_team_never_sees_or_reaches_them(client, partner, b_coordinator):
    client.force_login(b_coordinator)
    body = client.get(reverse("cases:partner_list")).content.decode()
    assert "Buurtteam Zuidoost" not in body
    assert "Nog geen partners vastgelegd" in body
    for url in (
        reverse("cases:partner_edit", args=[partner.pk]),
        reverse("cases:partner_contact_create", args=[partner.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Overgenomen"}).status_code == 404
    assert client.post(reverse("cases:partner_archive", args=[partner.pk])).status_code == 404
    partner.refresh_from_db()
    assert partner.name == "Buurtteam Zuidoost" and partner.archived_at is None
    assert AccessLog.objects.filter(
        username="b-coord", outcome=AccessOutcome.DENIED, object=f"partner {partner.pk}"
    ).exists()
    # Asking for team A by its id is refused too.
    assert client.get(reverse("cases:partner_list"), {"team": partner.team_id}).status_code == 403


def test_coordinator_adds_a_partner(coordinator_client, team):
    response = coordinator_client.post(
        reverse("cases:partner_create"),
        {"name": "Jeugd-ggz Haaglanden", "kind": PartnerKind.YOUTH_MENTAL_HEALTH, "phone": ""},
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.team == team and partner.kind == PartnerKind.YOUTH_MENTAL_HEALTH


def test_a_name_the_team_already_has_is_refused_in_dutch(coordinator_client, partner):
    response = coordinator_client.post(
        reverse("cases:partner_create"),
        {"name": "buurtteam zuidoost", "kind": PartnerKind.OTHER},
    )
    assert response.status_code == 200
    assert "Het team heeft al een partner met deze naam." in response.content.decode()
    assert Partner.objects.count() == 1


def test_another_team_may_use_the_same_name(client, partner, b_coordinator, other_team):
    client.force_login(b_coordinator)
    response = client.post(
        reverse("cases:partner_create"), {"name": partner.name, "kind": PartnerKind.OTHER}
    )
    assert response.status_code == 302
    assert Partner.objects.filter(team=other_team, name=partner.name).exists()


def test_bad_input_saves_nothing(coordinator_client):
    response = coordinator_client.post(
        reverse("cases:partner_create"), {"name": "X", "kind": "nonsense", "email": "geen-mail"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Selecteer een geldige keuze uit de lijst." in body
    assert "Voer een geldig e-mailadres in." in body
    assert not Partner.objects.exists()


def _edit_data(partner, **changes):  # type: ignore[no-untyped-def]
    from cases.partners.forms import PartnerForm

    form = PartnerForm(instance=partner, team=partner.team)
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return data


def test_edits_of_two_people_are_merged(coordinator_client, partner, team):
    mine = _edit_data(partner, phone="020 9999")
    theirs = _edit_data(partner, notes="Aanmelden via het formulier op de website.")
    other = member_of(team, Role.COORDINATOR, username="coord2")
    from django.test import Client

    second = Client()
    second.force_login(other)
    assert second.post(reverse("cases:partner_edit", args=[partner.pk]), theirs).status_code == 302
    response = coordinator_client.post(reverse("cases:partner_edit", args=[partner.pk]), mine)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.phone == "020 9999"
    assert partner.notes == "Aanmelden via het formulier op de website."


def test_both_changing_one_field_asks_which_stays(coordinator_client, partner, team):
    mine = _edit_data(partner, phone="020 1111")
    theirs = _edit_data(partner, phone="020 2222")
    from django.test import Client

    second = Client()
    second.force_login(member_of(team, Role.COORDINATOR, username="coord2"))
    second.post(reverse("cases:partner_edit", args=[partner.pk]), theirs)
    response = coordinator_client.post(reverse("cases:partner_edit", args=[partner.pk]), mine)
    assert response.status_code == 409
    partner.refresh_from_db()
    assert partner.phone == "020 2222"


def test_archive_keeps_a_referred_partner_and_hides_it_from_choices(
    coordinator_client, partner, family, alice
):
    referral(family, partner, alice)
    response = coordinator_client.post(reverse("cases:partner_archive", args=[partner.pk]))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.is_archived
    assert family.referrals.get().partner == partner
    body = coordinator_client.get(reverse("cases:partner_list")).content.decode()
    assert "Buurtteam Zuidoost" not in body
    body = coordinator_client.get(reverse("cases:partner_list"), {"archived": "1"}).content.decode()
    assert "Buurtteam Zuidoost" in body and "gearchiveerd" in body
    from cases.partners.forms import ReferralForm

    assert partner not in ReferralForm(family=family).fields["partner"].queryset
    coordinator_client.post(reverse("cases:partner_archive", args=[partner.pk]), {"archived": "0"})
    partner.refresh_from_db()
    assert not partner.is_archived


def test_a_referred_partner_cannot_be_deleted(partner, family, alice):
    from django.db.models import ProtectedError

    referral(family, partner, alice)
    with pytest.raises(ProtectedError):
        partner.delete()


def test_contact_people_are_added_edited_and_archived(coordinator_client, partner):
    url = reverse("cases:partner_contact_create", args=[partner.pk])
    response = coordinator_client.post(
        url, {"name": "Mehmet Aydın", "role": "schuldhulp", "phone": "06 1", "email": ""}
    )
    assert response.status_code == 302
    contact = PartnerContact.objects.get(name="Mehmet Aydın")
    edit = reverse("cases:partner_contact_edit", args=[partner.pk, contact.pk])
    page = coordinator_client.get(edit)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["role"] = "schuldhulpverlener"
    assert coordinator_client.post(edit, data).status_code == 302
    contact.refresh_from_db()
    assert contact.role == "schuldhulpverlener" and contact.version == 2
    archive = reverse("cases:partner_contact_archive", args=[partner.pk, contact.pk])
    assert coordinator_client.post(archive).status_code == 302
    contact.refresh_from_db()
    assert contact.archived_at is not None
    assert contact not in PartnerContact.objects.active()


def test_a_contact_of_another_partner_is_not_found(coordinator_client, partner, team):
    elsewhere = PartnerContactFactory(partner=PartnerFactory(team=team))
    url = reverse("cases:partner_contact_edit", args=[partner.pk, elsewhere.pk])
    assert coordinator_client.get(url).status_code == 404


def test_navigation_names_partners_for_the_coordinator_only(coordinator_client, alice_client):
    url = reverse("cases:partner_list")
    assert f'href="{url}"' in coordinator_client.get(reverse("cases:caseload")).content.decode()
    assert f'href="{url}"' not in alice_client.get(reverse("cases:caseload")).content.decode()


def test_get_only_and_post_only(coordinator_client, partner):
    assert coordinator_client.post(reverse("cases:partner_list")).status_code == 405
    assert (
        coordinator_client.get(reverse("cases:partner_archive", args=[partner.pk])).status_code
        == 405
    )
