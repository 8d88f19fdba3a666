"""No state that can hang: the sweep over every task-backed request (a PDF, an export).

Celery already puts a task back when the worker's child process dies mid-task
(`acks_late` + `reject_on_worker_lost`), and Redis hands an unacknowledged message to
another worker after the `visibility_timeout`. What neither covers within minutes: the
whole worker killed (deploy, out of memory), a message lost with Redis, a task that
crashes before it records anything. The sweep does: every minute (CELERY_BEAT_SCHEDULE,
`manage.py sweep_tasks`) it finds requests queued or running longer than
TASK_STALE_SECONDS and sends their task again, or, after TASK_MAX_ATTEMPTS, marks them
failed with a Dutch sentence; the page then offers "Opnieuw proberen".

The models are listed in settings.TASK_STATE_MODELS (cases knows none of the apps above
it). Each has `state`, `state_changed_at`, `attempts`, `error`, `finished_at` and a
`task_path` (the dotted path of a task that takes the request's id). Sending a task twice
is safe: every such task leaves a finished request alone.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cases.models import TaskState

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    resent: int = 0
    failed: int = 0


def task_state_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in settings.TASK_STATE_MODELS]


def stale_limit() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_STALE_SECONDS)


def max_attempts() -> int:
    return int(settings.TASK_MAX_ATTEMPTS)


def send(model: type[models.Model], pk: int) -> None:
    """Send the model's task for this request once the surrounding transaction commits
    (in-process when there is no broker: `make run`, tests)."""
    task = import_string(model.task_path)  # type: ignore[attr-defined]
    transaction.on_commit(lambda: task.delay(pk))


def tasks_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Send again, or mark failed, every request stuck in "queued" or "running"."""
    now = now or timezone.now()
    cutoff = now - stale_limit()
    result = SweepResult()
    for model in task_state_models():
        manager = model._default_manager  # type: ignore[attr-defined]
        with transaction.atomic():
            stale = list(
                manager.select_for_update(skip_locked=True)
                .filter(
                    state__in=[TaskState.QUEUED, TaskState.RUNNING], state_changed_at__lt=cutoff
                )
                .order_by("pk")
                .values_list("pk", "state", "attempts")
            )
            give_up = [pk for pk, _state, attempts in stale if attempts >= max_attempts()]
            again = [pk for pk, _state, attempts in stale if attempts < max_attempts()]
            if give_up:
                manager.filter(pk__in=give_up).update(
                    state=TaskState.FAILED,
                    state_changed_at=now,
                    error="stale: no worker finished it in time (cases.taskstate)",
                    finished_at=now,
                )
            if again:
                # A queued request that was never picked up counts as an attempt too, so a
                # lost message cannot be sent again for ever.
                queued = [pk for pk, state, _a in stale if pk in again and state == "queued"]
                manager.filter(pk__in=queued).update(attempts=models.F("attempts") + 1)
                manager.filter(pk__in=again).update(state=TaskState.QUEUED, state_changed_at=now)
                for pk in again:
                    send(model, pk)
        for pk in give_up:
            logger.warning("%s %s stopped after its attempts; marked failed", model.__name__, pk)
        result.resent += len(again)
        result.failed += len(give_up)
    return result
