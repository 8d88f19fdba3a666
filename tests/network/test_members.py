from __future__ import annotations

import pytest
from django.urls import reverse

from network.models import Circle, NetworkMember, Quality
from tests.network.factories import NetworkMemberFactory

pytestmark = pytest.mark.django_db

QUESTION = "Wie vinden het belangrijk dat het goed gaat met uw kind(eren)?"


def test_network_page_starts_with_the_question(family, alice_client):
    page = alice_client.get(reverse("network:overview", args=[family.pk])).content.decode()
    assert QUESTION in page
    # The question comes before the map, the agreements and the meetings.
    assert page.index(QUESTION) < page.index('id="map-heading"') < page.index("agreements-heading")


def test_quick_add_needs_only_name_relation_and_circle(family, alice_client):
    url = reverse("network:member_quick_add", args=[family.pk])
    response = alice_client.post(url, {"name": "Oma Ria", "relation": "oma", "circle": "family"})
    assert response.status_code == 302
    member = NetworkMember.objects.get()
    assert (member.family, member.name, member.circle) == (family, "Oma Ria", Circle.FAMILY)
    assert member.closeness == 2 and member.quality == "" and member.finds_important
    page = alice_client.get(response["Location"]).content.decode()
    assert "Oma Ria" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "relation": "oma", "circle": "family"}, "Dit veld is verplicht"),
        ({"name": "Ria", "relation": "", "circle": "family"}, "Dit veld is verplicht"),
        ({"name": "Ria", "relation": "oma", "circle": "mars"}, "Selecteer een geldige keuze"),
        ({"name": "R" * 121, "relation": "oma", "circle": "family"}, "niet meer dan 120 tekens"),
    ],
)
def test_quick_add_bad_input_saves_nothing(family, alice_client, data, message):
    response = alice_client.post(reverse("network:member_quick_add", args=[family.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NetworkMember.objects.exists()


def member_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "Oma Ria",
        "relation": "oma",
        "circle": "family",
        "closeness": "1",
        "quality": "strong",
        "direction": "gives",
        "support_types": ["practical", "respite"],
        "contact_frequency": "weekly",
        "finds_important": "on",
        "willing_to_contribute": "on",
        "contribution": "Haalt de kinderen op woensdag.",
        "special_role": "safety_net",
        "safety_note": "",
        "phone": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_details_afterwards(family, alice_client):
    member = NetworkMemberFactory(family=family, name="Ria")
    url = reverse("network:member_edit", args=[family.pk, member.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, member_data(version=member.version))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.quality == Quality.STRONG
    assert member.support_types == ["practical", "respite"]
    assert member.closeness == 1 and member.willing_to_contribute
    assert member.get_special_role_display() == "Vangnetpersoon"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closeness": "4"}, "Selecteer een geldige keuze"),
        ({"quality": "great"}, "Selecteer een geldige keuze"),
        ({"direction": "sideways"}, "Selecteer een geldige keuze"),
        ({"support_types": ["money"]}, "Selecteer een geldige keuze"),
        ({"special_role": "king"}, "Selecteer een geldige keuze"),
        ({"safety_risk": "on", "safety_note": ""}, "veiligheidsrisico"),
        ({"name": ""}, "Dit veld is verplicht"),
    ],
)
def test_edit_bad_input_changes_nothing(family, alice_client, overrides, message):
    member = NetworkMemberFactory(family=family, name="Ria")
    url = reverse("network:member_edit", args=[family.pk, member.pk])
    response = alice_client.post(url, member_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Ria" and member.quality == "" and not member.safety_risk


def test_safety_risk_is_recorded_and_shown(family, alice_client):
    member = NetworkMemberFactory(family=family, name="Rob")
    url = reverse("network:member_edit", args=[family.pk, member.pk])
    alice_client.post(
        url,
        member_data(
            name="Rob",
            safety_risk="on",
            safety_note="Dreigde bij de ruzie.",
            version=member.version,
        ),
    )
    member.refresh_from_db()
    assert member.safety_risk
    page = alice_client.get(reverse("network:overview", args=[family.pk])).content.decode()
    assert "Veiligheidsrisico" in page


# A JIM is linked to the young person of this family who chose them.


def test_a_jim_is_linked_to_the_young_person_who_chose_them(family, alice_client):
    noah = family.members.get(name="Noah Jansen")
    member = NetworkMemberFactory(family=family, name="Sanne")
    url = reverse("network:member_edit", args=[family.pk, member.pk])
    form = alice_client.get(url).context["form"]
    # Only this family's young people are offered: not the mother.
    assert list(form.fields["chosen_by"].queryset) == [noah]
    data = member_data(special_role="jim", chosen_by=noah.pk, version=member.version)
    assert alice_client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.chosen_by == noah and member.special_role == "jim"
    page = alice_client.get(reverse("network:overview", args=[family.pk])).content.decode()
    assert "gekozen door Noah Jansen" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"special_role": "jim", "chosen_by": ""}, "Kies de jongere die deze JIM heeft gekozen."),
        ({"special_role": "safety_net", "chosen_by": "young"}, "Alleen een JIM is gekozen"),
        ({"special_role": "jim", "chosen_by": "other"}, "Selecteer een geldige keuze"),
        ({"special_role": "jim", "chosen_by": "mother"}, "Selecteer een geldige keuze"),
    ],
)
def test_a_jim_of_another_family_or_a_parent_is_refused(family, alice_client, overrides, message):
    from tests.factories import FamilyFactory, MemberFactory

    ids = {
        "": "",
        "young": family.members.get(name="Noah Jansen").pk,
        "mother": family.members.get(name="Naomi Jansen").pk,
        "other": MemberFactory(family=FamilyFactory(team=family.team), name="Elders").pk,
    }
    member = NetworkMemberFactory(family=family, name="Sanne")
    url = reverse("network:member_edit", args=[family.pk, member.pk])
    data = member_data(**{**overrides, "chosen_by": ids[overrides["chosen_by"]]})
    response = alice_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.chosen_by is None and member.special_role == ""


def test_the_service_refuses_a_young_person_of_another_family(family):
    from network import services
    from tests.factories import FamilyFactory, MemberFactory

    elsewhere = MemberFactory(family=FamilyFactory(team=family.team), name="Elders")
    with pytest.raises(ValueError):
        services.network_member_create(
            family=family,
            data={
                "name": "Sanne",
                "relation": "mentor",
                "circle": "friends",
                "chosen_by": elsewhere,
            },
        )
    assert not NetworkMember.objects.filter(name="Sanne").exists()
