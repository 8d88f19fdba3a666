"""The coordinator's team report, its CSV and print page, against hand-computed figures."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client

from cases.models import AccessAction, AccessLog, FamilyStatus
from phases.models import PhaseEpisode
from reports.models import ExitQuestionnaire, SdmResponse
from reports.questionnaires import sdm_score
from reports.teamreport import team_report
from tests.factories import ContactFactory, FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _episode(family, kind, started, planned, ended=None):  # type: ignore[no-untyped-def]
    return PhaseEpisode.objects.create(
        family=family,
        kind=kind,
        started_on=started,
        planned_end=planned,
        ended_on=ended,
        weeks_min=2,
        weeks_max=2,
        hours_min=Decimal(5),
        hours_max=Decimal(10),
    )


def _sdm(family, coach, day, value):  # type: ignore[no-untyped-def]
    items = [value] * 9
    return SdmResponse.objects.create(
        family=family,
        member=family.members.first(),
        moment="start",
        date=day,
        coach=coach,
        score=sdm_score(items),
        recorded_by=coach,
        **{f"item_{i}": value for i in range(1, 10)},
    )


@pytest.fixture
def data(team, other_team, alice, bob, charlie):  # type: ignore[no-untyped-def]
    f1 = FamilyFactory(team=team, coach=alice, referrer="gp", referral_date=D(2025, 2, 10))
    f2 = FamilyFactory(
        team=team,
        coach=alice,
        referrer="gp",
        referral_date=D(2025, 5, 1),
        status=FamilyStatus.CLOSED,
    )
    f3 = FamilyFactory(team=team, coach=bob, referrer="okt", referral_date=D(2025, 5, 20))
    f4 = FamilyFactory(
        team=team,
        coach=bob,
        referrer="okt",
        referral_date=D(2024, 12, 30),
        status=FamilyStatus.REFERRED,
    )
    elsewhere = FamilyFactory(
        team=other_team, coach=charlie, referrer="gp", referral_date=D(2025, 1, 1)
    )
    for family in (f1, f2, f3, f4, elsewhere):
        MemberFactory(family=family, name="Ouder", role="mother")
        MemberFactory(family=family, name="Kind")
    # Closed episodes in 2025: start (21 of 14 days), start (14 of 14), analysis (70 of 42).
    _episode(f1, "start", D(2025, 2, 10), D(2025, 2, 24), D(2025, 3, 3))
    _episode(f1, "analysis", D(2025, 3, 3), D(2025, 4, 14), D(2025, 5, 12))
    _episode(f1, "execution", D(2025, 5, 12), D(2026, 2, 9))
    _episode(f2, "start", D(2025, 5, 1), D(2025, 5, 15), D(2025, 5, 15))
    _episode(f3, "start", D(2025, 5, 20), D(2025, 6, 3))
    _episode(f4, "start", D(2024, 11, 1), D(2024, 11, 15), D(2024, 12, 1))  # ended in 2024
    _episode(elsewhere, "start", D(2025, 1, 1), D(2025, 1, 15), D(2025, 3, 1))  # other team
    # Hours 2025: alice 60 + 90 min = 2.5 h, bob 30 min = 0.5 h.
    ContactFactory(family=f1, author=alice, date=D(2025, 3, 1), minutes=60)
    ContactFactory(family=f1, author=alice, date=D(2025, 11, 20), minutes=90)
    ContactFactory(family=f3, author=bob, date=D(2025, 6, 1), minutes=30)
    ContactFactory(family=f1, author=alice, date=D(2024, 12, 31), minutes=120)
    ContactFactory(family=elsewhere, author=charlie, date=D(2025, 6, 1), minutes=600)
    # SDM 2025: Q1 60.0 (alice); Q2 80.0 (alice) and 100.0 (bob).
    _sdm(f1, alice, D(2025, 2, 15), 3)
    _sdm(f1, alice, D(2025, 5, 20), 4)
    _sdm(f3, bob, D(2025, 5, 25), 5)
    _sdm(f1, alice, D(2024, 5, 25), 0)  # another year
    _sdm(elsewhere, charlie, D(2025, 5, 25), 0)  # another team
    for day, answers in ((D(2025, 6, 10), (4, 5, 3, 4)), (D(2025, 6, 12), (3, 4, 2, 5))):
        ExitQuestionnaire.objects.create(
            family=f2,
            member=f2.members.first(),
            date=day,
            coach=alice,
            recorded_by=alice,
            **dict(
                zip(("result", "coach_rating", "network_role", "own_control"), answers, strict=True)
            ),
        )
    return team


def test_figures(data, alice, bob):
    report = team_report(data, year=2025)
    assert report.by_status == [("Aangemeld", 1), ("Actief", 2), ("Afgesloten", 1), ("Nazorg", 0)]
    assert report.by_phase == [
        ("Startfase", 1),
        ("Analysefase", 0),
        ("Uitvoeringsfase", 1),
        ("Afrondingsfase", 0),
    ]
    assert report.referrals == [
        ("Huisarts", [1, 1, 0, 0], 2),
        ("OKT (Ouder- en Kindteam)", [0, 1, 0, 0], 1),
    ]
    durations = [
        (r.label, r.episodes, str(r.actual_days), str(r.planned_days), str(r.difference))
        for r in report.durations
    ]
    assert durations == [
        ("Startfase", 2, "17.5", "14.0", "3.5"),
        ("Analysefase", 1, "70.0", "42.0", "28.0"),
    ]
    assert report.hours_per_coach == [
        (alice.get_full_name(), Decimal("2.5")),
        (bob.get_full_name(), Decimal("0.5")),
    ]
    assert report.sdm_per_quarter == [
        ("Q1", 1, Decimal("60.0")),
        ("Q2", 2, Decimal("90.0")),
        ("Q3", 0, None),
        ("Q4", 0, None),
    ]
    assert sorted(report.sdm_per_coach) == sorted(
        [(alice.get_full_name(), 2, Decimal("70.0")), (bob.get_full_name(), 1, Decimal("100.0"))]
    )
    q2 = {
        "result": Decimal("3.5"),
        "coach_rating": Decimal("4.5"),
        "network_role": Decimal("2.5"),
        "own_control": Decimal("4.5"),
    }
    assert report.exit_per_quarter[1] == ("Q2", 2, q2)
    assert report.exit_per_quarter[0][1] == 0
    assert report.exit_per_coach == [(alice.get_full_name(), 2, q2)]


def test_page(coordinator_client, data):
    response = coordinator_client.get("/reports/team/", {"year": 2025})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Teamrapport Amsterdam Zuidoost, 2025" in body
    assert "17,5" in body and "90,0" in body
    assert 'href="/reports/team/csv/?team=' in body
    assert 'href="/reports/team/xlsx/?team=' in body


def csv_tables(text: str) -> dict[str, list[list[str]]]:
    """The sheet-like CSV back as {title: [header, *rows]}: tables are separated by an
    empty row, each starts with its title on a row of its own."""
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    tables: dict[str, list[list[str]]] = {}
    blocks: list[list[list[str]]] = [[]]
    for row in rows[2:]:
        if not row:
            blocks.append([])
        else:
            blocks[-1].append(row)
    for block in blocks:
        if block:
            assert len(block[0]) == 1, block[0]  # the title, alone
            tables[block[0][0]] = block[1:]
    return tables


def test_csv_and_its_log(coordinator_client, coordinator, data, alice):
    response = coordinator_client.get("/reports/team/csv/", {"year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "teamrapport-amsterdam-zuidoost-2025.csv" in response["Content-Disposition"]
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")  # a spreadsheet opens it as UTF-8
    text = raw.removeprefix("\ufeff")
    assert text.splitlines()[0] == "Teamrapport Amsterdam Zuidoost, 2025"
    tables = csv_tables(text)
    assert list(tables) == [
        "Gezinnen per status (nu)",
        "Actieve gezinnen per fase (nu)",
        "Aanmeldingen per verwijzer per kwartaal, 2025",
        "Duur per fase in dagen (fasen afgesloten in 2025)",
        "Uren per coach (vastgelegde contacten), 2025",
        "Contacten buiten kantoortijd, 2025",
        "SDM-Q-9 per kwartaal (0–100)",
        "SDM-Q-9 per coach (0–100)",
        "Verwijzingen naar partners per soort, aangevraagd in 2025",
        "Werken volgens de methode (open dossiers, nu), aandeel gedaan in procenten",
        "Eindvragenlijst per kwartaal (1–5)",
        "Eindvragenlijst per coach (1–5)",
        "Werkzame elementen per fase, contacten in 2025",
        "SDM van de hulpverleners per kwartaal (0–100)",
        "Uitvoering: wat helpt en hindert (1–5), 2025",
    ]
    # Each table: a header row, then one row per line, every row as wide as the header.
    for rows in tables.values():
        assert all(len(row) == len(rows[0]) for row in rows)
    status = tables["Gezinnen per status (nu)"]
    assert status[0] == ["Status", "Gezinnen"] and ["Actief", "2"] in status
    assert ["Uitvoeringsfase", "1"] in tables["Actieve gezinnen per fase (nu)"]
    referrals = tables["Aanmeldingen per verwijzer per kwartaal, 2025"]
    assert referrals[0] == ["Verwijzer", "Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Totaal"]
    huisarts = next(r for r in referrals if r[0] == "Huisarts")
    assert huisarts[2] == "1" and huisarts[-1] == "2"
    durations = {r[0]: r for r in tables["Duur per fase in dagen (fasen afgesloten in 2025)"]}
    assert durations["Fase"][2:4] == ["Werkelijk (dagen, gem.)", "Gepland (dagen, gem.)"]
    assert durations["Startfase"][2] == "17,5"  # decimal comma
    assert durations["Analysefase"][3] == "42,0"
    hours = tables["Uren per coach (vastgelegde contacten), 2025"]
    assert [alice.get_full_name(), "2,5"] in hours
    sdm_q = tables["SDM-Q-9 per kwartaal (0–100)"]
    assert sdm_q[0] == ["Kwartaal", "Aantal", "Gemiddelde"]
    assert next(r for r in sdm_q if r[0] == "Q2")[2] == "90,0"
    sdm_c = tables["SDM-Q-9 per coach (0–100)"]
    assert next(r for r in sdm_c if r[0] == alice.get_full_name())[2] == "70,0"
    exit_q = tables["Eindvragenlijst per kwartaal (1–5)"]
    assert exit_q[0] == ["Kwartaal", "Aantal", "Resultaat", "Coach", "Netwerk", "Eigen regie"]
    assert next(r for r in exit_q if r[0] == "Q2")[4] == "2,5"  # network_role
    log = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert log.family_id_ref is None
    assert log.object == "teamrapport"
    assert log.user == coordinator
    assert log.outcome == "allowed"


def test_xlsx_has_a_sheet_per_table_with_numbers(coordinator_client, coordinator, data, alice):
    import openpyxl

    response = coordinator_client.get("/reports/team/xlsx/", {"year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "teamrapport-amsterdam-zuidoost-2025.xlsx" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    # The contacts outside office hours, the referrals to partners, the fidelity to the
    # method, the working elements, the professionals' SDM and the implementation
    # questionnaire added one each.
    assert len(book.sheetnames) == 15
    assert all(len(name) <= 31 for name in book.sheetnames)
    durations = book[book.sheetnames[3]]
    assert durations["A1"].value == "Duur per fase in dagen (fasen afgesloten in 2025)"
    assert durations["A2"].value == "Fase" and durations["A2"].font.bold
    rows = {row[0]: row for row in durations.iter_rows(min_row=3, values_only=True)}
    assert rows["Startfase"][2] == pytest.approx(17.5)  # a number, not text
    hours = book[book.sheetnames[4]]
    assert (alice.get_full_name(), pytest.approx(2.5)) in [
        tuple(r) for r in hours.iter_rows(min_row=3, values_only=True)
    ]
    log = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert log.object == "teamrapport xlsx" and log.user == coordinator


def test_csv_cells_never_start_a_formula():
    from reports.teamreport_export import _csv_cell

    assert _csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_cell("-1") == "'-1"
    assert _csv_cell(Decimal("-2.5")) == "-2,5"  # a real number keeps its sign
    assert _csv_cell(None) == ""


def test_print_page_has_no_inline_script(coordinator_client, data):
    response = coordinator_client.get("/reports/team/print/", {"year": 2025})
    assert response.status_code == 200
    body = response.content.decode()
    assert "css/print.css" in body and "js/print.js" in body
    assert 'id="print-button"' in body
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert not re.search(r"\son[a-z]+=", body)
    assert "style=" not in body
    assert AccessLog.objects.filter(action=AccessAction.EXPORT, family_id_ref=None).exists()


@pytest.mark.parametrize(
    "path", ["/reports/team/", "/reports/team/csv/", "/reports/team/xlsx/", "/reports/team/print/"]
)
@pytest.mark.parametrize("who", ["psychologist_client", "alice_client", "charlie_client"])
def test_only_the_coordinator(request, path, who, data):
    assert request.getfixturevalue(who).get(path).status_code == 403
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()


@pytest.mark.parametrize(
    "path", ["/reports/team/", "/reports/team/csv/", "/reports/team/xlsx/", "/reports/team/print/"]
)
def test_wrong_method(coordinator_client, path):
    assert coordinator_client.post(path).status_code == 405


def test_coordinator_of_another_team_sees_only_theirs(other_team, data):
    from cases.models import Role
    from tests.factories import member_of

    coord = member_of(other_team, Role.COORDINATOR, username="coord-haag")
    client = Client()
    client.force_login(coord)
    report = client.get("/reports/team/", {"year": 2025, "team": data.pk}).context["report"]
    assert report.team == other_team
    assert report.referrals == [("Huisarts", [1, 0, 0, 0], 1)]


@pytest.mark.parametrize("year", ["abc", "1800"])
def test_bad_year_falls_back_to_this_year(coordinator_client, data, year):
    from django.utils import timezone

    response = coordinator_client.get("/reports/team/", {"year": year})
    assert response.status_code == 200
    assert response.context["report"].year == timezone.localdate().year
