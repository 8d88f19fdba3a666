"""Demo data for network, called by `manage.py seed_demo` after the core families exist."""

from __future__ import annotations

from collections.abc import Sequence

from cases.models import Family


def seed(families: Sequence[Family], *, bulk: bool = False) -> None:
    """Fill demo data for these families. `bulk` is set for load-test families (--families N)."""
