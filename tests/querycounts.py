"""Query counts that several pinned pages share."""

from __future__ import annotations

from django.db import connection


def chain_queries() -> int:
    """What the access log's hash chain adds to a request that writes log rows: reading the
    last row's hash, and on PostgreSQL the writer lock (cases.log_chain)."""
    return 2 if connection.vendor == "postgresql" else 1


def jit_off_queries() -> int:
    """What reports.caseload.without_jit adds: a savepoint and its release, and between
    them on PostgreSQL `SET LOCAL jit = off`."""
    return 3 if connection.vendor == "postgresql" else 2
