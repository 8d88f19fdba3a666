"""The professionals' questionnaires: their SDM per family, and the implementation
questionnaire once per half year, reported per team without names."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Role
from reports import services
from reports.models import IMPLEMENTATION_ITEMS, ImplementationResponse, ProfessionalSdmResponse
from reports.questionnaires import professional_sdm_score
from reports.teamreport import team_report
from tests.factories import member_of

pytestmark = pytest.mark.django_db

IMPL = reverse("reports:implementation")
NAMES = [name for names in IMPLEMENTATION_ITEMS.values() for name in names]


def test_professional_sdm_score():
    assert professional_sdm_score([5] * 9) == Decimal("100.0")
    assert professional_sdm_score([0] * 9) == Decimal("0.0")
    # 4+3+5+2+4+3+5+1+0 = 27; 27 × 20/9 = 60.
    assert professional_sdm_score([4, 3, 5, 2, 4, 3, 5, 1, 0]) == Decimal("60.0")
    # 1 × 20/9 = 2.22… → 2.2
    assert professional_sdm_score([1, 0, 0, 0, 0, 0, 0, 0, 0]) == Decimal("2.2")
    with pytest.raises(ValueError):
        professional_sdm_score([6] + [0] * 8)


def test_coach_records_own_sdm_on_the_reports_tab(family, alice, alice_client):
    url = reverse("reports:professional_sdm_create", args=[family.pk])
    data = {
        "moment": "after_analysis",
        "date": timezone.localdate().isoformat(),
        **{f"item_{i}": v for i, v in enumerate([4, 3, 5, 2, 4, 3, 5, 1, 0], 1)},
    }
    bad = alice_client.post(url, {**data, "item_3": "7"})
    assert bad.status_code == 200 and not ProfessionalSdmResponse.objects.exists()
    assert alice_client.post(url, data).status_code == 302
    response = ProfessionalSdmResponse.objects.get()
    assert (response.professional, response.family, response.score) == (
        alice,
        family,
        Decimal("60.0"),
    )
    page = alice_client.get(reverse("reports:family_reports", args=[family.pk]))
    assert "data-professional-sdm" in page.content.decode() and "60.0" in page.content.decode()


def test_another_team_gets_404(family, charlie_client):
    url = reverse("reports:professional_sdm_create", args=[family.pk])
    assert charlie_client.get(url).status_code == 404


def _answers(value: int) -> dict[str, int]:
    return dict.fromkeys(NAMES, value)


def test_one_implementation_questionnaire_per_half_year(team, alice, alice_client):
    post = {"team": team.pk, **_answers(4), "remark": "Te weinig tijd voor netwerkberaden."}
    assert alice_client.post(IMPL, post).status_code == 302
    again = alice_client.post(IMPL, post)
    assert again.status_code == 200
    assert (
        "U hebt de vragenlijst over de uitvoering dit halfjaar al ingevuld."
        in again.content.decode()
    )
    assert ImplementationResponse.objects.count() == 1
    assert "data-implementation-done" in alice_client.get(IMPL).content.decode()
    # The service refuses a second one too (the unique constraint), and a next half year
    # is a new one.
    with pytest.raises(services.ImplementationTaken):
        services.implementation_record(
            team=team,
            professional=alice,
            date=timezone.localdate(),
            answers=_answers(2),
            remark="",
        )
    today = timezone.localdate()
    other_half = today.replace(month=1 if today.month > 6 else 7, day=1)
    services.implementation_record(
        team=team, professional=alice, date=other_half, answers=_answers(2), remark=""
    )
    assert ImplementationResponse.objects.count() == 2


def test_out_of_scale_is_refused(team, alice_client):
    response = alice_client.post(IMPL, {"team": team.pk, **_answers(4), "method_1": "6"})
    assert response.status_code == 200
    assert not ImplementationResponse.objects.exists()


def _respond(team, user, day, values, remark=""):  # type: ignore[no-untyped-def]
    return services.implementation_record(
        team=team, professional=user, date=day, answers=values, remark=remark
    )


def test_report_without_names_and_suppressed_under_three(team, other_team, coordinator_client):
    d1, d2 = datetime.date(2025, 3, 1), datetime.date(2025, 9, 1)
    people = [member_of(team, Role.COACH, username=f"prof{i}") for i in range(3)]
    for n, user in enumerate(people):
        values = _answers(3)
        values.update(method_1=n + 3, method_2=n + 3, method_3=n + 3)  # 3, 4, 5
        _respond(team, user, d1, values, remark=f"Opmerking nummer {n}")
    # Two in the second half: too few to show.
    _respond(team, people[0], d2, _answers(5), remark="Geheime tweede helft")
    _respond(team, people[1], d2, _answers(5))
    # Another team's answers never count here.
    stranger = member_of(other_team, Role.COACH, username="stranger")
    for user in (stranger,):
        _respond(other_team, user, d1, _answers(1))

    first, second = team_report(team, year=2025).implementation
    assert first.respondents == 3 and not first.suppressed
    assert first.averages == {
        "method": Decimal("4.0"),
        "professional": Decimal("3.0"),
        "organisation": Decimal("3.0"),
        "context": Decimal("3.0"),
    }
    assert first.remarks == ["Opmerking nummer 0", "Opmerking nummer 1", "Opmerking nummer 2"]
    assert second.respondents == 2 and second.suppressed
    assert set(second.averages.values()) == {None} and second.remarks == []

    page = coordinator_client.get("/reports/team/", {"year": 2025}).content.decode()
    assert "Opmerking nummer 1" in page and "Geheime tweede helft" not in page
    assert "data-suppressed" in page
    section = page[page.index('id="tr-implementation"') :]
    for user in people:
        assert user.username not in section and user.get_full_name() not in section
    text = coordinator_client.get("/reports/team/csv/", {"year": 2025}).content.decode()
    assert "Opmerking nummer" not in text and "Geheime" not in text
    table = text[text.index("Uitvoering: wat helpt en hindert") :].splitlines()
    assert table[2].split(";")[:3] == ["1e halfjaar", "3", "4,0"]
    assert table[3].split(";") == ["2e halfjaar", "2", "", "", "", ""]


def test_the_demo_shows_elements_and_questionnaires():
    from django.core.management import call_command

    from cases.models import Team, WorkingElement
    from reports.teamreport import current_year

    call_command("seed_demo", verbosity=0)
    ticked = WorkingElement.contacts.through.objects
    assert ticked.count() > 50
    assert WorkingElement.objects.filter(active=False, contacts__isnull=False).exists()
    assert ProfessionalSdmResponse.objects.values("family").distinct().count() >= 4
    zuidoost = Team.objects.get(name="Amsterdam Zuidoost")
    denhaag = Team.objects.get(name="Den Haag")
    today = timezone.localdate()
    half = 0 if today.month <= 6 else 1
    assert not team_report(zuidoost, year=current_year()).implementation[half].suppressed
    assert team_report(denhaag, year=current_year()).implementation[half].suppressed
