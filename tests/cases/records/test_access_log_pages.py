"""The family's access log at size: the grouped overview, the rows paged by id, the CSV
streamed (cases.records.accesslog)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog
from cases.records import accesslog
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


def _rows(family, count: int, *, username: str = "alice", start=None, step_minutes: int = 1):  # type: ignore[no-untyped-def]
    start = start or timezone.now() - datetime.timedelta(days=3)
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                at=start + datetime.timedelta(minutes=i * step_minutes),
                username=username,
                role="coach",
                family_id_ref=family.pk,
                action="read",
                object="gezin",
                outcome="allowed",
            )
            for i in range(count)
        ]
    )


def _body(response) -> str:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_rows_are_paged_by_id_newest_first_to_the_oldest_and_back(family):
    _rows(family, 250)
    other = FamilyFactory(team=family.team)
    _rows(other, 30)
    ids = list(
        AccessLog.objects.filter(family_id_ref=family.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    first = accesslog.rows_page(family.pk)
    assert [r.pk for r in first.rows] == ids[:100]
    assert first.newer is None and first.older == ids[99]
    second = accesslog.rows_page(family.pk, before=str(first.older))
    assert [r.pk for r in second.rows] == ids[100:200]
    assert second.newer == ids[100] and second.older == ids[199]
    last = accesslog.rows_page(family.pk, before=str(second.older))
    assert [r.pk for r in last.rows] == ids[200:]
    assert last.older is None and last.newer == ids[200]
    oldest = accesslog.rows_page(family.pk, after="0")
    assert [r.pk for r in oldest.rows] == ids[150:]
    assert oldest.older is None and oldest.newer == ids[150]
    back = accesslog.rows_page(family.pk, after=str(last.newer))
    assert [r.pk for r in back.rows] == ids[100:200]
    # Nonsense cursors read the first page, never an error.
    for cursor in ("x", "-5", str(2**70)):
        assert [r.pk for r in accesslog.rows_page(family.pk, before=cursor).rows] == ids[:100]


def test_rows_page_costs_the_same_on_the_first_and_the_last_page(family, coordinator_client):
    _rows(family, 250)
    url = reverse("cases:access_log", args=[family.pk])
    coordinator_client.get(url + "?rows=1")  # sessions, first-time caches
    counts = []
    older = accesslog.rows_page(family.pk).older
    # The second page and the oldest page (two queries of the log each, whatever its size).
    for query in (f"?rows=1&before={older}", "?rows=1&after=0"):
        with CaptureQueriesContext(connection) as captured:
            response = coordinator_client.get(url + query)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert "Oudste" in coordinator_client.get(url + "?rows=1").content.decode()


def test_overview_groups_per_day_person_and_part(family, coordinator_client, alice):
    alice.first_name, alice.last_name = "Alice", "de Coach"
    alice.save()
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    yesterday = noon - datetime.timedelta(days=1)
    _rows(family, 40, start=yesterday, step_minutes=2)  # 12:00 .. 13:18, one group
    _rows(family, 3, start=noon, username="bob")
    AccessLog.objects.filter(username="alice").update(user=None)  # the one allowed update
    page = accesslog.overview_page(family.pk)
    assert [(g["day"], g["username"], g["times"]) for g in page.groups] == [
        (noon.date(), "bob", 3),
        (yesterday.date(), "alice", 40),
    ]
    alice_group = page.groups[1]
    assert timezone.localtime(alice_group["first"]).strftime("%H:%M") == "12:00"
    assert timezone.localtime(alice_group["last"]).strftime("%H:%M") == "13:18"
    assert alice_group["role_label"] == "Gezinscoach"
    html = coordinator_client.get(reverse("cases:access_log", args=[family.pk])).content.decode()
    assert "13:18:00" in html and ">40<" in html


def test_overview_pages_through_days_whole(family, monkeypatch):
    monkeypatch.setattr(accesslog, "OVERVIEW_WINDOW", 25)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for days_ago in range(6, 0, -1):  # six days of 10 views each
        _rows(family, 10, start=start - datetime.timedelta(days=days_ago))
    first = accesslog.overview_page(family.pk)
    # 25 rows: two whole days and half of a third, which is left to the next page.
    assert [g["times"] for g in first.groups] == [10, 10]
    assert first.older and not first.newer
    days = [g["day"] for g in first.groups]
    seen = list(days)
    page = first
    while page.older:
        page = accesslog.overview_page(family.pk, before=str(page.older))
        assert page.newer and all(g["times"] == 10 for g in page.groups)
        seen += [g["day"] for g in page.groups]
    assert len(seen) == len(set(seen)) == 6  # every day once, whole
    assert seen == sorted(seen, reverse=True)


def test_a_day_longer_than_the_window_goes_on_on_the_next_page(family, monkeypatch):
    monkeypatch.setattr(accesslog, "OVERVIEW_WINDOW", 25)
    _rows(family, 60, start=timezone.localtime().replace(hour=8, minute=0, second=0))
    counts = []
    page = accesslog.overview_page(family.pk)
    counts.append(page.groups[0]["times"])
    while page.older:
        page = accesslog.overview_page(family.pk, before=str(page.older))
        counts.append(page.groups[0]["times"])
    assert counts == [25, 25, 10]
    assert accesslog.overview_page(family.pk, before="nonsense").newer is False


def test_csv_is_streamed_oldest_first_with_every_row(family, coordinator_client):
    _rows(family, 5000)
    response = coordinator_client.get(reverse("cases:access_log_export", args=[family.pk]))
    assert response.status_code == 200
    assert response.streaming
    lines = _body(response).splitlines()
    assert lines[0] == "Datum en tijd;Naam;Gebruikersnaam;Rol;Handeling;Onderdeel"
    # Every row, and the gate's row for this export too (written before the stream starts).
    assert len(lines) == 1 + 5000 + 1
    assert lines[1].endswith(";alice;alice;Gezinscoach;Inzien;gezin")
    assert lines[-1].endswith(";coord;Coördinator;Exporteren/afdrukken;toegangslog")


def test_csv_lines_read_in_chunks(family, django_assert_max_num_queries):
    _rows(family, 2 * accesslog.CSV_CHUNK_SIZE + 10)
    # A server-side cursor on PostgreSQL (fetches in chunks); on SQLite chunked fetchmany.
    with django_assert_max_num_queries(3):
        assert (
            sum(1 for _ in accesslog.csv_lines(family.pk)) == 1 + 2 * accesslog.CSV_CHUNK_SIZE + 10
        )


def test_outsider_and_coach_cannot_read_the_log(family, charlie_client, alice_client):
    for name in ("access_log", "access_log_export"):
        assert charlie_client.get(reverse(f"cases:{name}", args=[family.pk])).status_code == 404
        assert alice_client.get(reverse(f"cases:{name}", args=[family.pk])).status_code == 403
    url = reverse("cases:access_log", args=[family.pk]) + "?rows=1"
    assert charlie_client.get(url).status_code == 404
