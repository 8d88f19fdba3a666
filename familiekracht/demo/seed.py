"""The two ways in: the base demo (through the services) and the load-test families (batched)."""

from __future__ import annotations

import random

from django.utils import timezone

from cases.models import Family, Membership, Role
from familiekracht.demo import (
    agenda,
    base,
    elements,
    families,
    intake,
    legal,
    network,
    oversight,
    partners,
    phases,
    portal,
    reports,
    research,
    strengths,
)
from familiekracht.demo.users import DEMO_PASSWORD, create_teams_and_users
from reports.figures import paused, refresh_all


def seed_base() -> dict[str, int]:
    """Both teams, their users and 12 families each; returns the families made per team."""
    with paused():
        rng = random.Random(20261125)  # noqa: S311 - reproducible fictitious data
        made = create_teams_and_users()
        counters = base.Counters()
        counts = {}
        for team_name, team in made.teams.items():
            members = Membership.objects.filter(team=team).select_related("user")
            coaches = [m.user for m in members.filter(role=Role.COACH).order_by("user__username")]
            psychologist = next((m.user for m in members if m.role == Role.PSYCHOLOGIST), None)
            coordinator = next((m.user for m in members if m.role == Role.COORDINATOR), None)
            made_here = base.seed_team(
                team=team, coaches=coaches, psychologist=psychologist, rng=rng, counters=counters
            )
            agenda.seed(made_here, psychologist=psychologist, rng=rng)
            oversight.seed(
                team=team,
                families=made_here,
                coaches=coaches,
                psychologist=psychologist,
                coordinator=coordinator,
            )
            partners.seed(made_here, team=team, coordinator=coordinator)
            elements.seed(made_here, team=team, rng=random.Random(team.name))  # noqa: S311
            # Consent by age and legal measures, naming the team's partners (no random numbers).
            legal.seed(made_here, today=timezone.localdate())
            made_here += intake.seed(
                team=team,
                families=made_here,
                coaches=coaches,
                psychologist=psychologist,
                coordinator=coordinator,
                rng=rng,
                counters=counters,
            )
            counts[team_name] = len(made_here)
        research.seed(teams=list(made.teams.values()), researcher=made.users["onderzoeker"])
        # The family portal: ouder-zuidoost and jongere-zuidoost, with a plan to agree to.
        portal.seed(password=DEMO_PASSWORD)
        # The caseload's per-family figures and flags, as the write paths would have kept them.
        refresh_all()
        return counts


def seed_bulk(count: int) -> list[Family]:
    """`count` load-test families for the Zuidoost coaches, in batched inserts."""
    with paused():
        rng = random.Random(count)  # noqa: S311 - reproducible fictitious data
        made = create_teams_and_users()
        team = made.teams["Amsterdam Zuidoost"]
        coaches = [made.users["coach-zuidoost"], made.users["coach2-zuidoost"]]
        start = Family.objects.filter(team=team).count() + 1
        made_families = families.create_families(
            team=team,
            coaches=coaches,
            count=count,
            start_number=start,
            rng=rng,
            contacts_per_family=(4, 10),
            with_attendance=False,
        )
        # Phases first: the others look at the phase a family is in.
        phases.seed(made_families)
        strengths.seed(made_families)
        network.seed(made_families)
        reports.seed_reviews_and_questionnaires(made_families)
        # Batch inserts send no signals: the caseload figures and flags, a statement each.
        refresh_all()
        return made_families
