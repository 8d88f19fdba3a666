"""Writes to the family's documents. Views and the demo data call these.

The file goes through the storage register first (cases.storage.family_file_save, which
takes the family's lock so a destruction cannot leave it behind), then the rows are made;
if they fail, the file is taken back out.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.documents.content import check_upload, safe_file_name
from cases.models import Document, DocumentVersion, Family, Member, StoredFile, StoredFileKind
from cases.storage import family_file_save, stored_files_delete


def _store(*, family: Family, content: bytes) -> tuple[str, Any]:
    checked = check_upload(content)
    # A random name: the storage never holds a name the user typed (it could hold a name).
    name = f"documents/{family.pk}/{uuid.uuid4().hex}.{checked.extension}"
    stored = family_file_save(
        family=family, name=name, content=checked.content, kind=StoredFileKind.DOCUMENT
    )
    return stored, checked


def _unstore(name: str) -> None:
    StoredFile.objects.filter(name=name).delete()
    stored_files_delete([name])


def document_upload(
    *,
    family: Family,
    by: Any,
    content: bytes,
    original_name: str,
    kind: str,
    date: datetime.date,
    members: Iterable[Member] = (),
    description: str = "",
) -> Document:
    """A new document with its first version. Raises content.RefusedFile for a type the
    file may not hold (nothing is stored then)."""
    stored, checked = _store(family=family, content=content)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                family=family, kind=kind, date=date, description=description, created_by=by
            )
            document.members.set(members)
            DocumentVersion.objects.create(
                document=document,
                number=1,
                stored_name=stored,
                file_name=safe_file_name(original_name, checked.extension),
                content_type=checked.content_type,
                size=len(checked.content),
                uploaded_by=by,
            )
    except BaseException:
        _unstore(stored)
        raise
    return document


def document_replace(
    *, document: Document, by: Any, content: bytes, original_name: str
) -> DocumentVersion:
    """A new version of the document; the earlier ones stay in its history."""
    stored, checked = _store(family=document.family, content=content)
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = DocumentVersion.objects.create(
                document=locked,
                number=number,
                stored_name=stored,
                file_name=safe_file_name(original_name, checked.extension),
                content_type=checked.content_type,
                size=len(checked.content),
                uploaded_by=by,
            )
    except BaseException:
        _unstore(stored)
        raise
    return version


@transaction.atomic
def document_remove(*, document: Document) -> int:
    """Remove the document with every version and its files; returns the files removed.
    The gate's log row (action delete) is the trace that it was there."""
    names = list(document.versions.values_list("stored_name", flat=True))
    StoredFile.objects.filter(family_id=document.family_id, name__in=names).delete()
    document.delete()
    # The files go once the rows are gone for good; a failure is logged, never raised.
    transaction.on_commit(lambda: stored_files_delete(names))
    return len(names)


@transaction.atomic
def document_share(*, document: Document, by: Any, shared: bool = True) -> Document:
    """Share the document with the family in its portal (who, when), or undo that. The
    portal offers the current version of a shared document; the gate logs the change."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    locked.shared_by = by if shared else None
    locked.shared_at = timezone.now() if shared else None
    locked.save(update_fields=["shared_by", "shared_at"])
    return locked
