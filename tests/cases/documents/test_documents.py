"""Documents in the family file: upload checked by content, images without metadata,
download through the gate, versions, confirmed removal, destruction."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.documents import services
from cases.documents.content import RefusedFile
from cases.models import (
    AccessAction,
    AccessLog,
    DestructionReason,
    DestructionRequester,
    Document,
    DocumentKind,
    DocumentVersion,
    StoredFile,
)
from cases.records.services import family_destroy
from tests.cases.documents.helpers import PDF, docx, jpeg_with_gps, odt, png_with_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, family, content, name="brief.pdf", content_type="application/pdf", **extra):  # type: ignore[no-untyped-def]
    data = {
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        "kind": DocumentKind.REFERRAL,
        "date": timezone.localdate().isoformat(),
        "description": "verwijzing huisarts",
        **extra,
    }
    return client.post(reverse("cases:document_upload", args=[family.pk]), data)


def stored_bytes(version: DocumentVersion) -> bytes:
    with default_storage.open(version.stored_name, "rb") as handle:
        return handle.read()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "brief.pdf", "application/pdf"),
        (docx(), "plan.docx", "application/octet-stream"),
        (odt(), "plan.odt", "application/vnd.oasis.opendocument.text"),
        (png_with_text(), "foto.png", "image/png"),
    ],
)
def test_coach_uploads_each_allowed_kind(family, alice_client, content, name, content_type):
    member = family.members.first()
    response = upload(alice_client, family, content, name, content_type, members=[member.pk])
    assert response.status_code == 302
    document = Document.objects.get()
    version = document.versions.get()
    assert list(document.members.all()) == [member]
    assert version.file_name == name
    # Stored under a random name, registered for destruction, never under the user's name.
    assert name not in version.stored_name
    assert StoredFile.objects.filter(name=version.stored_name, family=family).exists()
    assert default_storage.exists(version.stored_name)


def test_a_file_that_pretends_to_be_a_pdf_is_refused(family, alice_client):
    response = upload(alice_client, family, b"<script>alert(1)</script>", "brief.pdf")
    assert response.status_code == 200
    assert "Dit soort bestand kan niet in het dossier" in " ".join(
        response.context["form"].errors["file"]
    )
    assert not Document.objects.exists() and not StoredFile.objects.exists()


def test_an_executable_named_as_an_image_is_refused(family, alice_client):
    response = upload(alice_client, family, b"MZ\x90\x00" + b"\x00" * 200, "foto.jpg", "image/jpeg")
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_broken_image_is_refused(family, alice_client):
    truncated = jpeg_with_gps()[:40]
    response = upload(alice_client, family, truncated, "foto.jpg", "image/jpeg")
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists() and not StoredFile.objects.exists()


def test_a_too_large_file_is_refused(family, alice_client, settings):
    settings.DOCUMENT_MAX_MB = 1
    response = upload(alice_client, family, PDF + b"0" * (1024 * 1024))
    assert "Het bestand is te groot: hoogstens 1 MB." in " ".join(
        response.context["form"].errors["file"]
    )
    assert not Document.objects.exists()


def test_an_empty_upload_is_refused(family, alice_client):
    response = upload(alice_client, family, b"")
    assert "Het gekozen bestand is leeg." in " ".join(response.context["form"].errors["file"])
    response = alice_client.post(
        reverse("cases:document_upload", args=[family.pk]),
        {"kind": DocumentKind.LETTER, "date": timezone.localdate().isoformat()},
    )
    assert "Kies een bestand." in " ".join(response.context["form"].errors["file"])
    assert not Document.objects.exists()


def test_other_bad_input_saves_nothing(family, alice_client):
    from tests.factories import FamilyFactory, MemberFactory

    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    response = upload(
        alice_client, family, PDF, members=[stranger.pk], kind="diary", date="2999-01-01"
    )
    errors = response.context["form"].errors
    assert {"members", "kind", "date"} <= set(errors)
    assert not Document.objects.exists() and not StoredFile.objects.exists()


def test_images_lose_their_metadata(family, alice, alice_client):
    upload(alice_client, family, jpeg_with_gps(), "IMG_0001.JPG", "image/jpeg")
    stored = stored_bytes(DocumentVersion.objects.get())
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    # Turned upright by its orientation before the EXIF went.
    assert image.size == (30, 40)
    upload(alice_client, family, png_with_text(), "scan.png", "image/png")
    png = stored_bytes(DocumentVersion.objects.get(file_name="scan.png"))
    assert b"Naomi" not in png


def test_download_is_an_attachment_with_a_safe_name_and_is_logged(family, alice, bob_client):
    document = services.document_upload(
        family=family,
        by=alice,
        content=PDF,
        original_name='../Brief "Jänsen";.pdf',
        kind=DocumentKind.LETTER,
        date=timezone.localdate(),
    )
    version = document.versions.get()
    url = reverse("cases:document_download", args=[family.pk, document.pk, version.pk])
    response = bob_client.get(url)  # a reading colleague may download
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Brief_Jansen.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    row = AccessLog.objects.filter(family_id_ref=family.pk, action=AccessAction.EXPORT).get()
    assert row.object == f"document {document.pk} versie {version.pk}"


def test_document_urls_access(family, alice, bob_client, charlie_client, client):
    document = services.document_upload(
        family=family,
        by=alice,
        content=PDF,
        original_name="a.pdf",
        kind="letter",
        date=timezone.localdate(),
    )
    version = document.versions.get()
    reads = [
        reverse("cases:document_list", args=[family.pk]),
        reverse("cases:document_download", args=[family.pk, document.pk, version.pk]),
    ]
    writes = [
        reverse("cases:document_upload", args=[family.pk]),
        reverse("cases:document_replace", args=[family.pk, document.pk]),
        reverse("cases:document_remove", args=[family.pk, document.pk]),
    ]
    for url in reads:
        assert bob_client.get(url).status_code == 200, url
    for url in writes:
        assert bob_client.get(url).status_code == 403, url
        assert bob_client.post(url).status_code == 403, url
    for url in reads + writes:
        assert charlie_client.get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url
    assert bob_client.post(reads[1]).status_code == 405
    # A version of another family's document is 404, even for the own coach.
    from tests.factories import FamilyFactory

    other = FamilyFactory(team=family.team, coach=alice)
    assert (
        bob_client.get(
            reverse("cases:document_download", args=[other.pk, document.pk, version.pk])
        ).status_code
        == 404
    )
    assert Document.objects.filter(pk=document.pk).exists()


def test_replace_keeps_the_old_version(family, alice, alice_client):
    document = services.document_upload(
        family=family,
        by=alice,
        content=PDF,
        original_name="plan.pdf",
        kind="signed_plan",
        date=timezone.localdate(),
    )
    first = document.versions.get()
    url = reverse("cases:document_replace", args=[family.pk, document.pk])
    bad = alice_client.post(url, {"file": SimpleUploadedFile("plan.pdf", b"not a pdf")})
    assert "file" in bad.context["form"].errors
    response = alice_client.post(
        url, {"file": SimpleUploadedFile("plan-getekend.pdf", PDF + b"% signed\n")}
    )
    assert response.status_code == 302
    assert list(document.versions.order_by("number").values_list("number", "file_name")) == [
        (1, "plan.pdf"),
        (2, "plan-getekend.pdf"),
    ]
    assert default_storage.exists(first.stored_name)
    page = alice_client.get(reverse("cases:document_list", args=[family.pk])).content.decode()
    assert "plan-getekend.pdf" in page and "Eerdere versies" in page


def test_remove_asks_for_confirmation_and_is_logged(family, alice, alice_client):
    document = services.document_upload(
        family=family,
        by=alice,
        content=PDF,
        original_name="a.pdf",
        kind="letter",
        date=timezone.localdate(),
    )
    services.document_replace(document=document, by=alice, content=PDF, original_name="b.pdf")
    names = list(document.versions.values_list("stored_name", flat=True))
    url = reverse("cases:document_remove", args=[family.pk, document.pk])
    assert "kan niet ongedaan worden gemaakt" in alice_client.get(url).content.decode()
    unconfirmed = alice_client.post(url, {})
    assert unconfirmed.status_code == 200
    assert Document.objects.filter(pk=document.pk).exists()
    response = alice_client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not StoredFile.objects.filter(name__in=names).exists()
    assert AccessLog.objects.filter(
        family_id_ref=family.pk, action=AccessAction.DELETE, object=f"document {document.pk}"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_removed_files_leave_the_storage(family, alice, alice_client):
    document = services.document_upload(
        family=family,
        by=alice,
        content=PDF,
        original_name="a.pdf",
        kind="letter",
        date=timezone.localdate(),
    )
    name = document.versions.get().stored_name
    alice_client.post(
        reverse("cases:document_remove", args=[family.pk, document.pk]), {"confirm": "on"}
    )
    assert not default_storage.exists(name)


def test_refused_upload_in_the_service_stores_nothing(family, alice):
    with pytest.raises(RefusedFile):
        services.document_upload(
            family=family,
            by=alice,
            content=b"plain text",
            original_name="x.pdf",
            kind="letter",
            date=timezone.localdate(),
        )
    assert not StoredFile.objects.exists()


def test_destruction_removes_the_documents_and_their_files(
    family, alice, coordinator, django_capture_on_commit_callbacks
):
    document = services.document_upload(
        family=family,
        by=alice,
        content=PDF,
        original_name="a.pdf",
        kind="letter",
        date=timezone.localdate(),
    )
    services.document_replace(document=document, by=alice, content=PDF, original_name="b.pdf")
    names = list(DocumentVersion.objects.values_list("stored_name", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        record = family_destroy(
            family=family,
            by=coordinator,
            reason=DestructionReason.CLIENT_REQUEST,
            requested_by=DestructionRequester.PARENT,
            requested_on=timezone.localdate(),
        )
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    for name in names:
        assert not default_storage.exists(name)
    # The register keeps only that there was one document.
    assert record.document_count == 1


def test_the_full_afschrift_is_a_zip_with_pdf_json_and_documents(
    family, alice, coordinator_client, django_capture_on_commit_callbacks
):
    import json
    import zipfile

    from cases.models import RecordsExport, TaskState

    document = services.document_upload(
        family=family,
        by=alice,
        content=PDF,
        original_name="verwijsbrief.pdf",
        kind="referral",
        date=timezone.localdate(),
    )
    services.document_replace(
        document=document, by=alice, content=PDF + b"% v2\n", original_name="verwijsbrief.pdf"
    )
    upload_photo = services.document_upload(
        family=family,
        by=alice,
        content=jpeg_with_gps(),
        original_name="foto.jpg",
        kind="other",
        date=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("cases:records_export_zip", args=[family.pk]))
    assert response.status_code == 302
    export = RecordsExport.objects.get(family=family)
    assert export.state == TaskState.DONE, export.error
    download = coordinator_client.get(
        reverse("cases:records_export_download", args=[family.pk, export.pk, 1])
    )
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert "dossier.json" in names and "dossier-deel-1.pdf" in names
    documents = sorted(n for n in names if n.startswith("documenten/"))
    assert len(documents) == 3  # both versions of the letter, and the photo
    letters = [n for n in documents if n.endswith("verwijsbrief.pdf")]
    assert [n.rsplit("-", 2)[-2] for n in letters] == ["v1", "v2"]
    assert archive.read(letters[0]) == PDF
    assert archive.read(letters[1]) == PDF + b"% v2\n"
    photo = upload_photo.versions.get()
    assert archive.read(next(n for n in documents if n.endswith("foto.jpg"))) == stored_bytes(photo)
    records = json.loads(archive.read("dossier.json"))["records"]
    assert len(records["cases.DocumentVersion"]) == 3
    assert archive.read("dossier-deel-1.pdf").startswith(b"%PDF")
    # The ZIP itself is in the register, so destruction removes it too.
    assert StoredFile.objects.filter(family=family, name=export.files[0]["name"]).exists()
