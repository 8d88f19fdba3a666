"""Writes to partners, their contact people and referrals; each is one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Family,
    Member,
    Partner,
    PartnerContact,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Team,
)
from cases.services import claim_version

# Where a referral may go from each status. Refused and finished are final: asking again
# is a new referral, so the history of the first stays as it was.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    ReferralStatus.REQUESTED: (
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.WAITING,
        ReferralStatus.STARTED,
        ReferralStatus.REFUSED,
    ),
    ReferralStatus.IN_PROGRESS: (
        ReferralStatus.WAITING,
        ReferralStatus.STARTED,
        ReferralStatus.REFUSED,
    ),
    ReferralStatus.WAITING: (
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.STARTED,
        ReferralStatus.REFUSED,
    ),
    ReferralStatus.STARTED: (ReferralStatus.FINISHED,),
    ReferralStatus.REFUSED: (),
    ReferralStatus.FINISHED: (),
}


class PartnerNameTaken(Exception):
    """Another partner of the team took this name between the form's check and the save."""


class ReferralError(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _save_name(save: Any) -> Any:
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise PartnerNameTaken from None


@transaction.atomic
def partner_create(*, team: Team, data: dict[str, Any]) -> Partner:
    return _save_name(lambda: Partner.objects.create(team=team, **data))  # type: ignore[no-any-return]


@transaction.atomic
def partner_update(*, partner: Partner, version: int | None, data: dict[str, Any]) -> Partner:
    claim_version(Partner, pk=partner.pk, version=version)
    for field, value in data.items():
        setattr(partner, field, value)
    _save_name(lambda: partner.save(update_fields=list(data)))
    partner.refresh_from_db(fields=["version"])
    return partner


@transaction.atomic
def partner_archive(*, partner: Partner, archived: bool) -> Partner:
    """Archive (or bring back) a partner: it stays on every record that names it, but is no
    longer offered in choices. Partners are never deleted once a family record names them."""
    partner.archived_at = timezone.now() if archived else None
    partner.save(update_fields=["archived_at"])
    return partner


@transaction.atomic
def partner_contact_create(*, partner: Partner, data: dict[str, Any]) -> PartnerContact:
    return PartnerContact.objects.create(partner=partner, **data)


@transaction.atomic
def partner_contact_update(
    *, contact: PartnerContact, version: int | None, data: dict[str, Any]
) -> PartnerContact:
    claim_version(PartnerContact, pk=contact.pk, version=version)
    for field, value in data.items():
        setattr(contact, field, value)
    contact.save(update_fields=list(data))
    contact.refresh_from_db(fields=["version"])
    return contact


@transaction.atomic
def partner_contact_archive(*, contact: PartnerContact, archived: bool) -> PartnerContact:
    contact.archived_at = timezone.now() if archived else None
    contact.save(update_fields=["archived_at"])
    return contact


def _check_referral(
    *, family: Family, partner: Partner, members: list[Member], whole_family: bool
) -> None:
    # The forms say the same; the service holds the rule for every caller (the demo too).
    if partner.team_id != family.team_id:
        raise ReferralError(_("Kies een partner van het team van dit gezin."))
    if any(member.family_id != family.pk for member in members):
        raise ReferralError(_("Kies alleen gezinsleden van dit gezin."))
    if not whole_family and not members:
        raise ReferralError(_("Kies voor wie de verwijzing is, of ‘het hele gezin’."))


@transaction.atomic
def referral_create(
    *,
    family: Family,
    partner: Partner,
    by: Any,
    reason: str,
    asked_on: datetime.date,
    members: Iterable[Member] = (),
    whole_family: bool = False,
    expected_answer_on: datetime.date | None = None,
    notes: str = "",
) -> Referral:
    members = list(members)
    _check_referral(family=family, partner=partner, members=members, whole_family=whole_family)
    referral = Referral.objects.create(
        family=family,
        partner=partner,
        whole_family=whole_family,
        reason=reason,
        asked_on=asked_on,
        expected_answer_on=expected_answer_on,
        notes=notes,
        created_by=by,
    )
    if members and not whole_family:
        referral.members.add(*members)
    ReferralStatusChange.objects.create(
        referral=referral, status=ReferralStatus.REQUESTED, on=asked_on, by=by
    )
    return referral


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    version: int | None,
    reason: str,
    asked_on: datetime.date,
    members: Iterable[Member] = (),
    whole_family: bool = False,
    expected_answer_on: datetime.date | None = None,
    notes: str = "",
) -> Referral:
    """Correct what a referral asks (not its status: referral_status_change keeps that)."""
    members = list(members)
    _check_referral(
        family=referral.family,
        partner=referral.partner,
        members=members,
        whole_family=whole_family,
    )
    if referral.started_on is not None and asked_on > referral.started_on:
        raise ReferralError(_("De aanvraag kan niet na de start van de hulp liggen."))
    claim_version(Referral, pk=referral.pk, version=version)
    referral.reason = reason
    referral.asked_on = asked_on
    referral.whole_family = whole_family
    referral.expected_answer_on = expected_answer_on
    referral.notes = notes
    referral.save(
        update_fields=[
            "reason",
            "asked_on",
            "whole_family",
            "expected_answer_on",
            "notes",
            "updated_at",
        ]
    )
    referral.members.set([] if whole_family else members)
    referral.refresh_from_db(fields=["version"])
    return referral


@transaction.atomic
def referral_status_change(
    *,
    referral: Referral,
    by: Any,
    status: str,
    on: datetime.date,
    note: str = "",
    expected_answer_on: datetime.date | None = None,
) -> Referral:
    """Move a referral to `status` on the day `on`, keeping the step in its history.

    "Gestart" records the day the help started (the waiting time asked→started ends
    there); a new expected answer date replaces the old one (e.g. "wacht op plek, bericht
    over vier weken").
    """
    # The row locked: two status changes at once are taken one after the other.
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in NEXT_STATUSES.get(current.status, ()):
        raise ReferralError(
            _("Van ‘%(from)s’ kan een verwijzing niet naar ‘%(to)s’.")
            % {
                "from": ReferralStatus(current.status).label,
                "to": ReferralStatus(status).label if status in ReferralStatus.values else status,
            }
        )
    if on < current.asked_on:
        raise ReferralError(_("Deze datum ligt vóór de aanvraag; kies een latere datum."))
    fields = ["status", "updated_at", "version"]
    referral.status = status
    referral.version = current.version + 1
    if status == ReferralStatus.STARTED:
        referral.started_on = on
        fields.append("started_on")
    if expected_answer_on is not None:
        referral.expected_answer_on = expected_answer_on
        fields.append("expected_answer_on")
    referral.save(update_fields=fields)
    ReferralStatusChange.objects.create(
        referral=referral,
        status=status,
        previous_status=current.status,
        on=on,
        note=note,
        by=by,
    )
    return referral


@transaction.atomic
def family_regisseur_set(
    *, family: Family, user: Any = None, contact: PartnerContact | None = None
) -> Family:
    """Name the family's regisseur: a team member or a partner's contact person (or none).
    The family form sets both fields with the rest; this is for the demo and other callers."""
    if user is not None and contact is not None:
        raise ReferralError(
            _("Kies als regisseur een teamlid of een contactpersoon van een partner, niet allebei.")
        )
    if contact is not None and contact.partner.team_id != family.team_id:
        raise ReferralError(_("Kies een partner van het team van dit gezin."))
    family.regisseur_user = user
    family.regisseur_contact = contact
    family.save(update_fields=["regisseur_user", "regisseur_contact", "updated_at"])
    return family
