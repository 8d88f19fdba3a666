"""A consent names one of the team's partners or a free-text organisation: the form offers
the team's active partners (another team's is refused in Dutch), the rules match on the
partner when both sides name one and on the name otherwise, the share pages let the user
pick a partner, and the records page's matrix shows each partner's name and kind."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Consent, PartnerKind
from cases.records import services
from cases.records.consent import consent_matrix, family_consents, share_check
from cases.records.forms import PARTNER_OF_ANOTHER_TEAM
from tests.cases.partners.factories import PartnerFactory
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)


@pytest.fixture
def gezin(team, alice):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=alice, display_name="Gezin Bakker")
    MemberFactory(
        family=family,
        name="Sanne Bakker",
        role="mother",
        date_of_birth=datetime.date(1984, 2, 2),
        has_parental_authority=True,
    )
    MemberFactory(
        family=family, name="Lotte", role="child", date_of_birth=datetime.date(2019, 1, 1)
    )
    return family


@pytest.fixture
def buurtteam(team):  # type: ignore[no-untyped-def]
    return PartnerFactory(team=team, name="Buurtteam Zuidoost", kind=PartnerKind.NEIGHBOURHOOD_TEAM)


def sanne(family):  # type: ignore[no-untyped-def]
    return family.members.get(name="Sanne Bakker")


def consent(family, *, organisation="", partner=None, **fields):  # type: ignore[no-untyped-def]
    return services.consent_add(
        family=family,
        by=None,
        given_by_member=[sanne(family)],
        given_by_name="",
        organisation=organisation,
        partner=partner,
        purpose="Gezinsplan delen",
        valid_from=fields.pop("valid_from", DAY - datetime.timedelta(days=30)),
        valid_until=fields.pop("valid_until", None),
    )


def form_data(**overrides):  # type: ignore[no-untyped-def]
    return {
        "given_by_name": "",
        "partner": "",
        "organisation": "",
        "purpose": "Afstemming",
        "valid_from": "2025-01-01",
        "valid_until": "",
        **overrides,
    }


# --- The form ---------------------------------------------------------------------------


def test_consent_form_offers_the_teams_active_partners(gezin, buurtteam, team, other_team):
    PartnerFactory(team=team, name="Oud partner", archived_at=timezone.now())
    PartnerFactory(team=other_team, name="Haags partner")
    from cases.records.forms import ConsentForm

    offered = [label for _, label in ConsentForm(family=gezin).fields["partner"].choices]
    assert offered == [
        "Anders (vul de naam hieronder in)",
        "Buurtteam Zuidoost (Buurtteam / sociaal team)",
    ]


def test_consent_form_records_the_partner_with_its_name(gezin, buurtteam, alice_client):
    data = form_data(given_by_member=[sanne(gezin).pk], partner=buurtteam.pk)
    response = alice_client.post(reverse("cases:consent_create", args=[gezin.pk]), data)
    assert response.status_code == 302
    saved = Consent.objects.get()
    assert saved.partner == buurtteam
    assert saved.organisation == "Buurtteam Zuidoost"


def test_consent_form_keeps_free_text(gezin, buurtteam, alice_client):
    data = form_data(given_by_member=[sanne(gezin).pk], organisation="  Huisarts Osei ")
    assert (
        alice_client.post(reverse("cases:consent_create", args=[gezin.pk]), data).status_code == 302
    )
    saved = Consent.objects.get()
    assert saved.partner is None
    assert saved.organisation == "Huisarts Osei"


def test_consent_form_refuses_another_teams_partner(gezin, other_team, alice_client):
    theirs = PartnerFactory(team=other_team, name="Haags partner")
    data = form_data(given_by_member=[sanne(gezin).pk], partner=theirs.pk)
    response = alice_client.post(reverse("cases:consent_create", args=[gezin.pk]), data)
    assert response.status_code == 200
    assert str(PARTNER_OF_ANOTHER_TEAM) in response.content.decode()
    assert "Kies een partner van het eigen team" in str(PARTNER_OF_ANOTHER_TEAM)
    assert not Consent.objects.exists()


def test_consent_form_refuses_an_archived_partner(gezin, team, alice_client):
    old = PartnerFactory(team=team, name="Oud partner", archived_at=timezone.now())
    data = form_data(given_by_member=[sanne(gezin).pk], partner=old.pk)
    response = alice_client.post(reverse("cases:consent_create", args=[gezin.pk]), data)
    assert response.status_code == 200
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "Dit veld is verplicht: kies een partner of vul de naam van de organisatie in."),
        ({"organisation": "Iets anders"}, "Kies een partner óf vul een andere organisatie in"),
    ],
)
def test_consent_form_needs_one_recipient(gezin, buurtteam, alice_client, overrides, message):
    if "organisation" in overrides:
        overrides = {**overrides, "partner": buurtteam.pk}
    data = form_data(given_by_member=[sanne(gezin).pk], **overrides)
    response = alice_client.post(reverse("cases:consent_create", args=[gezin.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()


def test_service_refuses_another_teams_partner(gezin, other_team):
    with pytest.raises(ValueError):
        consent(gezin, partner=PartnerFactory(team=other_team, name="Haags partner"))


# --- Matching ---------------------------------------------------------------------------


def test_partner_matches_its_own_consent_even_after_a_rename(gezin, buurtteam):
    consent(gezin, partner=buurtteam)
    buurtteam.name = "Wijkteam Zuidoost"
    buurtteam.save()
    assert share_check(gezin, buurtteam, DAY).covered
    # By name the partner's current name counts, the old one no longer.
    assert share_check(gezin, "wijkteam zuidoost ", DAY).covered
    assert not share_check(gezin, "Buurtteam Zuidoost", DAY).covered


def test_partner_does_not_match_another_partners_consent_of_the_same_text(gezin, team, buurtteam):
    other = PartnerFactory(team=team, name="Ander team")
    given = consent(gezin, partner=other)
    # Even when the stored text were the same name, both sides name a partner: no match.
    Consent.objects.filter(pk=given.pk).update(organisation="Buurtteam Zuidoost")
    assert not share_check(gezin, buurtteam, DAY).covered
    assert share_check(gezin, other, DAY).covered


def test_free_text_consent_counts_for_the_partner_of_that_name(gezin, buurtteam):
    consent(gezin, organisation=" buurtteam zuidoost")
    assert share_check(gezin, buurtteam, DAY).covered
    assert not share_check(gezin, PartnerFactory(team=gezin.team, name="Ander"), DAY).covered


def test_share_page_lets_the_user_pick_a_partner(gezin, buurtteam, alice_client):
    consent(gezin, partner=buurtteam, valid_from=datetime.date(2025, 1, 1))
    url = reverse("cases:share_check", args=[gezin.pk])
    body = alice_client.post(url, {"partner": buurtteam.pk}).content.decode()
    assert "Er is toestemming voor delen met Buurtteam Zuidoost" in body
    body = alice_client.post(url, {"organisation": "Veilig Thuis"}).content.decode()
    assert "geen geldige toestemming" in body


def test_share_page_refuses_another_teams_partner(gezin, other_team, alice_client):
    theirs = PartnerFactory(team=other_team, name="Haags partner")
    url = reverse("cases:share_check", args=[gezin.pk])
    body = alice_client.post(url, {"partner": theirs.pk}).content.decode()
    assert str(PARTNER_OF_ANOTHER_TEAM) in body
    assert "toestemming voor delen met" not in body


def test_plan_share_with_a_partner(gezin, alice, buurtteam, alice_client):
    from reports.models import PlanPdf
    from tests.cases.plan_factories import PlanFactory

    plan = PlanFactory(family=gezin, number=1, created_by=alice)
    consent(gezin, partner=buurtteam, valid_from=datetime.date(2025, 1, 1))
    response = alice_client.post(
        reverse("reports:plan_pdf_share", args=[gezin.pk]),
        {"plan": plan.pk, "partner": buurtteam.pk},
    )
    assert response.status_code == 302
    export = PlanPdf.objects.get()
    assert export.recipient == "Buurtteam Zuidoost"
    assert export.consent is not None and export.consent.partner == buurtteam


def test_plan_share_refuses_another_teams_partner(gezin, alice, other_team, alice_client):
    from tests.cases.plan_factories import PlanFactory

    plan = PlanFactory(family=gezin, number=1, created_by=alice)
    theirs = PartnerFactory(team=other_team, name="Haags partner")
    response = alice_client.post(
        reverse("reports:plan_pdf_share", args=[gezin.pk]), {"plan": plan.pk, "partner": theirs.pk}
    )
    assert response.status_code == 200
    assert str(PARTNER_OF_ANOTHER_TEAM) in response.content.decode()


# --- The records page's matrix ----------------------------------------------------------


def test_matrix_has_a_row_per_partner_and_per_other_name(gezin, buurtteam):
    consent(gezin, partner=buurtteam)
    consent(gezin, organisation="BUURTTEAM ZUIDOOST")  # the same recipient, by name
    consent(gezin, organisation="Huisarts Osei")
    rows = consent_matrix(
        gezin, DAY, members=list(gezin.members.all()), consents=list(family_consents(gezin))
    )
    assert [(r.recipient, r.partner) for r in rows] == [
        ("Buurtteam Zuidoost", buurtteam),
        ("Huisarts Osei", None),
    ]
    assert len(rows[0].check.consents) == 2


def test_records_page_shows_the_partner_and_its_kind(gezin, buurtteam, alice_client):
    consent(gezin, partner=buurtteam, valid_from=datetime.date(2025, 1, 1))
    consent(gezin, organisation="Huisarts Osei", valid_from=datetime.date(2025, 1, 1))
    page = alice_client.get(reverse("cases:records", args=[gezin.pk])).content.decode()
    table = page.split("Toestemming per ontvanger en kind")[1].split("</table>")[0]
    rows = table.split("<tr>")
    partner_row = next(r for r in rows if "Buurtteam Zuidoost" in r)
    assert "Buurtteam / sociaal team" in partner_row
    assert "gedekt" in partner_row
    other_row = next(r for r in rows if "Huisarts Osei" in r)
    assert "geen partner van het team" in other_row
