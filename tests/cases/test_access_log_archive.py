"""Monthly archive files of the access log (cases.archive, manage.py archive_access_log)."""

from __future__ import annotations

import datetime
import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import AccessLog

pytestmark = pytest.mark.django_db


def _row(at: datetime.datetime, username: str) -> AccessLog:
    return AccessLog.objects.create(
        at=at, username=username, role="coach", family_id_ref=7, action="read", outcome="allowed"
    )


def test_a_month_is_archived_with_its_hashes_and_checks_out(tmp_path):
    zone = timezone.get_default_timezone()
    october = datetime.datetime(2026, 10, 31, 23, 30, tzinfo=zone)
    november = [datetime.datetime(2026, 11, d, 12, 0, tzinfo=zone) for d in (1, 15, 30)]
    _row(october, "oktober")
    rows = [_row(at, f"nov{i}") for i, at in enumerate(november)]
    _row(datetime.datetime(2026, 12, 1, 0, 30, tzinfo=zone), "december")
    out = io.StringIO()
    call_command("archive_access_log", month="2026-11", to=tmp_path, stdout=out)
    assert "3 regels" in out.getvalue() and "de keten klopt" in out.getvalue()
    path = tmp_path / "accesslog-2026-11.jsonl.gz"
    with gzip.open(path, "rt") as handle:
        archived = [json.loads(line) for line in handle]
    assert [r["pk"] for r in archived] == [r.pk for r in rows]
    assert [r["row_hash"] for r in archived] == [r.row_hash for r in rows]
    assert (
        (tmp_path / "accesslog-2026-11.jsonl.gz.sha256")
        .read_text()
        .endswith("accesslog-2026-11.jsonl.gz\n")
    )
    call_command("archive_access_log", verify=path, stdout=io.StringIO())
    # Nothing left the database.
    assert AccessLog.objects.count() == 5


def test_a_changed_archive_file_is_found(tmp_path):
    at = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=timezone.get_default_timezone())
    _row(at, "alice")
    _row(at + datetime.timedelta(hours=1), "bob")
    call_command("archive_access_log", month="2026-11", to=tmp_path, stdout=io.StringIO())
    path = tmp_path / "accesslog-2026-11.jsonl.gz"
    with gzip.open(path, "rt") as handle:
        lines = handle.read().replace('"bob"', '"mallory"')
    with gzip.open(path, "wt") as handle:
        handle.write(lines)
    with pytest.raises(CommandError, match="klopt niet"):  # the SHA-256 first
        call_command("archive_access_log", verify=path, stdout=io.StringIO())
    (tmp_path / "accesslog-2026-11.jsonl.gz.sha256").unlink()
    with pytest.raises(CommandError, match="row"):  # and the row's HMAC without it
        call_command("archive_access_log", verify=path, stdout=io.StringIO())
    with pytest.raises(CommandError, match="JJJJ-MM"):
        call_command("archive_access_log", month="november", to=tmp_path)
