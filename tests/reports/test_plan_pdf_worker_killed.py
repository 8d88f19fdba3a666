"""A real Celery worker killed (SIGKILL) in the middle of a plan PDF render: the request
ends done or failed within the sweep's limit, never "running" for good (cases.taskstate).
Needs Redis (REDIS_URL, as in CI); the worker runs as a process of its own."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

import reports.tasks  # noqa: F401 - registers the task before anything is sent
from cases.taskstate import tasks_sweep
from familiekracht.celery import app
from reports import services
from reports.models import ExportState, PlanPdf

WORKER = Path(__file__).with_name("slow_worker.py")
STALE_SECONDS = 3


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(marker: Path, media: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(media),
    }
    return subprocess.Popen(  # noqa: S603 - this repository's own script
        [sys.executable, str(WORKER), str(marker)],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill takes the pool too
    )


def _kill(worker: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def _wait_for(export: PlanPdf, states: set[str], seconds: float, sweep: bool = False) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if sweep:
            tasks_sweep()  # what beat does every minute, here every half second
        export.refresh_from_db()
        if export.state in states:
            break
        time.sleep(0.5)
    return export.state


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_render_ends_done_within_the_sweep_limit(
    family, plan, alice, settings, tmp_path
):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs Redis (REDIS_URL) and PostgreSQL: a worker in its own process")
    assert not app.conf.task_always_eager
    settings.MEDIA_ROOT = media = tmp_path / "media"
    settings.TASK_STALE_SECONDS = STALE_SECONDS
    app.control.purge()  # our own Redis db: drop leftovers of an interrupted run
    marker, log = tmp_path / "slow", tmp_path / "worker.log"
    marker.touch()
    worker = _start_worker(marker, media, log)
    try:
        export = services.plan_pdf_request(family=family, plan=plan, by=alice)
        state = _wait_for(export, {ExportState.RUNNING}, 30)
        assert state == ExportState.RUNNING, log.read_text()
        _kill(worker)  # deploy, out of memory: the whole worker, pool and all
        time.sleep(1)
        export.refresh_from_db()
        assert export.state == ExportState.RUNNING  # nothing else will ever move it
        marker.unlink()
        worker = _start_worker(marker, media, log)
        # Within the sweep's limit, plus what a worker start and a render take.
        state = _wait_for(
            export, {ExportState.DONE, ExportState.FAILED}, STALE_SECONDS + 30, sweep=True
        )
    finally:
        _kill(worker)
    assert state == ExportState.DONE, (state, export.error, log.read_text())
    # The killed render, and the sweep's (a sweep while the new worker starts may add one).
    assert 2 <= export.attempts <= 3


def _pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in children.read_text().split()] if children.exists() else []


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_pool_process_killed_mid_render_is_redelivered_by_celery(
    family, plan, alice, settings, tmp_path
):
    """Only the pool's child dies (out of memory): Celery itself puts the task back
    (acks_late + reject_on_worker_lost), no sweep needed."""
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs Redis (REDIS_URL) and PostgreSQL: a worker in its own process")
    if not Path("/proc/self/task").exists():
        pytest.skip("needs /proc to find the worker's pool process")
    settings.MEDIA_ROOT = media = tmp_path / "media"
    app.control.purge()
    marker, log = tmp_path / "slow", tmp_path / "worker.log"
    marker.touch()
    worker = _start_worker(marker, media, log)
    try:
        export = services.plan_pdf_request(family=family, plan=plan, by=alice)
        assert _wait_for(export, {ExportState.RUNNING}, 30) == ExportState.RUNNING, log.read_text()
        children = _pool_children(worker.pid)
        assert children, log.read_text()
        marker.unlink()  # the redelivered render goes straight through
        for child in children:
            os.kill(child, signal.SIGKILL)
        state = _wait_for(export, {ExportState.DONE, ExportState.FAILED}, 30)
    finally:
        _kill(worker)
    assert state == ExportState.DONE, (state, export.error, log.read_text())
    assert export.attempts == 2
