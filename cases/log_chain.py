"""The hash chain under the NEN 7513 access log (cases.models.AccessLog).

Each row carries `prev_hash` (the previous row's `row_hash`, in id order) and `row_hash`, an
HMAC-SHA256 over a canonical serialisation of the row's fields and `prev_hash`. Changing a
row, removing one in the middle or inserting one out of line breaks the chain;
`cases.integrity` walks it and keeps checkpoints so that removing the tail shows too.

Why an HMAC and not a plain SHA-256: anyone who can write rows (SQL injection through the
application's role, a stolen backup, a database administrator) could recompute a plain hash
chain after changing it. The key lives in the application's settings
(`ACCESS_LOG_CHAIN_KEY`), never in the database, so without it the chain cannot be forged.

This module imports no models: cases.models and the migration that chained the existing rows
(cases 0006) both use it.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connections, transaction

# The first row's prev_hash.
GENESIS_HASH = "0" * 64
# Part of every serialisation, so a later format can sit beside this one.
FORMAT = "fk-accesslog-v1"
CHECKPOINT_FORMAT = "fk-accesslog-checkpoint-v1"
# pg_advisory_xact_lock key that serialises every writer of the chain (7513: NEN 7513).
LOCK_ID = 7513_0001

# The fields under the hash, in this order. `user` is left out on purpose: deleting a user
# sets it to NULL (on_delete=SET_NULL), the one change the log allows; `username` keeps who
# it was, and is covered.
HASHED_FIELDS = ("at", "username", "role", "family_id_ref", "action", "object", "outcome", "path")


def chain_key() -> bytes:
    """The HMAC key: ACCESS_LOG_CHAIN_KEY, or SECRET_KEY when that is unset (development)."""
    return (settings.ACCESS_LOG_CHAIN_KEY or settings.SECRET_KEY).encode()


def _timestamp(value: datetime.datetime | None) -> str | None:
    # One instant, one text: UTC with microseconds, as both databases store it.
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def row_hash(*, prev_hash: str, values: dict[str, object], key: bytes | None = None) -> str:
    """The row's HMAC over `prev_hash` and the HASHED_FIELDS of `values` (database values)."""
    items: list[object] = [FORMAT, prev_hash]
    for name in HASHED_FIELDS:
        value = values[name]
        items.append(_timestamp(value) if name == "at" else value)  # type: ignore[arg-type]
    # A JSON array: every value is quoted and escaped, so no two rows serialise alike.
    message = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key or chain_key(), message, hashlib.sha256).hexdigest()


def checkpoint_mac(*, last_id: int, last_hash: str, verified_at: datetime.datetime) -> str:
    message = json.dumps(
        [CHECKPOINT_FORMAT, last_id, last_hash, _timestamp(verified_at)], separators=(",", ":")
    ).encode()
    return hmac.new(chain_key(), message, hashlib.sha256).hexdigest()


@contextmanager
def writer_lock(using: str) -> Iterator[None]:
    """Serialise "read the last hash, insert" so the chain never forks.

    On PostgreSQL a transaction-level advisory lock: it is released when the outermost
    transaction ends, so a row written inside a longer transaction holds it until that
    commits (the next writer must see this row as the last one). SQLite serialises writers
    itself. No savepoint of its own: a failed insert fails the caller's transaction.
    """
    connection = connections[using]
    with transaction.atomic(using=using, savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        yield


@register(Tags.security, deploy=True)
def check_chain_key(app_configs: object, **kwargs: object) -> list[Warning]:
    if settings.ACCESS_LOG_CHAIN_KEY:
        return []
    return [
        Warning(
            "ACCESS_LOG_CHAIN_KEY (FK_ACCESS_LOG_KEY) is not set: the access log's hash chain "
            "is keyed with SECRET_KEY, so rotating SECRET_KEY would break its verification.",
            hint="Set FK_ACCESS_LOG_KEY to 50+ random characters before the first migrate, "
            "and never change it.",
            id="cases.W001",
        )
    ]
