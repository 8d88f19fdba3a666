"""The access log at 2,000,000 rows: its size on disk, what a family page view adds, and the
family pages over it (cases.records.accesslog): the CSV of a family with 100,000 rows (time,
peak memory), the first and the last page of its rows, the grouped overview."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable

BASELINE = False  # sizes itself
ROWS = 2_000_000
HEAVY_EVERY = 20  # every 20th row is the heavy family's: 100,000 rows
LIGHT_EVERY = 200  # every 200th (+1) the light family's: 10,000 rows


def _fill(heavy_id: int, light_id: int, user_id: int) -> None:
    from django.db import connection

    # Straight into the table: the chain's HMAC per row would make the seeding the
    # benchmark. The hashes are 64 hex characters, as real ones are (the bench database is
    # thrown away; its chain is not verified).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_accesslog (at, user_id, username, role, family_id_ref, action,
                object, outcome, path, prev_hash, row_hash)
            SELECT now() - (%(rows)s - g) * interval '30 seconds', %(user)s, 'coach-zuidoost',
                'coach', f, 'read', 'gezin', 'allowed', '/families/' || f || '/',
                md5(g::text) || md5((g + 1)::text), md5((g + 1)::text) || md5(g::text)
            FROM generate_series(1, %(rows)s) g,
            LATERAL (SELECT CASE WHEN g %% %(heavy_every)s = 0 THEN %(heavy)s
                                 WHEN g %% %(light_every)s = 1 THEN %(light)s
                                 ELSE 1000000 + g %% 20000 END AS f) fam
            """,
            {
                "rows": ROWS,
                "user": user_id,
                "heavy": heavy_id,
                "light": light_id,
                "heavy_every": HEAVY_EVERY,
                "light_every": LIGHT_EVERY,
            },
        )
        cursor.execute("ANALYZE cases_accesslog")


def _median_ms(get: Callable[[], object], times: int = 5) -> float:
    timings = []
    for _ in range(times):
        start = time.perf_counter()
        get()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def _csv(client, family_id: int) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    """Seconds, bytes and lines of the family's CSV, read as a browser would."""
    start = time.perf_counter()
    response = client.get(f"/families/{family_id}/access-log/export.csv", secure=True)
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return time.perf_counter() - start, size, lines


def _csv_peak_mb(client, family_id: int) -> float:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    _csv(client, family_id)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main(report: Callable[[str, float, str, str], None]) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from cases.models import AccessLog
    from familiekracht.demo.heavy import seed_heavy_family

    if connection.vendor != "postgresql":
        report("access log: needs PostgreSQL (DATABASE_URL)", 0, "-", "skipped")
        return
    heavy = seed_heavy_family(contacts=20, network_members=3, plan_versions=1, seed=1)
    light = seed_heavy_family(contacts=20, network_members=3, plan_versions=1, seed=2)
    users = get_user_model().objects
    coordinator = users.get(username="coordinator-zuidoost")
    start = time.perf_counter()
    _fill(heavy.pk, light.pk, users.get(username="coach-zuidoost").pk)
    report(f"access log: insert {ROWS:,} rows (SQL)", time.perf_counter() - start, "s", "-")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_relation_size('cases_accesslog'), "
            "pg_indexes_size('cases_accesslog'), pg_total_relation_size('cases_accesslog') "
            "FROM cases_accesslog"
        )
        rows, heap, indexes, total = cursor.fetchone()
    per_million = 1_000_000 / rows
    report("access log: table per 1,000,000 rows", heap * per_million / 1e6, "MB", "-")
    report("access log: indexes per 1,000,000 rows", indexes * per_million / 1e6, "MB", "-")
    report("access log: on disk per 1,000,000 rows", total * per_million / 1e6, "MB", "-")

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, OTP_REQUIRED=False):
        coach = Client()
        coach.force_login(users.get(username="coach-zuidoost"))
        before = AccessLog.objects.count()
        coach.get(f"/families/{heavy.pk}/", secure=True)
        report(
            "access log: rows written per family page view",
            AccessLog.objects.count() - before,
            "rows",
            "-",
        )

        client = Client()
        client.force_login(coordinator)
        base = f"/families/{heavy.pk}/access-log/"
        client.get(base + "?rows=1", secure=True)  # warm the session and caches
        report(
            "access log: family rows, first page (100,000 rows)",
            _median_ms(lambda: client.get(base + "?rows=1", secure=True)),
            "ms",
            "≈ the last page",
        )
        report(
            "access log: family rows, last (oldest) page",
            _median_ms(lambda: client.get(base + "?rows=1&after=0", secure=True)),
            "ms",
            "≈ first page (was 249 ms with offsets)",
        )
        report(
            "access log: family overview per day and person, first page",
            _median_ms(lambda: client.get(base, secure=True), times=3),
            "ms",
            "< 300 ms",
        )
        light_seconds, _size, light_lines = _csv(client, light.pk)
        heavy_seconds, size, lines = _csv(client, heavy.pk)
        report(f"access log: CSV of a family with {lines - 1:,} rows", heavy_seconds, "s", "-")
        report("access log: CSV size", size / 1e6, "MB", "-")
        report(
            f"access log: CSV of a family with {light_lines - 1:,} rows", light_seconds, "s", "-"
        )
        heavy_peak = _csv_peak_mb(client, heavy.pk)
        light_peak = _csv_peak_mb(client, light.pk)
        report("access log: CSV peak Python memory, 100,000 rows", heavy_peak, "MB", "flat")
        report("access log: CSV peak Python memory, 10,000 rows", light_peak, "MB", "flat")
