"""The coach's week in a real browser: plan a visit, open the agenda, log it in one tap,
and the documents tab."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import Appointment, AppointmentStatus, Contact
from tests.journeys.helpers import PageChecks, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_a_visit_see_it_in_the_agenda_and_log_it(browser_page, family, alice):
    page = browser_page
    checks = PageChecks(page)
    today = timezone.localdate()

    login(page, checks, "alice")
    page.get_by_role("link", name="Gezin Jansen", exact=True).click()
    page.get_by_role("heading", name="Gezin Jansen").wait_for()
    page.get_by_role("link", name="Afspraak plannen").first.click()
    page.get_by_role("heading", name="Afspraak plannen").wait_for()
    checks.check("appointment form")
    page.get_by_label("Soort afspraak").select_option("home_visit")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Begintijd").fill("10:00")
    page.get_by_label("Eindtijd").fill("09:00")  # a slip first: the end before the start
    page.get_by_label("Noah Jansen").check()
    page.get_by_label("Doel").fill("doelen bespreken")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(
        ".invalid-feedback", has_text="De eindtijd moet na de begintijd liggen."
    ).wait_for()
    checks.check("appointment form with errors")
    assert not Appointment.objects.exists()
    assert page.get_by_label("Noah Jansen").is_checked()
    page.get_by_label("Eindtijd").fill("11:15")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Afspraak gepland.").wait_for()
    checks.check("family agenda")

    # The agenda in the navigation: today's card holds the visit.
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Agenda").click()
    page.get_by_role("heading", name="Mijn agenda").wait_for()
    checks.check("agenda")
    item = page.locator(".agenda-item", has_text="Gezin Jansen")
    assert "10:00–11:15" in item.inner_text()

    # After the visit, one tap: the contact form comes filled in.
    item.get_by_role("link", name="Vastleggen als contact").click()
    page.get_by_role("heading", name="Contact vastleggen").wait_for()
    checks.check("contact form from appointment")
    assert page.get_by_label("Minuten").input_value() == "75"
    assert page.get_by_label("Noah Jansen").is_checked()
    page.get_by_label("Opvoeding").check()
    page.get_by_label("Notitie of verslag").fill("Ochtendroutine besproken.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Contact vastgelegd.").wait_for()
    contact = Contact.objects.get()
    assert (contact.date, contact.minutes, contact.kind) == (today, 75, "home_visit")
    assert contact.domains == ["parenting"]
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.DONE and appointment.contact == contact

    # The subscription for the phone: made, shown once, without names.
    page.goto("/agenda/")
    page.get_by_role("button", name="Persoonlijk agenda-adres maken").click()
    page.locator("#feed-url").wait_for()
    checks.check("agenda with feed address")
    feed_url = page.locator("#feed-url").input_value()
    assert "/agenda/feed/" in feed_url
    checks.assert_clean()


def test_tomorrows_visit_cannot_be_logged_yet(browser_page, family, alice):
    from cases.agenda import services

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.appointment_create(
        family=family,
        by=alice,
        kind="home_visit",
        date=tomorrow,
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
        coach=alice,
    )
    page = browser_page
    checks = PageChecks(page)
    login(page, checks, "alice")
    # The week that holds tomorrow: on a Sunday that is next week's.
    page.goto(f"/agenda/?week={tomorrow.isoformat()}")
    item = page.locator(".agenda-item", has_text="Gezin Jansen")
    item.wait_for()
    assert item.get_by_role("link", name="Vastleggen als contact").count() == 0
