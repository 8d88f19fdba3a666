"""Consent by the Jeugdwet's age rules (cases.records.consent): who has to agree, per child,
on the day of sharing; withdrawal and expiry; the share check and its Dutch message."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cases.models import Consent
from cases.records import services
from cases.records.consent import Cell, share_check
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)


def years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years)


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
        family=family,
        name="Ruud Bakker",
        role="father",
        date_of_birth=datetime.date(1982, 3, 3),
        has_parental_authority=True,
    )
    # A stepfather without gezag: his consent never counts for the children.
    MemberFactory(family=family, name="Kees de Wit", role="stepparent", date_of_birth=None)
    return family


def member(family, name):  # type: ignore[no-untyped-def]
    return family.members.get(name=name)


def child(family, name, born):  # type: ignore[no-untyped-def]
    return MemberFactory(family=family, name=name, role="child", date_of_birth=born)


def consent(family, *names, organisation="Buurtteam", **fields):  # type: ignore[no-untyped-def]
    return services.consent_add(
        family=family,
        by=None,
        given_by_member=[member(family, n) for n in names],
        given_by_name=fields.pop("given_by_name", ""),
        organisation=organisation,
        purpose="Gezinsplan delen",
        valid_from=fields.pop("valid_from", DAY - datetime.timedelta(days=30)),
        valid_until=fields.pop("valid_until", None),
        concerns_members=fields.pop("concerns_members", ()),
    )


def cover(family, name, on=DAY, recipient="Buurtteam"):  # type: ignore[no-untyped-def]
    check = share_check(family, recipient, on)
    return next(c for c in check.children if c.child.name == name)


# --- The age boundaries ----------------------------------------------------------------


def test_child_of_11_needs_both_parents_with_gezag_and_not_the_child(gezin):
    child(gezin, "Lotte", years_before(DAY, 12) + datetime.timedelta(days=1))  # 11 today
    consent(gezin, "Sanne Bakker")
    lotte = cover(gezin, "Lotte")
    assert lotte.age == 11
    assert not lotte.covered
    assert lotte.missing == ["Ruud Bakker (ouder met gezag)"]
    consent(gezin, "Ruud Bakker")
    assert cover(gezin, "Lotte").covered


def test_stepparent_without_gezag_does_not_count(gezin):
    child(gezin, "Lotte", datetime.date(2019, 1, 1))
    consent(gezin, "Sanne Bakker", "Kees de Wit")
    assert cover(gezin, "Lotte").missing == ["Ruud Bakker (ouder met gezag)"]


def test_child_turning_12_on_the_day_needs_the_parents_and_the_child(gezin):
    child(gezin, "Daan", years_before(DAY, 12))  # birthday today: 12
    consent(gezin, "Sanne Bakker", "Ruud Bakker")
    daan = cover(gezin, "Daan")
    assert daan.age == 12
    assert daan.missing == ["Daan (12 jaar)"]
    # The day before the birthday he was 11: the parents alone were enough.
    assert cover(gezin, "Daan", on=DAY - datetime.timedelta(days=1)).covered
    consent(gezin, "Daan")
    assert cover(gezin, "Daan").covered


def test_child_of_15_needs_the_parents_as_well(gezin):
    child(gezin, "Mila", years_before(DAY, 16) + datetime.timedelta(days=1))  # 15 today
    consent(gezin, "Mila")
    mila = cover(gezin, "Mila")
    assert mila.age == 15
    assert mila.missing == ["Ruud Bakker (ouder met gezag)", "Sanne Bakker (ouder met gezag)"]


def test_young_person_turning_16_on_the_day_decides_alone(gezin):
    child(gezin, "Mila", years_before(DAY, 16))  # birthday today: 16
    consent(gezin, "Mila")
    assert cover(gezin, "Mila").age == 16
    assert cover(gezin, "Mila").covered
    # The parents' consent alone does not cover a 16-year-old.
    consent(gezin, "Sanne Bakker", "Ruud Bakker", organisation="School")
    assert cover(gezin, "Mila", recipient="School").missing == ["Mila (16 jaar)"]


def test_child_without_birth_date_needs_the_parents(gezin, alice_client):
    child(gezin, "Sem", None)
    consent(gezin, "Sem")
    sem = cover(gezin, "Sem")
    assert sem.age is None
    assert sem.missing == ["Ruud Bakker (ouder met gezag)", "Sanne Bakker (ouder met gezag)"]
    consent(gezin, "Sanne Bakker", "Ruud Bakker")
    assert cover(gezin, "Sem").covered
    page = alice_client.get(reverse("cases:records", args=[gezin.pk])).content.decode()
    assert "Van Sem is de geboortedatum niet bekend: dan beslissen de ouders met gezag" in page


def test_without_a_parent_with_gezag_the_guardian_decides(team):
    family = FamilyFactory(team=team)
    child(family, "Finn", datetime.date(2020, 1, 1))
    assert cover(family, "Finn").missing == ["de voogd of wettelijk vertegenwoordiger van Finn"]
    consent(family, given_by_name="Voogd (GI Jeugdbescherming)")
    assert cover(family, "Finn").covered


# --- Withdrawal and expiry ---------------------------------------------------------------


def test_expiry_counts_through_its_last_day(gezin):
    child(gezin, "Lotte", datetime.date(2019, 1, 1))
    consent(gezin, "Sanne Bakker", "Ruud Bakker", valid_until=DAY)
    assert cover(gezin, "Lotte", on=DAY).covered
    after = cover(gezin, "Lotte", on=DAY + datetime.timedelta(days=1))
    assert after.state == Cell.EXPIRED
    assert after.missing == ["Ruud Bakker (ouder met gezag)", "Sanne Bakker (ouder met gezag)"]


def test_not_yet_valid_is_not_covered(gezin):
    child(gezin, "Lotte", datetime.date(2019, 1, 1))
    consent(gezin, "Sanne Bakker", "Ruud Bakker", valid_from=DAY + datetime.timedelta(days=1))
    assert cover(gezin, "Lotte").state == Cell.MISSING


def test_withdrawal_counts_from_its_day(gezin):
    child(gezin, "Lotte", datetime.date(2019, 1, 1))
    given = consent(gezin, "Sanne Bakker", "Ruud Bakker")
    services.consent_withdraw(consent=given, withdrawn_on=DAY, withdrawn_by="Ruud Bakker")
    assert cover(gezin, "Lotte", on=DAY - datetime.timedelta(days=1)).covered
    assert cover(gezin, "Lotte", on=DAY).state == Cell.WITHDRAWN
    given.refresh_from_db()
    assert (given.withdrawn_on, given.withdrawn_by) == (DAY, "Ruud Bakker")


# --- The share check per child ----------------------------------------------------------


def test_share_check_names_everyone_missing_for_every_child(gezin):
    child(gezin, "Lotte", datetime.date(2019, 1, 1))
    child(gezin, "Daan", years_before(DAY, 14))
    consent(gezin, "Sanne Bakker")
    check = share_check(gezin, " buurtteam ", DAY)
    assert not check.covered and check.consent is None
    assert check.message == (
        "Nog nodig: toestemming van Ruud Bakker (ouder met gezag) en van Daan (14 jaar)."
    )
    consent(gezin, "Ruud Bakker", "Daan")
    check = share_check(gezin, "Buurtteam", DAY)
    assert check.covered and check.message == ""
    assert check.consent is not None


def test_share_check_only_for_the_children_concerned(gezin):
    lotte = child(gezin, "Lotte", datetime.date(2019, 1, 1))
    child(gezin, "Daan", years_before(DAY, 14))
    consent(gezin, "Sanne Bakker", "Ruud Bakker")
    # A document about Lotte alone: Daan's consent is not needed.
    assert share_check(gezin, "Buurtteam", DAY, concerns=[lotte]).covered
    assert not share_check(gezin, "Buurtteam", DAY).covered


def test_consent_about_one_child_does_not_cover_another(gezin):
    lotte = child(gezin, "Lotte", datetime.date(2019, 1, 1))
    child(gezin, "Sem", datetime.date(2020, 1, 1))
    consent(gezin, "Sanne Bakker", "Ruud Bakker", concerns_members=[lotte])
    assert cover(gezin, "Lotte").covered
    assert not cover(gezin, "Sem").covered


def test_another_recipient_is_not_covered(gezin):
    child(gezin, "Lotte", datetime.date(2019, 1, 1))
    consent(gezin, "Sanne Bakker", "Ruud Bakker", organisation="Veilig Thuis")
    assert share_check(gezin, "Veilig Thuis", DAY).covered
    assert not share_check(gezin, "Buurtteam", DAY).covered
    assert share_check(gezin, "Buurtteam", DAY).missing == [
        "Ruud Bakker (ouder met gezag)",
        "Sanne Bakker (ouder met gezag)",
    ]


def test_share_page_says_who_is_missing(gezin, alice_client):
    child(gezin, "Daan", datetime.date(2012, 1, 1))
    consent(gezin, "Sanne Bakker", "Ruud Bakker", valid_from=datetime.date(2025, 1, 1))
    response = alice_client.post(
        reverse("cases:share_check", args=[gezin.pk]), {"organisation": "Buurtteam"}
    )
    body = response.content.decode()
    assert "geen geldige toestemming" in body
    assert "Nog nodig: toestemming van Daan (14 jaar)." in body


def test_plan_share_names_who_is_missing(gezin, alice, alice_client):
    from tests.cases.plan_factories import PlanFactory

    plan = PlanFactory(family=gezin, number=1, created_by=alice)
    child(gezin, "Daan", datetime.date(2012, 1, 1))
    consent(gezin, "Sanne Bakker", valid_from=datetime.date(2025, 1, 1))
    response = alice_client.post(
        reverse("reports:plan_pdf_share", args=[gezin.pk]),
        {"plan": plan.pk, "organisation": "Buurtteam"},
    )
    assert response.status_code == 200
    assert (
        "Nog nodig: toestemming van Ruud Bakker (ouder met gezag) en van Daan (14 jaar)."
        in response.content.decode()
    )


# --- The pages ---------------------------------------------------------------------------


def test_consent_form_records_every_member_who_agreed(gezin, alice_client):
    daan = child(gezin, "Daan", datetime.date(2012, 1, 1))
    response = alice_client.post(
        reverse("cases:consent_create", args=[gezin.pk]),
        {
            "given_by_member": [member(gezin, "Sanne Bakker").pk, daan.pk],
            "concerns_members": [daan.pk],
            "given_by_name": "",
            "organisation": "Buurtteam",
            "purpose": "Afstemming",
            "valid_from": "2025-01-01",
            "valid_until": "",
        },
    )
    assert response.status_code == 302
    saved = Consent.objects.get()
    assert {m.name for m in saved.given_by_members.all()} == {"Sanne Bakker", "Daan"}
    assert list(saved.concerns_members.all()) == [daan]


def test_records_page_matrix(gezin, alice_client):
    child(gezin, "Daan", datetime.date(2012, 1, 1))
    consent(gezin, "Sanne Bakker", "Ruud Bakker", "Daan", valid_from=datetime.date(2025, 1, 1))
    consent(gezin, "Sanne Bakker", organisation="School", valid_from=datetime.date(2025, 1, 1))
    page = alice_client.get(reverse("cases:records", args=[gezin.pk])).content.decode()
    table = page.split("Toestemming per ontvanger en kind")[1].split("</table>")[0]
    assert "gedekt" in table
    assert "nog nodig: Ruud Bakker (ouder met gezag), Daan (14 jaar)" in table


def test_withdraw_page(gezin, alice_client, bob_client, charlie_client):
    given = consent(gezin, "Sanne Bakker", valid_from=datetime.date(2025, 1, 1))
    url = reverse("cases:consent_withdraw", args=[gezin.pk, given.pk])
    assert charlie_client.post(url, {}).status_code == 404
    assert (
        bob_client.post(url, {"withdrawn_on": "2025-06-01", "withdrawn_by": "x"}).status_code == 403
    )
    # Before the consent began: refused with a sentence, nothing saved.
    response = alice_client.post(url, {"withdrawn_on": "2024-12-31", "withdrawn_by": "Sanne"})
    assert response.status_code == 200
    assert "De toestemming gold pas vanaf" in response.content.decode()
    response = alice_client.post(url, {"withdrawn_on": "2999-01-01", "withdrawn_by": "Sanne"})
    assert "toekomst" in response.content.decode()
    given.refresh_from_db()
    assert given.withdrawn_on is None
    response = alice_client.post(url, {"withdrawn_on": "2025-06-01", "withdrawn_by": "Sanne"})
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.withdrawn_on == datetime.date(2025, 6, 1)
    # Withdrawn once: the page is gone.
    assert alice_client.get(url).status_code == 404
    page = alice_client.get(reverse("cases:records", args=[gezin.pk])).content.decode()
    assert "ingetrokken op 1 jun. 2025 door Sanne" in page
