"""The daily reminder job at 50,000 active families: the first run of the day and a run
that creates nothing (targets: under 10 s and under 2 s, the same number of queries)."""

from __future__ import annotations

import time
from collections.abc import Callable

BASELINE = False  # sizes itself: 50,000 families, no demo data needed
FAMILIES = 50_000


def main(report: Callable[[str, float, str, str], None]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from phases.models import Reminder
    from phases.reminders import reminders_run
    from tests.benchmarks import bench_phases

    today = timezone.localdate()
    started = time.perf_counter()
    bench_phases.FAMILIES = FAMILIES
    bench_phases._populate(today)
    report(f"reminders: seed {FAMILIES:,} active families", time.perf_counter() - started, "s", "-")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        with CaptureQueriesContext(connection) as first_queries:
            started = time.perf_counter()
            created = reminders_run(today=today)
            first = time.perf_counter() - started
        with CaptureQueriesContext(connection) as again_queries:
            started = time.perf_counter()
            again = reminders_run(today=today)
            second = time.perf_counter() - started
    report(f"reminder job at {FAMILIES:,}: first run of the day", first, "s", "< 10 s")
    report(f"reminder job at {FAMILIES:,}: reminders created", created, "reminders", "-")
    report(f"reminder job at {FAMILIES:,}: run that creates nothing", second, "s", "< 2 s")
    report(
        f"reminder job at {FAMILIES:,}: queries (first run / second run)",
        f"{len(first_queries)} / {len(again_queries)}",  # type: ignore[arg-type]
        "queries",
        "equal, fixed",
    )
    assert again == 0 and Reminder.objects.count() == created
