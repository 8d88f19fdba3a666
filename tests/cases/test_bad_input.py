"""Bad input in the existing cases forms: a clear Dutch error or harmless text, never a
500 and never someone else's data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Contact, Family, Member
from tests.factories import ContactFactory, FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def contact_data(**overrides):  # type: ignore[no-untyped-def]
    return {"date": "2025-01-10", "minutes": "60", "kind": "home_visit", "note": "", **overrides}


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"minutes": "abc"}, "Voer een geheel getal in"),
        ({"minutes": "100000"}, "Maximaal 720 minuten"),
        ({"minutes": "-5"}, "Minimaal 5 minuten"),
        ({"date": "10/01/2025x"}, "Voer een geldige datum in"),
        ({"kind": "teleport"}, "Selecteer een geldige keuze"),
        ({"domains": ["child", "mars"]}, "Selecteer een geldige keuze"),
        ({"note": "x" * 2001}, "niet meer dan 2000 tekens"),
    ],
)
def test_contact_form_bad_input(family, alice_client, overrides, message):
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]), contact_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_form_rejects_a_member_of_another_family(family, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]),
        contact_data(members_present=[stranger.pk]),
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_of_another_family_cannot_be_edited_through_this_one(family, alice, alice_client):
    other = FamilyFactory(team=family.team, coach=alice)
    contact = ContactFactory(family=other, author=alice, minutes=60)
    response = alice_client.post(
        reverse("cases:contact_edit", args=[family.pk, contact.pk]),
        contact_data(minutes="30", version=contact.version),
    )
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.minutes == 60


def test_member_of_another_family_cannot_be_edited_through_this_one(family, alice, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team, coach=alice), name="Vreemd")
    response = alice_client.post(
        reverse("cases:member_edit", args=[family.pk, stranger.pk]),
        {"name": "Overgenomen", "role": "child"},
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.name == "Vreemd"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "x" * 121}, "niet meer dan 120 tekens"),
        ({"name": ""}, "Dit veld is verplicht"),
        ({"date_of_birth": "1 januari"}, "Voer een geldige datum in"),
        ({"role": "king"}, "Selecteer een geldige keuze"),
    ],
)
def test_member_form_bad_input(family, alice_client, overrides, message):
    data = {"name": "Sara", "role": "child", "lives_in_household": "on", **overrides}
    response = alice_client.post(reverse("cases:member_create", args=[family.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert family.members.count() == 2


def family_data(own_team, **overrides):  # type: ignore[no-untyped-def]
    return {
        "case_number": "FK-NEW-1",
        "display_name": "Gezin Nieuw",
        "area": "",
        "team": own_team.pk,
        "status": "referred",
        "referrer": "gp",
        "referrer_detail": "",
        "referral_date": "2025-01-10",
        **overrides,
    }


def test_family_create_works(team, coordinator_client):
    response = coordinator_client.post(reverse("cases:family_create"), family_data(team))
    assert response.status_code == 302
    assert Family.objects.filter(case_number="FK-NEW-1").exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("case_number", "x" * 33, "niet meer dan 32 tekens"),
        ("display_name", "x" * 121, "niet meer dan 120 tekens"),
        ("referrer_detail", "x" * 201, "niet meer dan 200 tekens"),
        ("referral_date", "2999-01-01", "toekomst"),
        ("referral_date", "gisteren", "Voer een geldige datum in"),
        ("status", "gone", "Selecteer een geldige keuze"),
        ("team", "abc", "Selecteer een geldige keuze"),
    ],
)
def test_family_form_bad_input(team, coordinator_client, field, value, message):
    response = coordinator_client.post(
        reverse("cases:family_create"), family_data(team, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Family.objects.filter(case_number="FK-NEW-1").exists()


def test_family_form_rejects_another_teams_team_and_coach(
    team, other_team, charlie, coordinator_client
):
    for overrides in ({"team": other_team.pk}, {"coach": charlie.pk}, {"involved": [charlie.pk]}):
        response = coordinator_client.post(
            reverse("cases:family_create"), family_data(team, **overrides)
        )
        assert response.status_code == 200, overrides
        assert "Selecteer een geldige keuze" in response.content.decode(), overrides
    assert not Family.objects.filter(case_number="FK-NEW-1").exists()


def test_safety_note_too_long_is_refused(family, alice_client):
    response = alice_client.post(
        reverse("cases:family_safety", args=[family.pk]),
        {"safety_flag": "on", "safety_note": "x" * 2001},
        follow=True,
    )
    assert response.status_code == 200
    assert "niet meer dan 2000 tekens" in response.content.decode()
    family.refresh_from_db()
    assert not family.safety_flag


def test_family_search_with_odd_input_is_no_error(family, bob_client):
    for q in ("x" * 500, "%' OR 1=1 --", SCRIPT, "\x00"):
        response = bob_client.get(reverse("cases:family_list"), {"q": q, "page": "abc"})
        assert response.status_code == 200
        assert SCRIPT not in response.content.decode()


def test_script_in_text_fields_is_shown_as_text(family, alice, alice_client, coordinator_client):
    Family.objects.filter(pk=family.pk).update(
        display_name=SCRIPT, area=SCRIPT, referrer_detail=SCRIPT
    )
    Member.objects.filter(family=family).update(name=SCRIPT)
    ContactFactory(family=family, author=alice, note=SCRIPT)
    alice_client.post(
        reverse("cases:family_safety", args=[family.pk]),
        {"safety_flag": "on", "safety_note": SCRIPT},
    )
    pages = [
        reverse("cases:family_detail", args=[family.pk]),
        reverse("cases:family_list"),
        reverse("cases:caseload"),
        reverse("cases:family_edit", args=[family.pk]),
        reverse("cases:records", args=[family.pk]),
        reverse("cases:member_edit", args=[family.pk, family.members.first().pk]),
    ]
    for url in pages:
        content = alice_client.get(url).content.decode()
        assert SCRIPT not in content, url
        assert ESCAPED in content, url
    content = coordinator_client.get(reverse("cases:access_log", args=[family.pk])).content
    assert SCRIPT.encode() not in content


def test_every_text_field_has_a_maximum_length():
    """Models of every app: a TextField or CharField without max_length is unbounded input."""
    from django.apps import apps
    from django.db import models

    ours = {"cases", "phases", "network", "strengths", "reports"}
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ours
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.max_length
    ]
    assert not unbounded, unbounded


# --- Every integer input has bounds that fit the database ---------------------------------

BIGINT_MAX = 9_223_372_036_854_775_807
APPS = ("cases", "phases", "network", "strengths", "reports")


def _form_classes():  # type: ignore[no-untyped-def]
    """Every Form and ModelForm defined in a forms module of our apps (found, not listed)."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    found = []
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.endswith("forms"):
                continue
            module = importlib.import_module(f"{app}.{info.name}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found.append(cls)
    return found


FORM_CLASSES = _form_classes()


def test_the_form_walk_finds_the_forms():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"ContactForm", "EventForm", "KrachtgezinForm", "DefinitionForm", "YearForm"} <= names


@pytest.mark.parametrize(
    "form_class", FORM_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}"
)
def test_every_integer_field_is_bounded(form_class):
    from django import forms

    # The class's fields: declared ones and those a ModelForm makes from its model.
    unbounded = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.IntegerField)  # DecimalField is one too
        and not (
            field.max_value is not None
            and field.min_value is not None
            and -BIGINT_MAX - 1 <= field.min_value <= field.max_value <= BIGINT_MAX
        )
    ]
    assert not unbounded, unbounded
