"""A parent fills in the SDM-Q-9 on a phone (360 px), by keyboard, with axe on every page."""

from __future__ import annotations

import pytest

from phases.models import PhaseKind
from reports.models import FilledVia, SdmResponse
from tests.cases.portal.helpers import PASSWORD, parent_of, portal_account
from tests.conftest import browser_login
from tests.reports.portal.helpers import episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


def test_a_parent_fills_in_the_sdm_on_a_phone(browser_page, family, alice):  # type: ignore[no-untyped-def]
    from tests.quality import assert_accessible

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    episode(family, PhaseKind.START)
    account = portal_account(parent_of(family), alice)
    browser_login(page, account.user.username, PASSWORD)
    page.get_by_role("heading", name="Vragenlijst voor u").wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Vragen over samen beslissen").click()
    page.get_by_role("heading", name="Vragenlijst: samen beslissen").wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    # Only eight answered: the page says so and keeps the answers.
    for i in range(1, 9):
        page.get_by_role("group", name=f"{i}.").get_by_label("4 – mee eens").check()
    page.get_by_role("button", name="Antwoorden versturen").click()
    page.get_by_text("U heeft nog niet alle vragen beantwoord.").first.wait_for()
    assert_accessible(page)
    assert not SdmResponse.objects.exists()
    # The last one by keyboard: focus its first radio, arrow to "3", send with Enter.
    group = page.get_by_role("group", name="9.")
    group.get_by_label("0 – helemaal niet mee eens").focus()
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Antwoorden versturen").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Dank u wel. Uw antwoorden zijn opgeslagen.").wait_for()
    assert page.get_by_text("ingevuld op").first.is_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    saved = SdmResponse.objects.get()
    assert saved.items == [4] * 8 + [3]
    assert saved.via == FilledVia.PORTAL
