"""The data migration that links the free-text recipients and GIs to the team's partners
of that name (cases.records.partner_links, run by migration 0023)."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Consent, LegalMeasure, MeasureKind, Partner, PartnerKind
from cases.records.partner_links import link_free_text_to_partners
from tests.cases.partners.factories import PartnerFactory
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 5)


def link() -> int:
    return link_free_text_to_partners(
        partner_model=Partner, consent_model=Consent, measure_model=LegalMeasure
    )


def test_links_by_name_in_the_same_team_only(team, other_team, alice):
    mine = PartnerFactory(team=team, name="Buurtteam Zuidoost")
    gi = PartnerFactory(team=team, name="GI Amsterdam", kind=PartnerKind.CERTIFIED_INSTITUTION)
    PartnerFactory(team=other_team, name="Jeugd-ggz Haaglanden")
    family = FamilyFactory(team=team, coach=alice)
    child = MemberFactory(family=family, role="child")

    def consent(name: str) -> Consent:
        return Consent.objects.create(family=family, organisation=name, purpose="x", valid_from=DAY)

    same = consent("  buurtteam ZUIDOOST ")
    other_team_name = consent("Jeugd-ggz Haaglanden")
    unknown = consent("Huisarts Osei")
    already = PartnerFactory(team=team, name="Ander")
    kept = Consent.objects.create(
        family=family,
        organisation="Buurtteam Zuidoost",
        partner=already,
        purpose="x",
        valid_from=DAY,
    )
    measure = LegalMeasure.objects.create(
        family=family, member=child, kind=MeasureKind.OTS, starts_on=DAY, institution="gi amsterdam"
    )
    blank = LegalMeasure.objects.create(
        family=family, member=child, kind=MeasureKind.OTS, starts_on=DAY, institution=""
    )

    assert link() == 2
    for row in (same, other_team_name, unknown, kept, measure, blank):
        row.refresh_from_db()
    assert same.partner == mine
    assert other_team_name.partner is None
    assert unknown.partner is None
    assert kept.partner == already  # a link already made is left alone
    assert measure.partner == gi
    assert blank.partner is None
    # Run again: nothing more to link.
    assert link() == 0
