"""A proposed phase transition waits in the psychologists' "Wacht op mij" at once (same
request, no job), with a count in the navigation and a mail by case number only; deciding
removes it for every psychologist of the team."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import Role
from cases.waiting import waiting_count, waiting_for
from phases import services
from phases.models import Transition, TransitionStatus
from tests.factories import member_of
from tests.phases.helpers import open_phase

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def in_analysis(family):  # type: ignore[no-untyped-def]
    return open_phase(family, kind="analysis", started_on=today() - datetime.timedelta(days=10))


@pytest.fixture
def second_psychologist(team):  # type: ignore[no-untyped-def]
    return member_of(team, Role.PSYCHOLOGIST, username="psy2", email="psy2@example.org")


def propose(client, family):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("phases:transition_propose", args=[family.pk]),
        {"effective_on": today().isoformat(), "note": "Analyse rond"},
    )


def test_proposal_waits_at_once_and_goes_for_everyone_on_a_decision(
    family,
    alice_client,
    psychologist,
    psychologist_client,
    second_psychologist,
    in_analysis,
    client,
):
    assert waiting_for(psychologist) == []
    empty = psychologist_client.get("/").content.decode()
    assert "Wacht op mij" in empty and "Er wacht niets op uw besluit." in empty

    assert propose(alice_client, family).status_code == 302
    transition = Transition.objects.get(status=TransitionStatus.PENDING)

    # No job in between: the next page already shows it, to both psychologists.
    for user in (psychologist, second_psychologist):
        (item,) = waiting_for(user)
        assert item.family_id == family.pk and item.case_number == family.case_number
        assert item.kind == "Faseovergang" and "Analysefase → Uitvoeringsfase" in item.summary
        assert item.url == reverse("phases:family_phases", args=[family.pk])
        assert waiting_count(user) == 1
    page = psychologist_client.get("/").content.decode()
    block = page[page.index('id="waiting-heading"') :]
    assert family.case_number in block and "Faseovergang" in block
    assert '<span class="visually-hidden"> wacht op mij</span>' in page  # the navigation
    # A page other than the landing shows the count in the navigation too.
    other = psychologist_client.get(reverse("cases:family_list")).content.decode()
    assert '1<span class="visually-hidden"> wacht op mij</span>' in other

    # The other psychologist decides: gone for the first one as well, at once.
    client.force_login(second_psychologist)
    decide = reverse("phases:transition_decide", args=[family.pk, transition.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    assert waiting_for(psychologist) == [] and waiting_count(psychologist) == 0
    after = psychologist_client.get("/").content.decode()
    assert "Er wacht niets op uw besluit." in after
    assert "wacht op mij</span>" not in after


def test_a_rejection_removes_it_too(
    family, alice_client, psychologist_client, psychologist, in_analysis
):
    propose(alice_client, family)
    transition = Transition.objects.get()
    decide = reverse("phases:transition_decide", args=[family.pk, transition.pk])
    psychologist_client.post(decide, {"decision": "reject", "note": "Nog niet"})
    assert waiting_for(psychologist) == []


def test_coach_and_other_teams_see_nothing(family, alice, alice_client, other_team, in_analysis):
    propose(alice_client, family)
    outsider = member_of(other_team, Role.PSYCHOLOGIST, username="psy-elders")
    assert waiting_for(outsider) == [] and waiting_count(outsider) == 0
    assert waiting_for(alice) == []
    assert "waiting-heading" not in alice_client.get("/").content.decode()


def test_mail_to_the_team_psychologists_by_case_number_only(
    family,
    alice_client,
    psychologist,
    second_psychologist,
    in_analysis,
    django_capture_on_commit_callbacks,
):
    psychologist.email = "psy@example.org"
    psychologist.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        propose(alice_client, family)
    assert sorted(m.to[0] for m in mail.outbox) == ["psy2@example.org", "psy@example.org"]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert family.case_number in text
        assert "Faseovergang" in text
        assert "Jansen" not in text  # neither the family's name nor a member's


def test_no_mail_when_decided_before_it_was_committed(
    family, alice, psychologist, in_analysis, django_capture_on_commit_callbacks
):
    from django.db import transaction

    psychologist.email = "psy@example.org"
    psychologist.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        proposed = services.transition_propose(
            family=family, by=alice, role=Role.COACH, effective_on=today()
        )
        services.transition_decide(transition=proposed, by=psychologist, approve=True)
    assert mail.outbox == []


def test_an_extension_request_waits_at_once_and_goes_on_a_decision(
    family,
    alice,
    psychologist,
    second_psychologist,
    in_analysis,
    django_capture_on_commit_callbacks,
):
    from phases import services

    new_end = in_analysis.planned_end + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        extension = services.extension_propose(
            family=family,
            by=alice,
            role=Role.COACH,
            new_end=new_end,
            reason="Verhuizing van het gezin",
            agreed_with="Moeder",
        )
    for user in (psychologist, second_psychologist):
        (item,) = waiting_for(user)
        assert item.kind == "Verlenging van een fase" and item.case_number == family.case_number
        assert item.url == reverse("phases:family_phases", args=[family.pk])
        assert waiting_count(user) == 1
    # Mailed to the psychologists with an address, by case number only.
    assert [m.to for m in mail.outbox] == [[second_psychologist.email]]
    assert all(
        family.case_number in m.body and family.display_name not in m.body for m in mail.outbox
    )

    services.extension_decide(extension=extension, by=second_psychologist, approve=True)
    assert waiting_for(psychologist) == [] and waiting_count(second_psychologist) == 0
