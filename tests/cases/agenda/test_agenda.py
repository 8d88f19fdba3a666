"""Planned appointments, the agenda, one tap from appointment to contact, the calendar feed."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from cases.agenda import services
from cases.models import (
    AccessLog,
    AccessOutcome,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CalendarFeed,
    Contact,
    ContactKind,
)
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def plan(family, coach, *, days=1, kind=AppointmentKind.HOME_VISIT, **extra):  # type: ignore[no-untyped-def]
    return services.appointment_create(
        family=family,
        by=coach,
        kind=kind,
        date=TODAY() + datetime.timedelta(days=days),
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(11, 30),
        coach=coach,
        **extra,
    )


def form_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "kind": AppointmentKind.HOME_VISIT,
        "date": (TODAY() + datetime.timedelta(days=2)).isoformat(),
        "starts_at": "09:30",
        "ends_at": "10:45",
        "place": "home",
        "purpose": "doelen bespreken",
    }
    data.update(overrides)
    return data


def test_coach_plans_a_visit_in_the_future(family, alice, alice_client):
    url = reverse("cases:appointment_create", args=[family.pk])
    assert alice_client.get(url).status_code == 200
    member = family.members.first()
    response = alice_client.post(url, {**form_data(), "coach": alice.pk, "members": [member.pk]})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.date == TODAY() + datetime.timedelta(days=2)
    assert appointment.minutes == 75
    assert list(appointment.members.all()) == [member]
    assert appointment.status == AppointmentStatus.PLANNED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": "09:00"}, "ends_at", "De eindtijd moet na de begintijd liggen."),
        ({"ends_at": "09:30"}, "ends_at", "De eindtijd moet na de begintijd liggen."),
        (
            {"date": "2001-01-01"},
            "date",
            "Een afspraak plant u vandaag of later; een contact dat al was legt u vast.",
        ),
        ({"starts_at": "25:00"}, "starts_at", "Voer een geldige tijd in."),
        ({"kind": "party"}, "kind", "Selecteer een geldige keuze uit de lijst."),
    ],
)
def test_bad_appointment_input_saves_nothing(
    family, alice, alice_client, overrides, field, message
):
    url = reverse("cases:appointment_create", args=[family.pk])
    response = alice_client.post(url, {**form_data(**overrides), "coach": alice.pk})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Appointment.objects.exists()


def test_members_of_another_family_cannot_be_expected(family, alice, alice_client):
    from tests.factories import FamilyFactory, MemberFactory

    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    url = reverse("cases:appointment_create", args=[family.pk])
    response = alice_client.post(url, {**form_data(), "coach": alice.pk, "members": [stranger.pk]})
    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_appointment_pages_access(family, alice, bob_client, charlie_client, client):
    appointment = plan(family, alice)
    urls = [
        reverse("cases:appointment_create", args=[family.pk]),
        reverse("cases:appointment_edit", args=[family.pk, appointment.pk]),
        reverse("cases:appointment_cancel", args=[family.pk, appointment.pk]),
        reverse("cases:appointment_log", args=[family.pk, appointment.pk]),
    ]
    for url in urls:
        assert bob_client.get(url).status_code == 403, url
        assert charlie_client.get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url  # to the log-in
    held = reverse("cases:appointment_held", args=[family.pk, appointment.pk])
    assert bob_client.post(held).status_code == 403
    assert charlie_client.post(held).status_code == 404
    family_agenda = reverse("cases:family_agenda", args=[family.pk])
    assert bob_client.get(family_agenda).status_code == 200
    assert charlie_client.get(family_agenda).status_code == 404
    assert bob_client.post(family_agenda).status_code == 405
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PLANNED


def test_appointment_of_another_family_is_404(family, alice, alice_client):
    from tests.factories import FamilyFactory

    other = FamilyFactory(team=family.team, coach=alice)
    appointment = plan(other, alice)
    url = reverse("cases:appointment_edit", args=[family.pk, appointment.pk])
    assert alice_client.get(url).status_code == 404


def test_edit_keeps_both_versions_apart(family, alice, alice_client):
    appointment = plan(family, alice)
    url = reverse("cases:appointment_edit", args=[family.pk, appointment.pk])
    data = {**form_data(purpose="eerste"), "coach": alice.pk, "version": appointment.version}
    assert alice_client.post(url, data).status_code == 302
    # A second tab still holding the old version gets the conflict page, nothing written.
    response = alice_client.post(url, {**data, "purpose": "tweede"})
    assert response.status_code == 409
    appointment.refresh_from_db()
    assert appointment.purpose == "eerste"


def test_cancel_asks_first_then_cancels(family, alice, alice_client):
    appointment = plan(family, alice)
    url = reverse("cases:appointment_cancel", args=[family.pk, appointment.pk])
    response = alice_client.get(url)
    assert "Wilt u de afspraak" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PLANNED
    alice_client.post(url)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_one_tap_turns_a_visit_into_a_contact(family, alice, alice_client):
    member = family.members.first()
    appointment = plan(family, alice, days=0, members=[member])
    url = reverse("cases:appointment_log", args=[family.pk, appointment.pk])
    form = alice_client.get(url).context["form"]
    assert form.initial["date"] == TODAY()
    assert form.initial["minutes"] == 90
    assert form.initial["kind"] == ContactKind.HOME_VISIT
    assert form.initial["members_present"] == [member]
    response = alice_client.post(
        url,
        {
            "date": TODAY().isoformat(),
            "minutes": 90,
            "kind": ContactKind.HOME_VISIT,
            "members_present": [member.pk],
            "domains": ["child"],
            "note": "Goed gesprek",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    appointment.refresh_from_db()
    assert appointment.contact == contact
    assert appointment.status == AppointmentStatus.DONE
    assert contact.minutes == 90 and contact.note == "Goed gesprek"
    # A second tab cannot log it twice.
    again = alice_client.post(url, {"date": TODAY().isoformat(), "minutes": 90, "kind": "phone"})
    assert again.status_code == 302
    assert Contact.objects.count() == 1


def test_logging_twice_in_the_service_is_refused(family, alice):
    appointment = plan(family, alice, days=0)
    data = {"date": TODAY(), "minutes": 60, "kind": ContactKind.HOME_VISIT}
    services.appointment_log_contact(appointment=appointment, author=alice, **data)
    with pytest.raises(services.AlreadyLogged):
        services.appointment_log_contact(appointment=appointment, author=alice, **data)
    assert Contact.objects.count() == 1


def test_a_visit_at_the_office_is_logged_as_an_office_contact(family, alice):
    appointment = plan(family, alice, place="office")
    assert services.contact_initial(appointment)["kind"] == ContactKind.OFFICE


def test_a_case_review_is_marked_held_not_logged_as_contact(family, alice, alice_client):
    appointment = plan(family, alice, days=0, kind=AppointmentKind.CASE_REVIEW)
    log = alice_client.get(reverse("cases:appointment_log", args=[family.pk, appointment.pk]))
    assert log.status_code == 302
    alice_client.post(reverse("cases:appointment_held", args=[family.pk, appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    assert not Contact.objects.exists()


def test_missed_appointment_shows_for_its_coach(family, alice, alice_client):
    appointment = plan(family, alice, days=3)
    Appointment.objects.filter(pk=appointment.pk).update(date=TODAY() - datetime.timedelta(days=2))
    response = alice_client.get(reverse("cases:agenda"))
    assert [a.pk for a in response.context["missed"]] == [appointment.pk]
    assert "Voorbij, nog niet vastgelegd" in response.content.decode()
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "Voorbij, nog niet vastgelegd" in page


def test_agenda_shows_the_week_and_logs_the_families(family, alice, alice_client, bob_client):
    plan(family, alice, days=0)
    response = alice_client.get(reverse("cases:agenda"))
    assert response.status_code == 200
    assert family.display_name in response.content.decode()
    assert AccessLog.objects.filter(
        family_id_ref=family.pk, object="agenda", outcome=AccessOutcome.ALLOWED
    ).exists()
    # Bob's own agenda does not hold Alice's appointments.
    assert family.display_name not in bob_client.get(reverse("cases:agenda")).content.decode()


def test_expected_colleague_sees_it_in_their_agenda(family, alice, bob, bob_client):
    plan(family, alice, days=0, colleagues=[bob])
    assert family.display_name in bob_client.get(reverse("cases:agenda")).content.decode()


def test_team_agenda_is_for_psychologist_and_coordinator(
    family, team, alice, psychologist_client, coordinator_client, bob_client, charlie_client
):
    plan(family, alice, days=0)
    url = reverse("cases:agenda") + f"?team={team.pk}"
    for client in (psychologist_client, coordinator_client):
        assert family.display_name in client.get(url).content.decode()
        one_coach = client.get(url + f"&coach={alice.pk}")
        assert family.display_name in one_coach.content.decode()
    assert bob_client.get(url).status_code == 403
    assert charlie_client.get(url).status_code == 403


def test_feed_lists_case_numbers_without_names(family, alice, alice_client, client):
    member = family.members.first()
    plan(family, alice, members=[member], purpose="praten met Naomi")
    alice_client.post(reverse("cases:calendar_feed_create"))
    page = alice_client.get(reverse("cases:agenda"))
    feed_url = page.context["feed_url"]
    assert feed_url
    # Shown once only.
    assert not alice_client.get(reverse("cases:agenda")).context["feed_url"]
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert family.case_number in str(events[0]["summary"])
    for name in ("Jansen", "Naomi", "Noah", family.display_name, alice.last_name):
        assert name not in body
    assert AccessLog.objects.filter(
        family_id_ref=family.pk, object="agenda-abonnement", username=alice.username
    ).exists()
    # The token never reaches the access log.
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert not AccessLog.objects.filter(path__contains=token).exists()


def test_revoked_or_replaced_token_answers_404(alice, alice_client, client):
    alice_client.post(reverse("cases:calendar_feed_create"))
    first = alice_client.get(reverse("cases:agenda")).context["feed_url"]
    assert client.get(first).status_code == 200
    alice_client.post(reverse("cases:calendar_feed_create"))
    second = alice_client.get(reverse("cases:agenda")).context["feed_url"]
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    alice_client.post(reverse("cases:calendar_feed_revoke"))
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.get("/agenda/feed/guess.ics").status_code == 404


def test_feed_of_a_deactivated_user_answers_404(alice, alice_client, client):
    alice_client.post(reverse("cases:calendar_feed_create"))
    url = alice_client.get(reverse("cases:agenda")).context["feed_url"]
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_feed_pages_need_post_and_login(alice_client, client):
    assert alice_client.get(reverse("cases:calendar_feed_create")).status_code == 405
    assert alice_client.get(reverse("cases:calendar_feed_revoke")).status_code == 405
    assert client.post(reverse("cases:calendar_feed_create")).status_code == 302
    assert client.get(reverse("cases:agenda")).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_network_members_are_expected_and_the_meeting_is_recorded_from_the_plan(
    family, alice, alice_client
):
    from network.models import NetworkMeeting, NetworkMember

    grandma = NetworkMember.objects.create(
        family=family, name="Oma Ria", relation="oma", circle="family"
    )
    other_family_member = NetworkMember.objects.create(
        family=FamilyFactory(team=family.team), name="Buurman", relation="buur", circle="family"
    )
    url = reverse("cases:appointment_create", args=[family.pk])
    data = {**form_data(kind=AppointmentKind.NETWORK_MEETING), "coach": alice.pk}
    refused = alice_client.post(url, {**data, "network_members_expected": [other_family_member.pk]})
    assert "network_members_expected" in refused.context["form"].errors
    assert not Appointment.objects.exists()
    alice_client.post(url, {**data, "network_members_expected": [grandma.pk]})
    appointment = Appointment.objects.get()
    assert list(appointment.network_members_expected.all()) == [grandma]
    agenda_page = alice_client.get(reverse("cases:family_agenda", args=[family.pk]))
    assert "Oma Ria" in agenda_page.content.decode()

    # Held today: the family's agenda links to recording the meeting, which starts from it.
    Appointment.objects.filter(pk=appointment.pk).update(date=TODAY())
    page = alice_client.get(reverse("cases:family_agenda", args=[family.pk])).content.decode()
    record = reverse("network:meeting_create", args=[family.pk]) + f"?appointment={appointment.pk}"
    assert record in page
    form = alice_client.get(record).context["form"]
    assert form.initial["date"] == TODAY()
    assert form.initial["network_members"] == [grandma]
    response = alice_client.post(
        record,
        {"kind": "netwerkberaad", "date": TODAY().isoformat(), "network_members": [grandma.pk]},
    )
    assert response.status_code == 302
    assert NetworkMeeting.objects.filter(family=family).count() == 1
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE


def test_a_planned_case_review_is_recorded_from_the_plan(family, alice, psychologist, alice_client):
    from reports.models import CaseReview

    appointment = plan(
        family, alice, days=0, kind=AppointmentKind.CASE_REVIEW, colleagues=[psychologist]
    )
    record = (
        reverse("reports:case_review_create", args=[family.pk]) + f"?appointment={appointment.pk}"
    )
    form = alice_client.get(record).context["form"]
    assert form.initial["participants"] == [alice, psychologist]
    # Another family's appointment id is ignored: the page starts empty.
    other = plan(FamilyFactory(team=family.team, coach=alice), alice, days=0, kind="case_review")
    stray = reverse("reports:case_review_create", args=[family.pk]) + f"?appointment={other.pk}"
    assert not alice_client.get(stray).context["form"].initial
    response = alice_client.post(
        record, {"date": TODAY().isoformat(), "participants": [alice.pk], "notes": "Besproken"}
    )
    assert response.status_code == 302
    assert CaseReview.objects.filter(family=family).exists()
    appointment.refresh_from_db()
    other.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    assert other.status == AppointmentStatus.PLANNED


def test_feed_drops_a_team_the_user_left(family, alice, alice_client, client):
    from cases.models import Membership

    plan(family, alice)
    alice_client.post(reverse("cases:calendar_feed_create"))
    url = alice_client.get(reverse("cases:agenda")).context["feed_url"]
    assert family.case_number in client.get(url).content.decode()
    Membership.objects.filter(user=alice).delete()
    assert family.case_number not in client.get(url).content.decode()
