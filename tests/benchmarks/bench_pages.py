"""Every first page at 1,000 and 10,000 active families: time, size of the HTML and queries.

The demo data (`seed_demo`) is topped up until the Zuidoost team has SIZES[0], then SIZES[-1]
active families (common.seed_to, then VACUUM and ANALYZE). Each page is requested in-process
with Django's test client as the user who opens it (a warm-up, then the median of its timed
requests) and its response size and query count are read from one more request.

On PostgreSQL the database at the smaller size is kept as a copy (CREATE DATABASE … TEMPLATE,
Django's clone of a test database) before it is topped up, and each page is then timed at
both sizes in turns (TURNS turns of a warm-up and a few timed requests each): a machine whose
speed drifts over the minutes of the run (a shared host, a background job) slows both sizes
alike instead of the one that happens to be measured second. Elsewhere the sizes are
measured one after the other.
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

from tests.benchmarks.common import QUICK, REPEATS, SIZES, seed_to

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


# Turns per page and size, each of REPEATS // TURNS timed requests (9 in all; 3 for
# bench-quick) after a warm-up of as many requests as psycopg runs a query before it
# prepares it (settings.PREPARE_THRESHOLD): a turn starts on a new connection, and the
# timed requests run as prepared statements, as on a production connection.
TURNS = 1 if QUICK else 3


def _use(database: str) -> None:
    """Point the default connection at one of the benchmark's databases."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = database


def _measure(
    clients: dict,  # type: ignore[type-arg]
    databases: dict[int, str],
    report: Report,
) -> None:
    """Every page at every size: `databases` maps a size to the database that holds it."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    family_ids = {}
    for size, database in databases.items():
        _use(database)
        family_ids[size] = _typical_family()
    per_turn = max(1, REPEATS // TURNS)
    warm_up = settings.PREPARE_THRESHOLD
    for figure, username, path in PAGES:
        timings: dict[int, list[float]] = {size: [] for size in databases}
        for turn in range(TURNS):
            # Alternate which size goes first, so neither always follows the other.
            sizes = list(databases) if turn % 2 == 0 else list(databases)[::-1]
            for size in sizes:
                _use(databases[size])
                url = f"/families/{family_ids[size]}/" if path == "family" else path
                client = clients[size, username]
                for _ in range(warm_up):
                    response = client.get(url, secure=True)
                    assert response.status_code == 200, (url, response.status_code)
                for _ in range(per_turn):
                    start = time.perf_counter()
                    client.get(url, secure=True)
                    timings[size].append(time.perf_counter() - start)
        for size, database in databases.items():
            _use(database)
            url = f"/families/{family_ids[size]}/" if path == "family" else path
            with CaptureQueriesContext(connection) as queries:
                response = clients[size, username].get(url, secure=True)
            body = b"".join(response) if response.streaming else response.content
            report(
                f"{figure}: time",
                statistics.median(timings[size]) * 1000,
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


def _log_in(clients: dict, size: int) -> None:  # type: ignore[type-arg]
    """A logged-in client per user in the database of this size (sessions live there)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    for username in {user for _figure, user, _path in PAGES}:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        clients[size, username] = client


def _seed(size: int, report: Report) -> None:
    from reports.teamreport import refresh_all_team_reports

    start = time.perf_counter()
    active = seed_to(size)
    report(f"pages: seed to {size:,} active families", time.perf_counter() - start, "s", "-")
    print(f"  ({active:,} active families in the team)", flush=True)
    start = time.perf_counter()
    refresh_all_team_reports()
    report("team report: refresh job", time.perf_counter() - start, "s", "-", size=size)


def main(report: Report) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The pages are timed, not the log-in: no second factor for the benchmark's clients.
    with override_settings(STORAGES=storages, OTP_REQUIRED=False):
        clients: dict[tuple[int, str], object] = {}
        if connection.vendor != "postgresql":
            for size in SIZES:
                _seed(size, report)
                _log_in(clients, size)
                _measure(clients, {size: connection.settings_dict["NAME"]}, report)
            return
        database = connection.settings_dict["NAME"]
        databases: dict[int, str] = {}
        try:
            for size in SIZES:
                _seed(size, report)
                _log_in(clients, size)
                if size == SIZES[-1]:
                    databases[size] = database
                else:
                    # A template must have no other sessions.
                    connection.close()
                    connection.creation.clone_test_db(suffix=str(size), verbosity=0)
                    copy = connection.creation.get_test_db_clone_settings(str(size))
                    databases[size] = copy["NAME"]
            _measure(clients, databases, report)
        finally:
            for size in databases:
                if size != SIZES[-1]:
                    connection.creation.destroy_test_db(
                        old_database_name=database, verbosity=0, suffix=str(size)
                    )
            _use(database)
