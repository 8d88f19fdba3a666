"""The reminder job reminds of what settings.REMINDER_SOURCES lists, phases' own and others'."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import Family
from phases.models import Reminder, ReminderKind
from phases.reminders import Due, reminders_run
from reports.models import CaseReview

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def one_due_per_active_family(today: datetime.date) -> list[Due]:
    """A source as another app would write one."""
    return [
        Due(
            family_id=family.pk,
            kind=ReminderKind.NO_CONTACT,
            subject=f"test:{family.pk}",
            due_on=today,
            coach_id=family.coach_id,
            team_id=family.team_id,
        )
        for family in Family.objects.all()
    ]


def test_a_configured_source_makes_reminders(family, alice, settings):
    settings.REMINDER_SOURCES = ["tests.phases.test_reminder_sources.one_due_per_active_family"]
    assert reminders_run(today=TODAY, send_email=False) == 1
    reminder = Reminder.objects.get()
    assert (reminder.recipient, reminder.subject) == (alice, f"test:{family.pk}")


def test_a_source_left_out_makes_none(family, alice, psychologist, settings):
    CaseReview.objects.create(
        family=family,
        date=TODAY - datetime.timedelta(days=30),
        next_review_on=TODAY + datetime.timedelta(days=1),
        created_by=psychologist,
    )
    settings.REMINDER_SOURCES = [
        path for path in settings.REMINDER_SOURCES if path != "reports.reviews.case_review_dues"
    ]
    reminders_run(today=TODAY, send_email=False)
    assert not Reminder.objects.filter(kind=ReminderKind.CASE_REVIEW_DUE).exists()
