"""The family's documents in its inzage/afschrift (cases.records.exports): every version of
every document, under a readable, safe name inside the archive's "documenten/" folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage

from cases.models import DocumentVersion, Family

FOLDER = "documenten"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ExportedDocument:
    arcname: str
    stored_name: str
    size: int


def family_documents(family: Family) -> list[ExportedDocument]:
    versions = (
        DocumentVersion.objects.filter(document__family=family)
        .select_related("document")
        .order_by("document__date", "document_id", "number")
    )
    return [
        ExportedDocument(
            arcname=(
                f"{FOLDER}/{v.document.date:%Y-%m-%d}-{v.document.kind}-{v.document_id}"
                f"-v{v.number}-{v.file_name}"
            ),
            stored_name=v.stored_name,
            size=v.size,
        )
        for v in versions
    ]


def read_chunks(stored_name: str) -> Iterator[bytes]:
    """The stored file in pieces, so a large document never sits whole in memory."""
    with default_storage.open(stored_name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk
