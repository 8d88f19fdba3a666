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
