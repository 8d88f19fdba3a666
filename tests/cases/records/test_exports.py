"""Inzage/afschrift off the request (cases.records.exports): state, volumes, queries."""

from __future__ import annotations

import io
import json
import math

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cases.models import Contact, RecordsExport, StoredFile, TaskState
from cases.records import exports, services
from familiekracht.demo.heavy import seed_heavy_family

pytestmark = pytest.mark.django_db


def _build(family, by, format: str) -> tuple[RecordsExport, int]:  # type: ignore[no-untyped-def]
    export = RecordsExport.objects.create(family=family, requested_by=by, format=format)
    with CaptureQueriesContext(connection) as queries:
        exports.records_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == TaskState.DONE, export.error
    return export, len(queries.captured_queries)


@pytest.fixture
def small_and_big(coordinator):  # type: ignore[no-untyped-def]
    # The same kinds of records, the second family with three times as many of each.
    small = seed_heavy_family(contacts=10, network_members=3, plan_versions=2, seed=1)
    big = seed_heavy_family(contacts=30, network_members=9, plan_versions=6, seed=1)
    return small, big


def test_json_export_queries_do_not_grow_with_the_family(small_and_big, coordinator):
    small, big = small_and_big
    export_small, queries_small = _build(small, coordinator, "json")
    export_big, queries_big = _build(big, coordinator, "json")
    assert queries_small == queries_big
    with open(default_storage.path(export_big.files[0]["name"]), "rb") as handle:
        data = json.load(handle)
    assert len(data["records"]["cases.Contact"]) == 30 == big.contacts.count()
    assert len(data["records"]["cases.FamilyPlan"]) == 6
    assert {"network.NetworkMember", "strengths.DomainScore", "phases.PhaseEpisode"} <= set(
        data["records"]
    )


def test_pdf_export_queries_do_not_grow_with_the_family(small_and_big, coordinator, settings):
    settings.FAMILIEKRACHT = {**settings.FAMILIEKRACHT, "EXPORT_PDF_VOLUME_RECORDS": 10_000}
    small, big = small_and_big
    export_small, queries_small = _build(small, coordinator, "pdf")
    export_big, queries_big = _build(big, coordinator, "pdf")
    assert len(export_small.files) == len(export_big.files) == 1
    assert queries_small == queries_big


def test_pdf_is_split_into_volumes_with_every_record(family, coordinator, settings, alice):
    settings.FAMILIEKRACHT = {**settings.FAMILIEKRACHT, "EXPORT_PDF_VOLUME_RECORDS": 10}
    Contact.objects.bulk_create(
        [
            Contact(family=family, date="2026-01-01", minutes=30, kind="phone", author=alice)
            for _ in range(25)
        ]
    )
    records = len(services.family_records(family))
    export, _queries = _build(family, coordinator, "pdf")
    assert len(export.files) == math.ceil(records / 10) >= 3
    texts = []
    for number, entry in enumerate(export.files, start=1):
        with open(default_storage.path(entry["name"]), "rb") as handle:
            reader = PdfReader(handle)
            text = " ".join(page.extract_text() for page in reader.pages)
        assert f"Dit is deel {number} van {len(export.files)}" in text
        texts.append(text)
    assert "Naomi Jansen" in " ".join(texts)
    # Every volume is in the family's register of stored files (destruction removes them).
    assert set(StoredFile.objects.filter(family=family).values_list("name", flat=True)) == {
        f["name"] for f in export.files
    }


def test_export_page_request_download_and_gates(
    family, coordinator_client, alice_client, charlie_client, django_capture_on_commit_callbacks
):
    page = reverse("cases:records_export_json", args=[family.pk])
    assert alice_client.get(page).status_code == 403
    assert charlie_client.get(page).status_code == 404
    assert charlie_client.post(page).status_code == 404
    assert coordinator_client.put(page).status_code == 405
    assert "Nog geen afschrift gemaakt" in coordinator_client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        coordinator_client.post(page)
    export = RecordsExport.objects.get(family=family)
    # Queued until the request commits; the page says so.
    assert export.state == TaskState.QUEUED and len(callbacks) == 1
    assert "In wachtrij" in coordinator_client.get(page).content.decode()
    callbacks[0]()
    export.refresh_from_db()
    assert export.state == TaskState.DONE
    download = reverse("cases:records_export_download", args=[family.pk, export.pk, 1])
    assert download in coordinator_client.get(page).content.decode()
    response = coordinator_client.get(download)
    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content))["case_number"] == family.case_number
    assert charlie_client.get(download).status_code == 404
    assert alice_client.get(download).status_code == 403
    missing = reverse("cases:records_export_download", args=[family.pk, export.pk, 2])
    assert coordinator_client.get(missing).status_code == 404


def test_a_failed_export_says_so_and_can_be_tried_again(
    family, coordinator, coordinator_client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(services, "export_json_text", broken)
    page = reverse("cases:records_export_json", args=[family.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(page)
    export = RecordsExport.objects.get(family=family)
    assert export.state == TaskState.FAILED and "disk full" in export.error
    html = coordinator_client.get(page).content.decode()
    assert "Het maken is niet gelukt" in html and "Opnieuw proberen" in html
    assert "disk full" not in html  # technical detail stays out of the page
    monkeypatch.undo()
    retry = reverse("cases:records_export_retry", args=[family.pk, export.pk])
    assert coordinator_client.get(retry).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator_client.post(retry).status_code == 302
    export.refresh_from_db()
    assert export.state == TaskState.DONE and export.error == ""


def test_the_pdf_of_the_records_page_link_renders(family, coordinator_client):
    html = coordinator_client.get(reverse("cases:records", args=[family.pk])).content.decode()
    assert reverse("cases:records_export_pdf", args=[family.pk]) in html
    assert reverse("cases:records_export_json", args=[family.pk]) in html


def test_pdf_page_in_the_browser_has_a_readable_file(
    family, coordinator_client, django_capture_on_commit_callbacks
):
    page = reverse("cases:records_export_pdf", args=[family.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(page)
    export = RecordsExport.objects.get(family=family)
    response = coordinator_client.get(
        reverse("cases:records_export_download", args=[family.pk, export.pk, 1])
    )
    content = b"".join(response.streaming_content)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert family.case_number in text
    assert response["Content-Disposition"].startswith("attachment")
