"""The one registry of files kept for a family.

Every app that keeps a file for a family (reports' plan PDFs now; exports and documents
later) writes it with `family_file_save`: the file goes to Django's default storage (the
private MEDIA_ROOT now, a bucket later) and gets a StoredFile row. Destruction
(cases.records.services.family_destroy) reads that register, so it removes every file of
the family whichever app made it, without knowing the apps above it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction

from cases.models import Family, StoredFile

logger = logging.getLogger(__name__)


class FamilyGone(Exception):
    """The family no longer exists (destroyed meanwhile): nothing is written for it."""


def family_file_save(*, family: Family, name: str, content: bytes | File, kind: str) -> str:
    """Write `content` as `name` in the default storage, registered for `family`; returns
    the name the storage used.

    A file of the same name is replaced, so a repeated run (a redelivered task) leaves
    one file. The family row is locked while the file is written, the same lock
    family_destroy takes: a file is either registered before a destruction (and removed
    by it) or refused after it (FamilyGone), never left behind unregistered.

    Call it outside other transactions, as reports.services.plan_pdf_render does: a
    rollback of an enclosing transaction cannot take a written file back.
    """
    stored = ""
    try:
        with transaction.atomic():
            if not Family.objects.select_for_update().filter(pk=family.pk).exists():
                raise FamilyGone(f"Family {family.pk} no longer exists.")
            owner = StoredFile.objects.filter(name=name).values_list("family_id", flat=True)
            if owner.first() not in (None, family.pk):
                raise ValueError(f"{name!r} is registered for another family.")
            if default_storage.exists(name):
                default_storage.delete(name)
            # Bytes, or an open file (the afschrift's ZIP, written to disk first).
            stored = default_storage.save(
                name, ContentFile(content) if isinstance(content, bytes) else content
            )
            StoredFile.objects.update_or_create(
                name=stored, defaults={"family": family, "kind": kind}
            )
    except BaseException:
        # No file without its register row.
        if stored:
            default_storage.delete(stored)
        raise
    return stored


def family_file_names(family: Family) -> list[str]:
    """The storage names of every file registered for the family."""
    return list(
        StoredFile.objects.filter(family=family).order_by("name").values_list("name", flat=True)
    )


def local_root() -> Path | None:
    """The folder of the default storage on this machine, or None (e.g. a bucket)."""
    try:
        return Path(default_storage.path("")).resolve()
    except NotImplementedError:
        return None


def prune_empty_folders(path: Path) -> None:
    """Remove `path`'s folders that are left empty, up to (not including) the storage root:
    an empty "plans/12/" still tells that family 12 had a plan PDF."""
    root = local_root()
    if root is None:
        return
    folder = path.resolve().parent
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        folder = folder.parent


def stored_files_delete(names: Iterable[str]) -> list[str]:
    """Delete these files from the default storage, and the folders they leave empty.

    Runs after the database change is committed, so it never raises: a file that cannot
    be deleted is logged by name (no personal data in it) and returned, for an operator.
    """
    root = local_root()
    failed = []
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("Could not delete stored file %s", name)
            failed.append(name)
            continue
        if root is not None:
            prune_empty_folders(root / name)
    return failed
