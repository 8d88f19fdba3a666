from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from network import services
from network.involvement import hours_in_week, week_start, weekly_hours
from network.models import Krachtgezin, KrachtgezinMatch, RespiteStay
from tests.factories import FamilyFactory, MemberFactory, TeamFactory
from tests.network.factories import KrachtgezinFactory

pytestmark = pytest.mark.django_db


def kg_data(**overrides):  # type: ignore[no-untyped-def]
    """The Krachtgezin itself, as the pool has it."""
    data = {
        "name": "Familie Veldhuis",
        "contact_person": "Anja Veldhuis",
        "phone": "",
        "registration": "SKJ 123",
        "hours_per_week": "10",
        "active": "on",
    }
    data.update(overrides)
    return data


def match_data(**overrides):  # type: ignore[no-untyped-def]
    """The matching: the kennismakingsgesprek and the goals agreed with the regisseur."""
    data = {
        "intro_date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "intro_third_person": "Sanne (gezinscoach)",
        "click_family": "yes",
        "click_krachtgezin": "yes",
        "safety": "yes",
        "goals": "Moeder heeft elke woensdagmiddag rust.",
        "intro_note": "Goede klik.",
    }
    data.update(overrides)
    return data


def test_coordinator_fills_the_pool_and_a_coach_links_a_krachtgezin(
    family, alice_client, coordinator_client
):
    response = coordinator_client.post(reverse("network:krachtgezin_pool_create"), kg_data())
    assert response["Location"] == reverse("network:krachtgezin_list")
    krachtgezin = Krachtgezin.objects.get()
    assert krachtgezin.team == family.team and krachtgezin.is_free
    assert krachtgezin.supported_family is None
    listing = coordinator_client.get(reverse("network:krachtgezin_list")).content.decode()
    assert "data-free" in listing
    url = reverse("network:krachtgezin_create", args=[family.pk])
    response = alice_client.post(url, {"krachtgezin": krachtgezin.pk, **match_data()})
    assert response["Location"] == reverse(
        "network:krachtgezin_detail", args=[family.pk, krachtgezin.pk]
    )
    krachtgezin = Krachtgezin.objects.get()
    assert krachtgezin.supported_family == family and krachtgezin.team == family.team
    assert krachtgezin.hours_per_week == 10 and krachtgezin.is_matched
    match = KrachtgezinMatch.objects.get()
    assert (match.click_family, match.click_krachtgezin, match.safety) == ("yes", "yes", "yes")
    page = alice_client.get(response["Location"]).content.decode()
    assert "Familie Veldhuis" in page and "Anja Veldhuis" in page
    # The matching record is shown: the third person present, both sides, the goals.
    assert "Sanne (gezinscoach)" in page and "woensdagmiddag rust" in page
    assert "Klik volgens het krachtgezin" in page


def test_a_coach_does_not_fill_the_pool(alice_client):
    assert alice_client.get(reverse("network:krachtgezin_pool_create")).status_code == 403
    assert (
        alice_client.post(reverse("network:krachtgezin_pool_create"), kg_data()).status_code == 403
    )
    assert not Krachtgezin.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Dit veld is verplicht"),
        ({"contact_person": ""}, "Dit veld is verplicht"),
        ({"hours_per_week": "0"}, "Minimaal 1 uur"),
        ({"hours_per_week": "41"}, "Maximaal 40 uur per week"),
    ],
)
def test_bad_input_saves_nothing(coordinator_client, overrides, message):
    response = coordinator_client.post(
        reverse("network:krachtgezin_pool_create"), kg_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Krachtgezin.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"intro_date": "2999-01-01"}, "toekomst"),
        ({"intro_date": ""}, "datum van het kennismakingsgesprek"),
        ({"click_family": "maybe"}, "Selecteer een geldige keuze"),
        ({"krachtgezin": ""}, "Dit veld is verplicht"),
    ],
)
def test_bad_matching_input_saves_nothing(family, alice_client, overrides, message):
    free = KrachtgezinFactory(team=family.team, supported_family=None)
    data = {"krachtgezin": free.pk, **match_data(**overrides)}
    response = alice_client.post(reverse("network:krachtgezin_create", args=[family.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KrachtgezinMatch.objects.exists()


def test_edit(family, alice_client):
    krachtgezin = KrachtgezinFactory(supported_family=family)
    url = reverse("network:krachtgezin_edit", args=[family.pk, krachtgezin.pk])
    response = alice_client.post(url, kg_data(hours_per_week="8", version=krachtgezin.version))
    assert response.status_code == 302
    krachtgezin.refresh_from_db()
    assert krachtgezin.hours_per_week == 8 and krachtgezin.is_matched
    match = krachtgezin.matches.get()
    url = reverse("network:krachtgezin_match_edit", args=[family.pk, krachtgezin.pk])
    response = alice_client.post(url, match_data(safety="unsure", version=match.version))
    assert response.status_code == 302
    krachtgezin = Krachtgezin.objects.get()
    assert krachtgezin.matches.get().safety == "unsure" and not krachtgezin.is_matched


def test_edit_bad_input_changes_nothing(family, alice_client):
    krachtgezin = KrachtgezinFactory(supported_family=family, name="Familie A")
    url = reverse("network:krachtgezin_edit", args=[family.pk, krachtgezin.pk])
    response = alice_client.post(url, kg_data(name="Familie B", hours_per_week="99"))
    assert response.status_code == 200
    krachtgezin.refresh_from_db()
    assert krachtgezin.name == "Familie A" and krachtgezin.hours_per_week == 10


def test_supports_only_a_family_of_its_own_team(family):
    krachtgezin = KrachtgezinFactory(team=family.team, supported_family=None)
    elsewhere = FamilyFactory(team=TeamFactory(name="Elders"))
    with pytest.raises(ValueError):
        services.krachtgezin_match(krachtgezin=krachtgezin, family=elsewhere, data={})
    assert Krachtgezin.objects.get().supported_family is None
    services.krachtgezin_match(krachtgezin=krachtgezin, family=family, data={})
    assert Krachtgezin.objects.get().supported_family == family


def test_one_family_at_a_time(family, alice_client):
    krachtgezin = KrachtgezinFactory(supported_family=family, name="Familie Veldhuis")
    second = FamilyFactory(team=family.team, coach=family.coach)
    # The service refuses a second matching, with a Dutch sentence.
    with pytest.raises(services.KrachtgezinBusy) as refused:
        services.krachtgezin_match(krachtgezin=krachtgezin, family=second, data={})
    assert "ondersteunt al een ander gezin" in refused.value.messages[0]
    # The form offers only free ones; a busy one posted anyway is an invalid choice.
    url = reverse("network:krachtgezin_create", args=[second.pk])
    form = alice_client.get(url).context["form"]
    assert krachtgezin not in form.fields["krachtgezin"].queryset
    response = alice_client.post(url, {"krachtgezin": krachtgezin.pk, **match_data()})
    assert (
        response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    )
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        KrachtgezinMatch.objects.create(krachtgezin=krachtgezin, family=second)
    assert KrachtgezinMatch.objects.filter(family=second).count() == 0
    # Ending the first matching frees it; the record stays with the first family.
    end = reverse("network:krachtgezin_match_end", args=[family.pk, krachtgezin.pk])
    assert alice_client.post(end, {"ended_on": timezone.localdate().isoformat()}).status_code == 302
    assert Krachtgezin.objects.get().is_free
    detail = alice_client.get(
        reverse("network:krachtgezin_detail", args=[family.pk, krachtgezin.pk])
    )
    assert detail.status_code == 200 and "beëindigd" in detail.content.decode()
    response = alice_client.post(url, {"krachtgezin": krachtgezin.pk, **match_data()})
    assert response.status_code == 302
    assert Krachtgezin.objects.get().supported_family == second
    # The first family can read its record, but no longer change the support.
    for name in ("krachtgezin_edit", "krachtgezin_match_edit", "stay_create"):
        assert (
            alice_client.get(
                reverse(f"network:{name}", args=[family.pk, krachtgezin.pk])
            ).status_code
            == 404
        )


def test_a_busy_krachtgezin_taken_meanwhile_gets_the_message(family, alice_client):
    """Two coaches open the form while it is free; the second to save hears why."""
    krachtgezin = KrachtgezinFactory(team=family.team, supported_family=None)
    second = FamilyFactory(team=family.team, coach=family.coach)
    url = reverse("network:krachtgezin_create", args=[second.pk])
    form_queryset = Krachtgezin.objects.filter(pk=krachtgezin.pk)
    services.krachtgezin_match(krachtgezin=krachtgezin, family=family, data={})
    # The form's choices were made before the other match (simulated by a wider queryset).
    from network import forms as network_forms

    original = network_forms.KrachtgezinMatchCreateForm.__init__

    def wide(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        self.fields["krachtgezin"].queryset = form_queryset

    network_forms.KrachtgezinMatchCreateForm.__init__ = wide  # type: ignore[method-assign]
    try:
        response = alice_client.post(url, {"krachtgezin": krachtgezin.pk, **match_data()})
    finally:
        network_forms.KrachtgezinMatchCreateForm.__init__ = original  # type: ignore[method-assign]
    assert response.status_code == 200
    assert "ondersteunt al een ander gezin" in response.content.decode()
    assert not KrachtgezinMatch.objects.filter(family=second).exists()


def test_matching_page_says_when_the_pool_is_empty(family, alice_client):
    page = alice_client.get(reverse("network:krachtgezin_create", args=[family.pk]))
    assert "data-pool-empty" in page.content.decode()
    KrachtgezinFactory(team=family.team, supported_family=None)
    page = alice_client.get(reverse("network:krachtgezin_create", args=[family.pk]))
    assert "data-pool-empty" not in page.content.decode()


def _at(day: datetime.date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00"


def stay_data(child, day, start=10, end=16, **overrides):  # type: ignore[no-untyped-def]
    data = {"child": child.pk, "start": _at(day, start), "end": _at(day, end), "note": ""}
    data.update(overrides)
    return data


def test_respite_stay_counts_against_weekly_hours(family, alice_client):
    krachtgezin = KrachtgezinFactory(supported_family=family, hours_per_week=10)
    child = family.members.get(name="Noah Jansen")
    monday = week_start(timezone.localdate())
    url = reverse("network:stay_create", args=[family.pk, krachtgezin.pk])
    assert alice_client.post(url, stay_data(child, monday, 10, 16)).status_code == 302
    stay = RespiteStay.objects.get()
    assert stay.child == child and stay.hours == 6
    detail = reverse("network:krachtgezin_detail", args=[family.pk, krachtgezin.pk])
    weeks = alice_client.get(detail).context["weeks"]
    assert (weeks[0].start, weeks[0].used, weeks[0].available, weeks[0].over) == (
        monday,
        6.0,
        10,
        False,
    )
    # A second stay the same week goes over the 10 hours: saved, with a warning.
    response = alice_client.post(
        url, stay_data(child, monday + datetime.timedelta(days=2), 9, 17), follow=True
    )
    assert "meer uren gebruikt" in response.content.decode()
    assert response.context["weeks"][0].used == 14.0 and response.context["weeks"][0].over


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("end_before_start", "Het einde moet na het begin"),
        ("too_long", "hooguit 72 uur"),
        ("overlap", "Er is al opvang in deze periode"),
        ("foreign_child", "Selecteer een geldige keuze"),
        ("parent", "Selecteer een geldige keuze"),
        ("bad_date", "Voer een geldige datum/tijd in"),
    ],
)
def test_stay_bad_input_saves_nothing(family, alice_client, change, message):
    krachtgezin = KrachtgezinFactory(supported_family=family)
    child = family.members.get(name="Noah Jansen")
    day = week_start(timezone.localdate()) - datetime.timedelta(days=14)
    existing = RespiteStay.objects.create(
        krachtgezin=krachtgezin,
        child=child,
        start=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
        end=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
    )
    data = stay_data(child, day + datetime.timedelta(days=1))
    if change == "end_before_start":
        data["end"] = _at(day + datetime.timedelta(days=1), 8)
    elif change == "too_long":
        data["end"] = _at(day + datetime.timedelta(days=5), 8)
    elif change == "overlap":
        data = stay_data(child, day, 11, 15)
    elif change == "foreign_child":
        data["child"] = MemberFactory(family=FamilyFactory(team=family.team)).pk
    elif change == "parent":
        data["child"] = family.members.get(name="Naomi Jansen").pk
    elif change == "bad_date":
        data["start"] = "zaterdag"
    response = alice_client.post(
        reverse("network:stay_create", args=[family.pk, krachtgezin.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(RespiteStay.objects.all()) == [existing]


def test_no_stay_before_a_good_introduction(family, alice_client):
    krachtgezin = KrachtgezinFactory(supported_family=family, intro_click=True, intro_safety=None)
    child = family.members.get(name="Noah Jansen")
    response = alice_client.post(
        reverse("network:stay_create", args=[family.pk, krachtgezin.pk]),
        stay_data(child, timezone.localdate() - datetime.timedelta(days=1)),
    )
    assert "klik én gevoel van veiligheid" in response.content.decode()
    assert not RespiteStay.objects.exists()


def test_hours_of_a_stay_over_two_weeks_are_split(family):
    krachtgezin = KrachtgezinFactory(supported_family=family)
    child = family.members.get(name="Noah Jansen")
    sunday = week_start(timezone.localdate()) - datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(sunday, datetime.time(18)))
    stay = RespiteStay.objects.create(
        krachtgezin=krachtgezin, child=child, start=start, end=start + datetime.timedelta(hours=20)
    )
    assert hours_in_week([stay], sunday - datetime.timedelta(days=6)) == 6.0
    assert hours_in_week([stay], sunday + datetime.timedelta(days=1)) == 14.0
    weeks = weekly_hours([stay], 10)
    assert [w.used for w in weeks] == [14.0, 6.0]


def test_team_list(family, other_team, alice_client, charlie_client):
    KrachtgezinFactory(supported_family=family, name="Familie Veldhuis")
    KrachtgezinFactory(supported_family=FamilyFactory(team=family.team), name="Familie Kromo")
    KrachtgezinFactory(supported_family=FamilyFactory(team=other_team), name="Familie Elders")
    url = reverse("network:krachtgezin_list")
    page = alice_client.get(url).content.decode()
    assert "Familie Veldhuis" in page and "Familie Kromo" in page
    assert "Familie Elders" not in page
    other = charlie_client.get(url).content.decode()
    assert "Familie Elders" in other and "Familie Veldhuis" not in other


def test_team_list_queries_do_not_grow(family, alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("network:krachtgezin_list")
    child = family.members.get(name="Noah Jansen")

    def add(n: int) -> None:
        for _ in range(n):
            k = KrachtgezinFactory(supported_family=FamilyFactory(team=family.team))
            RespiteStay.objects.create(
                krachtgezin=k,
                child=child,
                start=timezone.now() - datetime.timedelta(hours=2),
                end=timezone.now() - datetime.timedelta(hours=1),
            )

    add(1)
    alice_client.get(url)
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    add(5)
    with CaptureQueriesContext(connection) as many:
        response = alice_client.get(url)
    assert len(response.context["rows"]) == 6
    assert len(many) == len(few)
