from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.archive import access_log_archive, archive_verify


class Command(BaseCommand):
    help = (
        "Write one month of the access log (with its hashes) to a gzipped JSON-lines file "
        "and its SHA-256, and check the file; or check an existing file (--verify). "
        "Removes nothing from the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM, in Europe/Amsterdam time")
        parser.add_argument("--to", type=Path, help="folder for the file")
        parser.add_argument("--verify", type=Path, help="check this archive file")

    def handle(
        self, *args: Any, month: str | None, to: Path | None, verify: Path | None, **options: Any
    ) -> None:
        if verify is None:
            if not month or not to:
                raise CommandError("Geef --month JJJJ-MM en --to MAP, of --verify BESTAND.")
            try:
                result = access_log_archive(month=month, folder=to)
            except ValueError as exc:
                raise CommandError(f"Ongeldige maand {month!r}: gebruik JJJJ-MM.") from exc
            verify = result.path
            self.stdout.write(f"{result.rows} regels naar {result.path} (sha256 {result.sha256})")
        ok, rows, why = archive_verify(verify)
        if not ok:
            raise CommandError(f"Het archiefbestand {verify} klopt niet ({why}).")
        self.stdout.write(f"{rows} regels in {verify} gecontroleerd: de keten klopt.")
