"""The psychologist's journey in a real browser: the team's caseload, then a transition approved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from phases.models import PhaseEpisode, Transition, TransitionStatus
from phases.services import trajectory_start, transition_propose
from tests.factories import FamilyFactory
from tests.journeys.helpers import PageChecks, login, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_psychologist_journey(browser_page, family, alice, psychologist, team):
    page = browser_page
    checks = PageChecks(page)
    today = timezone.localdate()
    trajectory_start(family=family, by=alice, started_on=today - datetime.timedelta(days=14))
    transition_propose(
        family=family,
        by=alice,
        role="coach",
        effective_on=today - datetime.timedelta(days=1),
        note="Contact staat, de stress is minder.",
    )
    FamilyFactory(team=team, coach=alice, display_name="Gezin Bakker")

    # The team's caseload: both families of the team, the coach's name beside them.
    login(page, checks, "psy")
    page.get_by_role("heading", name="Caseload van het team").wait_for()
    checks.check("team caseload")
    for name in ("Gezin Jansen", "Gezin Bakker"):
        assert page.get_by_role("row", name=name).count() == 1
    # The caseload review: the family waiting for approval is flagged in its row.
    page.get_by_role("link", name="Caseload", exact=True).click()
    page.get_by_role("heading", name="Caseload").first.wait_for()
    row = page.get_by_role("row").filter(has_text="Gezin Jansen")
    assert row.count() == 1
    assert "Startfase" in row.inner_text()
    checks.check("caseload review")
    page.goto(reverse("cases:caseload"))

    page.get_by_role("link", name="Alle gezinnen").click()
    checks.check("family list")
    page.get_by_label("Zoeken").fill("Jansen")
    with page.expect_navigation():
        page.get_by_label("Zoeken").press("Enter")
    # The search is a POST: the results come back on /families/ without the term in the URL.
    assert page.url.endswith("/families/"), page.url
    checks.check("family list searched")
    assert page.get_by_role("link", name="Gezin Bakker").count() == 0
    page.get_by_role("link", name="Gezin Jansen", exact=True).click()
    page.get_by_role("heading", name="Gezin Jansen").wait_for()
    checks.check("family overview")

    page.get_by_role("link", name="Fasen en uren").click()
    decide = page.locator("section", has=page.get_by_role("heading", name="Akkoord gevraagd"))
    decide.wait_for()
    checks.check("phases with pending transition")
    assert "naar Analysefase" in decide.inner_text()
    assert "Contact staat, de stress is minder." in decide.inner_text()
    decide.get_by_label("Besluit").select_option(label="Akkoord")
    decide.get_by_label("Toelichting").fill("Akkoord; analyse met het hele gezin.")
    decide.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Besluit over de faseovergang vastgelegd.").wait_for()
    checks.check("phases after approval")

    current = page.locator("section", has=page.get_by_role("heading", name="Huidige fase"))
    assert "Analysefase" in current.inner_text()
    assert page.get_by_role("heading", name="Akkoord gevraagd").count() == 0
    transition = Transition.objects.get(family=family, to_step="analysis")
    assert transition.status == TransitionStatus.APPLIED
    assert transition.decided_by == psychologist
    assert transition.decision_note == "Akkoord; analyse met het hele gezin."
    episode = PhaseEpisode.objects.get(family=family, ended_on__isnull=True)
    assert (episode.kind, episode.started_on) == ("analysis", transition.effective_on)

    # Log out with the keyboard: the user menu opens with Enter, its items follow with Tab.
    menu = page.get_by_role("button", name=psychologist.get_full_name())
    tab_to(page, menu)
    page.keyboard.press("Enter")
    logout = page.get_by_role("button", name="Uitloggen")
    logout.wait_for()
    tab_to(page, logout)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/")
    page.goto("/")
    page.wait_for_url("**/login/?next=/")
    checks.check("login after log-out")

    checks.assert_clean()
