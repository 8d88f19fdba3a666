"""What the benchmarks share: the database sizes, repetitions and the seeding to a size.

`make bench` measures at 1,000 and 10,000 active families; `make bench-quick` (BENCH_QUICK=1)
at 100 and 1,000 with fewer repetitions, for a developer's loop. Not a benchmark module itself
(no `bench_` prefix), so run.py does not run it.
"""

from __future__ import annotations

import io
import math
import os

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
# Active families of the Zuidoost team at which the sized figures are measured.
SIZES = (100, 1000) if QUICK else (1000, 10_000)
# Requests timed per page and size; the median keeps a busy machine's outliers out.
REPEATS = 3 if QUICK else 9
# About this share of the demo load families (seed_demo --families) is active.
ACTIVE_SHARE = 0.7
TEAM = "Amsterdam Zuidoost"


def active_families() -> int:
    from cases.models import Family, FamilyStatus

    return Family.objects.filter(team__name=TEAM, status=FamilyStatus.ACTIVE).count()


def seed_to(target: int) -> int:
    """Top the demo data up (seed_demo --families) until the team has `target` active
    families, then VACUUM and ANALYZE; returns the number of active families."""
    from django.core.management import call_command
    from django.db import connection

    while (active := active_families()) < target:
        extra = max(10, math.ceil((target - active) / ACTIVE_SHARE))
        call_command("seed_demo", "--families", str(extra), verbosity=0, stdout=io.StringIO())
    # The tables as a live database has them: planner statistics (without them PostgreSQL
    # guesses one row per table) and vacuumed, so that the autovacuum a bulk load sets off
    # does not run beside the timed pages, and index-only scans find the visibility map set.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return active
