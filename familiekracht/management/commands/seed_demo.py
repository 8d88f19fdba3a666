from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cases.models import Family
from familiekracht.demo import seed
from familiekracht.demo.portal import DEMO_PORTAL_USERS
from familiekracht.demo.users import DEMO_PASSWORD, DEMO_USERS, has_demo_data, has_real_data
from reports.figures import refresh_figures


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
        parser.add_argument(
            "--heavy-family",
            action="store_true",
            help="Also create one heavy family (1,500 contacts, 40 network members, "
            "10 plan versions) for load tests of the exports.",
        )

    def handle(
        self,
        *args: Any,
        families: int = 0,
        if_empty: bool = False,
        heavy_family: bool = False,
        **options: Any,
    ) -> None:
        if if_empty and Family.objects.exists():
            self.stdout.write("De database bevat al gezinnen; geen demogegevens geladen.")
            return
        if families < 0:
            raise CommandError("--families moet 0 of meer zijn.")
        if has_real_data():
            raise CommandError(
                "Deze database bevat echte gezinnen; demogegevens worden alleen in een lege "
                "database geladen."
            )
        with transaction.atomic():
            created_base = False
            if not has_demo_data():
                for team_name, count in seed.seed_base().items():
                    self.stdout.write(f"{team_name}: {count} gezinnen")
                created_base = True
            if families:
                seed.seed_bulk(families)
                self.stdout.write(f"{families} extra gezinnen voor Amsterdam Zuidoost")
            if heavy_family:
                from familiekracht.demo.heavy import seed_heavy_family

                heavy = seed_heavy_family()
                refresh_figures([heavy.pk])  # its contacts came in batches, without signals
                self.stdout.write(f"Zwaar gezin voor Amsterdam Zuidoost: {heavy.case_number}")
        if created_base:
            self.stdout.write(
                "Demogebruikers (alleen voor de demo), wachtwoord "
                f"'{DEMO_PASSWORD}': "
                + ", ".join([u[0] for u in DEMO_USERS] + [u[0] for u in DEMO_PORTAL_USERS])
            )
        elif not families and not heavy_family:
            self.stdout.write("Demogegevens waren al geladen.")
        total = Family.objects.count()
        self.stdout.write(self.style.SUCCESS(f"{total} gezinnen in de database."))
