"""Writes to the agenda. Views call these; each is one transaction."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from cases import services as case_services
from cases.models import (
    CONTACT_MAX_MINUTES,
    CONTACT_MIN_MINUTES,
    Appointment,
    AppointmentPlace,
    AppointmentStatus,
    CalendarFeed,
    Contact,
    ContactKind,
    Family,
    Member,
    feed_token_hash,
)
from cases.sections import appointment_extensions


class AlreadyLogged(Exception):
    """The appointment was already turned into a contact or cancelled (another tab)."""


def _extension_names() -> set[str]:
    return {name for ext in appointment_extensions() for name in ext.field_names()}


def _check_extension_values(values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - _extension_names())
    if unknown:
        raise TypeError(f"unexpected appointment fields: {', '.join(unknown)}")


def _save_extensions(appointment: Appointment, values: dict[str, Any]) -> None:
    for extension in appointment_extensions():
        extension.save(appointment=appointment, values=values)


APPOINTMENT_FIELDS = ("kind", "date", "starts_at", "ends_at", "place", "purpose", "coach")


@transaction.atomic
def appointment_create(
    *,
    family: Family,
    by: Any,
    kind: str,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    coach: Any,
    place: str = AppointmentPlace.HOME,
    purpose: str = "",
    members: Iterable[Member] = (),
    colleagues: Iterable[Any] = (),
    **extension_values: Any,
) -> Appointment:
    """Plan an appointment; `extension_values` are the fields of APPOINTMENT_EXTENSIONS
    (network's `network_members_expected`)."""
    _check_extension_values(extension_values)
    appointment = Appointment.objects.create(
        family=family,
        kind=kind,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        purpose=purpose,
        coach=coach,
        created_by=by,
    )
    appointment.members.set(members)
    appointment.colleagues.set(colleagues)
    _save_extensions(appointment, extension_values)
    return appointment


@transaction.atomic
def appointment_update(
    *,
    appointment: Appointment,
    version: int | None,
    members: Iterable[Member] = (),
    colleagues: Iterable[Any] = (),
    **data: Any,
) -> Appointment:
    extension_values = {k: data.pop(k) for k in list(data) if k in _extension_names()}
    unknown = set(data) - set(APPOINTMENT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected appointment fields: {', '.join(sorted(unknown))}")
    case_services.claim_version(Appointment, pk=appointment.pk, version=version)
    for field, value in data.items():
        setattr(appointment, field, value)
    appointment.save(update_fields=[*data, "updated_at"])
    appointment.members.set(members)
    appointment.colleagues.set(colleagues)
    _save_extensions(appointment, extension_values)
    appointment.refresh_from_db(fields=["version"])
    return appointment


def _lock_planned(appointment: Appointment) -> Appointment:
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.PLANNED:
        raise AlreadyLogged
    return locked


@transaction.atomic
def appointment_cancel(*, appointment: Appointment) -> Appointment:
    locked = _lock_planned(appointment)
    locked.status = AppointmentStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def appointment_mark_held(*, appointment: Appointment) -> Appointment:
    """A planned meeting without a contact of its own (a case review) took place."""
    locked = _lock_planned(appointment)
    locked.status = AppointmentStatus.DONE
    locked.save(update_fields=["status", "updated_at"])
    return locked


def planned_to_record(*, family: Family, raw_id: str | None, kind: str) -> Appointment | None:
    """The family's planned appointment of `kind` named by a page's ?appointment=, if any:
    the network meeting or case review page then starts from it. Anything else is None."""
    if not raw_id or not raw_id.isdigit() or len(raw_id) > 18:
        return None
    return (
        Appointment.objects.filter(
            pk=int(raw_id), family=family, kind=kind, status=AppointmentStatus.PLANNED
        )
        .select_related("coach")
        .first()
    )


def held_if_planned(appointment: Appointment | None) -> None:
    """After its meeting was recorded: the appointment took place (once; quietly if a
    second tab already did it)."""
    if appointment is None:
        return
    with contextlib.suppress(AlreadyLogged):
        appointment_mark_held(appointment=appointment)


def contact_initial(appointment: Appointment) -> dict[str, Any]:
    """What the contact form starts with after the appointment: the coach adds the note and
    the domains. A home visit held at the office or a school is logged as such."""
    kind = appointment.contact_kind or ContactKind.OTHER
    if kind == ContactKind.HOME_VISIT and appointment.place == AppointmentPlace.OFFICE:
        kind = ContactKind.OFFICE
    elif kind == ContactKind.HOME_VISIT and appointment.place == AppointmentPlace.SCHOOL:
        kind = ContactKind.SCHOOL
    minutes = min(max(appointment.minutes, CONTACT_MIN_MINUTES), CONTACT_MAX_MINUTES)
    return {
        "date": appointment.date,
        "start_time": appointment.starts_at,
        "minutes": minutes,
        "kind": kind,
        "members_present": list(appointment.members.all()),
    }


@transaction.atomic
def appointment_log_contact(
    *, appointment: Appointment, author: Any, **contact_data: Any
) -> Contact:
    """Turn a planned appointment into a logged contact, once: a second tab gets
    AlreadyLogged and writes nothing."""
    locked = _lock_planned(appointment)
    contact = case_services.contact_create(family=locked.family, author=author, **contact_data)
    locked.contact = contact
    locked.status = AppointmentStatus.DONE
    locked.save(update_fields=["contact", "status", "updated_at"])
    return contact


@transaction.atomic
def calendar_feed_create(*, user: Any) -> str:
    """A new secret feed URL token for `user` (replacing any earlier one); returned once."""
    token = CalendarFeed.new_token()
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": feed_token_hash(token)}
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: Any) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
