"""`make bench`: every benchmark of the project in one go, each figure printed beside its target.

Benchmarks are modules `tests/benchmarks/bench_*.py` with a `main(report)` function that calls
`report(name, value, unit, target)` for each figure. Each runs in a process of its own (so
memory figures are its own) on a fresh throw-away database, never the development database,
which first gets the demo data with 1,000 extra families (`seed_demo --families 1000`). A
module that needs to control the size itself sets `BASELINE = False`.

Tests never assert timings; this prints figures for people to read and fails only when a
benchmark itself breaks.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE_FAMILIES = 1000


def _modules() -> list[str]:
    package = Path(__file__).resolve().parent
    return sorted(
        m.name for m in pkgutil.iter_modules([str(package)]) if m.name.startswith("bench_")
    )


def run_one(name: str, results_path: str) -> int:
    """Run one benchmark module in this process against a throw-away database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familiekracht.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import get_runner, setup_test_environment, teardown_test_environment

    from familiekracht.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    setup_test_environment()
    runner = get_runner(django.conf.settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()

    def report(figure: str, value: float, unit: str, target: str) -> None:
        shown = f"{value:.3f} {unit}" if isinstance(value, float) else f"{value} {unit}"
        print(f"  {figure:<58} {shown:>14}   target: {target}", flush=True)
        with open(results_path, "a", encoding="utf-8") as out:
            out.write(
                json.dumps({"bench": name, "figure": figure, "value": shown, "target": target})
            )
            out.write("\n")

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


def main() -> int:
    failed = []
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as results:
        results_path = results.name
    for name in _modules():
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
    for row in rows:
        print(f"  {row['figure']:<70} {row['value']:>14}   target: {row['target']}")
    if failed:
        print(f"\nBenchmarks that failed to run: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        sys.exit(run_one(sys.argv[2], sys.argv[3]))
    sys.exit(main())
