"""Background tasks of cases: thin wrappers that call a service."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from cases.integrity import access_log_verify_run


@shared_task(
    name="cases.verify_access_log",
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_kwargs={"max_retries": 3},
)
def verify_access_log() -> bool:
    """Daily (CELERY_BEAT_SCHEDULE). Safe to run twice: a checkpoint is written once per row."""
    return access_log_verify_run().ok
