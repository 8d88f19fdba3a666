"""The regisseur of a family (a colleague or a partner's contact person, never both) in the
header and the plan PDF; professionals present at a contact; plan actions chosen from the
team, its partners and the family's network."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cases.models import ContactRevision, Family, PlanAction, Role
from cases.partners import services
from tests.cases.partners.factories import PartnerContactFactory, PartnerFactory
from tests.cases.plan_factories import PlanFactory
from tests.cases.test_families import family_data
from tests.factories import ContactFactory, member_of
from tests.network.factories import NetworkMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(team):  # type: ignore[no-untyped-def]
    partner = PartnerFactory(team=team, name="Buurtteam Zuidoost")
    return PartnerContactFactory(partner=partner, name="Sandra Kwakye", role="regisseur")


def _edit(client, family, **changes):  # type: ignore[no-untyped-def]
    data = family_data(
        family.team,
        family.coach,
        case_number=family.case_number,
        display_name=family.display_name,
        status=family.status,
        version=family.version,
    )
    data.update(changes)
    return client.post(reverse("cases:family_edit", args=[family.pk]), data)


def test_regisseur_partner_contact_in_the_header(alice_client, family, contact):
    assert _edit(alice_client, family, regisseur_contact=contact.pk).status_code == 302
    family.refresh_from_db()
    assert family.regisseur_contact == contact and family.regisseur_user is None
    for name in ("cases:family_detail", "cases:family_partners", "cases:plan_detail"):
        body = alice_client.get(reverse(name, args=[family.pk])).content.decode()
        assert "Regisseur: Sandra Kwakye (regisseur, Buurtteam Zuidoost)" in body, name


def test_regisseur_colleague_in_the_header(alice_client, family, coordinator):
    assert _edit(alice_client, family, regisseur_user=coordinator.pk).status_code == 302
    body = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert f"Regisseur: {coordinator.get_full_name()}" in body


def test_not_both_and_not_another_teams(alice_client, family, contact, coordinator, other_team):
    response = _edit(
        alice_client, family, regisseur_user=coordinator.pk, regisseur_contact=contact.pk
    )
    assert response.status_code == 200
    assert "niet allebei" in response.content.decode()
    theirs = PartnerContactFactory(partner=PartnerFactory(team=other_team))
    response = _edit(alice_client, family, regisseur_contact=theirs.pk)
    assert "Kies een contactpersoon van een partner van het team van dit gezin." in (
        response.content.decode()
    )
    outsider = member_of(other_team, Role.COACH, username="b-coach")
    response = _edit(alice_client, family, regisseur_user=outsider.pk)
    assert response.status_code == 200
    family.refresh_from_db()
    assert family.regisseur_user is None and family.regisseur_contact is None


def test_the_database_refuses_both(family, contact, coordinator):
    Family.objects.filter(pk=family.pk).update(regisseur_contact=contact)
    with pytest.raises(IntegrityError):
        Family.objects.filter(pk=family.pk).update(regisseur_user=coordinator)


def test_header_adds_no_query_for_the_regisseur(
    alice_client, family, contact, django_assert_num_queries
):
    url = reverse("cases:family_partners", args=[family.pk])
    alice_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as without:
        alice_client.get(url)
    services.family_regisseur_set(family=family, contact=contact)
    with django_assert_num_queries(len(without.captured_queries)):
        assert "Sandra Kwakye" in alice_client.get(url).content.decode()


def test_plan_pdf_names_the_regisseur(family, contact, alice):
    from reports import pdf

    plan = PlanFactory(family=family, number=1, created_by=alice)
    assert "Geen regisseur vastgelegd" in pdf.plan_html(plan)
    services.family_regisseur_set(family=family, contact=contact)
    plan = type(plan).objects.get(pk=plan.pk)
    html = pdf.plan_html(plan)
    assert "Sandra Kwakye (regisseur, Buurtteam Zuidoost)" in html
    assert "Geen regisseur vastgelegd" not in html


def _contact_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": timezone.localdate().isoformat(),
        "minutes": "60",
        "kind": "network_meeting",
        "domains": ["care"],
        "note": "Overleg met het buurtteam.",
    }
    data.update(overrides)
    return data


def test_professionals_present_are_saved_and_corrected(alice_client, family, contact, bob, alice):
    url = reverse("cases:contact_create", args=[family.pk])
    response = alice_client.post(
        url, _contact_data(colleagues_present=[bob.pk], partner_contacts_present=[contact.pk])
    )
    assert response.status_code == 302
    made = family.contacts.get()
    assert list(made.colleagues_present.all()) == [bob]
    assert list(made.partner_contacts_present.all()) == [contact]
    edit = reverse("cases:contact_edit", args=[family.pk, made.pk])
    response = alice_client.post(
        edit, _contact_data(colleagues_present=[], partner_contacts_present=[contact.pk], version=1)
    )
    assert response.status_code == 302
    assert not made.colleagues_present.exists()
    revision = ContactRevision.objects.get()
    assert revision.before["colleagues_present"] == [bob.pk]
    assert revision.after["colleagues_present"] == []


def test_professionals_of_another_team_are_refused(alice_client, family, other_team, charlie):
    theirs = PartnerContactFactory(partner=PartnerFactory(team=other_team))
    url = reverse("cases:contact_create", args=[family.pk])
    response = alice_client.post(url, _contact_data(partner_contacts_present=[theirs.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kies een contactpersoon van een partner van het team van dit gezin." in body
    response = alice_client.post(url, _contact_data(colleagues_present=[charlie.pk]))
    assert response.status_code == 200
    assert not family.contacts.exists()


def test_an_archived_contact_stays_on_a_contact_it_attended(family, contact, alice):
    from cases.forms import ContactForm

    made = ContactFactory(family=family, author=alice)
    made.partner_contacts_present.add(contact)
    services.partner_contact_archive(contact=contact, archived=True)
    form = ContactForm(instance=made, family=family)
    assert contact in form.fields["partner_contacts_present"].queryset
    assert contact not in ContactForm(family=family).fields["partner_contacts_present"].queryset


def _action(client, family, **data):  # type: ignore[no-untyped-def]
    post = {"what": "Iets doen", "when": "", "status": "planned", **data}
    return client.post(reverse("cases:action_create", args=[family.pk]), post)


def test_plan_action_chooses_a_partner_or_colleague_or_network(
    alice_client, family, contact, alice, bob
):
    PlanFactory(family=family, number=1, created_by=alice)
    oma = NetworkMemberFactory(family=family, name="Oma Ria", relation="oma")
    page = alice_client.get(reverse("cases:action_create", args=[family.pk]))
    groups = dict(page.context["form"].fields["who_choice"].choices[1:])
    assert contact.label in [value for value, _l in groups["Partners"]]
    assert bob.get_full_name() in [value for value, _l in groups["Collega's"]]
    assert "Oma Ria (oma)" in [value for value, _l in groups["Netwerk"]]
    assert (
        _action(alice_client, family, source="professional", who_choice=contact.label).status_code
        == 302
    )
    assert (
        _action(alice_client, family, source="network", who_choice="Oma Ria (oma)").status_code
        == 302
    )
    # Free text stays possible.
    assert (
        _action(alice_client, family, source="professional", who_name="wijkagent").status_code
        == 302
    )
    names = list(PlanAction.objects.order_by("pk").values_list("who_name", flat=True))
    assert names == [contact.label, f"{oma.name} (oma)", "wijkagent"]


def test_plan_action_choice_must_fit_the_source(alice_client, family, contact, alice, other_team):
    PlanFactory(family=family, number=1, created_by=alice)
    response = _action(alice_client, family, source="network", who_choice=contact.label)
    assert "past niet bij" in response.content.decode()
    theirs = PartnerContactFactory(partner=PartnerFactory(team=other_team), name="Elders")
    response = _action(alice_client, family, source="professional", who_choice=theirs.label)
    assert "Selecteer een geldige keuze uit de lijst." in response.content.decode()
    assert not PlanAction.objects.exists()
