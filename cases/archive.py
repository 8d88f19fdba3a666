"""Monthly archive files of the access log, kept for 20 years on write-once storage.

`access_log_archive(month, folder)` writes the month's rows (Europe/Amsterdam), in id order
and with their hashes, as `accesslog-YYYY-MM.jsonl.gz` and its SHA-256 beside it, reading the
rows in chunks (constant memory). `archive_verify(path)` recomputes every row's HMAC
(cases.log_chain) and each link to the row before it inside the file: a file that passes holds
the rows exactly as the chain sealed them. Nothing is removed from the database (README,
"Kept for 20 years").
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from cases import log_chain
from cases.models import AccessLog

CHUNK_SIZE = 5000
FIELDS = ("pk", "prev_hash", "row_hash", *log_chain.HASHED_FIELDS)


@dataclass(frozen=True)
class ArchiveResult:
    path: Path
    rows: int
    sha256: str


def month_bounds(month: str) -> tuple[datetime.datetime, datetime.datetime]:
    """'2026-11' -> the first instants of that month and the next, in the project's zone."""
    first = datetime.datetime.strptime(month, "%Y-%m")  # noqa: DTZ007 - made aware below
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_default_timezone()
    return timezone.make_aware(first, zone), timezone.make_aware(following, zone)


def access_log_archive(*, month: str, folder: Path) -> ArchiveResult:
    start, end = month_bounds(month)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"accesslog-{month}.jsonl.gz"
    rows = (
        AccessLog.objects.filter(at__gte=start, at__lt=end)
        .order_by("pk")
        .values_list(*FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    count = 0
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for values in rows:
            row = dict(zip(FIELDS, values, strict=True))
            row["at"] = row["at"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n")
    return ArchiveResult(path=path, rows=count, sha256=digest)


def archive_verify(path: Path) -> tuple[bool, int, str]:
    """(ok, rows checked, why not). The SHA-256 file, each row's HMAC, each link within."""
    checksum = path.with_name(path.name + ".sha256")
    if checksum.exists():
        expected = checksum.read_text().split()[0]
        if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            return False, 0, "sha256"
    previous: dict[str, object] | None = None
    count = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            values = {name: row[name] for name in log_chain.HASHED_FIELDS}
            values["at"] = datetime.datetime.fromisoformat(row["at"])
            if log_chain.row_hash(prev_hash=row["prev_hash"], values=values) != row["row_hash"]:
                return False, count, f"row {row['pk']}"
            # Ids in a month are consecutive in the chain only when no other month's rows
            # sit between them (clock changes): a link is checked where the ids follow.
            if (
                previous
                and row["pk"] == previous["pk"] + 1
                and row["prev_hash"] != previous["row_hash"]
            ):  # type: ignore[operator]
                return False, count, f"link before row {row['pk']}"
            previous = row
            count += 1
    return True, count, ""
