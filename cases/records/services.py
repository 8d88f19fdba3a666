"""Records rules (DOMAIN.md, Jeugdwet): retention, destruction, the client's own statement,
consent for sharing, and the export of everything held on a family (inzage/afschrift).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.utils import timezone

from cases import storage
from cases.models import (
    AccessLog,
    ClientStatement,
    Consent,
    DestructionRecord,
    Family,
    FamilyStatus,
    Member,
    Partner,
    Team,
)
from cases.records.consent import share_check

logger = logging.getLogger(__name__)


# --- Retention -------------------------------------------------------------------------


def retention_years() -> int:
    return int(settings.FAMILIEKRACHT["RETENTION_YEARS"])


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _change_field(model: type[models.Model]) -> str | None:
    """The field that says when a row last changed: auto_now, else auto_now_add."""
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
    for attribute in ("auto_now", "auto_now_add"):
        for field in fields:
            if getattr(field, attribute):
                return field.name
    return None


def _with_last_change(families: models.QuerySet[Family]) -> models.QuerySet[Family]:
    """Annotate `last_change`: the latest change to the family or any record under it.

    Every model with a foreign key to Family and an auto_now(_add) timestamp counts, so
    the records of apps added later (phases, network, strengths, plans) restart the
    retention period too. Subqueries, not joins: one row per family.
    """
    latest = []
    for relation in Family._meta.related_objects:
        if relation.many_to_many:
            continue
        model = relation.related_model
        field = _change_field(model)  # type: ignore[arg-type]
        if field is None:
            continue
        subquery = Subquery(
            model._default_manager.filter(**{relation.field.name: OuterRef("pk")})  # type: ignore[union-attr]
            .order_by()
            .values(relation.field.name)
            .annotate(last=Max(field))
            .values("last")
        )
        latest.append(Coalesce(subquery, "updated_at"))
    if not latest:
        return families.annotate(last_change=models.F("updated_at"))
    return families.annotate(last_change=Greatest("updated_at", *latest))


def retention_until(family: Family) -> datetime.date:
    """The date until which the family's file must be kept (last change + retention)."""
    annotated = _with_last_change(Family.objects.filter(pk=family.pk)).values_list(
        "last_change", flat=True
    )
    last_change = annotated.first() or family.updated_at
    return _add_years(timezone.localtime(last_change).date(), retention_years())


def families_due_for_destruction(teams: Iterable[Team]) -> list[Family]:
    """Closed families whose retention period is over: the coordinator's destruction list."""
    cutoff = timezone.now()
    families = _with_last_change(
        Family.objects.filter(team__in=list(teams), status=FamilyStatus.CLOSED)
    ).select_related("team", "coach")
    due = []
    for family in families.order_by("last_change"):
        family.retention_until = _add_years(  # type: ignore[attr-defined]
            timezone.localtime(family.last_change).date(),  # type: ignore[attr-defined]
            retention_years(),
        )
        if family.retention_until < cutoff.date():  # type: ignore[attr-defined]
            due.append(family)
    return due


# --- Everything held on a family -------------------------------------------------------


def _forward(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f  # type: ignore[misc]
        for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one and not f.primary_key
    ]


def _loaded(model: type[models.Model], queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The queryset with what the exports read of each row: its forward foreign keys and
    theirs (`str()` of a row or of what it points to often names the next one, e.g. a score's
    sheet and its moment) and its many-to-many values, each in one query for all rows
    instead of one per row."""
    forward = []
    for field in _forward(model):
        forward.append(field.name)
        forward += [f"{field.name}__{f.name}" for f in _forward(field.related_model)]  # type: ignore[arg-type]
    many = [f.name for f in model._meta.many_to_many]
    return queryset.select_related(*forward).prefetch_related(*many)


def family_records(family: Family) -> list[models.Model]:
    """The family and every object that hangs from it, in any app.

    Walks the reverse foreign keys (`_meta.related_objects`) from the family outwards, so
    models added later by other apps (phases, network, strengths, plans) are included
    without a change here. One query per model and relation, for all the family's rows of
    it at once (plus one per many-to-many field), so the number of queries does not grow
    with the family's size. Many-to-many values are serialised with their owner.
    """
    seen: set[tuple[str, Any]] = {(family._meta.label, family.pk)}
    ordered: list[models.Model] = [family]
    frontier: dict[type[models.Model], list[Any]] = {type(family): [family.pk]}
    while frontier:
        found: dict[type[models.Model], list[Any]] = {}
        for model, ids in frontier.items():
            for relation in model._meta.related_objects:
                if relation.many_to_many or relation.related_model is AccessLog:
                    continue
                related = relation.related_model
                manager = related._base_manager  # type: ignore[union-attr]
                rows = _loaded(
                    related,  # type: ignore[arg-type]
                    manager.filter(**{f"{relation.field.name}__in": ids}).order_by("pk"),
                )
                for obj in rows:
                    key = (obj._meta.label, obj.pk)
                    if key in seen:
                        continue
                    seen.add(key)
                    ordered.append(obj)
                    found.setdefault(type(obj), []).append(obj.pk)
        frontier = found
    return ordered


def _grouped(objects: list[models.Model]) -> dict[str, list[models.Model]]:
    groups: dict[str, list[models.Model]] = {}
    for obj in objects:
        groups.setdefault(obj._meta.label, []).append(obj)
    return groups


def family_export_json(family: Family, *, by: Any) -> str:
    """Inzage/afschrift as JSON: every record of the family, model by model."""
    return export_json_text(family, family_records(family), by=by)


def export_json_text(family: Family, records: list[models.Model], *, by: Any) -> str:
    data = {
        "exported_at": timezone.now(),
        "exported_by": by.get_username(),
        "case_number": family.case_number,
        "records": {
            label: serializers.serialize("python", objs)
            for label, objs in _grouped(records).items()
        },
    }
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _display(obj: models.Model, field: models.Field) -> str:
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.name)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def _readable_sections(family: Family) -> list[dict[str, Any]]:
    return readable_sections(family_records(family))


def readable_sections(records: list[models.Model]) -> list[dict[str, Any]]:
    """The records as the PDF shows them: one section per kind, one row per record."""
    sections = []
    for objs in _grouped(records).values():
        meta = objs[0]._meta
        rows = []
        for obj in objs:
            fields = [
                (str(field.verbose_name), _display(obj, field))
                for field in meta.concrete_fields
                if not field.primary_key
                and field.name not in ("family", "version")
                and not isinstance(field, models.FileField)
            ]
            fields += [
                (
                    str(field.verbose_name),
                    ", ".join(str(o) for o in getattr(obj, field.name).all()) or "–",
                )
                for field in meta.many_to_many
            ]
            rows.append({"title": str(obj), "fields": fields})
        sections.append({"title": str(meta.verbose_name_plural).capitalize(), "rows": rows})
    return sections


def family_export_pdf(family: Family, *, by: Any) -> bytes:
    """Inzage/afschrift as one plain PDF (a small family; the background export splits a
    big one into volumes: export_pdf_volumes)."""
    return next(export_pdf_volumes(family, family_records(family), by=by, per_volume=None))


def export_pdf_volumes(
    family: Family, records: list[models.Model], *, by: Any, per_volume: int | None
) -> Iterator[bytes]:
    """The records as PDF volumes of at most `per_volume` records each (None: one volume),
    each kind of record with its fields, through the one renderer (only the project's
    static files can be fetched). A generator: one volume's document is in memory at a
    time, which is what keeps a heavy family's export within the worker's memory."""
    # Imported here: WeasyPrint is heavy and only this export needs it.
    from cases.pdf import render_pdf

    rows = [
        (section["title"], row) for section in readable_sections(records) for row in section["rows"]
    ]
    size = per_volume or max(len(rows), 1)
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]
    exported_at = timezone.now()
    for number, chunk in enumerate(chunks, start=1):
        sections: list[dict[str, Any]] = []
        for title, row in chunk:
            if not sections or sections[-1]["title"] != title:
                sections.append({"title": title, "rows": []})
            sections[-1]["rows"].append(row)
        html = render_to_string(
            "cases/records_export_pdf.html",
            {
                "family": family,
                "sections": sections,
                "exported_at": exported_at,
                "exported_by": by,
                "volume": number,
                "volumes": len(chunks),
            },
        )
        yield render_pdf(html)


# --- Destruction -----------------------------------------------------------------------


def case_pseudonym(case_number: str) -> str:
    """A keyed hash of the case number: the same number gives the same value, and the
    number cannot be read back from it without the key."""
    key = f"destruction-register:{settings.SECRET_KEY}".encode()
    return hmac.new(key, case_number.encode(), hashlib.sha256).hexdigest()


def family_media_paths(family: Family, records: list[models.Model]) -> list[Path]:
    """Files and folders held for the family outside the register (cases.storage): the
    folders files were written to before it (MEDIA_ROOT/families/<id>, MEDIA_ROOT/plans/<id>)
    and every FileField."""
    root = Path(settings.MEDIA_ROOT)
    paths = [root / "families" / str(family.pk), root / "plans" / str(family.pk)]
    for obj in records:
        for field in obj._meta.concrete_fields:
            if isinstance(field, models.FileField):
                value = getattr(obj, field.name)
                if value and value.name:
                    paths.append(root / value.name)
    return paths


def _remove_paths(paths: list[Path]) -> None:
    root = Path(settings.MEDIA_ROOT).resolve()
    for path in paths:
        resolved = path.resolve()
        # Never leave MEDIA_ROOT, whatever a stored file name says.
        if root not in resolved.parents:
            continue
        if resolved.is_dir():
            shutil.rmtree(resolved, ignore_errors=True)
        elif resolved.exists():
            resolved.unlink()
        storage.prune_empty_folders(resolved)


def _remove_files(names: list[str], paths: list[Path]) -> None:
    storage.stored_files_delete(names)
    _remove_paths(paths)


@transaction.atomic
def family_destroy(
    *,
    family: Family,
    by: Any,
    reason: str,
    requested_by: str,
    requested_on: datetime.date,
) -> DestructionRecord:
    """Destroy the family's file: its personal data (the family and everything that
    cascades from it) and its files, every one in the register of stored files
    (cases.storage) plus the older folders. A register entry without personal data remains.

    Raises django.db.models.ProtectedError when another app protects a record; then
    nothing is removed.
    """
    # The lock cases.storage.family_file_save takes too: no file of the family can be
    # written (and missed) while it is destroyed.
    family = Family.objects.select_for_update().get(pk=family.pk)
    records = family_records(family)
    names = storage.family_file_names(family)
    paths = family_media_paths(family, records)
    record = DestructionRecord.objects.create(
        case_ref=case_pseudonym(family.case_number),
        team=family.team,
        case_year=family.referral_date.year,
        reason=reason,
        requested_by=requested_by,
        requested_on=requested_on,
        carried_out_by=by,
        document_count=family.documents.count(),
    )
    _admin_history_delete(records)
    family.delete()
    # Files go only once the database change is certain.
    transaction.on_commit(lambda: _remove_files(names, paths))
    return record


def _admin_history_delete(records: list[models.Model]) -> None:
    """Remove the Django admin's change history of the family's records: its rows keep each
    object's name (e.g. a family's or member's name). The admin no longer holds family
    records (cases.admin), so only rows from before that remain to be found."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    ids: dict[type[models.Model], list[str]] = {}
    for obj in records:
        ids.setdefault(type(obj), []).append(str(obj.pk))
    content_types = ContentType.objects.get_for_models(*ids)
    for model, pks in ids.items():
        LogEntry.objects.filter(content_type=content_types[model], object_id__in=pks).delete()


# --- Statements and consent ------------------------------------------------------------


@transaction.atomic
def statement_add(
    *, family: Family, by: Any, statement_date: datetime.date, given_by: str, text: str
) -> ClientStatement:
    return ClientStatement.objects.create(
        family=family,
        recorded_by=by,
        statement_date=statement_date,
        given_by=given_by,
        text=text,
    )


@transaction.atomic
def consent_add(
    *,
    family: Family,
    by: Any,
    given_by_member: Member | Iterable[Member] | None,
    given_by_name: str,
    organisation: str,
    purpose: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    concerns_members: Iterable[Member] = (),
    partner: Partner | None = None,
) -> Consent:
    """Record a consent; `given_by_member` is one member or every member who agreed.
    `partner`: the team's partner it is given to (its name is kept in `organisation`)."""
    if partner is not None and partner.team_id != family.team_id:
        raise ValueError("A consent names a partner of the family's own team.")
    if isinstance(given_by_member, Member):
        givers = [given_by_member]
    else:
        givers = sorted(given_by_member or [], key=lambda m: (m.date_of_birth is None, m.pk))
    consent = Consent.objects.create(
        family=family,
        recorded_by=by,
        given_by_member=givers[0] if givers else None,
        given_by_name=given_by_name,
        partner=partner,
        organisation=partner.name if partner is not None else organisation.strip(),
        purpose=purpose,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    consent.given_by_members.set(givers)
    consent.concerns_members.set(list(concerns_members))
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent: Consent, withdrawn_on: datetime.date, withdrawn_by: str
) -> Consent:
    """Withdraw a consent from `withdrawn_on` on (that day no longer counts). Kept, not
    deleted: the file shows what was shared while it stood."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = withdrawn_by.strip()
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    return consent


def consent_covering(
    family: Family,
    organisation: str | Partner,
    on_date: datetime.date,
    *,
    concerns: Iterable[Member] | None = None,
) -> Consent | None:
    """The consent that lets the family's file go to `organisation` on `on_date`, if the
    consents for it satisfy the Jeugdwet's age rules for every child concerned
    (cases.records.consent; `concerns` None: the whole family, as for the plan).

    A partner is matched on itself where the consent names one, a name on the name,
    ignoring case and surrounding spaces. Used
    by every export for someone outside the team (the family plan PDF among them).
    """
    return share_check(family, organisation, on_date, concerns=concerns).consent
