"""A legal measure's GI is one of the team's partners (GIs first) or free text; another
team's partner is refused in Dutch; the family page names the partner."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.legal.forms import LegalMeasureForm
from cases.models import FamilyStatus, LegalMeasure, MeasureKind, PartnerKind
from cases.records.forms import PARTNER_OF_ANOTHER_TEAM
from tests.cases.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def active(family):  # type: ignore[no-untyped-def]
    family.status = FamilyStatus.ACTIVE
    family.save()
    return family


@pytest.fixture
def gi(team):  # type: ignore[no-untyped-def]
    return PartnerFactory(
        team=team, name="William Schrikker Stichting", kind=PartnerKind.CERTIFIED_INSTITUTION
    )


def data(family, **overrides):  # type: ignore[no-untyped-def]
    return {
        "member": family.members.get(name="Noah Jansen").pk,
        "kind": MeasureKind.OTS,
        "urgent": "",
        "starts_on": days(-10).isoformat(),
        "ends_on": days(355).isoformat(),
        "decided_on": days(-11).isoformat(),
        "partner": "",
        "institution": "",
        "note": "",
        **overrides,
    }


def test_form_offers_the_teams_gis_first(active, team, other_team, gi):
    PartnerFactory(team=team, name="Aa buurtteam", kind=PartnerKind.NEIGHBOURHOOD_TEAM)
    PartnerFactory(team=other_team, name="Haagse GI", kind=PartnerKind.CERTIFIED_INSTITUTION)
    labels = [label for _, label in LegalMeasureForm(family=active).fields["partner"].choices]
    assert labels == [
        "Anders (vul de naam hieronder in)",
        "William Schrikker Stichting (Gecertificeerde instelling)",
        "Aa buurtteam (Buurtteam / sociaal team)",
    ]


def test_measure_names_the_gi_partner(active, gi, alice_client):
    url = reverse("cases:legal_measure_create", args=[active.pk])
    assert alice_client.post(url, data(active, partner=gi.pk)).status_code == 302
    m = LegalMeasure.objects.get()
    assert (m.partner, m.institution) == (gi, "William Schrikker Stichting")
    page = alice_client.get(reverse("cases:family_detail", args=[active.pk])).content.decode()
    assert "GI: William Schrikker Stichting" in page


def test_free_text_gi_stays_possible_and_optional(active, gi, alice_client):
    url = reverse("cases:legal_measure_create", args=[active.pk])
    assert (
        alice_client.post(url, data(active, institution="Jeugdbescherming west")).status_code == 302
    )
    assert alice_client.post(url, data(active)).status_code == 302
    assert sorted((m.partner_id, m.institution) for m in LegalMeasure.objects.all()) == sorted(
        [(None, "Jeugdbescherming west"), (None, "")]
    )


def test_another_teams_partner_is_refused(active, other_team, alice_client):
    theirs = PartnerFactory(team=other_team, kind=PartnerKind.CERTIFIED_INSTITUTION)
    url = reverse("cases:legal_measure_create", args=[active.pk])
    response = alice_client.post(url, data(active, partner=theirs.pk))
    assert response.status_code == 200
    assert str(PARTNER_OF_ANOTHER_TEAM) in response.content.decode()
    assert not LegalMeasure.objects.exists()


def test_an_archived_gi_stays_on_the_measure_it_names(active, gi, alice_client):
    m = LegalMeasure.objects.create(
        family=active,
        member=active.members.get(name="Noah Jansen"),
        kind=MeasureKind.OTS,
        starts_on=days(-10),
        partner=gi,
        institution=gi.name,
    )
    gi.archived_at = timezone.now()
    gi.save()
    edit = reverse("cases:legal_measure_edit", args=[active.pk, m.pk])
    response = alice_client.post(
        edit, {**data(active, partner=gi.pk, institution=gi.name), "version": m.version}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.partner == gi and m.version == 2
    # A new measure cannot choose it any more.
    create = reverse("cases:legal_measure_create", args=[active.pk])
    assert alice_client.post(create, data(active, partner=gi.pk)).status_code == 200
