"""Inzage/afschrift built off the request: a RecordsExport row the user sees (queued,
running, done, failed), a Celery task that builds it (cases.tasks.build_records_export), and
the files in the family's register of stored files (cases.storage), so destruction removes
them too.

The build reads the family with one query per model (services.family_records), and writes
a big PDF as volumes of PDF_VOLUME_RECORDS records, one rendered at a time: a heavy family
(1,500 contacts) stays well within the worker's memory limit.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases import storage, taskstate
from cases.models import (
    Family,
    RecordsExport,
    RecordsExportFormat,
    StoredFileKind,
    TaskState,
)
from cases.records import services

logger = logging.getLogger(__name__)

RECENT_EXPORTS = 5


def pdf_volume_records() -> int:
    return int(settings.FAMILIEKRACHT["EXPORT_PDF_VOLUME_RECORDS"])


def recent_exports(family: Family) -> list[RecordsExport]:
    return list(
        RecordsExport.objects.filter(family=family).select_related("requested_by")[:RECENT_EXPORTS]
    )


def file_name(export: RecordsExport, volume: int) -> str:
    """The storage name of one volume; fixed, so a second run replaces instead of adds."""
    extension = "json" if export.format == RecordsExportFormat.JSON else "pdf"
    return f"exports/{export.family_id}/{export.pk}-{volume}.{extension}"


@transaction.atomic
def records_export_request(*, family: Family, by: Any, format: str) -> RecordsExport:
    """Record the request; the task builds it once the request is committed."""
    export = RecordsExport.objects.create(family=family, requested_by=by, format=format)
    taskstate.send(RecordsExport, export.pk)
    return export


@transaction.atomic
def records_export_retry(*, export: RecordsExport) -> RecordsExport:
    """Queue a failed export again (the "Opnieuw proberen" button)."""
    updated = RecordsExport.objects.filter(pk=export.pk, state=TaskState.FAILED).update(
        state=TaskState.QUEUED, error="", attempts=0, state_changed_at=timezone.now()
    )
    if updated:
        taskstate.send(RecordsExport, export.pk)
    export.refresh_from_db()
    return export


def records_export_build(*, export_id: int) -> RecordsExport | None:
    """Build one export. Safe to run twice: a finished export is left alone, and the file
    names are fixed per export and volume, so a repeated run replaces its files.

    Not one transaction on purpose: "running" must be visible while it builds.
    """
    with transaction.atomic():
        export = (
            RecordsExport.objects.select_for_update()
            .select_related("family", "requested_by")
            .filter(pk=export_id)
            .first()
        )
        if export is None:
            logger.warning("Records export %s no longer exists; nothing to build.", export_id)
            return None
        if export.state == TaskState.DONE:
            return export
        export.state = TaskState.RUNNING
        export.state_changed_at = timezone.now()
        export.attempts += 1
        export.save(update_fields=["state", "state_changed_at", "attempts"])

    family, by = export.family, export.requested_by
    records = services.family_records(family)
    if export.format == RecordsExportFormat.JSON:
        contents: Any = iter([services.export_json_text(family, records, by=by).encode()])
    else:
        contents = services.export_pdf_volumes(
            family, records, by=by, per_volume=pdf_volume_records()
        )
    files = []
    for volume, data in enumerate(contents, start=1):
        name = storage.family_file_save(
            family=family,
            name=file_name(export, volume),
            content=data,
            kind=StoredFileKind.EXPORT,
        )
        files.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        del data  # only one volume in memory at a time
    export.files = files
    export.state = TaskState.DONE
    export.error = ""
    export.finished_at = export.state_changed_at = timezone.now()
    export.save(update_fields=["files", "state", "error", "finished_at", "state_changed_at"])
    return export


def records_export_failed(*, export_id: int, error: str, final: bool) -> None:
    """Note a failed attempt; after the last retry the export is "mislukt"."""
    state = TaskState.FAILED if final else TaskState.QUEUED
    RecordsExport.objects.filter(pk=export_id).exclude(state=TaskState.DONE).update(
        state=state, error=error[:2000], state_changed_at=timezone.now()
    )
