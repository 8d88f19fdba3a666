"""The demo's consents and measures (familiekracht/demo/legal.py) show every state."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import FamilyStatus, LegalMeasure
from cases.records.consent import Cell, consent_matrix
from familiekracht.demo import legal
from reports.caseload import caseload_rows
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def born(years: int) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=30)


def test_demo_shows_every_consent_and_measure_state(team, alice):
    families = []
    for n in range(4):
        family = FamilyFactory(team=team, coach=alice, status=FamilyStatus.ACTIVE)
        MemberFactory(
            family=family, role="mother", date_of_birth=born(40), has_parental_authority=True
        )
        MemberFactory(family=family, role="child", date_of_birth=born(8 + n))
        MemberFactory(family=family, role="child", date_of_birth=born(13))
        families.append(family)
    legal.seed(families, today=TODAY)
    covered, missing, measured, calm = families

    def states(family):  # type: ignore[no-untyped-def]
        members = list(family.members.all())
        consents = list(family.consents.all())
        return {
            row.recipient: {cell.state for cell in row.check.children}
            for row in consent_matrix(family, TODAY, members=members, consents=consents)
        }

    found = states(covered)
    assert found["Buurtteam Zuidoost"] == {Cell.COVERED}
    assert found["Huisartsenpraktijk Bijlmerdreef"] == {Cell.WITHDRAWN}
    assert found["Veilig Thuis"] == {Cell.EXPIRED}
    assert covered.members.filter(role="child", date_of_birth__isnull=True).exists()
    [row] = consent_matrix(
        missing, TODAY, members=list(missing.members.all()), consents=list(missing.consents.all())
    )
    assert any("(14 jaar)" in label for label in row.check.missing)
    flags = {r.family_id: r.measure_ending for r in caseload_rows(team, today=TODAY)}
    assert flags == {covered.pk: False, missing.pk: True, measured.pk: False, calm.pk: False}
    assert LegalMeasure.objects.filter(family=measured).running_on(TODAY).count() == 2
    assert not LegalMeasure.objects.filter(family=calm).exists()


def test_demo_names_the_teams_partners_where_there_is_one(team, alice):
    from cases.models import PartnerKind
    from tests.cases.partners.factories import PartnerFactory

    buurtteam = PartnerFactory(team=team, name="Buurtteam Zuidoost")
    gp = PartnerFactory(team=team, name="Huisarts Osei", kind=PartnerKind.GP)
    gi = PartnerFactory(team=team, name="GI Noord", kind=PartnerKind.CERTIFIED_INSTITUTION)
    # An archived partner is not named.
    PartnerFactory(
        team=team, name="Oud VT", kind=PartnerKind.VEILIG_THUIS, archived_at=timezone.now()
    )
    families = []
    for _ in range(3):
        family = FamilyFactory(team=team, coach=alice, status=FamilyStatus.ACTIVE)
        MemberFactory(
            family=family, role="mother", date_of_birth=born(40), has_parental_authority=True
        )
        MemberFactory(family=family, role="child", date_of_birth=born(13))
        families.append(family)
    legal.seed(families, today=TODAY)
    covered, missing, measured = families
    named = {(c.organisation, c.partner) for c in covered.consents.all()}
    assert named == {
        ("Buurtteam Zuidoost", buurtteam),
        ("Huisarts Osei", gp),
        ("Veilig Thuis", None),  # no active partner of that kind: free text
    }
    assert {(c.organisation, c.partner) for c in missing.consents.all()} == {
        ("Jeugd-ggz Levvel", None)
    }
    measures = LegalMeasure.objects.filter(family__in=[missing, measured])
    assert {(m.partner, m.institution) for m in measures} == {(gi, "GI Noord")}
