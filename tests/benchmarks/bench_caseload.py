"""Server time of the team caseload (/caseload/) at about 100 and about 1,000 active families.

The demo data (`seed_demo --families N`) is loaded into the throw-away benchmark database,
topped up until the Zuidoost team has at least 100, then at least 1,000 active families (and
ANALYZEd). The page is requested in-process with Django's test client as the team
psychologist: one warm-up, then the median of 11 requests. Targets: under 300 ms at
1,000 active families and at most 1.5 × the time at 100; the query count is the same at both
sizes.
"""

from __future__ import annotations

import io
import math
import statistics
import time
from collections.abc import Callable

# This benchmark sets the database size itself (about 100, then about 1,000 families).
BASELINE = False
Report = Callable[[str, float, str, str], None]
ACTIVE_SHARE = 0.7  # about this share of demo load families is active
# Requests timed per size; the median of 11 keeps a busy machine's outliers out.
REQUESTS = 11


def _active() -> int:
    from cases.models import Family, FamilyStatus

    return Family.objects.filter(
        team__name="Amsterdam Zuidoost", status=FamilyStatus.ACTIVE
    ).count()


def _top_up(target: int) -> int:
    from django.core.management import call_command
    from django.db import connection

    while (active := _active()) < target:
        extra = max(10, math.ceil((target - active) / ACTIVE_SHARE))
        call_command("seed_demo", "--families", str(extra), verbosity=0, stdout=io.StringIO())
    # Planner statistics as a live database has them (autovacuum would run ANALYZE soon
    # after a bulk load); without them PostgreSQL guesses one row per table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return active


def _time_page(client, report: Report, label: str) -> float:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get("/caseload/", secure=True)  # warm-up
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get("/caseload/", secure=True)
        timings.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        client.get("/caseload/", secure=True)
    median = statistics.median(timings) * 1000
    report(f"caseload: /caseload/ at {label}", median, "ms", "< 300 ms at 1,000")
    report(f"caseload: queries at {label}", len(queries.captured_queries), "queries", "fixed")
    return median


def main(report: Report) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The page is timed, not the log-in: no second factor for the benchmark's client.
    with override_settings(STORAGES=storages, OTP_REQUIRED=False):
        start = time.perf_counter()
        small_count = _top_up(100)
        report("caseload: seed to 100+ active families", time.perf_counter() - start, "s", "-")
        client = Client()
        client.force_login(get_user_model().objects.get(username="psycholoog-zuidoost"))
        small = _time_page(client, report, f"{small_count} active families")

        start = time.perf_counter()
        large_count = _top_up(1000)
        report("caseload: seed to 1,000+ active families", time.perf_counter() - start, "s", "-")
        large = _time_page(client, report, f"{large_count} active families")
        report("caseload: time at 1,000 / time at 100", large / small, "×", "≤ 1.5")
