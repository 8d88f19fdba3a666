"""The sweep over task-backed requests (cases.taskstate): nothing stays queued or running."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cases.models import RecordsExport, TaskState
from cases.taskstate import tasks_sweep
from reports.models import PlanPdf
from tests.cases.plan_factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _stale(model, pk: int, *, state: str, attempts: int, seconds: int = 0) -> None:  # type: ignore[no-untyped-def]
    age = datetime.timedelta(seconds=(seconds or settings.TASK_STALE_SECONDS) + 1)
    model.objects.filter(pk=pk).update(
        state=state, attempts=attempts, state_changed_at=timezone.now() - age
    )


@pytest.fixture
def plan_pdf(family, alice):  # type: ignore[no-untyped-def]
    plan = PlanFactory(family=family, number=1, created_by=alice)
    return PlanPdf.objects.create(family=family, plan=plan, plan_number=1, requested_by=alice)


@pytest.fixture
def records_export(family, coordinator):  # type: ignore[no-untyped-def]
    return RecordsExport.objects.create(family=family, requested_by=coordinator, format="json")


def test_a_running_request_whose_worker_died_is_sent_again_and_finishes(
    plan_pdf, records_export, django_capture_on_commit_callbacks
):
    _stale(PlanPdf, plan_pdf.pk, state=TaskState.RUNNING, attempts=1)
    _stale(RecordsExport, records_export.pk, state=TaskState.RUNNING, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks_sweep()
    assert (result.resent, result.failed) == (2, 0)
    plan_pdf.refresh_from_db()
    records_export.refresh_from_db()
    # In-process here: the task ran again at once, as a worker would.
    assert plan_pdf.state == records_export.state == TaskState.DONE
    assert plan_pdf.attempts == records_export.attempts == 2


def test_after_its_attempts_a_stale_request_is_marked_failed(
    plan_pdf, records_export, family, coordinator_client, django_capture_on_commit_callbacks
):
    _stale(PlanPdf, plan_pdf.pk, state=TaskState.RUNNING, attempts=settings.TASK_MAX_ATTEMPTS)
    _stale(RecordsExport, records_export.pk, state=TaskState.QUEUED, attempts=3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = tasks_sweep()
    assert (result.resent, result.failed, len(callbacks)) == (0, 2, 0)
    for obj in (plan_pdf, records_export):
        obj.refresh_from_db()
        assert obj.state == TaskState.FAILED and obj.finished_at is not None
    from django.urls import reverse

    html = coordinator_client.get(
        reverse("cases:records_export_json", args=[family.pk])
    ).content.decode()
    assert "Het maken is niet gelukt" in html and "Opnieuw proberen" in html


def test_a_queued_request_never_picked_up_counts_an_attempt_each_sweep(
    records_export, django_capture_on_commit_callbacks
):
    _stale(RecordsExport, records_export.pk, state=TaskState.QUEUED, attempts=0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks_sweep().resent == 1
    assert len(callbacks) == 1  # the task is sent after the sweep's commit
    records_export.refresh_from_db()
    assert (records_export.state, records_export.attempts) == (TaskState.QUEUED, 1)
    # Sent just now: the next sweep leaves it alone until the limit has passed again.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks_sweep().resent == 0
    assert callbacks == []


def test_fresh_and_finished_requests_are_left_alone(plan_pdf, records_export):
    PlanPdf.objects.filter(pk=plan_pdf.pk).update(state=TaskState.RUNNING, attempts=1)
    _stale(RecordsExport, records_export.pk, state=TaskState.DONE, attempts=1)
    result = tasks_sweep()
    assert (result.resent, result.failed) == (0, 0)
    plan_pdf.refresh_from_db()
    assert plan_pdf.state == TaskState.RUNNING


def test_the_sweep_is_in_the_beat_schedule_and_has_a_command(records_export):
    entry = settings.CELERY_BEAT_SCHEDULE["task-states-sweep"]
    assert entry["task"] == "cases.sweep_tasks"
    assert entry["schedule"] <= settings.TASK_STALE_SECONDS
    _stale(RecordsExport, records_export.pk, state=TaskState.RUNNING, attempts=9)
    out = io.StringIO()
    call_command("sweep_tasks", stdout=out)
    assert "0 opnieuw verstuurd, 1 als mislukt gemarkeerd" in out.getvalue()
    from cases.tasks import sweep_tasks

    assert sweep_tasks.delay().get() == {"resent": 0, "failed": 0}
