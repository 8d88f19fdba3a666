"""The personal calendar feed (iCalendar, RFC 5545) for a coach's phone.

It holds what an appointment is and when, by case number and kind only: never a family's
or person's name, nor the purpose (typed text that may hold one). The calendar apps of
phones keep what they fetch, outside this system's care.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone, translation

from cases.models import Appointment, AppointmentStatus, Membership

PRODID = "-//FamilieKracht//Agenda//NL"
# How far back and ahead the feed reaches: enough for the phone's week and month views.
FEED_DAYS_BACK = 31
FEED_DAYS_AHEAD = 183


def feed_appointments(user) -> list[Appointment]:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return list(
        Appointment.objects.for_user(user)
        .filter(
            # Someone who left a team no longer gets that team's appointments.
            family__team__in=Membership.objects.filter(user=user).values("team_id"),
            date__gte=today - datetime.timedelta(days=FEED_DAYS_BACK),
            date__lte=today + datetime.timedelta(days=FEED_DAYS_AHEAD),
        )
        .select_related("family")
        .order_by("date", "starts_at", "pk")
    )


def feed_calendar(appointments: Iterable[Appointment], *, language: str) -> bytes:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "FamilieKracht")
    stamp = timezone.now()
    with translation.override(language):
        for appointment in appointments:
            event = icalendar.Event()
            event.add("uid", f"appointment-{appointment.pk}@familiekracht")
            event.add("dtstamp", stamp)
            event.add(
                "dtstart", datetime.datetime.combine(appointment.date, appointment.starts_at, zone)
            )
            event.add(
                "dtend", datetime.datetime.combine(appointment.date, appointment.ends_at, zone)
            )
            event.add(
                "summary",
                f"{appointment.get_kind_display()} · {appointment.family.case_number}",
            )
            event.add("location", str(appointment.get_place_display()))
            event.add(
                "status",
                "CANCELLED" if appointment.status == AppointmentStatus.CANCELLED else "CONFIRMED",
            )
            event.add("sequence", appointment.version)
            calendar.add_component(event)
    return calendar.to_ical()
