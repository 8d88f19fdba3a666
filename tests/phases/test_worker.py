"""The reminder task on a real Celery worker against Redis (CI sets REDIS_URL)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from phases.models import Reminder
from phases.tasks import run_reminders
from tests.phases.helpers import open_phase


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.REDIS_URL, reason="REDIS_URL is not set: no Redis broker for a real worker"
)
def test_reminder_task_runs_on_a_real_worker(family, alice):
    from celery.contrib.testing.worker import start_worker

    from familiekracht.celery import app as celery_app

    assert not celery_app.conf.task_always_eager
    open_phase(
        family,
        kind="start",
        started_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10):
        created = run_reminders.delay().get(timeout=30)
        assert created == Reminder.objects.count() > 0
        assert run_reminders.delay().get(timeout=30) == 0
    assert set(Reminder.objects.values_list("kind", flat=True)) == {
        "phase_overdue",
        "no_contact",
    }
