"""`make bench`: run every benchmark of the project in one go and print figures beside targets.

Benchmarks are modules `tests/benchmarks/bench_*.py` with a `main(report)` function; they get a
fresh throw-away database (created and dropped here, never the development database) and call
`report(name, value, unit, target)` for each figure. Tests never assert timings; this does not fail
on a missed target either, it prints the figures for people to read.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familiekracht.settings")


def main() -> int:
    import django

    django.setup()
    from django.test.utils import get_runner, setup_test_environment, teardown_test_environment

    from familiekracht.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    setup_test_environment()
    runner = get_runner(django.conf.settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    rows: list[tuple[str, str, str]] = []

    def report(name: str, value: float, unit: str, target: str) -> None:
        figure = f"{value:.3f} {unit}" if isinstance(value, float) else f"{value} {unit}"
        rows.append((name, figure, target))
        print(f"  {name:<55} {figure:>14}   target: {target}", flush=True)

    try:
        package = Path(__file__).resolve().parent
        for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda m: m.name):
            if not info.name.startswith("bench_"):
                continue
            module = importlib.import_module(f"tests.benchmarks.{info.name}")
            print(f"{info.name}:", flush=True)
            module.main(report)
    finally:
        runner.teardown_databases(old_config)
        teardown_test_environment()
    print(f"\n{len(rows)} figures.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
