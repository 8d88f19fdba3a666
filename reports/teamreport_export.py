"""The team report as tables to download: one sheet-like CSV and an XLSX workbook.

The figures come from `reports.teamreport.team_report`; this module only lays them out, as
the page does (templates/reports/teamreport_tables.html): each table with a title, a header
row and one row per line. The CSV holds the tables one below the other (a title row, a
header row, the rows, an empty row), with semicolons and decimal commas, as a Dutch
spreadsheet opens it; the workbook has one sheet per table and real numbers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reports.models import EXIT_ITEMS, IMPLEMENTATION_AREAS
from reports.questionnaires import IMPLEMENTATION_AREA_LABELS
from reports.teamreport import QUARTERS, TeamReport

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]


def _exit_labels() -> list[str]:
    labels = {
        "result": _("Resultaat"),
        "coach_rating": _("Coach"),
        "network_role": _("Netwerk"),
        "own_control": _("Eigen regie"),
    }
    return [labels[name] for name in EXIT_ITEMS]


def report_tables(report: TeamReport) -> list[Table]:
    """The report's tables in the page's order, with the page's headings."""
    year = report.year
    quarters = [f"Q{q} {year}" for q in QUARTERS]
    tables = [
        Table(
            _("Gezinnen per status (nu)"),
            [_("Status"), _("Gezinnen")],
            [[label, n] for label, n in report.by_status],
        ),
        Table(
            _("Actieve gezinnen per fase (nu)"),
            [_("Fase"), _("Gezinnen")],
            [[label, n] for label, n in report.by_phase],
        ),
        Table(
            _("Aanmeldingen per verwijzer per kwartaal, %(year)s") % {"year": year},
            [_("Verwijzer"), *quarters, _("Totaal")],
            [[label, *counts, total] for label, counts, total in report.referrals],
        ),
        Table(
            _("Duur per fase in dagen (fasen afgesloten in %(year)s)") % {"year": year},
            [
                _("Fase"),
                _("Afgesloten fasen"),
                _("Werkelijk (dagen, gem.)"),
                _("Gepland (dagen, gem.)"),
                _("Verschil"),
            ],
            [
                [r.label, r.episodes, r.actual_days, r.planned_days, r.difference]
                for r in report.durations
            ],
        ),
        Table(
            _("Uren per coach (vastgelegde contacten), %(year)s") % {"year": year},
            [_("Coach"), _("Uren")],
            [[name, hours] for name, hours in report.hours_per_coach],
        ),
        Table(
            _("Contacten buiten kantoortijd, %(year)s") % {"year": year},
            [
                _("Coach"),
                _("Contacten"),
                _("Buiten kantoortijd"),
                _("Aandeel buiten kantoortijd (%, van bekende tijden)"),
                _("Tijd onbekend"),
            ],
            [
                [r.label, r.contacts, r.outside, r.outside_share, r.unknown]
                for r in [*report.contact_times, report.contact_times_total]
            ]
            if report.contact_times
            else [],
        ),
        Table(
            _("SDM-Q-9 per kwartaal (0–100)"),
            [_("Kwartaal"), _("Aantal"), _("Gemiddelde")],
            [[label, n, avg] for label, n, avg in report.sdm_per_quarter],
        ),
        Table(
            _("SDM-Q-9 per coach (0–100)"),
            [_("Coach"), _("Aantal"), _("Gemiddelde")],
            [[label, n, avg] for label, n, avg in report.sdm_per_coach],
        ),
        Table(
            _("Verwijzingen naar partners per soort, aangevraagd in %(year)s") % {"year": year},
            [
                _("Soort partner"),
                _("Aangevraagd"),
                _("Gestart"),
                _("Afgewezen"),
                _("Wachttijd tot start (dagen, gem.)"),
                _("Wachttijd tot start (dagen, mediaan)"),
            ],
            [
                [
                    r.label,
                    r.asked,
                    r.started,
                    r.refused,
                    r.average_wait_days,
                    r.median_wait_days,
                ]
                for r in report.partner_referrals
            ],
        ),
    ]
    fidelity = report.fidelity
    tables.append(
        Table(
            _("Werken volgens de methode (open dossiers, nu), aandeel gedaan in procenten"),
            [
                _("Coach"),
                _("Gezinnen"),
                _("Alle onderdelen"),
                *(label for _key, label in fidelity.elements),
            ],
            [
                [
                    row.label,
                    row.families,
                    row.shares["all"].percentage,
                    *(row.shares[key].percentage for key, _l in fidelity.elements),
                ]
                for row in [*fidelity.rows, fidelity.total]
            ]
            if fidelity.rows
            else [],
        )
    )
    for title, first, rows in (
        (_("Eindvragenlijst per kwartaal (1–5)"), _("Kwartaal"), report.exit_per_quarter),
        (_("Eindvragenlijst per coach (1–5)"), _("Coach"), report.exit_per_coach),
    ):
        tables.append(
            Table(
                title,
                [first, _("Aantal"), *_exit_labels()],
                [[label, n, *(avgs.get(name) for name in EXIT_ITEMS)] for label, n, avgs in rows],
            )
        )
    tables.append(
        Table(
            _("Werkzame elementen per fase, contacten in %(year)s") % {"year": year},
            [_("Werkzaam element"), *report.phase_labels, _("Voor de eerste fase"), _("Totaal")],
            [[r.label, *r.per_phase, r.no_phase, r.total] for r in report.working_elements],
        )
    )
    tables.append(
        Table(
            _("SDM van de hulpverleners per kwartaal (0–100)"),
            [_("Kwartaal"), _("Aantal"), _("Gemiddelde")],
            [[label, n, avg] for label, n, avg in report.pro_sdm_per_quarter],
        )
    )
    # Averages only, never a name or a remark; a suppressed half year shows its count only.
    tables.append(
        Table(
            _("Uitvoering: wat helpt en hindert (1–5), %(year)s") % {"year": year},
            [
                _("Halfjaar"),
                _("Invullers"),
                *(str(IMPLEMENTATION_AREA_LABELS[a]) for a in IMPLEMENTATION_AREAS),
            ],
            [
                [
                    _("%(half)se halfjaar") % {"half": r.half},
                    r.respondents,
                    *(r.averages[a] for a in IMPLEMENTATION_AREAS),
                ]
                for r in report.implementation
            ],
        )
    )
    return tables


def _csv_cell(value: Cell) -> str:
    """Decimal commas, as a Dutch spreadsheet reads them beside ';' separators; a cell
    that starts like a formula is quoted with an apostrophe (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def team_report_csv(report: TeamReport) -> str:
    """All tables one below the other: title row, header row, rows, an empty row.

    Starts with a byte order mark, so a spreadsheet opens it as UTF-8 (names with ë, ï).
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [_("Teamrapport %(team)s, %(year)s") % {"team": report.team.name, "year": report.year}]
    )
    writer.writerow([])
    for table in report_tables(report):
        writer.writerow([table.title])
        writer.writerow(table.header)
        for row in table.rows:
            writer.writerow([_csv_cell(cell) for cell in row])
        writer.writerow([])
    return out.getvalue()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\, unique in the workbook.
    base = _SHEET_FORBIDDEN.sub("", title).strip()[:31].rstrip() or "Tabel"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def team_report_xlsx(report: TeamReport) -> bytes:
    """The report as a workbook: one sheet per table, its title above a bold header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in report_tables(report):
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(table.header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([float(c) if isinstance(c, Decimal) else c for c in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if isinstance(value, Decimal):
                    cell.number_format = "0.0"
                elif isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a name that looks like a formula stays text
        sheet.freeze_panes = "A3"
        sheet.column_dimensions["A"].width = max(
            [len(str(r[0] or "")) for r in table.rows] + [len(table.header[0]), 12]
        )
        for letter in "BCDEFGH"[: len(table.header) - 1]:
            sheet.column_dimensions[letter].width = 14
    workbook.properties.title = _("Teamrapport %(team)s, %(year)s") % {
        "team": report.team.name,
        "year": report.year,
    }
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
