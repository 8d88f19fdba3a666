"""The live counter of a limited text field (static/js/limits.js) in a real Chromium: a paste
longer than the limit stays whole, the counter says it is too long in colour and in words,
the server refuses it with a sentence and shows the whole text again."""

from __future__ import annotations

import pytest

from cases.models import Contact
from tests.conftest import browser_login
from tests.quality import assert_accessible, assert_valid_html

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIMIT = 20_000
OVER = 50
LONG = ("Huisbezoek: lang gesprek met moeder over de schulden en de school van Noah. " * 300)[
    : LIMIT + OVER
]


def _paste(page, locator, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste through the clipboard, as a coach pastes a report from elsewhere."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    locator.focus()
    page.keyboard.press("Control+V")


def test_a_long_paste_stays_whole_and_the_counter_says_it_is_too_long(browser_page, family, alice):
    page = browser_page
    browser_login(page, "alice")
    page.goto(f"/families/{family.pk}/contacts/new/")
    note = page.get_by_label("Notitie of verslag")
    assert note.get_attribute("maxlength") is None
    assert note.get_attribute("data-limit") == str(LIMIT)
    counter = page.locator("[data-limit-counter]")
    assert counter.inner_text() == "0 van 20.000 tekens"
    # The help text names the limit, for a page without JavaScript too.
    assert page.get_by_text("Maximaal 20.000 tekens.").is_visible()
    # The field is described by its counter, so a screen reader finds it.
    assert counter.get_attribute("id") in (note.get_attribute("aria-describedby") or "")

    _paste(page, note, LONG)
    assert len(note.input_value()) == LIMIT + OVER  # the browser cut nothing
    assert counter.inner_text().startswith("50 tekens te veel (20.050 van 20.000)")
    assert "fk-limit-over" in (counter.get_attribute("class") or "")
    color = counter.evaluate("el => getComputedStyle(el).color")
    assert color == "rgb(176, 42, 55)", color
    assert_accessible(page)

    page.get_by_label("Minuten").fill("60")
    page.get_by_role("button", name="Opslaan").click()
    message = (
        "Deze tekst is 20.050 tekens lang; hier passen niet meer dan 20.000 tekens in. "
        "Maak hem korter: uw tekst staat er nog."
    )
    page.locator(".invalid-feedback", has_text=message).wait_for()
    assert message in page.locator("[data-error-summary]").inner_text()
    note = page.get_by_label("Notitie of verslag")
    assert note.input_value() == LONG  # kept whole in the form
    assert not Contact.objects.exists()
    counter = page.locator("[data-limit-counter]")
    assert counter.inner_text().startswith("50 tekens te veel")
    assert_accessible(page)
    assert_valid_html({"contact form refused": page.content()})

    # Shortened by the user (not by the browser): the counter follows, the save goes through.
    note.press("Control+End")
    for _ in range(OVER):
        note.press("Backspace")
    assert counter.inner_text() == "20.000 van 20.000 tekens"
    assert "fk-limit-over" not in (counter.get_attribute("class") or "")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Contact vastgelegd.").wait_for()
    saved = Contact.objects.get().note
    assert saved == LONG[:LIMIT].strip(), (len(saved), saved[-20:])


def test_a_line_break_counts_once_in_the_counter_and_on_the_server(browser_page, family, alice):
    page = browser_page
    browser_login(page, "alice")
    page.goto(f"/families/{family.pk}/contacts/new/")
    note = page.get_by_label("Notitie of verslag")
    text = ("regel\n" * LIMIT)[:LIMIT]  # exactly the limit, a line break counted as one
    _paste(page, note, text)
    counter = page.locator("[data-limit-counter]")
    assert counter.inner_text() == "20.000 van 20.000 tekens"
    page.get_by_label("Minuten").fill("30")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Contact vastgelegd.").wait_for()
    assert Contact.objects.get().note == text.strip()


def test_a_single_line_field_shows_its_counter_near_the_limit(browser_page, family, alice):
    page = browser_page
    browser_login(page, "alice")
    page.goto(f"/families/{family.pk}/members/new/")
    name = page.get_by_label("Naam")
    counter = page.locator("[data-limit-counter]").first
    assert counter.is_hidden()
    _paste(page, name, "N" * 130)
    assert len(name.input_value()) == 130
    assert counter.is_visible()
    assert counter.inner_text().startswith("10 tekens te veel (130 van 120)")
