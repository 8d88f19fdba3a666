from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from strengths.models import TimelineEvent
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db


def event_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "precision": "day",
        "day": "12",
        "month": "3",
        "year": "2019",
        "kind": "move",
        "description": "Verhuisd naar de Bijlmer.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_event(family, user, year, month=None, day=None, **fields):  # type: ignore[no-untyped-def]
    precision = "day" if day else "month" if month else "year"
    values = {"kind": "other", "description": f"{year}-{month}-{day}", **fields}
    return TimelineEvent.objects.create(
        family=family,
        created_by=user,
        precision=precision,
        year=year,
        month=month,
        day=day,
        **values,
    )


def create_url(family):  # type: ignore[no-untyped-def]
    return reverse("strengths:event_create", args=[family.pk])


@pytest.mark.parametrize(
    ("parts", "shown", "iso"),
    [
        ((2019,), "2019", "2019"),
        ((2019, 3), "maart 2019", "2019-03"),
        ((2019, 3, 12), "12 maart 2019", "2019-03-12"),
    ],
)
def test_partial_dates_display(family, alice, parts, shown, iso):
    event = make_event(family, alice, *parts)
    with translation.override("nl"):
        assert event.display_date == shown
    assert event.iso_date == iso


def test_partial_dates_sort_sensibly(family, alice, alice_client):
    make_event(family, alice, 2019, 3, 12, description="dag in maart")
    make_event(family, alice, 2020, description="alleen 2020")
    make_event(family, alice, 2019, description="alleen 2019")
    make_event(family, alice, 2019, 3, description="maart 2019")
    make_event(family, alice, 2018, 12, 31, description="oudjaar 2018")
    make_event(family, alice, 2019, 1, 2, description="begin januari")
    expected = [
        "oudjaar 2018",
        "alleen 2019",
        "begin januari",
        "maart 2019",
        "dag in maart",
        "alleen 2020",
    ]
    assert [e.description for e in family.timeline_events.all()] == expected
    page = alice_client.get(reverse("strengths:timeline", args=[family.pk])).content.decode()
    positions = [page.index(text) for text in expected]
    assert positions == sorted(positions)
    assert '<time datetime="2019-03" class="fw-semibold">maart 2019</time>' in page


def test_coach_adds_an_event_with_members(family, alice, alice_client):
    members = list(family.members.all())
    data = event_data(members=[m.pk for m in members], kind="earlier_care")
    response = alice_client.post(create_url(family), data)
    assert response.status_code == 302
    event = TimelineEvent.objects.get()
    assert (event.year, event.month, event.day) == (2019, 3, 12)
    assert event.kind == "earlier_care"
    assert event.created_by == alice
    assert set(event.members.all()) == set(members)


@pytest.mark.parametrize(
    ("precision", "expected"), [("year", (2019, None, None)), ("month", (2019, 3, None))]
)
def test_coarse_precision_drops_finer_fields(family, alice_client, precision, expected):
    alice_client.post(create_url(family), event_data(precision=precision))
    event = TimelineEvent.objects.get()
    assert (event.year, event.month, event.day) == expected


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"precision": "day", "day": ""}, "Vul de dag in"),
        ({"precision": "month", "month": ""}, "Kies de maand"),
        ({"precision": "day", "day": "31", "month": "2"}, "Deze datum bestaat niet"),
        ({"year": ""}, "Dit veld is verplicht"),
        ({"year": "1850"}, "Vul een jaar vanaf 1900 in"),
        ({"month": "13"}, "Selecteer een geldige keuze"),
        ({"precision": "week"}, "Selecteer een geldige keuze"),
        ({"kind": "party"}, "Selecteer een geldige keuze"),
        ({"description": ""}, "Dit veld is verplicht"),
    ],
)
def test_bad_input_saves_nothing(family, alice_client, overrides, message):
    response = alice_client.post(create_url(family), event_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TimelineEvent.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"day": str(10**20)}, "Vul een dag van 1 tot en met 31 in."),
        ({"day": "0"}, "Vul een dag van 1 tot en met 31 in."),
        (
            {"year": str(10**20)},
            "Een datum in de toekomst kan niet; kies vandaag of een eerdere datum.",
        ),
        (
            {"year": str(10**20), "precision": "year"},
            "Een datum in de toekomst kan niet; kies vandaag of een eerdere datum.",
        ),
        ({"year": "-1"}, "Vul een jaar vanaf 1900 in."),
        ({"month": str(10**20)}, "Selecteer een geldige keuze"),
    ],
)
def test_huge_numbers_are_a_form_error(family, alice, alice_client, overrides, message):
    response = alice_client.post(create_url(family), event_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TimelineEvent.objects.exists()
    event = make_event(family, alice, 2019, 3, 12)
    edit = reverse("strengths:event_edit", args=[family.pk, event.pk])
    response = alice_client.post(edit, event_data(version=event.version, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    event.refresh_from_db()
    assert (event.year, event.month, event.day) == (2019, 3, 12)


def test_future_is_refused_even_as_a_year(family, alice_client):
    next_year = str(timezone.localdate().year + 1)
    response = alice_client.post(create_url(family), event_data(precision="year", year=next_year))
    assert "toekomst" in response.content.decode()
    assert not TimelineEvent.objects.exists()


def test_member_of_another_family_is_refused(family, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    response = alice_client.post(create_url(family), event_data(members=[stranger.pk]))
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not TimelineEvent.objects.exists()


@pytest.mark.parametrize(
    ("precision", "month", "day"),
    [("year", 3, None), ("month", None, None), ("month", 3, 12), ("day", 3, None), ("day", 13, 1)],
)
def test_database_keeps_fields_and_precision_together(family, alice, precision, month, day):
    with pytest.raises(IntegrityError), transaction.atomic():
        TimelineEvent.objects.create(
            family=family,
            created_by=alice,
            precision=precision,
            year=2019,
            month=month,
            day=day,
            kind="other",
            description="x",
        )


def test_edit_and_conflict(family, alice, alice_client, psychologist_client):
    event = make_event(family, alice, 2019, 3)
    edit = reverse("strengths:event_edit", args=[family.pk, event.pk])
    assert alice_client.get(edit).status_code == 200
    response = psychologist_client.post(edit, event_data(precision="year", version=1))
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.precision, event.month, event.version) == ("year", None, 2)
    stale = alice_client.post(edit, event_data(description="Oud", version=1))
    assert stale.status_code == 409
    event.refresh_from_db()
    assert event.description == "Verhuisd naar de Bijlmer."


def test_access(family, alice, alice_client, bob_client, charlie_client):
    event = make_event(family, alice, 2019)
    listing = reverse("strengths:timeline", args=[family.pk])
    edit = reverse("strengths:event_edit", args=[family.pk, event.pk])
    assert bob_client.get(listing).status_code == 200
    assert "Gebeurtenis toevoegen" not in bob_client.get(listing).content.decode()
    assert charlie_client.get(listing).status_code == 404
    assert alice_client.post(listing).status_code == 405
    for url in (create_url(family), edit):
        assert bob_client.get(url).status_code == 403
        assert bob_client.post(url, event_data(version=1)).status_code == 403
        assert charlie_client.get(url).status_code == 404
        assert charlie_client.post(url, event_data(version=1)).status_code == 404
        assert alice_client.delete(url).status_code == 405
    assert TimelineEvent.objects.count() == 1
    event.refresh_from_db()
    assert event.version == 1


def test_event_of_another_family_is_404(family, alice, alice_client):
    other = FamilyFactory(team=family.team, coach=alice)
    event = make_event(other, alice, 2019)
    edit = reverse("strengths:event_edit", args=[family.pk, event.pk])
    assert alice_client.get(edit).status_code == 404


def test_timeline_list_query_count(family, alice, alice_client, django_assert_max_num_queries):
    members = list(family.members.all())
    for year in range(2010, 2020):
        make_event(family, alice, year).members.set(members)
    url = reverse("strengths:timeline", args=[family.pk])
    alice_client.get(url)  # warm caches (session, user)
    # 12, and 2 for chaining the access-log row: its last hash and the writer lock.
    with django_assert_max_num_queries(14):
        alice_client.get(url)


def test_services_refuse_members_of_another_family(family, alice):
    import datetime

    from strengths import services

    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    data = {"precision": "year", "year": 2019, "kind": "other", "description": "x"}
    with pytest.raises(ValueError):
        services.event_create(family=family, by=alice, data=data, members=[stranger])
    with pytest.raises(ValueError):
        services.analysis_create(
            family=family,
            member=stranger,
            by=alice,
            data={
                "date": datetime.date(2026, 1, 1),
                "filled_in_by": "zelf",
                "strengths": "x",
                "wishes": "",
                "worries": "",
            },
        )
    assert not TimelineEvent.objects.exists()
