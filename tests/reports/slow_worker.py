"""A real Celery worker for tests/reports/test_plan_pdf_worker_killed.py.

While the file named by argv[1] exists, each plan PDF render waits in the middle (after
the export is marked running) until the file is gone or 60 s have passed, so the test can
kill the worker during a render. Everything else is the project's own worker.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familiekracht.settings")


def main() -> None:
    import django

    django.setup()
    from familiekracht.celery import app
    from reports import pdf

    marker = Path(sys.argv[1])
    real_render = pdf.render_plan_pdf

    def slow_render(plan, **options):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 60
        while marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        return real_render(plan, **options)

    pdf.render_plan_pdf = slow_render  # the pool's children are forked after this
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )


if __name__ == "__main__":
    main()
