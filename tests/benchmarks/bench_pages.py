"""Every first page at 1,000 and 10,000 active families: time, size of the HTML and queries.

The demo data (`seed_demo`) is topped up until the Zuidoost team has SIZES[0], then SIZES[-1]
active families (common.seed_to, then ANALYZE). At each size each page is requested
in-process with Django's test client as the user who opens it (one warm-up, then the median
of REPEATS requests) and its response size and query count are read from one more request.
Targets (issue 15): under 300 ms and under 1 MB at 10,000, at most 1.5 x the time at 1,000,
and the same number of queries at both sizes. Before the pages, at each size, the team
report's refresh job (the Celery beat job that computes every team's report snapshot,
reports.teamreport.refresh_all_team_reports) is run once and timed, so the team report's
pages read a snapshot of that size's data.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from tests.benchmarks.common import REPEATS, SIZES, seed_to

# This benchmark sets the database size itself.
BASELINE = False
Report = Callable[..., None]

# (figure, user, path): the landing pages, the caseload's filters and sorts, the coach load,
# the team report with its CSV and print version, and a typical family's page.
PAGES = [
    ("/ landing page, psychologist (team-wide)", "psycholoog-zuidoost", "/"),
    ("/ landing page, coach", "coach-zuidoost", "/"),
    ("/caseload/", "psycholoog-zuidoost", "/caseload/"),
    ("/caseload/?flag=attention", "psycholoog-zuidoost", "/caseload/?flag=attention"),
    ("/caseload/?sort=trend", "psycholoog-zuidoost", "/caseload/?sort=-trend"),
    ("/caseload/?sort=-week&page=3", "psycholoog-zuidoost", "/caseload/?sort=-week&page=3"),
    ("/caseload/coaches/", "psycholoog-zuidoost", "/caseload/coaches/"),
    ("/reports/team/", "coordinator-zuidoost", "/reports/team/"),
    ("/reports/team/csv/", "coordinator-zuidoost", "/reports/team/csv/"),
    ("/reports/team/print/", "coordinator-zuidoost", "/reports/team/print/"),
    ("/families/<id>/ (a demo family)", "coach-zuidoost", "family"),
]


def _typical_family() -> int:
    from cases.models import Family

    return (
        Family.objects.filter(coach__username="coach-zuidoost", case_number__startswith="DEMO")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _measure(clients: dict, size: int, report: Report) -> None:  # type: ignore[type-arg]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    family_id = _typical_family()
    for figure, username, path in PAGES:
        if path == "family":
            path = f"/families/{family_id}/"
        client = clients[username]
        response = client.get(path, secure=True)  # warm-up
        assert response.status_code == 200, (path, response.status_code)
        timings = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            client.get(path, secure=True)
            timings.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True)
        body = b"".join(response) if response.streaming else response.content
        report(
            f"{figure}: time",
            statistics.median(timings) * 1000,
            "ms",
            "< 300 ms; ratio <= 1.5",
            size=size,
        )
        report(f"{figure}: HTML", round(len(body) / 1024, 1), "KB", "< 1,024 KB", size=size)
        report(
            f"{figure}: queries",
            len(queries.captured_queries),
            "queries",
            "the same at both sizes",
            size=size,
        )


def main(report: Report) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from reports.teamreport import refresh_all_team_reports

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The pages are timed, not the log-in: no second factor for the benchmark's clients.
    with override_settings(STORAGES=storages, OTP_REQUIRED=False):
        clients: dict[str, Client] = {}
        for size in SIZES:
            start = time.perf_counter()
            active = seed_to(size)
            seconds = time.perf_counter() - start
            report(f"pages: seed to {size:,} active families", seconds, "s", "-")
            if not clients:
                for username in {user for _figure, user, _path in PAGES}:
                    client = Client()
                    client.force_login(get_user_model().objects.get(username=username))
                    clients[username] = client
            print(f"  ({active:,} active families in the team)", flush=True)
            start = time.perf_counter()
            refresh_all_team_reports()
            report("team report: refresh job", time.perf_counter() - start, "s", "-", size=size)
            _measure(clients, size, report)
