"""One heavy family for load tests of the exports: 1,500 contacts (with who was there),
40 network members and 10 plan versions (`seed_demo --heavy-family`).

The bulk path of the load-test families (families.create_families, phases, strengths,
network) for the many rows, and the plan services for the versions, as the base demo does.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from cases.models import Contact, ContactKind, Family, LifeDomain
from familiekracht.demo import base, families, phases, strengths
from familiekracht.demo.families import NOTES
from familiekracht.demo.network import PEOPLE
from familiekracht.demo.users import create_teams_and_users
from network.models import NetworkMember

CONTACTS = 1500
NETWORK_MEMBERS = 40
PLAN_VERSIONS = 10


def seed_heavy_family(
    *,
    contacts: int = CONTACTS,
    network_members: int = NETWORK_MEMBERS,
    plan_versions: int = PLAN_VERSIONS,
    seed: int = 1500,
) -> Family:
    """Make one active family of this size for the Zuidoost coach and return it."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fictitious data
    made = create_teams_and_users()
    team = made.teams["Amsterdam Zuidoost"]
    coach = made.users["coach-zuidoost"]
    start = Family.objects.filter(team=team).count() + 1
    # create_families gives the first family of a batch the status "active".
    (family,) = families.create_families(
        team=team,
        coaches=[coach],
        count=1,
        start_number=start,
        rng=rng,
        contacts_per_family=(0, 0),
        with_attendance=False,
    )
    # Phases first (they set the referral date), then the contacts inside the trajectory.
    phases.seed([family])
    strengths.seed([family])
    family.refresh_from_db()
    _contacts(family, count=contacts, rng=rng)
    NetworkMember.objects.bulk_create(
        [
            NetworkMember(
                family=family,
                name=f"{name} {i // len(PEOPLE) + 1}" if i >= len(PEOPLE) else name,
                relation=relation,
                circle=circle,
                closeness=closeness,
                quality=quality,
            )
            for i, (name, relation, circle, closeness, quality) in enumerate(
                PEOPLE[j % len(PEOPLE)] for j in range(network_members)
            )
        ]
    )
    if plan_versions:
        # plan_versions - 1 fixed versions and the draft after them: `plan_versions` plans.
        base.seed_plan(family, rng=rng, by=coach, fixed_versions=plan_versions - 1)
    return family


def _contacts(family: Family, *, count: int, rng: random.Random) -> None:
    """`count` contacts between the referral and today, each with 1-3 members present."""
    today = timezone.localdate()
    days = max((today - family.referral_date).days, 1)
    made = Contact.objects.bulk_create(
        [
            Contact(
                family=family,
                date=family.referral_date + datetime.timedelta(days=i * days // count),
                minutes=rng.choice([15, 30, 45, 60, 90, 120, 150]),
                kind=rng.choice(ContactKind.values),
                domains=sorted(rng.sample(LifeDomain.values, rng.randint(1, 3))),
                note=rng.choice(NOTES),
                author_id=family.coach_id,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    present = list(family.members.all())
    through = Contact.members_present.through
    through.objects.bulk_create(
        [
            through(contact_id=contact.pk, member_id=member.pk)
            for contact in made
            for member in rng.sample(present, min(len(present), rng.randint(1, 3)))
        ],
        batch_size=5000,
    )
