"""Demo data for network, called by `manage.py seed_demo` after the core families exist.

Fictitious people only. Base families get 6-15 network members with varied circles and
qualities (a few safety risks, a JIM), agreements (some overdue), a network meeting with an
evaluation, contacts naming network members; one or two families get a Krachtgezin.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Contact, Family, FamilyRole, FamilyStatus, Member
from network.models import (
    Agreement,
    AgreementEvaluation,
    AgreementStatus,
    AgreementWho,
    Circle,
    Direction,
    Evaluation,
    Krachtgezin,
    MeetingKind,
    NetworkMeeting,
    NetworkMember,
    Outcome,
    Quality,
    RespiteStay,
    SpecialRole,
    SupportType,
)

# (name, relation, circle, closeness, quality)
PEOPLE = [
    ("Oma Ria", "oma (moederskant)", Circle.FAMILY, 1, Quality.STRONG),
    ("Opa Henk", "opa", Circle.FAMILY, 2, Quality.FRAGILE),
    ("Tante Joyce", "tante", Circle.FAMILY, 1, Quality.STRONG),
    ("Oom Kevin", "oom", Circle.FAMILY, 3, Quality.BROKEN),
    ("Nicht Shirley", "nicht", Circle.FAMILY, 2, Quality.STRONG),
    ("Buurvrouw Els", "buurvrouw", Circle.NEIGHBOURHOOD, 1, Quality.STRONG),
    ("Buurman Ahmed", "buurman", Circle.NEIGHBOURHOOD, 2, Quality.FRAGILE),
    ("Vriendin Petra", "vriendin van moeder", Circle.FRIENDS, 1, Quality.STRONG),
    ("Vriend Dennis", "vriend van vader", Circle.FRIENDS, 2, Quality.STRESSFUL),
    ("Juf Anouk", "leerkracht groep 5", Circle.SCHOOL_WORK_CLUB, 2, Quality.STRONG),
    ("Trainer Marco", "voetbaltrainer", Circle.SCHOOL_WORK_CLUB, 3, Quality.STRONG),
    ("Imam Yusuf", "moskee", Circle.SCHOOL_WORK_CLUB, 3, Quality.FRAGILE),
    ("Huisarts Bos", "huisarts", Circle.PROFESSIONALS, 3, Quality.STRONG),
    ("Schuldhulp Lotte", "schuldhulpverlener", Circle.PROFESSIONALS, 2, Quality.FRAGILE),
    ("Ex-partner Rob", "ex-partner moeder", Circle.HOUSEHOLD, 3, Quality.STRESSFUL),
    ("Stiefbroer Jay", "stiefbroer", Circle.HOUSEHOLD, 1, Quality.STRONG),
]
WHAT = [
    ("Haalt de kinderen op woensdag uit school", "", "elke woensdag"),
    ("Gaat mee naar het gesprek met de woningcorporatie", "due", ""),
    ("Belt moeder elke zondagavond even", "", "elke zondag"),
    ("Zoekt uit of de jongste op voetbal kan", "due", ""),
    ("Neemt de kinderen een zaterdag mee naar de dierentuin", "due", ""),
]
KRACHTGEZIN_NAMES = [("Familie Veldhuis", "Anja Veldhuis"), ("Familie Kromo", "Dennis Kromo")]


def seed(families: Sequence[Family], *, bulk: bool = False) -> None:
    """Fill demo data for these families. `bulk` is set for load-test families (--families N)."""
    if bulk:
        _seed_bulk(families)
        return
    rng = random.Random(5)
    today = timezone.localdate()
    active = [f for f in families if f.status != FamilyStatus.REFERRED]
    krachtgezin_families = {f.pk for f in active[:2]}
    for family in families:
        _seed_family(rng, family, today, with_krachtgezin=family.pk in krachtgezin_families)


def _seed_bulk(families: Sequence[Family]) -> None:
    # Load-test families: a small fixed network each, in one bulk insert.
    rows = [
        NetworkMember(
            family=family,
            name=name,
            relation=relation,
            circle=circle,
            closeness=closeness,
            quality=quality,
        )
        for family in families
        for name, relation, circle, closeness, quality in PEOPLE[:6]
    ]
    NetworkMember.objects.bulk_create(rows, batch_size=5000)


def _seed_family(
    rng: random.Random, family: Family, today: datetime.date, *, with_krachtgezin: bool
) -> None:
    count = rng.randint(6, 15)
    people = rng.sample(PEOPLE, count)
    members: list[NetworkMember] = []
    for i, (name, relation, circle, closeness, quality) in enumerate(people):
        risk = quality == Quality.STRESSFUL and rng.random() < 0.6
        members.append(
            NetworkMember(
                family=family,
                name=name,
                relation=relation,
                circle=circle,
                closeness=closeness,
                quality=quality,
                direction=rng.choice(list(Direction)),
                support_types=sorted(rng.sample(SupportType.values, rng.randint(1, 3))),
                contact_frequency=rng.choice(["daily", "weekly", "monthly", "sometimes"]),
                willing_to_contribute=quality == Quality.STRONG,
                contribution="Wil helpen met opvang en boodschappen." if i % 3 == 0 else "",
                safety_risk=risk,
                safety_note="Dreigende taal bij de laatste ruzie." if risk else "",
            )
        )
    # Every family with children has a JIM: the eldest's chosen mentor.
    members.append(
        NetworkMember(
            family=family,
            name="Mentor Sanne",
            relation="JIM van de oudste",
            circle=Circle.FRIENDS,
            closeness=1,
            quality=Quality.STRONG,
            direction=Direction.GIVES,
            support_types=[SupportType.EMOTIONAL, SupportType.ADVICE],
            special_role=SpecialRole.JIM,
            willing_to_contribute=True,
        )
    )
    if with_krachtgezin:
        name, person = KRACHTGEZIN_NAMES[family.pk % 2]
        members.append(
            NetworkMember(
                family=family,
                name=name,
                relation="krachtgezin",
                circle=Circle.NEIGHBOURHOOD,
                closeness=2,
                quality=Quality.STRONG,
                direction=Direction.GIVES,
                support_types=[SupportType.RESPITE, SupportType.ADVICE],
                special_role=SpecialRole.KRACHTGEZIN,
                willing_to_contribute=True,
            )
        )
    members = NetworkMember.objects.bulk_create(members)
    if family.status == FamilyStatus.REFERRED:
        return

    household = list(family.members.all())
    contributors = [m for m in members if m.willing_to_contribute] or members
    # Some contacts in the log name network members present (for "last contact").
    contacts = list(Contact.objects.filter(family=family).order_by("-date")[:6])
    through = NetworkMember.contacts.through
    through.objects.bulk_create(
        through(contact_id=c.pk, networkmember_id=rng.choice(contributors).pk)
        for c in contacts[::2]
    )

    coach = family.coach or get_user_model().objects.filter(memberships__team=family.team).first()
    meeting = NetworkMeeting.objects.create(
        family=family,
        kind=rng.choice(list(MeetingKind)),
        date=today - datetime.timedelta(days=rng.randint(40, 90)),
        other_participants="gezinscoach",
        outcomes="Het netwerk neemt de woensdagmiddag en het contact met school op zich.",
        next_evaluation=today + datetime.timedelta(days=rng.randint(-10, 30)),
        created_by=coach,
    )
    meeting.family_members.set([m for m in household if m.role != FamilyRole.CHILD][:2])
    meeting.network_members.set(contributors[:4])

    agreements = []
    for i, (what, due, frequency) in enumerate(WHAT[: rng.randint(3, 5)]):
        who = contributors[i % len(contributors)]
        agreements.append(
            Agreement(
                family=family,
                who_kind=AgreementWho.NETWORK_MEMBER,
                network_member=who,
                what=what,
                # Half of the dated ones are overdue, the other half still ahead.
                due_date=(today + datetime.timedelta(days=rng.choice([-14, -3, 10, 21])))
                if due
                else None,
                frequency=frequency,
                meeting=meeting,
            )
        )
    parent = next((m for m in household if m.role != FamilyRole.CHILD), None)
    if parent:
        agreements.append(
            Agreement(
                family=family,
                who_kind=AgreementWho.FAMILY_MEMBER,
                family_member=parent,
                what="Opent de post samen met de buurvrouw",
                frequency="elke maandag",
                meeting=meeting,
            )
        )
    agreements.append(
        Agreement(
            family=family,
            who_kind=AgreementWho.PROFESSIONAL,
            professional="gezinscoach",
            what="Regelt een afspraak bij de schuldhulpverlening",
            due_date=today - datetime.timedelta(days=30),
            status=AgreementStatus.DONE,
            meeting=meeting,
        )
    )
    agreements = Agreement.objects.bulk_create(agreements)
    evaluation = Evaluation.objects.create(
        meeting=meeting,
        date=meeting.date + datetime.timedelta(days=28),
        note="Samen met oma en de buurvrouw de afspraken doorgelopen.",
        created_by=coach,
    )
    AgreementEvaluation.objects.bulk_create(
        AgreementEvaluation(evaluation=evaluation, agreement=a, outcome=rng.choice(list(Outcome)))
        for a in agreements
    )

    if with_krachtgezin:
        _seed_krachtgezin(family, household, today)


def _seed_krachtgezin(family: Family, household: list[Member], today: datetime.date) -> None:
    name, person = KRACHTGEZIN_NAMES[family.pk % 2]
    krachtgezin = Krachtgezin.objects.create(
        team=family.team,
        name=name,
        contact_person=person,
        registration="SKJ-registratie",
        hours_per_week=10,
        supported_family=family,
        intro_date=today - datetime.timedelta(days=50),
        intro_click=True,
        intro_safety=True,
        intro_note="Goede klik met moeder; de kinderen wilden meteen terugkomen.",
    )
    children = [m for m in household if m.role == FamilyRole.CHILD]
    if not children:
        return
    tz = timezone.get_current_timezone()
    stays = []
    for weeks_ago, hours in ((4, 8), (2, 30), (0, 6)):
        day = today - datetime.timedelta(weeks=weeks_ago, days=today.weekday())
        start = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=tz)
        stays.append(
            RespiteStay(
                krachtgezin=krachtgezin,
                child=children[weeks_ago % len(children)],
                start=start,
                end=start + datetime.timedelta(hours=hours),
                note="Logeren" if hours > 10 else "Middag spelen",
            )
        )
    RespiteStay.objects.bulk_create(stays)
