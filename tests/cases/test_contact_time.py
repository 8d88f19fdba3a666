"""A contact's start time: its default, office hours on their boundaries, the badge in the
contact list and the figures in the team report."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.agenda import services as agenda_services
from cases.forms import ContactForm
from cases.models import Contact
from cases.models.contacts import is_outside_office_hours, outside_office_hours_q
from reports.teamreport import team_report
from reports.teamreport_export import team_report_csv
from tests.factories import ContactFactory, FamilyFactory
from tests.reports.test_team_report import csv_tables

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time
MONDAY, FRIDAY, SATURDAY, SUNDAY = D(2025, 6, 2), D(2025, 6, 6), D(2025, 6, 7), D(2025, 6, 8)


def _minute(value: datetime.datetime) -> datetime.time:
    return value.time().replace(second=0, microsecond=0)


def test_a_contact_today_starts_now_by_default(family):
    before = _minute(timezone.localtime())
    form = ContactForm(family=family)
    after = _minute(timezone.localtime())
    start = form.fields["start_time"].initial
    assert before <= start <= after
    html = str(form["start_time"])
    assert 'type="time"' in html and f'value="{start:%H:%M}"' in html


def test_a_contact_on_another_day_has_no_default_time(family):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    form = ContactForm(family=family, initial={"date": yesterday})
    assert form.fields["start_time"].initial is None
    assert 'value="' not in str(form["start_time"])
    # The page knows today's date, so the script can empty a time nobody typed.
    assert f'data-default-date="{timezone.localdate().isoformat()}"' in str(form["start_time"])


def test_an_appointments_contact_starts_at_the_appointment(family, alice):
    appointment = agenda_services.appointment_create(
        family=family,
        by=alice,
        kind="home_visit",
        date=timezone.localdate() + datetime.timedelta(days=2),
        starts_at=T(19, 30),
        ends_at=T(20, 30),
        coach=alice,
    )
    initial = agenda_services.contact_initial(appointment)
    assert initial["start_time"] == T(19, 30)
    form = ContactForm(family=family, initial=initial)
    assert 'value="19:30"' in str(form["start_time"])


@pytest.mark.parametrize(
    ("day", "start", "outside"),
    [
        (MONDAY, T(7, 59), True),
        (MONDAY, T(8, 0), False),
        (MONDAY, T(17, 59), False),
        (MONDAY, T(18, 0), True),
        (FRIDAY, T(17, 30), False),
        (FRIDAY, T(19, 0), True),  # Friday evening
        (SATURDAY, T(10, 0), True),
        (SUNDAY, T(12, 0), True),
        (MONDAY, None, None),  # unknown, not office hours
    ],
)
def test_office_hours_on_their_boundaries(family, day, start, outside):
    assert is_outside_office_hours(day, start) is outside
    contact = ContactFactory(family=family, date=day, start_time=start)
    assert contact.outside_office_hours is outside
    # The database counts with the same rule.
    assert Contact.objects.filter(outside_office_hours_q()).exists() is bool(outside)


def test_office_hours_follow_the_setting(family, settings):
    settings.OFFICE_HOURS = {"WEEKDAYS": [1, 2, 3, 4, 5, 6], "START": "09:00", "END": "17:00"}
    assert is_outside_office_hours(SATURDAY, T(10, 0)) is False
    assert is_outside_office_hours(MONDAY, T(8, 30)) is True
    assert is_outside_office_hours(MONDAY, T(17, 0)) is True


def test_the_time_is_saved_and_the_list_shows_the_badge(family, alice_client):
    url = reverse("cases:contact_create", args=[family.pk])
    common = {"minutes": "60", "kind": "home_visit", "note": ""}
    alice_client.post(url, {**common, "date": MONDAY.isoformat(), "start_time": "17:59"})
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert Contact.objects.get().start_time == T(17, 59)
    assert "17:59" in page and "buiten kantoortijd" not in page
    alice_client.post(url, {**common, "date": SATURDAY.isoformat(), "start_time": "11:00"})
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert page.count("data-outside-office-hours") == 1 and "buiten kantoortijd" in page
    # No time is allowed: the contact is saved with an unknown time and no badge.
    alice_client.post(url, {**common, "date": MONDAY.isoformat(), "start_time": ""})
    assert Contact.objects.filter(start_time__isnull=True).count() == 1


def test_a_bad_time_saves_nothing(family, alice_client):
    url = reverse("cases:contact_create", args=[family.pk])
    data = {
        "date": MONDAY.isoformat(),
        "minutes": "60",
        "kind": "home_visit",
        "start_time": "25:00",
    }
    response = alice_client.post(url, data)
    assert response.status_code == 200
    assert "Voer een geldige tijd in" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_corrected_time_is_in_the_revision(family, alice, alice_client):
    contact = ContactFactory(family=family, author=alice, date=MONDAY, start_time=None)
    url = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    data = {
        "date": MONDAY.isoformat(),
        "start_time": "20:15",
        "minutes": "60",
        "kind": "home_visit",
        "domains": ["child"],
        "note": contact.note,
        "version": contact.version,
    }
    assert alice_client.post(url, data).status_code == 302
    contact.refresh_from_db()
    assert contact.start_time == T(20, 15)
    [revision] = contact.revisions.all()
    assert ("begintijd", "–", "20:15") in revision.changes()


@pytest.fixture
def timed(team, other_team, alice, bob, charlie):  # type: ignore[no-untyped-def]
    ours = FamilyFactory(team=team, coach=alice)
    theirs = FamilyFactory(team=other_team, coach=charlie)
    for day, start in (
        (MONDAY, T(10, 0)),  # inside
        (MONDAY, T(18, 0)),  # outside (the end of office hours)
        (SATURDAY, T(11, 0)),  # outside (weekend)
        (MONDAY, None),  # unknown
    ):
        ContactFactory(family=ours, author=alice, date=day, start_time=start)
    ContactFactory(family=ours, author=bob, date=FRIDAY, start_time=T(20, 30))  # outside
    ContactFactory(family=ours, author=bob, date=MONDAY, start_time=T(17, 59))  # inside
    # Not counted: another year, another team.
    ContactFactory(family=ours, author=bob, date=D(2024, 6, 1), start_time=T(22, 0))
    ContactFactory(family=theirs, author=charlie, date=SATURDAY, start_time=T(22, 0))
    return team


def test_team_report_counts_contacts_outside_office_hours(timed, alice, bob):
    report = team_report(timed, year=2025)
    rows = [
        (r.label, r.contacts, r.outside, r.unknown, r.outside_share) for r in report.contact_times
    ]
    # alice: 2 of 3 known times outside = 66.7 %, 1 unknown; bob: 1 of 2 = 50.0 %.
    assert rows == [
        (alice.get_full_name(), 4, 2, 1, Decimal("66.7")),
        (bob.get_full_name(), 2, 1, 0, Decimal("50.0")),
    ]
    total = report.contact_times_total
    # Team: 3 of 5 known = 60.0 %; the unknown one is not counted as office hours.
    assert (total.contacts, total.outside, total.unknown, str(total.outside_share)) == (
        6,
        3,
        1,
        "60.0",
    )
    assert "maandag" in report.office_hours and "08:00–18:00" in report.office_hours


def test_team_report_page_and_csv_show_the_figures(timed, alice, coordinator_client):
    page = coordinator_client.get("/reports/team/", {"year": 2025}).content.decode()
    assert "Contacten buiten kantoortijd, 2025" in page and "66,7%" in page and "60,0%" in page
    tables = csv_tables(team_report_csv(team_report(timed, year=2025)).removeprefix("\ufeff"))
    times = tables["Contacten buiten kantoortijd, 2025"]
    assert times[0][:3] == ["Coach", "Contacten", "Buiten kantoortijd"]
    assert [alice.get_full_name(), "4", "2", "66,7", "1"] in times
    assert ["Team", "6", "3", "60,0", "1"] in times


def test_team_report_without_contacts_says_so(team):
    report = team_report(team, year=2025)
    assert report.contact_times == []
    assert report.contact_times_total.outside_share is None


def test_the_one_tap_contact_keeps_the_appointments_time(family, alice, alice_client):
    today = timezone.localdate()
    appointment = agenda_services.appointment_create(
        family=family,
        by=alice,
        kind="home_visit",
        date=today,
        starts_at=T(18, 30),
        ends_at=T(19, 30),
        coach=alice,
    )
    url = reverse("cases:appointment_log", args=[family.pk, appointment.pk])
    form = alice_client.get(url).context["form"]
    assert form["start_time"].value() == T(18, 30)  # the appointment's time, not now
    data = {"date": today.isoformat(), "start_time": "18:30", "minutes": 60, "kind": "home_visit"}
    assert alice_client.post(url, data).status_code == 302
    contact = Contact.objects.get()
    assert contact.start_time == T(18, 30) and contact.outside_office_hours is True
