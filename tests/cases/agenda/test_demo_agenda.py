"""The demo data shows every state of the agenda, tasks and documents."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from cases.documents.content import sniff
from cases.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Document,
    DocumentVersion,
    Family,
    FamilyStatus,
    Task,
    TaskSource,
)

pytestmark = pytest.mark.django_db


def test_demo_agenda_tasks_and_documents():
    call_command("seed_demo")
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    coaches = {f.coach for f in Family.objects.filter(status=FamilyStatus.ACTIVE)}
    for coach in coaches:
        mine = Appointment.objects.filter(coach=coach)
        for week in (0, 1):
            start = monday + datetime.timedelta(weeks=week)
            assert mine.filter(
                date__gte=start, date__lte=start + datetime.timedelta(days=6)
            ).exists(), (coach.username, week)
        assert Task.objects.filter(owner=coach).overdue().exists(), coach.username
    assert set(Appointment.objects.values_list("status", flat=True)) == set(AppointmentStatus)
    assert set(Appointment.objects.values_list("kind", flat=True)) == set(AppointmentKind)
    assert Appointment.objects.missed().exists()
    assert Appointment.objects.filter(network_members_expected__isnull=False).exists()
    done = Appointment.objects.filter(status=AppointmentStatus.DONE, contact__isnull=False)
    assert done.exists()
    assert set(Task.objects.values_list("source", flat=True)) == set(TaskSource)
    assert Task.objects.filter(done_at__isnull=False).exists()
    for family in Family.objects.filter(status=FamilyStatus.ACTIVE):
        assert Document.objects.filter(family=family).count() >= 2, family.case_number
    assert Document.objects.filter(versions__number=2).exists()
    for version in DocumentVersion.objects.all():
        with default_storage.open(version.stored_name, "rb") as handle:
            assert sniff(handle.read()) == version.content_type
