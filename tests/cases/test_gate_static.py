"""No second gate: views leave every refusal to cases.permissions, which logs it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cases", "phases", "network", "strengths", "reports", "familiekracht")


def _view_modules() -> list[Path]:
    found: list[Path] = []
    for app in APPS:
        for pattern in ("views.py", "*_views.py", "panels.py"):
            found += (ROOT / app).rglob(pattern)
    return sorted(found)


def test_no_view_refuses_after_the_gate():
    # A PermissionDenied raised in a view is a role check the access log never hears of.
    offenders = [
        str(path.relative_to(ROOT))
        for path in _view_modules()
        if "access_family(" in (text := path.read_text()) or "access_team(" in text
        if "PermissionDenied" in text
    ]
    assert _view_modules() and not offenders


def test_nothing_reads_a_patched_family_access():
    pattern = re.compile(r"family\.access\b")
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*ROOT.glob("templates/**/*.html"), *_view_modules()]
        if pattern.search(path.read_text())
    ]
    assert not offenders
