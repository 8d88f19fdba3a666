"""The demo's partners, referrals and regisseurs, made through the services the views call.

Each team gets the partners it works with (Zuidoost: the buurtteam, volwassenen-ggz and the
crisisdienst among others; Den Haag: the GI, jeugd-ggz and a school), with contact people
and one archived partner. The families get referrals in every status (one waiting for an
answer past its date, one asked today that is not yet due), some families have none; a few
have a regisseur (a partner's contact person or a colleague), and one contact was attended
by professionals. Everything is fictitious.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from cases import services as case_services
from cases.models import (
    ContactKind,
    Family,
    FamilyStatus,
    LifeDomain,
    Partner,
    PartnerContact,
    PartnerKind,
    ReferralStatus,
    Team,
)
from cases.partners import services

# (name, kind, phone, [(contact name, role, phone, e-mail)]); the last partner is archived.
PARTNERS = {
    "Amsterdam Zuidoost": [
        (
            "Buurtteam Zuidoost",
            PartnerKind.NEIGHBOURHOOD_TEAM,
            "020 555 0101",
            [
                ("Sandra Kwakye", "regisseur", "020 555 0111", "s.kwakye@example.org"),
                ("Mehmet Aydın", "schuldhulpverlener", "020 555 0112", ""),
            ],
        ),
        (
            "Volwassenen-ggz Zuidoost",
            PartnerKind.ADULT_MENTAL_HEALTH,
            "020 555 0202",
            [("Dr. Petra de Wit", "behandelaar", "020 555 0211", "p.dewit@example.org")],
        ),
        (
            "Crisisdienst Amsterdam",
            PartnerKind.CRISIS,
            "020 555 0303",
            [("Dienstdoende crisisdienst", "crisisdienst", "020 555 0303", "")],
        ),
        (
            "Huisartsenpraktijk Bijlmerdreef",
            PartnerKind.GP,
            "020 555 0404",
            [("Dr. Jan Osei", "huisarts", "", "")],
        ),
        ("Spring Up Krachtgezinnen", PartnerKind.STRONG_FAMILIES, "", []),
        ("Wijkcentrum De Kikker", PartnerKind.OTHER, "", []),
    ],
    "Den Haag": [
        (
            "Jeugdbescherming west",
            PartnerKind.CERTIFIED_INSTITUTION,
            "070 555 0101",
            [("Ilse Vermeulen", "jeugdbeschermer", "070 555 0111", "i.vermeulen@example.org")],
        ),
        (
            "Jeugd-ggz Haaglanden",
            PartnerKind.YOUTH_MENTAL_HEALTH,
            "070 555 0202",
            [("Rachid el Amrani", "behandelaar", "070 555 0211", "")],
        ),
        (
            "Mondriaan College",
            PartnerKind.SCHOOL,
            "070 555 0303",
            [("Lotte Bakker", "zorgcoördinator", "070 555 0311", "l.bakker@example.org")],
        ),
        ("Veilig Thuis Haaglanden", PartnerKind.VEILIG_THUIS, "0800 2000", []),
        ("Gemeente Den Haag, Jeugd", PartnerKind.MUNICIPALITY, "14 070", []),
        ("Sociaal team Escamp", PartnerKind.NEIGHBOURHOOD_TEAM, "", []),
    ],
}

REASONS = [
    "Behandeling van de angstklachten van moeder.",
    "Hulp bij de schulden en de huurachterstand.",
    "Onderzoek naar de concentratieproblemen op school.",
    "Traumabehandeling na de uithuisplaatsing.",
    "Ondersteuning bij de opvoeding, naast de gezinscoach.",
    "Plek in de naschoolse opvang.",
]


def _partners(team: Team) -> list[Partner]:
    made = []
    rows = PARTNERS.get(team.name, [])
    for name, kind, phone, contacts in rows:
        partner = services.partner_create(
            team=team, data={"name": name, "kind": kind, "phone": phone}
        )
        for person, role, tel, email in contacts:
            services.partner_contact_create(
                partner=partner, data={"name": person, "role": role, "phone": tel, "email": email}
            )
        made.append(partner)
    if made:
        services.partner_archive(partner=made[-1], archived=True)
    return made[:-1]


def seed(families: Sequence[Family], *, team: Team, coordinator: Any | None) -> None:
    partners = _partners(team)
    if not partners or not families:
        return
    today = timezone.localdate()
    active = [f for f in families if f.status == FamilyStatus.ACTIVE]
    # (days ago asked, statuses it went through, days to an expected answer from asked)
    plans: list[tuple[int, list[str], int | None]] = [
        (60, [ReferralStatus.IN_PROGRESS, ReferralStatus.STARTED], 21),
        (45, [ReferralStatus.WAITING], 14),  # the answer date has passed: reminded
        (30, [ReferralStatus.REFUSED], 14),
        (120, [ReferralStatus.STARTED, ReferralStatus.FINISHED], 14),
        (0, [], 28),  # asked today, the answer is not due yet
        (20, [ReferralStatus.IN_PROGRESS], 30),
    ]
    # The first active family has none; the others get one or two.
    for index, (ago, steps, answer_in) in enumerate(plans):
        family = active[1 + index % (len(active) - 1)] if len(active) > 1 else active[0]
        _referral(
            family,
            partner=partners[index % len(partners)],
            reason=REASONS[index % len(REASONS)],
            asked_on=today - datetime.timedelta(days=ago),
            steps=steps,
            answer_in=answer_in,
            whole_family=index % 3 == 0,
        )
    # Regisseurs: a partner's contact person for one family, a colleague for another.
    contact = PartnerContact.objects.filter(partner__in=partners).order_by("pk").first()
    if contact is not None and len(active) > 2:
        services.family_regisseur_set(family=active[1], contact=contact)
    if coordinator is not None and len(active) > 3:
        services.family_regisseur_set(family=active[2], user=coordinator)
    # One network meeting with a partner's professional and a colleague present.
    if contact is not None and len(active) > 1 and coordinator is not None:
        family = active[1]
        case_services.contact_create(
            family=family,
            author=family.coach,
            date=today - datetime.timedelta(days=3),
            minutes=90,
            kind=ContactKind.NETWORK_MEETING,
            members_present=list(family.members.all()[:2]),
            domains=[LifeDomain.CARE, LifeDomain.PARENT],
            note="Overleg met de regisseur van het buurtteam over wie wat oppakt.",
            colleagues_present=[coordinator],
            partner_contacts_present=[contact],
        )


def _referral(
    family: Family,
    *,
    partner: Partner,
    reason: str,
    asked_on: datetime.date,
    steps: list[str],
    answer_in: int | None,
    whole_family: bool,
) -> None:
    members = [] if whole_family else list(family.members.all()[:1])
    referral = services.referral_create(
        family=family,
        partner=partner,
        by=family.coach,
        reason=reason,
        asked_on=asked_on,
        members=members,
        whole_family=whole_family or not members,
        expected_answer_on=(
            asked_on + datetime.timedelta(days=answer_in) if answer_in is not None else None
        ),
    )
    today = timezone.localdate()
    span = (today - asked_on).days
    for number, status in enumerate(steps, start=1):
        on = asked_on + datetime.timedelta(days=span * number // (len(steps) + 1))
        services.referral_status_change(
            referral=referral, by=family.coach, status=status, on=on, note=""
        )
