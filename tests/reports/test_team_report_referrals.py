"""The team report's referrals to partners per kind, against hand-computed figures."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest

from cases.models import PartnerKind, ReferralStatus
from cases.partners import services
from reports.teamreport import team_report
from reports.teamreport_export import team_report_csv
from tests.cases.partners.factories import PartnerFactory, referral
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _started(family, partner, by, asked, started):  # type: ignore[no-untyped-def]
    made = referral(family, partner, by, asked_on=asked)
    services.referral_status_change(referral=made, by=by, status=ReferralStatus.STARTED, on=started)
    return made


@pytest.fixture
def data(team, other_team, alice, charlie):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=alice)
    MemberFactory(family=family)
    ggz = PartnerFactory(team=team, kind=PartnerKind.ADULT_MENTAL_HEALTH, name="GGZ")
    buurt = PartnerFactory(team=team, kind=PartnerKind.NEIGHBOURHOOD_TEAM, name="Buurtteam")
    # Volwassenen-ggz, asked in 2025: waits of 10, 20 and 60 days; one refused; one open.
    _started(family, ggz, alice, D(2025, 1, 1), D(2025, 1, 11))
    _started(family, ggz, alice, D(2025, 3, 1), D(2025, 3, 21))
    finished = _started(family, ggz, alice, D(2025, 11, 1), D(2025, 12, 31))
    services.referral_status_change(
        referral=finished, by=alice, status=ReferralStatus.FINISHED, on=D(2026, 1, 5)
    )
    refused = referral(family, ggz, alice, asked_on=D(2025, 6, 1))
    services.referral_status_change(
        referral=refused, by=alice, status=ReferralStatus.REFUSED, on=D(2025, 6, 15)
    )
    referral(family, ggz, alice, asked_on=D(2025, 7, 1))
    # Buurtteam: one in 2025 still waiting, one asked in 2024 (another year: not counted).
    referral(family, buurt, alice, asked_on=D(2025, 4, 1))
    _started(family, buurt, alice, D(2024, 12, 1), D(2025, 1, 2))
    # Another team's referral is not counted.
    theirs = FamilyFactory(team=other_team, coach=charlie)
    MemberFactory(family=theirs)
    _started(
        theirs,
        PartnerFactory(team=other_team, kind=PartnerKind.ADULT_MENTAL_HEALTH),
        charlie,
        D(2025, 2, 1),
        D(2025, 2, 2),
    )
    return team


def test_figures_per_partner_kind(data):
    rows = {row.kind: row for row in team_report(data, year=2025).partner_referrals}
    assert list(rows) == [PartnerKind.NEIGHBOURHOOD_TEAM, PartnerKind.ADULT_MENTAL_HEALTH]
    ggz = rows[PartnerKind.ADULT_MENTAL_HEALTH]
    assert (ggz.asked, ggz.started, ggz.refused) == (5, 3, 1)
    assert ggz.average_wait_days == Decimal("30.0")  # (10 + 20 + 60) / 3
    assert ggz.median_wait_days == Decimal("20.0")
    buurt = rows[PartnerKind.NEIGHBOURHOOD_TEAM]
    assert (buurt.asked, buurt.started, buurt.refused) == (1, 0, 0)
    assert buurt.average_wait_days is None and buurt.median_wait_days is None


def test_a_year_without_referrals(data):
    assert team_report(data, year=2023).partner_referrals == []


def test_csv_has_the_table(data):
    text = team_report_csv(team_report(data, year=2025)).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    start = rows.index(["Verwijzingen naar partners per soort, aangevraagd in 2025"])
    assert rows[start + 1][0] == "Soort partner"
    assert ["Volwassenen-ggz", "5", "3", "1", "30,0", "20,0"] in rows[start + 2 : start + 4]


def test_page_shows_the_table(coordinator_client, data):
    body = coordinator_client.get("/reports/team/", {"year": 2025}).content.decode()
    assert "Verwijzingen naar partners per soort" in body and "Volwassenen-ggz" in body
