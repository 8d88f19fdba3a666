"""The coach's journey in a real browser: contact, network, plan and relapse hours."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Contact, FamilyPlan
from network.models import Agreement, NetworkMember
from phases.models import ExtraHours
from phases.services import trajectory_start
from tests.journeys.helpers import PageChecks, is_focused, login, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_journey(browser_page, family, alice):
    page = browser_page
    checks = PageChecks(page)
    trajectory_start(
        family=family, by=alice, started_on=timezone.localdate() - datetime.timedelta(days=7)
    )

    # Log in and open the family from "Mijn caseload".
    login(page, checks, "alice")
    page.get_by_role("heading", name="Mijn caseload").wait_for()
    checks.check("caseload")
    page.get_by_role("link", name="Gezin Jansen", exact=True).click()
    page.get_by_role("heading", name="Gezin Jansen").wait_for()
    checks.check("family overview")

    # Log a contact with the keyboard only: Tab, typing, Space and Enter.
    contact_link = page.get_by_role("link", name="Contact vastleggen")
    tab_to(page, contact_link)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Contact vastleggen").wait_for()
    checks.check("contact form")
    minutes = page.get_by_label("Minuten")
    tab_to(page, minutes)
    page.keyboard.type("800")  # one typing slip first: more than 12 hours
    tab_to(page, page.get_by_label("Soort contact"))
    page.keyboard.type("Huisbezoek")
    assert page.get_by_label("Soort contact").input_value() == "home_visit"
    noah = page.get_by_label("Noah Jansen")
    tab_to(page, noah)
    page.keyboard.press("Space")
    assert noah.is_checked()
    parenting = page.get_by_label("Opvoeding")
    tab_to(page, parenting)
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Notitie of verslag"))
    page.keyboard.type("Samen boodschappenlijst gemaakt.")
    tab_to(page, page.get_by_role("button", name="Opslaan"))
    page.keyboard.press("Enter")
    # The field's own message, and the same one in the form's one error summary.
    page.locator(".invalid-feedback", has_text="Maximaal 720 minuten").wait_for()
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("link", name="Minuten").is_visible()
    assert "Maximaal 720 minuten" in summary.inner_text()
    checks.check("contact form with errors")
    assert not Contact.objects.exists()
    tab_to(page, minutes)
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    # What was chosen before the error is still there.
    assert noah.is_checked() and parenting.is_checked()
    tab_to(page, page.get_by_role("button", name="Opslaan"))
    assert is_focused(page.get_by_role("button", name="Opslaan"))
    page.keyboard.press("Enter")
    page.get_by_text("Contact vastgelegd.").wait_for()
    checks.check("family overview after contact")
    row = page.locator("tr", has_text="Samen boodschappenlijst gemaakt.")
    assert "Huisbezoek" in row.inner_text()
    contact = Contact.objects.get()
    assert (contact.minutes, contact.kind, contact.author) == (45, "home_visit", alice)
    assert contact.domains == ["parenting"]
    assert [m.name for m in contact.members_present.all()] == ["Noah Jansen"]

    # Network: the first-step question, then an agreement with the new member.
    page.get_by_role("link", name="Netwerk", exact=True).click()
    question = page.get_by_role(
        "heading", name="Wie vinden het belangrijk dat het goed gaat met uw kind(eren)?"
    )
    question.wait_for()
    checks.check("network")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("Dit veld is verplicht.").first.wait_for()
    checks.check("network quick add with errors")
    assert not NetworkMember.objects.exists()
    page.get_by_label("Naam").fill("Ria de Vries")
    page.get_by_label("Relatie").fill("oma")
    page.get_by_label("Kring").select_option(label="Familie")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("Ria de Vries toegevoegd.").wait_for()
    checks.check("network after quick add")
    assert "oma" in page.locator("tr", has_text="Ria de Vries").inner_text()
    ria = NetworkMember.objects.get(family=family)
    assert (ria.name, ria.relation, ria.circle) == ("Ria de Vries", "oma", "family")

    page.get_by_role("link", name="Afspraak toevoegen").click()
    page.get_by_role("heading", name="Afspraak toevoegen").wait_for()
    checks.check("agreement form")
    page.get_by_role("radio", name="Netwerklid").check()
    page.get_by_role("combobox", name="Netwerklid").select_option(label="Ria de Vries (oma)")
    page.get_by_label("Wat").fill("Haalt Noah op woensdag uit school.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Vul in wanneer, of hoe vaak").first.wait_for()
    checks.check("agreement form with errors")
    assert not Agreement.objects.exists()
    page.get_by_label("Hoe vaak").fill("elke woensdag")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Afspraak vastgelegd.").wait_for()
    checks.check("network after agreement")
    row = page.locator("tr", has_text="Haalt Noah op woensdag uit school.")
    assert "Ria de Vries" in row.inner_text() and "elke woensdag" in row.inner_text()
    agreement = Agreement.objects.get(family=family)
    assert (agreement.network_member, agreement.frequency) == (ria, "elke woensdag")

    # The family plan: start a draft, the central question, a goal and an action.
    page.get_by_role("link", name="Gezinsplan", exact=True).click()
    page.get_by_text("Dit gezin heeft nog geen gezinsplan.").wait_for()
    checks.check("plan empty")
    page.get_by_role("button", name="Gezinsplan beginnen").click()
    page.get_by_role("heading", name="Gezinsplan, versie 1").wait_for()
    checks.check("plan draft")
    page.locator("#plan-main-heading").locator("..").get_by_role("link", name="Wijzigen").click()
    page.get_by_label("Centrale vraag").wait_for()
    checks.check("plan form")
    page.get_by_label("Centrale vraag").fill("Hoe krijgen we weer rust in huis?")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Hoe krijgen we weer rust in huis?").wait_for()
    checks.check("plan after central question")

    page.get_by_role("link", name="Doel toevoegen").click()
    page.get_by_role("heading", name="Doel toevoegen").wait_for()
    checks.check("goal form")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".invalid-feedback").first.wait_for()
    checks.check("goal form with errors")
    page.get_by_label("Levensgebied").select_option(label="Opvoeding")
    page.get_by_label("Van wie is het doel").select_option(label="Naomi Jansen")
    page.get_by_label("Doel (in de woorden van het gezin)").fill("Rustige ochtenden voor school")
    page.get_by_label("Wanneer is het gelukt (meetbaar)").fill("Vier weken op tijd op school")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("cell", name="Rustige ochtenden voor school").wait_for()
    checks.check("plan after goal")

    page.get_by_role("link", name="Actie toevoegen").click()
    page.get_by_role("heading", name="Actie toevoegen").wait_for()
    checks.check("action form")
    page.get_by_label("Wie draagt bij").select_option(label="Netwerk")
    page.get_by_label("Wat").fill("Oma Ria haalt Noah op woensdag op.")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".invalid-feedback", has_text="Vul in wie deze actie doet.").wait_for()
    assert "Vul in wie deze actie doet." in page.locator("[data-error-summary]").inner_text()
    checks.check("action form with errors")
    page.get_by_label("Naam (netwerk of professional)").fill("oma Ria")
    page.get_by_label("Wanneer").fill("elke woensdag")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("cell", name="Oma Ria haalt Noah op woensdag op.").wait_for()
    checks.check("plan after action")

    # The family's agreement, on its own page: a date in the future is refused.
    page.get_by_role("link", name="Akkoord vastleggen").click()
    page.get_by_label("Akkoord op").wait_for()
    page.locator("input[name='members']").first.check()
    page.get_by_label("Akkoord op").fill("2999-01-01")
    page.locator("input[name='agreed_how']").first.check()
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".invalid-feedback").first.wait_for()
    checks.check("plan agreement form with errors")
    assert not FamilyPlan.objects.get(family=family).has_agreement
    page.get_by_label("Akkoord op").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het akkoord van het gezin is vastgelegd.").wait_for()
    checks.check("plan after agreement")
    plan = FamilyPlan.objects.get(family=family)
    assert plan.is_draft and plan.central_question == "Hoe krijgen we weer rust in huis?"
    goal = plan.goals.get()
    assert (goal.text, goal.domain, goal.owner.name) == (
        "Rustige ochtenden voor school",
        "parenting",
        "Naomi Jansen",
    )
    action = plan.actions.get()
    assert (action.source, action.who_name, action.when) == ("network", "oma Ria", "elke woensdag")

    # Relapse: extra hours, at once, with a reason.
    page.get_by_role("link", name="Fasen en uren").click()
    page.get_by_role("heading", name="Extra uren bij terugval").wait_for()
    checks.check("phases")
    extra = page.locator("section", has=page.get_by_role("heading", name="Extra uren bij terugval"))
    extra.get_by_label("Extra uren").fill("6")
    extra.get_by_role("button", name="Uren toevoegen").click()
    page.get_by_text("Dit veld is verplicht.").first.wait_for()
    checks.check("phases extra hours with errors")
    assert not ExtraHours.objects.exists()
    extra = page.locator("section", has=page.get_by_role("heading", name="Extra uren bij terugval"))
    extra.get_by_label("Reden").fill("Terugval na de verhuizing; vaker langs deze weken.")
    extra.get_by_role("button", name="Uren toevoegen").click()
    page.get_by_text("Extra uren toegevoegd; ze tellen direct mee.").wait_for()
    checks.check("phases after extra hours")
    assert page.get_by_text("Terugval na de verhuizing; vaker langs deze weken.").count() == 1
    added = ExtraHours.objects.get()
    assert added.hours == Decimal("6") and added.added_by == alice
    assert added.episode.family == family and added.episode.ended_on is None

    # Back on the overview, every panel shows the day's work.
    page.get_by_role("link", name="Overzicht", exact=True).click()
    page.get_by_role("heading", name="Gezin Jansen").wait_for()
    checks.check("family overview at the end")
    main = page.get_by_role("main").inner_text()
    assert "1 netwerklid" in main and "Samen boodschappenlijst gemaakt." in main
    assert "incl. 6,0 extra uur bij terugval" in main

    checks.assert_clean()
