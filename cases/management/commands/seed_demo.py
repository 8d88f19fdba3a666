from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cases import demo, services
from cases.models import Family, Membership, Role


class Command(BaseCommand):
    help = "Fill an empty database with fictitious demo teams, users and families."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds families (used by `make run`).",
        )
        parser.add_argument(
            "--families",
            type=int,
            default=0,
            help="Also create this many extra families for the Zuidoost coaches (load tests).",
        )

    def handle(self, *args: Any, families: int = 0, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Family.objects.exists():
            self.stdout.write("De database bevat al gezinnen; geen demogegevens geladen.")
            return
        if families < 0:
            raise CommandError("--families moet 0 of meer zijn.")
        if demo.has_real_data():
            raise CommandError(
                "Deze database bevat echte gezinnen; demogegevens worden alleen in een lege "
                "database geladen."
            )
        with transaction.atomic():
            created_base = False
            if not demo.has_demo_data():
                self._seed_base()
                created_base = True
            if families:
                self._seed_bulk(families)
        if created_base:
            self.stdout.write(
                "Demogebruikers (alleen voor de demo), wachtwoord "
                f"'{demo.DEMO_PASSWORD}': " + ", ".join(u[0] for u in demo.DEMO_USERS)
            )
        elif not families:
            self.stdout.write("Demogegevens waren al geladen.")
        total = Family.objects.count()
        self.stdout.write(self.style.SUCCESS(f"{total} gezinnen in de database."))

    def _seed_base(self) -> None:
        rng = random.Random(20261125)  # noqa: S311 - reproducible fictitious data
        made = demo.create_teams_and_users()
        all_families = []
        for team_name, team in made.teams.items():
            coaches = list(
                Membership.objects.filter(team=team, role=Role.COACH)
                .select_related("user")
                .order_by("user__username")
            )
            families = demo.create_families(
                team=team,
                coaches=[m.user for m in coaches],
                count=12,
                start_number=1,
                rng=rng,
            )
            # One family per team with a safety flag (meldcode), raised by its coach.
            flagged = families[3]
            services.family_set_safety(
                family=flagged,
                by=flagged.coach,
                flag=True,
                note="Signalen van huiselijk geweld; afwegingskader meldcode doorlopen, "
                "veiligheidsplan met moeder gemaakt.",
            )
            # Give the psychologist an involved role on a few families, as in practice.
            psych = Membership.objects.filter(team=team, role=Role.PSYCHOLOGIST).first()
            if psych:
                for family in families[:3]:
                    family.involved.add(psych.user)
            all_families.extend(families)
            self.stdout.write(f"{team_name}: {len(families)} gezinnen")
        self._seed_apps(all_families, bulk=False)

    def _seed_bulk(self, count: int) -> None:
        rng = random.Random(count)  # noqa: S311
        made = demo.create_teams_and_users()
        team = made.teams["Amsterdam Zuidoost"]
        coaches = [made.users["coach-zuidoost"], made.users["coach2-zuidoost"]]
        start = Family.objects.filter(team=team).count() + 1
        families = demo.create_families(
            team=team,
            coaches=coaches,
            count=count,
            start_number=start,
            rng=rng,
            contacts_per_family=(4, 10),
            with_attendance=False,
        )
        self._seed_apps(families, bulk=True)
        self.stdout.write(f"{count} extra gezinnen voor Amsterdam Zuidoost")

    def _seed_apps(self, families: list, *, bulk: bool) -> None:
        # Each app fills its own demo data for these families (phases first: the others
        # may look at the phase a family is in).
        from network import demo as network_demo
        from phases import demo as phases_demo
        from reports import demo as reports_demo
        from strengths import demo as strengths_demo

        for module in (phases_demo, strengths_demo, network_demo, reports_demo):
            module.seed(families, bulk=bulk)
