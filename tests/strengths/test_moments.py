from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from strengths.models import Moment

pytestmark = pytest.mark.django_db


def url(family):  # type: ignore[no-untyped-def]
    return reverse("strengths:moment_create", args=[family.pk])


def test_coach_adds_a_moment_and_goes_on_to_score(family, alice, alice_client):
    response = alice_client.post(url(family), {"kind": "start", "date": "2026-01-10"})
    moment = Moment.objects.get()
    assert (moment.family, moment.kind, moment.created_by) == (family, "start", alice)
    assert moment.date == datetime.date(2026, 1, 10)
    assert response.status_code == 302
    assert response["Location"] == reverse("strengths:scores", args=[family.pk, moment.pk, "joint"])


def test_start_only_once_interim_many_times(family, alice_client):
    for _ in range(2):
        alice_client.post(url(family), {"kind": "interim", "date": "2026-02-01"})
    alice_client.post(url(family), {"kind": "start", "date": "2026-01-10"})
    response = alice_client.post(url(family), {"kind": "start", "date": "2026-01-11"})
    assert response.status_code == 200
    assert "Dit gezin heeft al een meetmoment ‘Start’." in response.content.decode()
    assert Moment.objects.filter(kind="interim").count() == 2
    assert Moment.objects.filter(kind="start").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "weekly", "date": "2026-01-10"}, "Selecteer een geldige keuze"),
        ({"kind": "start", "date": "10-01"}, "Voer een geldige datum in"),
        ({"kind": "start", "date": ""}, "Dit veld is verplicht"),
    ],
)
def test_bad_input_saves_nothing(family, alice_client, data, message):
    response = alice_client.post(url(family), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Moment.objects.exists()


def test_future_date_refused(family, alice_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = alice_client.post(url(family), {"kind": "start", "date": tomorrow.isoformat()})
    assert "toekomst" in response.content.decode()
    assert not Moment.objects.exists()


def test_access(family, bob_client, charlie_client, alice_client):
    data = {"kind": "start", "date": "2026-01-10"}
    assert alice_client.get(url(family)).status_code == 200
    assert bob_client.get(url(family)).status_code == 403
    assert bob_client.post(url(family), data).status_code == 403
    assert charlie_client.get(url(family)).status_code == 404
    assert charlie_client.post(url(family), data).status_code == 404
    assert alice_client.put(url(family)).status_code == 405
    assert not Moment.objects.exists()
