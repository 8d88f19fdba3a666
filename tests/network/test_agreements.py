from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.permissions import family_access_for
from network.models import Agreement, AgreementStatus, AgreementWho
from tests.factories import FamilyFactory, MemberFactory
from tests.network.factories import AgreementFactory, MeetingFactory, NetworkMemberFactory

pytestmark = pytest.mark.django_db


def agreement_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "who_kind": "professional",
        "family_member": "",
        "network_member": "",
        "professional": "gezinscoach",
        "what": "Belt de woningcorporatie.",
        "due_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "frequency": "",
        "status": "open",
        "meeting": "",
    }
    data.update(overrides)
    return data


def test_network_member_agrees_to_something(family, alice_client):
    oma = NetworkMemberFactory(family=family, name="Oma Ria")
    url = reverse("network:agreement_create", args=[family.pk])
    response = alice_client.post(
        url,
        agreement_data(
            who_kind="network_member",
            network_member=oma.pk,
            professional="wordt genegeerd",
            due_date="",
            frequency="elke woensdag",
            what="Haalt de kinderen uit school.",
        ),
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.who_kind == AgreementWho.NETWORK_MEMBER
    assert agreement.network_member == oma and agreement.professional == ""
    assert agreement.who_display == "Oma Ria"
    page = alice_client.get(reverse("network:overview", args=[family.pk])).content.decode()
    assert "Haalt de kinderen uit school." in page and "elke woensdag" in page


def test_family_member_agreement_tied_to_a_meeting(family, alice, alice_client):
    meeting = MeetingFactory(family=family, created_by=alice)
    mother = family.members.get(name="Naomi Jansen")
    url = reverse("network:agreement_create", args=[family.pk])
    assert alice_client.get(url + f"?meeting={meeting.pk}").status_code == 200
    response = alice_client.post(
        url, agreement_data(who_kind="family_member", family_member=mother.pk, meeting=meeting.pk)
    )
    assert response["Location"] == reverse("network:meeting_detail", args=[family.pk, meeting.pk])
    assert Agreement.objects.get().meeting == meeting


def test_edit_marks_done(family, alice_client):
    agreement = AgreementFactory(family=family)
    url = reverse("network:agreement_edit", args=[family.pk, agreement.pk])
    response = alice_client.post(
        url, agreement_data(what=agreement.what, status="done", version=agreement.version)
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DONE


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"who_kind": ""}, "Dit veld is verplicht"),
        ({"who_kind": "network_member"}, "Kies het netwerklid"),
        ({"who_kind": "family_member"}, "Kies het gezinslid"),
        ({"who_kind": "professional", "professional": ""}, "Vul in welke professional"),
        ({"what": ""}, "Dit veld is verplicht"),
        ({"due_date": "", "frequency": ""}, "Vul in wanneer, of hoe vaak"),
        ({"due_date": "morgen"}, "Voer een geldige datum in"),
        ({"status": "maybe"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_saves_nothing(family, alice_client, overrides, message):
    response = alice_client.post(
        reverse("network:agreement_create", args=[family.pk]), agreement_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_people_and_meetings_of_another_family_are_refused(family, alice, alice_client, team):
    other = FamilyFactory(team=team)
    stranger = NetworkMemberFactory(family=other)
    other_child = MemberFactory(family=other)
    other_meeting = MeetingFactory(family=other, created_by=alice)
    url = reverse("network:agreement_create", args=[family.pk])
    for overrides in (
        {"who_kind": "network_member", "network_member": stranger.pk},
        {"who_kind": "family_member", "family_member": other_child.pk},
        {"meeting": other_meeting.pk},
    ):
        response = alice_client.post(url, agreement_data(**overrides))
        assert "Selecteer een geldige keuze" in response.content.decode(), overrides
    assert not Agreement.objects.exists()


def test_overdue(family):
    today = timezone.localdate()
    late = AgreementFactory(family=family, due_date=today - datetime.timedelta(days=1))
    AgreementFactory(family=family, due_date=today)
    AgreementFactory(
        family=family, due_date=today - datetime.timedelta(days=5), status=AgreementStatus.DONE
    )
    AgreementFactory(family=family, due_date=None, frequency="elke week")
    assert list(Agreement.objects.overdue()) == [late]
    assert late.is_overdue


def test_overdue_agreements_show_on_the_family_page(family, alice_client):
    today = timezone.localdate()
    oma = NetworkMemberFactory(family=family, name="Oma Ria")
    AgreementFactory(
        family=family,
        who_kind=AgreementWho.NETWORK_MEMBER,
        network_member=oma,
        what="Gaat mee naar de corporatie",
        due_date=today - datetime.timedelta(days=3),
    )
    AgreementFactory(family=family, what="Nog niet aan de beurt")
    AgreementFactory(
        family=family,
        what="Al gedaan",
        due_date=today - datetime.timedelta(days=3),
        status=AgreementStatus.DONE,
    )
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "Afspraken over tijd" in page
    assert "Gaat mee naar de corporatie" in page and "Oma Ria" in page
    assert "Nog niet aan de beurt" not in page and "Al gedaan" not in page


def test_panel_queries_do_not_grow_with_agreements(family, rf, alice):
    from network.panels import family_panel

    today = timezone.localdate()

    def request():  # type: ignore[no-untyped-def]
        # A request of its own each time: the page's figures are kept for one request.
        made = rf.get("/")
        made.user = alice
        return made

    access = family_access_for(alice, family)
    for _ in range(2):
        AgreementFactory(family=family, due_date=today - datetime.timedelta(days=2))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        family_panel(request(), access)
    for _ in range(10):
        oma = NetworkMemberFactory(family=family)
        AgreementFactory(
            family=family,
            who_kind=AgreementWho.NETWORK_MEMBER,
            network_member=oma,
            due_date=today - datetime.timedelta(days=2),
        )
    with CaptureQueriesContext(connection) as many:
        html = family_panel(request(), access)
    assert len(many) == len(few) <= 3
    assert html.count("<li>") == 12


def test_no_panel_without_network(family, rf, alice):
    from network.panels import family_panel

    request = rf.get("/")
    request.user = alice
    assert family_panel(request, family_access_for(alice, family)) == ""


def test_agreement_serves_a_goal_of_the_latest_plan(family, alice, alice_client, team):
    from tests.cases.plan_factories import GoalFactory, PlanFactory

    old = PlanFactory(family=family, number=1, created_by=alice, status="fixed")
    GoalFactory(plan=old, text="Oud doel")
    latest = PlanFactory(family=family, number=2, created_by=alice)
    goal = GoalFactory(plan=latest, text="Noah gaat elke dag naar school")
    foreign = GoalFactory(plan=PlanFactory(family=FamilyFactory(team=team), created_by=alice))
    url = reverse("network:agreement_create", args=[family.pk])
    form_page = alice_client.get(url).content.decode()
    assert "Noah gaat elke dag naar school" in form_page and "Oud doel" not in form_page

    refused = alice_client.post(url, agreement_data(goal=foreign.pk))
    assert refused.status_code == 200 and not Agreement.objects.exists()

    assert alice_client.post(url, agreement_data(goal=goal.pk)).status_code == 302
    assert Agreement.objects.get().goal == goal
    page = alice_client.get(reverse("network:overview", args=[family.pk])).content.decode()
    assert "Voor het doel: Noah gaat elke dag naar school" in page
