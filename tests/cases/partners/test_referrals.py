"""A family's referrals to partners: recorded on the family's "Partners" tab, a status flow
whose every step is kept, shown on the overview, and never to another team's partner."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral, ReferralStatus
from cases.partners import services
from tests.cases.partners.factories import PartnerFactory, referral
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def partner(team):  # type: ignore[no-untyped-def]
    return PartnerFactory(team=team, name="Volwassenen-ggz Zuidoost", kind="adult_mental_health")


def _create(client, family, **data):  # type: ignore[no-untyped-def]
    payload = {
        "reason": "Behandeling van de angstklachten van moeder.",
        "asked_on": TODAY().isoformat(),
        "expected_answer_on": (TODAY() + 14 * DAY).isoformat(),
        "notes": "",
    }
    payload.update(data)
    return client.post(reverse("cases:referral_create", args=[family.pk]), payload)


def test_coach_records_a_referral_for_a_member(alice_client, family, partner, alice):
    mother = family.members.get(name="Naomi Jansen")
    response = _create(alice_client, family, partner=partner.pk, members=[mother.pk])
    assert response.status_code == 302
    made = Referral.objects.get()
    assert made.family == family and made.partner == partner and not made.whole_family
    assert list(made.members.all()) == [mother]
    assert made.status == ReferralStatus.REQUESTED and made.created_by == alice
    [step] = made.history.all()
    assert step.status == ReferralStatus.REQUESTED and step.by == alice and step.on == TODAY()


def test_for_whom_must_be_said(alice_client, family, partner):
    response = _create(alice_client, family, partner=partner.pk)
    assert response.status_code == 200
    assert "Kies voor wie de verwijzing is" in response.content.decode()
    assert not Referral.objects.exists()


def test_another_teams_partner_is_refused_in_dutch(alice_client, family, other_team):
    theirs = PartnerFactory(team=other_team, name="Jeugdbescherming west")
    response = _create(alice_client, family, partner=theirs.pk, whole_family="on")
    assert response.status_code == 200
    assert "Kies een partner van het team van dit gezin." in response.content.decode()
    assert not Referral.objects.exists()


def test_another_familys_member_is_refused(alice_client, family, partner, team):
    stranger = MemberFactory(family=FamilyFactory(team=team))
    response = _create(alice_client, family, partner=partner.pk, members=[stranger.pk])
    assert "Kies alleen gezinsleden van dit gezin." in response.content.decode()
    assert not Referral.objects.exists()


def test_the_service_refuses_another_teams_partner(family, other_team, alice):
    with pytest.raises(services.ReferralError):
        referral(family, PartnerFactory(team=other_team), alice)


def test_the_answer_cannot_be_expected_before_the_request(alice_client, family, partner):
    response = _create(
        alice_client,
        family,
        partner=partner.pk,
        whole_family="on",
        expected_answer_on=(TODAY() - DAY).isoformat(),
    )
    assert "Het antwoord kan niet vóór de aanvraag verwacht worden." in response.content.decode()
    assert not Referral.objects.exists()


def test_status_flow_keeps_every_step(alice_client, family, partner, alice):
    made = referral(family, partner, alice, asked_on=TODAY() - 30 * DAY)
    url = reverse("cases:referral_status", args=[family.pk, made.pk])
    page = alice_client.get(url)
    choices = [value for value, _label in page.context["form"].fields["status"].choices]
    assert choices == ["in_progress", "waiting", "started", "refused"]
    for status, ago in (("in_progress", 20), ("waiting", 10), ("started", 2)):
        response = alice_client.post(
            url, {"status": status, "on": (TODAY() - ago * DAY).isoformat(), "note": status}
        )
        assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == ReferralStatus.STARTED and made.started_on == TODAY() - 2 * DAY
    steps = [(s.previous_status, s.status, s.note) for s in made.history.all()]
    assert steps == [
        ("", "requested", ""),
        ("requested", "in_progress", "in_progress"),
        ("in_progress", "waiting", "waiting"),
        ("waiting", "started", "started"),
    ]
    # From "gestart" only "afgerond"; a step back is refused and nothing changes.
    response = alice_client.post(url, {"status": "requested", "on": TODAY().isoformat()})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze uit de lijst." in response.content.decode()
    assert (
        alice_client.post(url, {"status": "finished", "on": TODAY().isoformat()}).status_code == 302
    )
    made.refresh_from_db()
    assert made.status == ReferralStatus.FINISHED and made.history.count() == 5
    # A closed referral's status page sends back to the tab.
    assert alice_client.get(url).status_code == 302


def test_refused_is_final_in_the_service(family, partner, alice):
    made = referral(family, partner, alice)
    services.referral_status_change(
        referral=made, by=alice, status=ReferralStatus.REFUSED, on=TODAY()
    )
    with pytest.raises(services.ReferralError):
        services.referral_status_change(
            referral=made, by=alice, status=ReferralStatus.STARTED, on=TODAY()
        )
    assert made.history.count() == 2


def test_a_status_date_before_the_request_is_refused(alice_client, family, partner, alice):
    made = referral(family, partner, alice, asked_on=TODAY() - 5 * DAY)
    url = reverse("cases:referral_status", args=[family.pk, made.pk])
    response = alice_client.post(url, {"status": "started", "on": (TODAY() - 6 * DAY).isoformat()})
    assert "Deze datum ligt vóór de aanvraag" in response.content.decode()
    made.refresh_from_db()
    assert made.status == ReferralStatus.REQUESTED and made.started_on is None


def test_a_new_answer_date_replaces_the_old(alice_client, family, partner, alice):
    made = referral(family, partner, alice, expected=TODAY() + DAY)
    url = reverse("cases:referral_status", args=[family.pk, made.pk])
    later = TODAY() + 28 * DAY
    alice_client.post(
        url, {"status": "waiting", "on": TODAY().isoformat(), "expected_answer_on": later}
    )
    made.refresh_from_db()
    assert made.status == ReferralStatus.WAITING and made.expected_answer_on == later


def test_edit_corrects_the_request(alice_client, family, partner, alice):
    made = referral(family, partner, alice)
    url = reverse("cases:referral_edit", args=[family.pk, made.pk])
    form = alice_client.get(url).context["form"]
    assert "partner" not in form.fields
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    data["reason"] = "Hulp bij de schulden en de huurachterstand."
    assert alice_client.post(url, data).status_code == 302
    made.refresh_from_db()
    assert made.reason == "Hulp bij de schulden en de huurachterstand." and made.version == 2


def test_tab_shows_referrals_with_history_and_overdue_badge(alice_client, family, partner, alice):
    late = referral(family, partner, alice, asked_on=TODAY() - 20 * DAY, expected=TODAY() - DAY)
    body = alice_client.get(reverse("cases:family_partners", args=[family.pk])).content.decode()
    assert "Volwassenen-ggz Zuidoost" in body and "Aangevraagd" in body
    assert "antwoord over de datum" in body and "Verloop" in body
    services.referral_status_change(
        referral=late, by=alice, status=ReferralStatus.STARTED, on=TODAY()
    )
    body = alice_client.get(reverse("cases:family_partners", args=[family.pk])).content.decode()
    assert "antwoord over de datum" not in body and "Gestart" in body


def test_tab_of_a_family_without_referrals(alice_client, family):
    body = alice_client.get(reverse("cases:family_partners", args=[family.pk])).content.decode()
    assert "Nog geen verwijzingen naar partners." in body


def test_the_tab_query_count_does_not_grow_with_referrals(
    alice_client, family, partner, alice, django_assert_max_num_queries
):
    url = reverse("cases:family_partners", args=[family.pk])
    referral(family, partner, alice)
    alice_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        alice_client.get(url)
    for _n in range(4):
        made = referral(family, partner, alice, whole_family=False)
        services.referral_status_change(
            referral=made, by=alice, status=ReferralStatus.IN_PROGRESS, on=TODAY()
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        alice_client.get(url)


def test_overview_panel_lists_open_referrals(alice_client, family, partner, alice):
    referral(family, partner, alice, asked_on=TODAY() - 20 * DAY, expected=TODAY() - DAY)
    done = referral(family, PartnerFactory(team=family.team, name="Gesloten partner"), alice)
    services.referral_status_change(
        referral=done, by=alice, status=ReferralStatus.REFUSED, on=TODAY()
    )
    body = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "Lopende verwijzingen" in body and "Volwassenen-ggz Zuidoost" in body
    assert "antwoord over de datum" in body
    assert "Gesloten partner" not in body


def test_reader_and_outsider(bob_client, charlie_client, family, partner, alice):
    made = referral(family, partner, alice)
    status = reverse("cases:referral_status", args=[family.pk, made.pk])
    assert bob_client.get(reverse("cases:family_partners", args=[family.pk])).status_code == 200
    assert bob_client.post(status, {"status": "refused", "on": TODAY()}).status_code == 403
    assert charlie_client.get(reverse("cases:family_partners", args=[family.pk])).status_code == 404
    assert charlie_client.post(status, {"status": "refused", "on": TODAY()}).status_code == 404
    made.refresh_from_db()
    assert made.status == ReferralStatus.REQUESTED


def test_a_referral_of_another_family_is_not_found(alice_client, family, partner, alice, team):
    other = FamilyFactory(team=team, coach=alice)
    MemberFactory(family=other)
    made = referral(other, partner, alice)
    url = reverse("cases:referral_edit", args=[family.pk, made.pk])
    assert alice_client.get(url).status_code == 404
