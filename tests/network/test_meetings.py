from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import AgreementEvaluation, Evaluation, NetworkMeeting, Outcome
from tests.factories import FamilyFactory, MemberFactory
from tests.network.factories import AgreementFactory, MeetingFactory, NetworkMemberFactory

pytestmark = pytest.mark.django_db


def meeting_data(family, **overrides):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    data = {
        "kind": "eigen_kracht",
        "date": today.isoformat(),
        "family_members": [m.pk for m in family.members.all()],
        "network_members": [m.pk for m in family.network_members.all()],
        "other_participants": "gezinscoach",
        "outcomes": "Oma neemt de woensdagmiddag.",
        "next_evaluation": (today + datetime.timedelta(days=42)).isoformat(),
    }
    data.update(overrides)
    return data


def test_coach_records_an_eigen_kracht_conference(family, alice, alice_client):
    oma = NetworkMemberFactory(family=family, name="Oma Ria")
    response = alice_client.post(
        reverse("network:meeting_create", args=[family.pk]), meeting_data(family)
    )
    meeting = NetworkMeeting.objects.get()
    assert response["Location"] == reverse("network:meeting_detail", args=[family.pk, meeting.pk])
    assert meeting.created_by == alice
    assert list(meeting.network_members.all()) == [oma]
    assert set(meeting.family_members.all()) == set(family.members.all())
    page = alice_client.get(response["Location"]).content.decode()
    assert "Eigen Kracht-conferentie" in page and "Oma neemt de woensdagmiddag." in page


def test_edit_meeting(family, alice, alice_client):
    NetworkMemberFactory(family=family)
    meeting = MeetingFactory(family=family, created_by=alice)
    url = reverse("network:meeting_edit", args=[family.pk, meeting.pk])
    response = alice_client.post(
        url, meeting_data(family, outcomes="Nieuwe uitkomst", version=meeting.version)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.outcomes == "Nieuwe uitkomst"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "feest"}, "Selecteer een geldige keuze"),
        ({"date": ""}, "Dit veld is verplicht"),
        ({"next_evaluation": "2000-01-01"}, "De evaluatie komt na de bijeenkomst"),
        ({"family_members": [], "network_members": []}, "Kies wie er bij de bijeenkomst waren"),
    ],
)
def test_bad_input_saves_nothing(family, alice_client, overrides, message):
    NetworkMemberFactory(family=family)
    response = alice_client.post(
        reverse("network:meeting_create", args=[family.pk]), meeting_data(family, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NetworkMeeting.objects.exists()


def test_participants_of_another_family_are_refused(family, alice_client, team):
    other = FamilyFactory(team=team)
    url = reverse("network:meeting_create", args=[family.pk])
    for overrides in (
        {"network_members": [NetworkMemberFactory(family=other).pk]},
        {"family_members": [MemberFactory(family=other).pk]},
    ):
        response = alice_client.post(url, meeting_data(family, **overrides))
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert not NetworkMeeting.objects.exists()


def test_evaluation_records_per_agreement_whether_it_happened(family, alice, alice_client):
    meeting = MeetingFactory(family=family, created_by=alice)
    done = AgreementFactory(family=family, meeting=meeting, what="Oma haalt op")
    missed = AgreementFactory(family=family, meeting=meeting, what="Buurman kookt")
    skipped = AgreementFactory(family=family, what="Nog niet besproken")
    url = reverse("network:meeting_evaluate", args=[family.pk, meeting.pk])
    page = alice_client.get(url).content.decode()
    assert "Oma haalt op" in page and "Nog niet besproken" in page
    next_date = timezone.localdate() + datetime.timedelta(days=30)
    response = alice_client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "note": "Samen doorgelopen.",
            "next_evaluation": next_date.isoformat(),
            f"agreement_{done.pk}": "happened",
            f"agreement_{missed.pk}": "not_happened",
            f"agreement_{skipped.pk}": "",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    outcomes = dict(evaluation.items.values_list("agreement_id", "outcome"))
    assert outcomes == {done.pk: Outcome.HAPPENED, missed.pk: Outcome.NOT_HAPPENED}
    meeting.refresh_from_db()
    assert meeting.next_evaluation == next_date
    detail = alice_client.get(response["Location"]).content.decode()
    assert "Niet gebeurd" in detail and "Samen doorgelopen." in detail


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": ""}, "Dit veld is verplicht"),
        ({"date": "2999-01-01"}, "toekomst"),
        ({"agreement": "perhaps"}, "Selecteer een geldige keuze"),
        ({"agreement": ""}, "Geef bij minstens één afspraak aan"),
        ({"next_evaluation": "2001-01-01"}, "Kies een datum na deze evaluatie"),
    ],
)
def test_evaluation_bad_input_saves_nothing(family, alice, alice_client, overrides, message):
    meeting = MeetingFactory(family=family, created_by=alice)
    agreement = AgreementFactory(family=family, meeting=meeting)
    data = {
        "date": timezone.localdate().isoformat(),
        "note": "",
        "next_evaluation": "",
        f"agreement_{agreement.pk}": overrides.pop("agreement", "happened"),
    }
    data.update(overrides)
    response = alice_client.post(
        reverse("network:meeting_evaluate", args=[family.pk, meeting.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evaluation.objects.exists() and not AgreementEvaluation.objects.exists()


def test_evaluation_service_refuses_agreements_of_another_family(family, alice, team):
    from network import services

    meeting = MeetingFactory(family=family, created_by=alice)
    foreign = AgreementFactory(family=FamilyFactory(team=team))
    with pytest.raises(ValueError):
        services.evaluation_create(
            meeting=meeting,
            by=alice,
            date=timezone.localdate(),
            outcomes={foreign.pk: Outcome.HAPPENED},
        )
    assert not Evaluation.objects.exists()
