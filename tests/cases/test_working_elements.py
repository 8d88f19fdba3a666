"""A team's working elements: its own list, ticked on a contact, edited by the coordinator."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from cases.elements import services
from cases.models import Contact, WorkingElement
from tests.cases.test_contacts import contact_data
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cases:working_element_list")
CREATE = reverse("cases:working_element_create")


def _edit(element):  # type: ignore[no-untyped-def]
    return reverse("cases:working_element_edit", args=[element.pk])


def test_a_new_team_starts_with_the_default_list(team):
    labels = list(WorkingElement.objects.of_team(team.pk).values_list("label", flat=True))
    assert labels == settings.WORKING_ELEMENT_DEFAULTS
    # Calling it again adds nothing.
    assert services.working_element_defaults_create(team=team) == []
    assert WorkingElement.objects.of_team(team.pk).count() == len(labels)


def test_each_team_its_own_list(team, other_team, coordinator_client, alice_client, family):
    mine = services.working_element_create(team=team, label="Huiswerk samen doen")
    theirs = services.working_element_create(team=other_team, label="Alleen in Den Haag")
    page = coordinator_client.get(LIST).content.decode()
    assert "Huiswerk samen doen" in page and "Alleen in Den Haag" not in page
    # The contact form offers this team's active elements only.
    form = alice_client.get(reverse("cases:contact_create", args=[family.pk])).content.decode()
    assert "Huiswerk samen doen" in form and "Alleen in Den Haag" not in form
    assert coordinator_client.get(_edit(theirs)).status_code == 404
    assert coordinator_client.get(_edit(mine)).status_code == 200


def test_ticking_on_a_contact_saves_and_shows(team, other_team, family, alice_client):
    stress, network = WorkingElement.objects.of_team(team.pk)[:2]
    foreign = WorkingElement.objects.of_team(other_team.pk).first()
    url = reverse("cases:contact_create", args=[family.pk])
    refused = alice_client.post(url, contact_data(family, working_elements=[foreign.pk]))
    assert refused.status_code == 200
    assert "Selecteer een geldige keuze" in refused.content.decode()
    assert not Contact.objects.exists()

    response = alice_client.post(url, contact_data(family, working_elements=[stress.pk]))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert list(contact.working_elements.all()) == [stress]
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "data-working-elements" in page and stress.label in page
    assert network.label not in page

    # A correction changes the ticks; a deactivated element stays on the contact.
    edit = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    alice_client.post(
        edit,
        contact_data(family, working_elements=[stress.pk, network.pk], version=contact.version),
    )
    assert set(contact.working_elements.all()) == {stress, network}
    services.working_element_update(element=stress, version=stress.version, data={"active": False})
    form = alice_client.get(edit).content.decode()
    assert stress.label in form  # still on this contact
    new_form = alice_client.get(url).content.decode()
    assert stress.label not in new_form  # not offered on a new contact


def test_coordinator_adds_renames_and_deactivates(team, coordinator_client):
    response = coordinator_client.post(CREATE, {"team": team.pk, "label": "  Rust   brengen "})
    assert response.status_code == 302
    element = WorkingElement.objects.get(team=team, label="Rust brengen")
    assert element.order > WorkingElement.objects.of_team(team.pk).exclude(pk=element.pk)[0].order

    taken = coordinator_client.post(CREATE, {"team": team.pk, "label": "praktische HULP"})
    assert taken.status_code == 200
    assert "Het team heeft al een werkzaam element met deze naam." in taken.content.decode()

    response = coordinator_client.post(
        _edit(element),
        {"team": team.pk, "label": "Rust geven", "order": 5, "active": "", "version": 1},
    )
    assert response.status_code == 302
    element.refresh_from_db()
    assert (element.label, element.order, element.active, element.version) == (
        "Rust geven",
        5,
        False,
        2,
    )
    assert "niet meer in gebruik" in coordinator_client.get(LIST).content.decode()


def test_a_stale_edit_is_not_lost(team, coordinator_client):
    element = WorkingElement.objects.of_team(team.pk).first()
    services.working_element_update(element=element, version=1, data={"label": "Nieuw"})
    response = coordinator_client.post(
        _edit(element), {"team": team.pk, "label": "Mijn naam", "order": 10, "version": 1}
    )
    assert response.status_code == 409  # the conflict page, with what was typed
    assert "Mijn naam" in response.content.decode()
    element.refresh_from_db()
    assert element.label == "Nieuw"


def test_coaches_read_but_do_not_edit(team, alice_client):
    element = WorkingElement.objects.of_team(team.pk).first()
    page = alice_client.get(LIST)
    assert page.status_code == 200 and element.label in page.content.decode()
    assert CREATE not in page.content.decode()
    assert alice_client.get(f"{CREATE}?team={team.pk}").status_code in (403, 404)
    assert alice_client.get(_edit(element)).status_code in (403, 404)


def test_team_created_by_factory_gets_defaults_once():
    team = TeamFactory(name="Utrecht")
    assert WorkingElement.objects.of_team(team.pk).count() == len(settings.WORKING_ELEMENT_DEFAULTS)


def test_a_correction_of_the_ticks_is_in_the_revision(team, family, alice_client):
    stress, network = WorkingElement.objects.of_team(team.pk)[:2]
    url = reverse("cases:contact_create", args=[family.pk])
    alice_client.post(url, contact_data(family, working_elements=[stress.pk]))
    contact = Contact.objects.get()
    edit = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    alice_client.post(
        edit,
        contact_data(family, working_elements=[stress.pk, network.pk], version=contact.version),
    )
    revision = contact.revisions.get()
    assert ("aantal werkzame elementen", "1", "2") in revision.changes()


def test_the_data_migration_fills_teams_without_a_list(team, other_team):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cases.migrations.0023_working_element_defaults")
    WorkingElement.objects.filter(team=team).delete()
    kept = services.working_element_create(team=other_team, label="Eigen element")
    migration.create_defaults(apps, None)
    labels = list(WorkingElement.objects.of_team(team.pk).values_list("label", flat=True))
    assert labels == settings.WORKING_ELEMENT_DEFAULTS
    # A team that has a list keeps it as it is.
    assert WorkingElement.objects.filter(pk=kept.pk).exists()
    assert WorkingElement.objects.of_team(other_team.pk).count() == (
        len(settings.WORKING_ELEMENT_DEFAULTS) + 1
    )
