"""Render time and memory of the family plan PDF for a typical demo plan.

Figures:
- render time: `reports.pdf.render_plan_pdf` (template + WeasyPrint, PDF/UA-1), after one
  warm-up render (fonts and WeasyPrint's default stylesheets loaded); the median of 5, and
  the cold first render separately.
- peak RSS: the process's maximum resident set size (getrusage ru_maxrss) after the
  renders. It includes Python, Django, the benchmark runner and the making of the demo
  plan, so it is an upper bound for what a worker child needs for one render.
- Python heap peak: tracemalloc's peak during one render; it sees Python allocations only,
  not Pango/HarfBuzz/cairo memory in C, so it is a lower bound.
"""

from __future__ import annotations

import io
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

Report = Callable[[str, float, str, str], None]
# One demo plan is all it renders: no 1,000 families seeded in this process first, whose
# memory would count in the peak RSS as if a render needed it.
BASELINE = False


def _demo_plan():  # type: ignore[no-untyped-def]
    from cases.models import Family, Membership, Role
    from familiekracht.demo import families as demo
    from familiekracht.demo.base import seed_plan
    from familiekracht.demo.users import create_teams_and_users

    made = create_teams_and_users()
    team = made.teams["Amsterdam Zuidoost"]
    coaches = [
        m.user for m in Membership.objects.filter(team=team, role=Role.COACH).select_related("user")
    ]
    rng = random.Random(6)  # noqa: S311
    # After the families already in the benchmark database, so case numbers stay unique.
    start = Family.objects.filter(team=team).count() + 1
    family = demo.create_families(team=team, coaches=coaches, count=1, start_number=start, rng=rng)[
        0
    ]
    return seed_plan(family, rng=rng, by=family.coach, fixed_versions=1)


def main(report: Report) -> None:
    import pypdf

    from reports.pdf import render_plan_pdf

    plan = _demo_plan()
    start = time.perf_counter()
    data = render_plan_pdf(plan)
    cold = time.perf_counter() - start
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)

    timings = []
    for _ in range(5):
        start = time.perf_counter()
        render_plan_pdf(plan)
        timings.append(time.perf_counter() - start)

    tracemalloc.start()
    render_plan_pdf(plan)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    report(
        f"plan PDF render, median of 5 ({pages} pages)", statistics.median(timings), "s", "≤ 1.5 s"
    )
    report("plan PDF render, first (cold) render", cold, "s", "(for reference)")
    report("peak RSS of the whole process after renders", peak_rss_mb, "MB", "≤ 200 MB")
    report(
        "Python heap peak during one render (tracemalloc)", heap_peak / 2**20, "MB", "(lower bound)"
    )
