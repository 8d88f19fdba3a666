"""Writes to family records. Views call these; each is one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from cases.models import CoachChangeKind, Contact, ContactRevision, Family, Member
from cases.sections import contact_form_extensions


class EditConflict(Exception):
    """Someone else saved the record after this edit started; nothing was written."""


class CaseNumberTaken(Exception):
    """Another family took this case number (in any case) between the form's check and the
    save: two intakes at once. The database constraint decided; nothing was written."""


def _save_case_number(save: Any, case_number: str) -> Any:
    """Run `save` in a savepoint; a clash on the case number becomes CaseNumberTaken."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        if Family.objects.filter(case_number__iexact=case_number).exists():
            raise CaseNumberTaken from None
        raise


def claim_version(model: type[models.Model], *, pk: int, version: int | None) -> None:
    """Bump the row's version if it still is `version`, or raise EditConflict.

    The UPDATE takes the row lock, so of two concurrent saves exactly one wins. Call it
    inside the transaction that writes the rest of the change.
    """
    updated = model._default_manager.filter(pk=pk, version=version).update(  # type: ignore[attr-defined]
        version=F("version") + 1
    )
    if updated != 1:
        raise EditConflict


@transaction.atomic
def family_create(*, data: dict[str, Any], involved: Iterable[Any] = ()) -> Family:
    family = _save_case_number(lambda: Family.objects.create(**data), data["case_number"])
    family.involved.set(involved)
    return family


@transaction.atomic
def family_update(
    *,
    family: Family,
    data: dict[str, Any],
    involved: Iterable[Any],
    version: int | None,
    by: Any = None,
) -> Family:
    claim_version(Family, pk=family.pk, version=version)
    previous_coach = Family.objects.get(pk=family.pk).coach
    for field, value in data.items():
        setattr(family, field, value)
    _save_case_number(
        lambda: family.save(update_fields=[*data.keys(), "updated_at"]), family.case_number
    )
    family.involved.set(involved)
    family.refresh_from_db(fields=["version"])
    if "coach" in data and data["coach"] != previous_coach:
        from cases.handover.services import coach_record

        coach_record(
            family=family,
            coach=data["coach"],
            previous=previous_coach,
            by=by,
            kind=CoachChangeKind.EDIT,
        )
    return family


@transaction.atomic
def family_set_safety(*, family: Family, by: Any, flag: bool, note: str) -> Family:
    if flag and not family.safety_flag:
        family.safety_raised_by = by
        family.safety_raised_at = timezone.now()
    elif not flag:
        family.safety_raised_by = None
        family.safety_raised_at = None
    family.safety_flag = flag
    family.safety_note = note if flag else ""
    family.save(
        update_fields=[
            "safety_flag",
            "safety_note",
            "safety_raised_by",
            "safety_raised_at",
            "updated_at",
        ]
    )
    return family


@transaction.atomic
def member_save(*, member: Member) -> Member:
    """Save a new member (the form or the demo data built it)."""
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, version: int | None, data: dict[str, Any]) -> Member:
    claim_version(Member, pk=member.pk, version=version)
    for field, value in data.items():
        setattr(member, field, value)
    member.save(update_fields=list(data.keys()))
    member.refresh_from_db(fields=["version"])
    return member


def _contact_snapshot(contact: Contact) -> dict[str, Any]:
    snapshot: dict[str, Any] = {
        "date": contact.date.isoformat(),
        "start_time": contact.start_time.isoformat("minutes") if contact.start_time else None,
        "minutes": contact.minutes,
        "kind": contact.kind,
        "members_present": sorted(m.pk for m in contact.members_present.all()),
    }
    # Other apps' fields of the contact (the network members present), shown in this place.
    for extension in contact_form_extensions():
        snapshot.update(extension.snapshot(contact))
    snapshot.update(domains=sorted(contact.domains), note=contact.note)
    return snapshot


def _check_extension_values(values: dict[str, Any]) -> None:
    """A name no extension owns is a caller's mistake, as an unknown keyword would be."""
    known = {name for ext in contact_form_extensions() for name in ext.field_names()}
    unknown = sorted(set(values) - known)
    if unknown:
        raise TypeError(f"unexpected contact fields: {', '.join(unknown)}")


def _nothing_chosen(value: Any) -> bool:
    """A multiple-choice field left empty: it cleans to `queryset.none()`.

    Reading that asks the database nothing, but Django still compiles the query first
    (about half a millisecond a field on every contact post), so it is handed on as the
    empty list it is."""
    return isinstance(value, models.QuerySet) and value.query.is_empty()


def _save_extensions(contact: Contact, values: dict[str, Any], *, created: bool = False) -> None:
    chosen = {name: [] if _nothing_chosen(value) else value for name, value in values.items()}
    for extension in contact_form_extensions():
        extension.save(contact=contact, values=chosen, created=created)


@transaction.atomic
def contact_create(
    *,
    family: Family,
    author: Any,
    date: datetime.date,
    minutes: int,
    kind: str,
    start_time: datetime.time | None = None,
    members_present: Iterable[Member] = (),
    domains: Iterable[str] = (),
    note: str = "",
    **extension_values: Any,
) -> Contact:
    """Log a contact; `extension_values` are the fields of CONTACT_FORM_EXTENSIONS (such as
    network.contact_form's `network_members_present`)."""
    _check_extension_values(extension_values)
    contact = Contact.objects.create(
        family=family,
        author=author,
        date=date,
        start_time=start_time,
        minutes=minutes,
        kind=kind,
        domains=sorted(set(domains)),
        note=note,
    )
    # A new contact has no one present yet: add, without reading what is there.
    if not _nothing_chosen(members_present) and (members := list(members_present)):
        contact.members_present.add(*members)
    _save_extensions(contact, extension_values, created=True)
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    by: Any,
    version: int | None,
    date: datetime.date,
    minutes: int,
    kind: str,
    start_time: datetime.time | None = None,
    members_present: Iterable[Member] = (),
    domains: Iterable[str] = (),
    note: str = "",
    **extension_values: Any,
) -> Contact:
    """Correct a contact; the before and after are kept as a revision."""
    _check_extension_values(extension_values)
    claim_version(Contact, pk=contact.pk, version=version)
    # From the database: a bound ModelForm may already have changed `contact` in memory.
    before = _contact_snapshot(Contact.objects.get(pk=contact.pk))
    contact.date = date
    contact.start_time = start_time
    contact.minutes = minutes
    contact.kind = kind
    contact.domains = sorted(set(domains))
    contact.note = note
    contact.save(
        update_fields=["date", "start_time", "minutes", "kind", "domains", "note", "updated_at"]
    )
    contact.members_present.set([] if _nothing_chosen(members_present) else members_present)
    _save_extensions(contact, extension_values)
    after = _contact_snapshot(contact)
    if before != after:
        ContactRevision.objects.create(contact=contact, changed_by=by, before=before, after=after)
    contact.refresh_from_db(fields=["version"])
    return contact
