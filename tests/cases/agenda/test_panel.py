"""The agenda panel on the family page: the next planned appointments and the last that
passed without a contact, three of each, read in one query."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.agenda import services as agenda_services
from cases.agenda.panels import PANEL_APPOINTMENTS, _coming_and_missed
from cases.models import Appointment, AppointmentStatus

pytestmark = pytest.mark.django_db


def _plan(family, coach, days, hour=9):  # type: ignore[no-untyped-def]
    return agenda_services.appointment_create(
        family=family,
        by=coach,
        kind="home_visit",
        date=timezone.localdate() + datetime.timedelta(days=days),
        starts_at=datetime.time(hour),
        ends_at=datetime.time(hour + 1),
        coach=coach,
    )


def test_soonest_coming_and_latest_missed_three_of_each(family, alice, django_assert_num_queries):
    today = timezone.localdate()
    for days in (9, 1, 0, 4, 2):
        _plan(family, alice, days)
    late = _plan(family, alice, 1, hour=8)  # the same day, earlier: before the other
    for days in (-30, -1, -7, -2, -3):
        _plan(family, alice, days)
    cancelled = _plan(family, alice, -1, hour=14)
    Appointment.objects.filter(pk=cancelled.pk).update(status=AppointmentStatus.CANCELLED)
    with django_assert_num_queries(1):
        coming, missed = _coming_and_missed(family, today)
    assert PANEL_APPOINTMENTS == 3
    assert [(a.date - today).days for a in coming] == [0, 1, 1]
    assert coming[1].pk == late.pk
    assert [(a.date - today).days for a in missed] == [-1, -2, -3]
    assert all(a.status == AppointmentStatus.PLANNED for a in coming + missed)
    assert coming[0].coach == alice  # read with the appointment


def test_nothing_planned_gives_two_empty_lists(family):
    assert _coming_and_missed(family, timezone.localdate()) == ([], [])
