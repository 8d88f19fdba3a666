from __future__ import annotations

import pytest

from cases.models import Contact
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_logs_a_contact_in_the_browser(browser_page, family, alice):
    page = browser_page
    browser_login(page, "alice")
    page.get_by_role("heading", name="Mijn caseload").wait_for()
    page.get_by_role("link", name="Gezin Jansen", exact=True).click()
    page.get_by_role("link", name="Contact vastleggen").click()

    page.get_by_label("Minuten").fill("45")
    page.get_by_label("Soort contact").select_option(label="Huisbezoek")
    page.get_by_label("Noah Jansen").check()
    page.get_by_label("Opvoeding").check()
    page.get_by_label("Notitie of verslag").fill("Samen boodschappenlijst gemaakt.")
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_text("Contact vastgelegd.").wait_for()
    row = page.locator("tr", has_text="Samen boodschappenlijst gemaakt.")
    assert row.count() == 1
    assert "Huisbezoek" in row.inner_text()
    contact = Contact.objects.get()
    assert contact.minutes == 45 and contact.author == alice
    assert contact.domains == ["parenting"]


def test_bad_input_shows_a_dutch_error_in_the_browser(browser_page, family, alice):
    page = browser_page
    browser_login(page, "alice")
    page.goto(f"/families/{family.pk}/contacts/new/")
    page.get_by_label("Minuten").fill("800")
    page.get_by_label("Soort contact").select_option(label="Telefonisch")
    page.get_by_role("button", name="Opslaan").click()
    # The field's own message, and the same one in the form's one error summary.
    page.locator(".invalid-feedback", has_text="Maximaal 720 minuten").wait_for()
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("link", name="Minuten").is_visible()
    assert "Maximaal 720 minuten" in summary.inner_text()
    assert not Contact.objects.exists()


def test_core_pages_are_accessible_and_valid(browser_page, family, alice):
    from tests.quality import assert_accessible, assert_valid_html

    page = browser_page
    pages: dict[str, str] = {}
    page.goto("/login/")
    assert_accessible(page)
    pages["login"] = page.content()
    browser_login(page, "alice")
    for path in (
        "/",
        "/families/",
        f"/families/{family.pk}/",
        f"/families/{family.pk}/contacts/new/",
        f"/families/{family.pk}/members/new/",
        f"/families/{family.pk}/edit/",
        "/password/",
    ):
        page.goto(path)
        assert_accessible(page)
        pages[path] = page.content()
    assert_valid_html(pages)


def test_typed_contact_survives_an_expired_session(browser_page, family, alice):
    from django.contrib.sessions.models import Session

    page = browser_page
    browser_login(page, "alice")
    page.goto(f"/families/{family.pk}/contacts/new/")
    page.get_by_label("Minuten").fill("50")
    page.get_by_label("Notitie of verslag").fill("Lang gesprek over de schulden.")
    Session.objects.all().delete()  # the session times out while the coach is typing
    page.get_by_role("button", name="Opslaan").click()

    # Back at the log-in page, which says why and that the typed work is kept; after
    # logging in the form returns with what was typed.
    page.get_by_text("Uw sessie is beëindigd omdat u 30 minuten niets heeft gedaan.").wait_for()
    assert page.get_by_text(
        "is bewaard: na het inloggen staat het weer in het formulier"
    ).is_visible()
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill("secret-pass-123")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Uw eerder getypte invoer is teruggezet").wait_for()
    assert page.get_by_label("Notitie of verslag").input_value() == "Lang gesprek over de schulden."
    assert page.get_by_label("Minuten").input_value() == "50"
    assert not Contact.objects.exists()

    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Contact vastgelegd.").wait_for()
    assert Contact.objects.get().note == "Lang gesprek over de schulden."
    # Saved: a new contact form starts empty again.
    page.goto(f"/families/{family.pk}/contacts/new/")
    assert page.get_by_label("Notitie of verslag").input_value() == ""


def test_edited_plan_survives_an_expired_session(browser_page, family, alice):
    from django.contrib.sessions.models import Session

    from cases.models import FamilyPlan
    from tests.cases.plan_factories import PlanFactory

    plan = PlanFactory(family=family, number=1, created_by=alice, central_question="Oude vraag")
    page = browser_page
    browser_login(page, "alice")
    page.goto(f"/families/{family.pk}/plan/edit/")
    page.get_by_label("Centrale vraag").fill("Hoe krijgen we weer rust in huis?")
    Session.objects.all().delete()
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill("secret-pass-123")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Uw eerder getypte invoer is teruggezet").wait_for()
    assert page.get_by_label("Centrale vraag").input_value() == "Hoe krijgen we weer rust in huis?"
    assert FamilyPlan.objects.get(pk=plan.pk).central_question == "Oude vraag"
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".alert-success").wait_for()
    saved = FamilyPlan.objects.get(pk=plan.pk)
    assert saved.central_question == "Hoe krijgen we weer rust in huis?"
