"""The register of a family's stored files (cases.storage)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from cases.models import Family, StoredFile
from cases.storage import (
    FamilyGone,
    family_file_names,
    family_file_save,
    stored_files_delete,
)
from reports import pdf
from reports import services as report_services
from reports.models import PlanPdf
from tests.cases.plan_factories import PlanFactory
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def test_a_saved_file_is_in_the_storage_and_registered(family):
    name = family_file_save(family=family, name="documents/a.txt", content=b"een", kind="document")
    assert name == "documents/a.txt"
    assert read(name) == b"een"
    row = StoredFile.objects.get()
    assert (row.family, row.name, row.kind) == (family, name, "document")
    assert family_file_names(family) == [name]


def test_saving_again_replaces_the_file_and_keeps_one_row(family):
    family_file_save(family=family, name="documents/a.txt", content=b"een", kind="document")
    name = family_file_save(family=family, name="documents/a.txt", content=b"twee", kind="document")
    assert name == "documents/a.txt"
    assert read(name) == b"twee"
    assert default_storage.listdir("documents") == ([], ["a.txt"])
    assert StoredFile.objects.count() == 1


def test_a_name_of_another_family_is_refused(family, team):
    family_file_save(family=family, name="documents/a.txt", content=b"een", kind="document")
    other = FamilyFactory(team=team)
    with pytest.raises(ValueError, match="another family"):
        family_file_save(family=other, name="documents/a.txt", content=b"niet", kind="document")
    assert read("documents/a.txt") == b"een"
    assert StoredFile.objects.get().family == family


def test_nothing_is_written_for_a_destroyed_family(family):
    gone = Family.objects.get(pk=family.pk)
    Family.objects.filter(pk=family.pk).delete()
    with pytest.raises(FamilyGone):
        family_file_save(family=gone, name="documents/a.txt", content=b"een", kind="document")
    assert not default_storage.exists("documents/a.txt")
    assert not StoredFile.objects.exists()


def test_a_failed_registration_leaves_no_file(family, monkeypatch):
    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database weg")

    monkeypatch.setattr(StoredFile.objects, "update_or_create", broken)
    with pytest.raises(RuntimeError):
        family_file_save(family=family, name="documents/a.txt", content=b"een", kind="document")
    assert not default_storage.exists("documents/a.txt")


def test_delete_removes_the_files_and_the_folders_left_empty(family, settings):
    family_file_save(family=family, name="plans/7/1.pdf", content=b"%PDF-1", kind="plan_pdf")
    family_file_save(family=family, name="plans/7/2.pdf", content=b"%PDF-2", kind="plan_pdf")
    family_file_save(family=family, name="plans/8/1.pdf", content=b"%PDF-3", kind="plan_pdf")
    assert stored_files_delete(["plans/7/1.pdf"]) == []
    assert (settings.MEDIA_ROOT / "plans" / "7").is_dir()  # 2.pdf is still in it
    assert stored_files_delete(["plans/7/2.pdf", "plans/7/missing.pdf"]) == []
    assert not (settings.MEDIA_ROOT / "plans" / "7").exists()
    assert default_storage.exists("plans/8/1.pdf")


def test_a_plan_pdf_rendered_while_its_family_is_destroyed_leaves_no_file(
    family, alice, monkeypatch
):
    plan = PlanFactory(family=family, number=1, created_by=alice)
    export = PlanPdf.objects.create(family=family, plan=plan, plan_number=1, requested_by=alice)

    def destroyed_meanwhile(plan, **kwargs):  # type: ignore[no-untyped-def]
        Family.objects.filter(pk=family.pk).delete()
        return b"%PDF-1.7 gezinsplan"

    monkeypatch.setattr(pdf, "render_plan_pdf", destroyed_meanwhile)
    with pytest.raises(FamilyGone):
        report_services.plan_pdf_render(export_id=export.pk)
    assert not default_storage.exists(report_services.export_name(export))
    assert not StoredFile.objects.exists()
