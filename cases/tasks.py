"""Background tasks of cases: thin wrappers that call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError

from cases.integrity import access_log_verify_run

logger = logging.getLogger(__name__)


@shared_task(
    name="cases.verify_access_log",
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_kwargs={"max_retries": 3},
)
def verify_access_log() -> bool:
    """Daily (CELERY_BEAT_SCHEDULE). Safe to run twice: a checkpoint is written once per row."""
    return access_log_verify_run().ok


@shared_task(name="cases.sweep_tasks")
def sweep_tasks() -> dict[str, int]:
    """Every minute (CELERY_BEAT_SCHEDULE): requests whose worker died are sent again or
    marked failed (cases.taskstate). Safe to run twice: it only touches stale requests."""
    from cases.taskstate import tasks_sweep

    result = tasks_sweep()
    return {"resent": result.resent, "failed": result.failed}


@shared_task(
    bind=True,
    name="cases.build_records_export",
    # Acknowledge after the work, and put the message back if the worker dies mid-build;
    # the service is idempotent, so running it again is safe (cases.taskstate sweeps the rest).
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=2,
)
def build_records_export(self, export_id: int) -> str | None:  # type: ignore[no-untyped-def]
    from cases.records import exports

    try:
        export = exports.records_export_build(export_id=export_id)
    except Exception as exc:
        # In-process (no REDIS_URL) a retry would block the request: one attempt there.
        final = self.request.is_eager or self.request.retries >= self.max_retries
        exports.records_export_failed(export_id=export_id, error=repr(exc), final=final)
        if final:
            logger.exception("Records export %s failed", export_id)
            return None
        raise
    return export.state if export else None
