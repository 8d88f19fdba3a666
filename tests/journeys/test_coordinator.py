"""The coordinator's journey in a real browser: a family plan exported and downloaded as PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cases.models import ActionSource
from reports.models import ExportState, PlanPdf
from tests.cases.plan_factories import ActionFactory, GoalFactory, PlanFactory
from tests.journeys.helpers import PASSWORD, PageChecks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_coordinator_journey(browser_page, family, alice, coordinator):
    page = browser_page
    checks = PageChecks(page)
    plan = PlanFactory(family=family, number=1, created_by=alice)
    naomi = family.members.get(name="Naomi Jansen")
    GoalFactory(plan=plan, owner=naomi, text="Ik wil weer goed slapen")
    ActionFactory(
        plan=plan, source=ActionSource.NETWORK, who_name="oma Ria", what="Kookt op vrijdag"
    )

    # A typing slip at log-in first: the form says so, in Dutch.
    page.goto("/login/")
    checks.check("login")
    page.get_by_label("Gebruikersnaam").fill("coord")
    page.get_by_label("Wachtwoord").fill("not-the-password")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar").wait_for()
    checks.check("login with errors")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Caseload van het team").wait_for()
    checks.check("team caseload")
    # The coordinator has the longest menu: on a laptop and a tablet it fits the width.
    for width in (1280, 1024, 768):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Gezin Jansen", exact=True).click()
    page.get_by_role("heading", name="Gezin Jansen").wait_for()
    checks.check("family overview")
    page.get_by_role("link", name="Gezinsplan", exact=True).click()
    page.get_by_role("heading", name="Gezinsplan, versie 1").wait_for()
    checks.check("plan")

    # Tasks run in-process in tests, so the export is done when the page comes back.
    page.get_by_role("button", name="Gezinsplan als PDF").click()
    status = page.locator("section", has=page.get_by_role("heading", name="Gezinsplan als PDF"))
    status.get_by_text("Klaar").wait_for()
    checks.check("plan with pdf ready")
    export = PlanPdf.objects.get()
    assert (export.state, export.requested_by, export.plan) == (ExportState.DONE, coordinator, plan)
    link = status.get_by_role("link", name=export.filename)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == export.filename
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(data)).pages
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    assert "Gezinsplan" in text and "Gezin Jansen" in text
    assert "Ik wil weer goed slapen" in text, text

    checks.assert_clean()
