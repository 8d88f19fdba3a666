"""Consent by the Jeugdwet's age rules: who has to agree before (part of) the file goes to
someone outside the team.

For each child the shared document concerns (a plan: every child of the family), on the
day it is shared (a birthday counts from the day itself):

- under 12 (or without a known birth date): the parents with gezag;
- 12 up to 16: the parents with gezag and the child;
- 16 and older: the young person alone.

A recipient is one of the team's partners or a name: a consent counts for it when both
name the same partner, or otherwise when the names are the same (ignoring case and
surrounding spaces).

Every parent with gezag has to agree. Without a member with gezag (a voogd outside the
family) a consent given by someone else (`given_by_name`) stands for the parents. Several
consents for the same recipient add up; a consent counts from `valid_from` up to and
including `valid_until`, and no longer from the day it was withdrawn. The ages are
settings.CONSENT_AGES.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from cases.models import Consent, Family, FamilyRole, Member, Partner, age_on


class Cell:
    """What a child's row says for one recipient (the records page's matrix)."""

    COVERED = "covered"
    MISSING = "missing"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass
class ChildCover:
    child: Member
    age: int | None
    # Who still has to agree, as the staff pages say it ("Naomi Jansen (ouder met gezag)").
    missing: list[str] = field(default_factory=list)
    state: str = Cell.MISSING

    @property
    def covered(self) -> bool:
        return self.state == Cell.COVERED


@dataclass
class ShareCheck:
    recipient: str
    on_date: datetime.date
    children: list[ChildCover]
    # The valid consents for the recipient on the day, newest first.
    consents: list[Consent]
    partner: Partner | None = None

    @property
    def covered(self) -> bool:
        return bool(self.consents) and all(c.covered for c in self.children)

    @property
    def consent(self) -> Consent | None:
        """The consent an export records (the newest that counts), when covered."""
        return self.consents[0] if self.covered else None

    @property
    def missing(self) -> list[str]:
        seen: list[str] = []
        for child in self.children:
            for label in child.missing:
                if label not in seen:
                    seen.append(label)
        return seen

    @property
    def message(self) -> str:
        """ "Nog nodig: toestemming van … (ouder met gezag) en van … (14 jaar)." """
        missing = self.missing
        if not missing:
            return "" if self.covered else _("Nog nodig: een geldige toestemming.")
        parts = [_("van %(who)s") % {"who": who} for who in missing]
        joined = (
            parts[0]
            if len(parts) == 1
            else _("%(first)s en %(last)s")
            % {
                "first": ", ".join(parts[:-1]),
                "last": parts[-1],
            }
        )
        return _("Nog nodig: toestemming %(who)s.") % {"who": joined}


def consent_age(name: str) -> int:
    return int(settings.CONSENT_AGES[name])


def is_child(member: Member) -> bool:
    return member.role == FamilyRole.CHILD


def family_consents(family: Family) -> QuerySet[Consent]:
    """The family's consents with what the rules read, in three queries."""
    members = Member.objects.only("id", "name")
    return family.consents.select_related(
        "given_by_member", "recorded_by", "partner"
    ).prefetch_related(
        Prefetch("given_by_members", queryset=members),
        Prefetch("concerns_members", queryset=members),
    )


def _same_recipient(consent: Consent, recipient: str, partner_id: int | None = None) -> bool:
    """The same partner when both name one, else the same name (ignoring case, trimmed)."""
    if partner_id is not None and consent.partner_id is not None:
        return consent.partner_id == partner_id
    return consent.recipient_name.strip().casefold() == recipient.strip().casefold()


def _about(consent: Consent, child: Member) -> bool:
    concerns = list(consent.concerns_members.all())
    return not concerns or any(m.pk == child.pk for m in concerns)


def child_cover(
    child: Member,
    *,
    members: list[Member],
    consents: list[Consent],
    on_date: datetime.date,
) -> ChildCover:
    """Whether the recipient's consents (`consents`: all of them, any state) cover `child`."""
    about = [c for c in consents if _about(c, child)]
    valid = [c for c in about if c.is_valid_on(on_date)]
    givers = {m.pk for c in valid for m in c.givers()}
    by_someone_else = any(c.given_by_name.strip() for c in valid)
    age = age_on(child.date_of_birth, on_date) if child.date_of_birth else None
    needs_parents = age is None or age < consent_age("CHILD_ALONE_FROM")
    needs_child = age is not None and age >= consent_age("WITH_CHILD_FROM")
    missing: list[str] = []
    if needs_parents:
        parents = [m for m in members if m.has_parental_authority and m.pk != child.pk]
        if parents:
            missing += [
                _("%(name)s (ouder met gezag)") % {"name": p.name}
                for p in parents
                if p.pk not in givers
            ]
        elif not by_someone_else:
            missing.append(
                _("de voogd of wettelijk vertegenwoordiger van %(name)s") % {"name": child.name}
            )
    if needs_child and child.pk not in givers:
        missing.append(_("%(name)s (%(age)s jaar)") % {"name": child.name, "age": age})
    if valid and not missing:
        state = Cell.COVERED
    elif any(c.is_withdrawn_on(on_date) for c in about):
        state = Cell.WITHDRAWN
    elif any(c.is_expired_on(on_date) for c in about):
        state = Cell.EXPIRED
    else:
        state = Cell.MISSING
    return ChildCover(child=child, age=age, missing=missing, state=state)


def share_check(
    family: Family,
    recipient: str | Partner,
    on_date: datetime.date,
    *,
    concerns: Iterable[Member] | None = None,
    members: list[Member] | None = None,
    consents: list[Consent] | None = None,
) -> ShareCheck:
    """Whether the family's consents let a document go to `recipient` (one of the team's
    partners or a name) on `on_date`.

    `concerns`: the members the document is about (their children are checked); None for a
    document about the whole family, such as the plan. `members` and `consents` (with what
    family_consents prefetches) may be passed in when the caller has them already.
    """
    members = list(family.members.all()) if members is None else members
    consents = list(family_consents(family)) if consents is None else consents
    partner = recipient if isinstance(recipient, Partner) else None
    name = partner.name if partner is not None else recipient
    partner_id = partner.pk if partner is not None else None
    mine = [c for c in consents if _same_recipient(c, name, partner_id)]
    mine.sort(key=lambda c: (c.valid_from, c.pk), reverse=True)
    if concerns is None:
        children = [m for m in members if is_child(m)]
    else:
        wanted = {m.pk for m in concerns}
        children = [m for m in members if m.pk in wanted and is_child(m)]
    covers = [child_cover(c, members=members, consents=mine, on_date=on_date) for c in children]
    valid = [c for c in mine if c.is_valid_on(on_date)]
    return ShareCheck(
        recipient=name.strip(), on_date=on_date, children=covers, consents=valid, partner=partner
    )


@dataclass
class MatrixRow:
    recipient: str
    check: ShareCheck
    partner: Partner | None = None


def consent_matrix(
    family: Family, on_date: datetime.date, *, members: list[Member], consents: list[Consent]
) -> list[MatrixRow]:
    """One row per recipient named in the family's consents, with each child's cell:
    covered, missing (who), withdrawn or expired.

    A partner's row (its name and kind) takes its consents and the free-text ones that spell
    its name; the other names get a row each (ignoring case). A team's partners have
    distinct names, so grouping by name keeps each partner on one row.
    """
    recipients: dict[str, str | Partner] = {}
    for consent in sorted(consents, key=lambda c: c.recipient_name.casefold()):
        key = consent.recipient_name.strip().casefold()
        if consent.partner_id is not None and not isinstance(recipients.get(key), Partner):
            recipients[key] = consent.partner  # type: ignore[assignment]
        else:
            recipients.setdefault(key, consent.recipient_name.strip())
    return [
        MatrixRow(
            recipient=recipient.name if isinstance(recipient, Partner) else recipient,
            check=share_check(family, recipient, on_date, members=members, consents=consents),
            partner=recipient if isinstance(recipient, Partner) else None,
        )
        for recipient in recipients.values()
    ]
