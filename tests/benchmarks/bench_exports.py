"""The inzage/afschrift of the heavy family (1,500 contacts, 40 network members, 10 plan
versions; `seed_demo --heavy-family`), built as the Celery task builds it: queries, time and
the process's peak memory (target: under 300 MB), JSON and PDF (in volumes)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable

BASELINE = False  # the heavy family alone (and the demo users it belongs to)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main(report: Callable[[str, float, str, str], None]) -> None:
    import tempfile

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from cases.models import RecordsExport
    from cases.records import exports, services
    from familiekracht.demo.heavy import seed_heavy_family

    start = time.perf_counter()
    family = seed_heavy_family()
    report("exports: seed the heavy family", time.perf_counter() - start, "s", "-")
    report(
        "exports: records held on the heavy family",
        len(services.family_records(family)),
        "records",
        "-",
    )
    by = get_user_model().objects.get(username="coordinator-zuidoost")
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        for format, target in (("json", "< 5 s"), ("pdf", "-")):
            export = RecordsExport.objects.create(family=family, requested_by=by, format=format)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                exports.records_export_build(export_id=export.pk)
                seconds = time.perf_counter() - start
            export.refresh_from_db()
            assert export.state == "done", export.error
            label = f"exports: heavy family {format.upper()}"
            report(f"{label}, time", seconds, "s", target)
            report(
                f"{label}, queries",
                len(queries.captured_queries),
                "queries",
                "fixed per model and volume",
            )
            report(f"{label}, files (volumes)", len(export.files), "files", "-")
            report(
                f"{label}, size",
                sum(f["size"] for f in export.files) / 1e6,
                "MB",
                "-",
            )
            report(f"{label}, peak RSS of the process so far", _peak_rss_mb(), "MB", "< 300 MB")
