"""Every page shape in every state of the demo data, checked by axe-core in a real browser.

The demo (familiekracht/demo, made through the services) is meant to show every state a
page can be in: every row tint and badge on the caseload, families with and without a
safety flag, budgets below, within and above their band, empty and full lists. This journey
first checks that the demo really holds those states, then visits the team pages and
every section of every family of one team, so a colour that fails WCAG 2.1 AA in one state
(a green trend on an amber row, say) is found where it breaks.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Family
from familiekracht.demo import seed
from tests.journeys.helpers import PageChecks, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-familiekracht"
TEAM = "Amsterdam Zuidoost"


def test_every_page_in_every_demo_state(browser_page):
    seed.seed_base()
    page = browser_page
    checks = PageChecks(page)
    login(page, checks, "coordinator-zuidoost", DEMO_PASSWORD)

    # The caseload shows every state at once: check the states are there, then axe.
    page.goto("/")
    checks.check("team caseload (start page)")
    page.goto(reverse("reports:caseload"))
    page.get_by_role("heading", name="Caseload").first.wait_for()
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 5
    html = page.content()
    for state in (
        'class="table-danger"',  # safety flag
        'class="table-warning"',  # needs attention
        "trend-up",
        "trend-down",
        "badge band-below",
        "badge band-above",
        "over budget",
        "geen recent contact",
        "dagen over tijd",
        "badge text-bg-light border",  # 90% of the budget used
        "gepland",
        "ingezogen? bespreken",  # long in execution, not discussed (reports.supervision)
    ):
        assert state in html, f"the demo caseload shows no {state!r}"
    plain = page.locator("main table tbody tr:not([class])")
    assert plain.count() > 0, "no row without a tint"
    checks.check("caseload, every state")
    for flag in (
        "attention",
        "safety",
        "under_band",
        "above_band",
        "no_contact",
        "overdue",
        "sucked_in",
    ):
        page.goto(reverse("reports:caseload") + f"?flag={flag}")
        checks.check(f"caseload filtered on {flag}")
    page.goto(reverse("reports:coach_load"))
    assert "Laatste supervisie" in page.content() and "nog geen" not in page.content()
    checks.check("coach load")
    page.goto(reverse("reports:supervision_list"))
    checks.check("supervision of the coaches")
    page.goto(reverse("reports:team_report"))
    checks.check("team report")
    page.goto(reverse("cases:family_list"))
    checks.check("family list")

    # Every section of every family of the team: a mix of phases, flags, empty and full.
    families = list(Family.objects.filter(team__name=TEAM).order_by("pk"))
    assert any(f.safety_flag for f in families) and not all(f.safety_flag for f in families)
    for family in families:
        page.goto(reverse("cases:family_detail", args=[family.pk]))
        tabs = page.locator("nav[aria-label='Onderdelen van het dossier'] a.nav-link")
        hrefs = [tabs.nth(i).get_attribute("href") for i in range(tabs.count())]
        assert len(hrefs) >= 8
        for href in hrefs:
            page.goto(href)
            checks.check(f"{family.case_number} {href.rstrip('/').rsplit('/', 1)[-1]}")

    checks.assert_clean()
