"""`make bench`: every benchmark of the project in one go, each figure printed beside its target.

Benchmarks are modules `tests/benchmarks/bench_*.py` with a `main(report)` function that calls
`report(name, value, unit, target)` for each figure. Each runs in a process of its own (so
memory figures are its own) on a fresh throw-away database, never the development database,
which first gets the demo data with 1,000 extra families (`seed_demo --families 1000`). A
module that needs to control the size itself sets `BASELINE = False`.

A figure measured at several database sizes passes `size=` (the number of active families):
`report(name, value, unit, target, size=1000)`. The summary then prints it once, with its
value at each size side by side and the ratio of the largest to the smallest; the target
says what the figure and the ratio should be. `tests.benchmarks.common.SIZES` are the sizes
(1,000 and 10,000; `make bench-quick` uses small ones and fewer repetitions).

Tests never assert timings; this prints figures for people to read and fails only when a
benchmark itself breaks.

    python tests/benchmarks/run.py                    # every benchmark
    python tests/benchmarks/run.py bench_pages        # only these modules
    BENCH_QUICK=1 python tests/benchmarks/run.py      # the developer's loop (make bench-quick)
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE_FAMILIES = 1000


def _modules() -> list[str]:
    package = Path(__file__).resolve().parent
    return sorted(
        m.name for m in pkgutil.iter_modules([str(package)]) if m.name.startswith("bench_")
    )


def _shown(value: float, unit: str) -> str:
    return f"{value:.3f} {unit}" if isinstance(value, float) else f"{value} {unit}"


def run_one(name: str, results_path: str) -> int:
    """Run one benchmark module in this process against a throw-away database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familiekracht.settings")
    # The benchmarks run with production settings on a throw-away database; the demo's
    # research export needs a key there as it would in production.
    os.environ.setdefault("RESEARCH_SECRET", "benchmark-only-throw-away-database")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import get_runner, setup_test_environment, teardown_test_environment

    from familiekracht.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    setup_test_environment()
    runner = get_runner(django.conf.settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()

    def report(
        figure: str, value: float, unit: str, target: str, *, size: int | None = None
    ) -> None:
        shown = _shown(value, unit)
        label = figure if size is None else f"{figure} [{size:,}]"
        print(f"  {label:<66} {shown:>14}   target: {target}", flush=True)
        with open(results_path, "a", encoding="utf-8") as out:
            row = {
                "bench": name,
                "figure": figure,
                "value": shown,
                "number": value,
                "unit": unit,
                "target": target,
                "size": size,
            }
            out.write(json.dumps(row) + "\n")

    try:
        module = importlib.import_module(f"tests.benchmarks.{name}")
        if getattr(module, "BASELINE", True):
            import io

            start = time.perf_counter()
            call_command(
                "seed_demo", "--families", str(BASELINE_FAMILIES), verbosity=0, stdout=io.StringIO()
            )
            report(
                f"seed_demo --families {BASELINE_FAMILIES} (database for this benchmark)",
                time.perf_counter() - start,
                "s",
                "well under 60 s",
            )
        module.main(report)
    finally:
        runner.teardown_databases(old_config)
        teardown_test_environment()
    return 0


def summary(rows: list[dict]) -> list[str]:
    """The summary's lines: single figures as they came, sized figures one line each with
    the value at every size and the ratio of the largest size to the smallest."""
    lines: list[str] = []
    sized: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)
    order: list[tuple[str, str]] = []
    for row in rows:
        if row.get("size") is None:
            lines.append(f"  {row['figure']:<70} {row['value']:>14}   target: {row['target']}")
            continue
        key = (row["bench"], row["figure"])
        if key not in sized:
            order.append(key)
        sized[key][row["size"]] = row
    if order:
        sizes = sorted({size for per_size in sized.values() for size in per_size})
        head = "".join(f"{'at ' + format(s, ','):>14}" for s in sizes)
        lines.append("")
        lines.append(f"  {'figure (active families)':<52}{head}{'ratio':>9}   target")
        for key in order:
            per_size = sized[key]
            cells = "".join(f"{per_size[s]['value'] if s in per_size else '-':>14}" for s in sizes)
            ratio = "-"
            small, large = per_size.get(sizes[0]), per_size.get(sizes[-1])
            if small and large and len(sizes) > 1:
                try:
                    if float(small["number"]) > 0:
                        ratio = f"{float(large['number']) / float(small['number']):.2f}"
                except (TypeError, ValueError):
                    pass
            target = next(iter(per_size.values()))["target"]
            lines.append(f"  {key[1]:<52}{cells}{ratio:>9}   {target}")
    return lines


def main(only: list[str]) -> int:
    failed = []
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as results:
        results_path = results.name
    for name in _modules():
        if only and name not in only:
            continue
        print(f"{name}:", flush=True)
        code = subprocess.call(  # noqa: S603 - this script, fixed arguments
            [sys.executable, __file__, "--one", name, results_path], cwd=ROOT
        )
        if code != 0:
            failed.append(name)
    with open(results_path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    os.unlink(results_path)
    print("\nSummary")
    for line in summary(rows):
        print(line)
    print(f"\nWhole bench: {time.perf_counter() - started:.0f} s (target: under 15 minutes)")
    if failed:
        print(f"\nBenchmarks that failed to run: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        sys.exit(run_one(sys.argv[2], sys.argv[3]))
    sys.exit(main(sys.argv[1:]))
