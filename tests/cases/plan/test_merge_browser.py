"""Two tabs on one family plan, in the browser: they merge, and ask where both changed."""

from __future__ import annotations

import pytest

from cases.models import FamilyPlan
from tests.cases.plan_factories import GoalFactory, PlanFactory
from tests.conftest import browser_login
from tests.quality import assert_accessible, assert_valid_html

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_tabs_merge_and_choose(browser_page, family, alice):
    plan = PlanFactory(family=family, number=1, created_by=alice, worries="Veel ruzie in huis.")
    edit = f"/families/{family.pk}/plan/edit/"
    tab_a = browser_page
    browser_login(tab_a, "alice")
    tab_b = tab_a.context.new_page()

    # Both tabs open the form; A saves a new central question, B (opened earlier) a change
    # to the worries: both stay.
    tab_a.goto(edit)
    tab_b.goto(edit)
    tab_a.get_by_label("Centrale vraag").fill("Hoe krijgen we weer rust in huis?")
    tab_a.get_by_role("button", name="Opslaan").click()
    tab_a.get_by_text("Gezinsplan opgeslagen.").wait_for()
    tab_b.get_by_label("Zorgen").fill("Geld voor de huur ontbreekt.")
    tab_b.get_by_role("button", name="Opslaan").click()
    tab_b.get_by_text("zijn samengevoegd en opgeslagen").wait_for()
    plan.refresh_from_db()
    assert plan.central_question == "Hoe krijgen we weer rust in huis?"
    assert plan.worries == "Geld voor de huur ontbreekt."

    # Now both change the worries: B is shown both values and must choose.
    tab_a.goto(edit)
    tab_b.goto(edit)
    tab_a.get_by_label("Zorgen").fill("Zorgen uit tab A")
    tab_a.get_by_role("button", name="Opslaan").click()
    tab_a.get_by_text("Gezinsplan opgeslagen.").wait_for()
    tab_b.get_by_label("Zorgen").fill("Zorgen uit tab B")
    tab_b.get_by_role("button", name="Opslaan").click()
    choice = tab_b.get_by_role("group", name="Zorgen", exact=True)
    choice.wait_for()
    assert "Zorgen uit tab A" in choice.inner_text() and "Zorgen uit tab B" in choice.inner_text()
    saved = tab_b.locator("section", has=tab_b.get_by_role("heading", name="Zo staat het nu"))
    assert "Zorgen uit tab A" in saved.inner_text()
    assert_accessible(tab_b)
    assert_valid_html({"conflict page": tab_b.content()})

    # Saving without a choice is refused with a sentence; nothing is saved.
    tab_b.get_by_role("button", name="Opslaan").click()
    tab_b.locator("[data-error-summary]", has_text="welke waarde blijft").wait_for()
    plan.refresh_from_db()
    assert plan.worries == "Zorgen uit tab A"

    tab_b.get_by_role("group", name="Zorgen", exact=True).get_by_label("Mijn invoer houden").check()
    tab_b.get_by_role("button", name="Opslaan").click()
    tab_b.get_by_text("Gezinsplan opgeslagen.").wait_for()
    plan.refresh_from_db()
    assert plan.worries == "Zorgen uit tab B"
    assert plan.central_question == "Hoe krijgen we weer rust in huis?"
    assert FamilyPlan.objects.count() == 1


def test_removing_a_goal_asks_and_can_be_undone(browser_page, family, alice):
    plan = PlanFactory(family=family, number=1, created_by=alice)
    goal = GoalFactory(plan=plan, text="Elke dag op tijd naar school")
    page = browser_page
    browser_login(page, "alice")
    page.goto(f"/families/{family.pk}/plan/")
    page.get_by_role("link", name="verwijderen").first.click()
    page.get_by_role("heading", name="Doel verwijderen uit dit concept?").wait_for()
    assert "Elke dag op tijd naar school" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, verwijderen").click()
    removed = page.get_by_role("region", name="Verwijderd uit dit concept")
    removed.wait_for()
    assert "Elke dag op tijd naar school" in removed.inner_text()
    removed.get_by_role("button", name="Terugzetten").click()
    page.get_by_text("Teruggezet in het gezinsplan.").wait_for()
    goal.refresh_from_db()
    assert goal.removed_at is None
