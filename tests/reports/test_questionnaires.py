"""SDM-Q-9 and the exit questionnaire: scoring, bounds, who fills in, and the access gate."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cases.models import Family
from reports import services
from reports.models import ExitQuestionnaire, SdmResponse
from reports.questionnaires import SDM_QUESTIONS, sdm_score
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(family: Family, part: str) -> str:
    return f"/families/{family.pk}/reports/{part}"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([0] * 9, "0.0"),
        ([5] * 9, "100.0"),
        ([1] * 9, "20.0"),
        ([3, 4, 2, 5, 3, 4, 4, 3, 5], "73.3"),  # 33 × 20/9 = 73.33
        ([1, 0, 0, 0, 0, 0, 0, 0, 0], "2.2"),  # 2.22
        ([4, 4, 4, 4, 4, 4, 4, 4, 0], "71.1"),  # 32 × 20/9 = 71.11
        ([5, 5, 5, 5, 5, 5, 5, 5, 4], "97.8"),  # 44 × 20/9 = 97.78
    ],
)
def test_sdm_score(items, expected):
    assert sdm_score(items) == Decimal(expected)


@pytest.mark.parametrize("items", [[0] * 8, [0] * 10, [6] + [0] * 8, [-1] + [0] * 8])
def test_sdm_score_refuses_bad_items(items):
    with pytest.raises(ValueError):
        sdm_score(items)


def test_own_wording_mentions_the_hulpverlener():
    assert len(SDM_QUESTIONS) == 9
    assert all("hulpverlener" in str(q) for q in SDM_QUESTIONS)


def _sdm_data(family, items=None, **overrides):  # type: ignore[no-untyped-def]
    member = family.members.get(name="Naomi Jansen")
    items = items if items is not None else [3, 4, 2, 5, 3, 4, 4, 3, 5]
    return {
        "member": member.pk,
        "moment": "after_analysis",
        "date": TODAY.isoformat(),
        "coach_present": "on",
        **{f"item_{i}": v for i, v in enumerate(items, start=1)},
        **overrides,
    }


def test_coach_records_an_sdm(alice_client, alice, family):
    response = alice_client.post(url(family, "sdm/new/"), _sdm_data(family))
    assert response.status_code == 302
    sdm = SdmResponse.objects.get()
    assert sdm.score == Decimal("73.3")
    assert sdm.items == [3, 4, 2, 5, 3, 4, 4, 3, 5]
    assert sdm.moment == "after_analysis"
    assert sdm.coach == alice  # the family's coach, for averages per coach
    assert sdm.recorded_by == alice
    page = alice_client.get(url(family, "")).content.decode()
    assert "73,3" in page and "Na de analyse" in page
    # The family page's panel too, with its one decimal as stored (SQLite hands the panel's
    # subquery's decimal over as a float: 73,3000000000000).
    overview = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content
    assert "SDM-Q-9: 73,3 (na de analyse" in overview.decode()


def test_form_shows_nine_items(alice_client, family):
    body = alice_client.get(url(family, "sdm/new/")).content.decode()
    assert body.count('type="radio"') == 9 * 6
    assert str(SDM_QUESTIONS[0]) in body


@pytest.mark.parametrize(
    "overrides",
    [
        {"item_3": "6"},
        {"item_1": "-1"},
        {"item_9": ""},
        {"item_5": "vijf"},
        {"moment": "sometime"},
        {"coach_present": ""},
        {"date": (TODAY + datetime.timedelta(days=1)).isoformat()},
        {"member": "999999"},
    ],
)
def test_sdm_bad_input_saves_nothing(alice_client, family, overrides):
    data = {k: v for k, v in _sdm_data(family, **overrides).items() if v != ""}
    response = alice_client.post(url(family, "sdm/new/"), data)
    assert response.status_code == 200
    assert "Niet opgeslagen" in response.content.decode()
    assert response.context["form"].errors
    assert not SdmResponse.objects.exists()


def test_member_of_another_family_is_refused(alice_client, family, team):
    stranger = MemberFactory(family=FamilyFactory(team=team), name="Iemand Anders")
    response = alice_client.post(url(family, "sdm/new/"), _sdm_data(family, member=stranger.pk))
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert not SdmResponse.objects.exists()
    with pytest.raises(ValueError):
        services.sdm_record(
            family=family, member=stranger, moment="start", date=TODAY, items=[1] * 9, by=None
        )


def test_database_refuses_items_out_of_range(family, alice):
    member = family.members.first()
    with pytest.raises(IntegrityError):
        SdmResponse.objects.create(
            family=family,
            member=member,
            moment="start",
            date=TODAY,
            score=Decimal(0),
            recorded_by=alice,
            **{f"item_{i}": 0 for i in range(1, 9)},
            item_9=7,
        )


def _exit_data(family, **overrides):  # type: ignore[no-untyped-def]
    return {
        "member": family.members.get(name="Noah Jansen").pk,
        "date": TODAY.isoformat(),
        "coach_present": "on",
        "result": "4",
        "coach_rating": "5",
        "network_role": "3",
        "own_control": "4",
        "comments": "Fijn dat oma nu vaker komt.",
        **overrides,
    }


def test_exit_questionnaire(alice_client, alice, family):
    response = alice_client.post(url(family, "exit/new/"), _exit_data(family))
    assert response.status_code == 302
    answer = ExitQuestionnaire.objects.get()
    assert (answer.result, answer.coach_rating, answer.network_role, answer.own_control) == (
        4,
        5,
        3,
        4,
    )
    assert answer.member.name == "Noah Jansen"
    assert answer.coach == alice
    assert "Fijn dat oma nu vaker komt." in alice_client.get(url(family, "")).content.decode()


@pytest.mark.parametrize(
    "overrides",
    [{"result": "0"}, {"coach_rating": "6"}, {"network_role": "x"}, {"comments": "x" * 4001}],
)
def test_exit_bad_input_saves_nothing(alice_client, family, overrides):
    response = alice_client.post(url(family, "exit/new/"), _exit_data(family, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ExitQuestionnaire.objects.exists()


@pytest.mark.parametrize("part", ["sdm/new/", "exit/new/"])
def test_access_gate(part, family, bob_client, charlie_client, alice_client):
    data = _sdm_data(family) if part.startswith("sdm") else _exit_data(family)
    assert charlie_client.get(url(family, part)).status_code == 404
    assert charlie_client.post(url(family, part), data).status_code == 404
    assert bob_client.get(url(family, part)).status_code == 403
    assert bob_client.post(url(family, part), data).status_code == 403
    assert alice_client.put(url(family, part)).status_code == 405
    assert not SdmResponse.objects.exists() and not ExitQuestionnaire.objects.exists()
    assert charlie_client.get(url(family, "")).status_code == 404


def test_young_children_do_not_fill_in(alice_client, family):
    toddler = MemberFactory(
        family=family,
        name="Kleine Jansen",
        role="child",
        date_of_birth=TODAY.replace(year=TODAY.year - 4),
    )
    teen = MemberFactory(
        family=family, name="Tiener Jansen", role="child", date_of_birth=datetime.date(2008, 1, 1)
    )
    body = alice_client.get(url(family, "sdm/new/")).content.decode()
    assert "Tiener Jansen" in body and "Kleine Jansen" not in body
    response = alice_client.post(url(family, "sdm/new/"), _sdm_data(family, member=toddler.pk))
    assert "member" in response.context["form"].errors
    assert not SdmResponse.objects.exists()
    assert (
        alice_client.post(url(family, "sdm/new/"), _sdm_data(family, member=teen.pk)).status_code
        == 302
    )
