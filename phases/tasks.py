from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from phases.reminders import reminders_run


@shared_task(
    name="phases.run_reminders",
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_kwargs={"max_retries": 3},
)
def run_reminders() -> int:
    """Daily at 07:00 (CELERY_BEAT_SCHEDULE). Safe to run twice: reminders are unique."""
    return reminders_run()
