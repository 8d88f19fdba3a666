"""A real Celery worker on Redis renders one plan (CI sets REDIS_URL; `.ci/run`)."""

from __future__ import annotations

import io
import os
import time

import pypdf
import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.storage import default_storage

import reports.tasks  # noqa: F401 - registers the task with the app before the worker starts
from familiekracht.celery import app
from reports import services
from reports.models import ExportState, PlanPdf

WAIT_SECONDS = 60


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_one_plan(family, plan, alice):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no Redis broker for a real Celery worker")
    assert not app.conf.task_always_eager, "this test needs a real broker, not eager tasks"
    app.control.purge()  # our own Redis db: drop leftovers of an interrupted run
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        # Committed at once (transactional test): on_commit sends the task to Redis.
        export = services.plan_pdf_request(family=family, plan=plan, by=alice)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.state in (ExportState.DONE, ExportState.FAILED):
                break
            time.sleep(0.2)
    export = PlanPdf.objects.get(pk=export.pk)
    assert export.state == ExportState.DONE, (export.state, export.error)
    with default_storage.open(services.export_name(export)) as handle:
        data = handle.read()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Gezinsplan" in text and "Gezin Jansen" in text
