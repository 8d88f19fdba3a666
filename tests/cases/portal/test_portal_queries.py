"""The portal's pages and the coach's portal page keep their query count as lists grow."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Appointment, AppointmentKind
from cases.plan import services as plan_services
from cases.portal import services
from tests.cases.plan_factories import ActionFactory, GoalFactory, PlanFactory
from tests.factories import MemberFactory


def _count(client, url) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_portal_home_does_not_grow(family, alice, client):  # type: ignore[no-untyped-def]
    token = services.portal_invitation_create(
        member=family.members.get(has_parental_authority=True), by=alice
    )
    account, _device, _codes = services.portal_account_create(
        invitation=services.invitation_for_token(token),
        password="een-lang-wachtwoord-42",
        totp=None,
    )
    client.force_login(account.user)
    plan = PlanFactory(family=family, created_by=alice)
    plan_services.plan_review_request(plan=plan, by=alice)
    plan_services.plan_share(plan=plan, by=alice)

    def add(n: int) -> None:
        for i in range(n):
            goal = GoalFactory(plan=plan)
            ActionFactory(plan=plan, goal=goal, member=family.members.first())
            Appointment.objects.create(
                family=family,
                kind=AppointmentKind.choices[0][0],
                date=timezone.localdate() + datetime.timedelta(days=i + 1),
                starts_at=datetime.time(9),
                ends_at=datetime.time(10),
                coach=alice,
                created_by=alice,
            )

    url = reverse("portal:home")
    add(1)
    client.get(url)
    few = _count(client, url)
    add(5)
    assert _count(client, url) == few


def test_the_coachs_portal_page_does_not_grow(family, alice, alice_client):  # type: ignore[no-untyped-def]
    url = reverse("cases:portal_members", args=[family.pk])
    alice_client.get(url)
    few = _count(alice_client, url)
    for i in range(5):
        member = MemberFactory(family=family, name=f"Ouder {i}", has_parental_authority=True)
        services.portal_invitation_create(member=member, by=alice)
    assert _count(alice_client, url) == few


def test_the_familys_own_pages_do_not_grow(family, alice, psychologist, client):  # type: ignore[no-untyped-def]
    """Goals with reactions, statements and copy requests: a fixed number of queries each."""
    from cases.portal import own_services
    from tests.cases.plan_factories import sign_off

    parent = family.members.get(has_parental_authority=True)
    token = services.portal_invitation_create(member=parent, by=alice)
    account, _device, _codes = services.portal_account_create(
        invitation=services.invitation_for_token(token),
        password="een-lang-wachtwoord-42",
        totp=None,
    )
    client.force_login(account.user)
    plan = PlanFactory(family=family, created_by=alice)
    goals = [GoalFactory(plan=plan) for _ in range(6)]
    plan = sign_off(plan, approver=psychologist)
    plan_services.plan_fix(plan=plan, by=alice, version=plan.version)
    goals = list(plan.goals.all())

    def add(n: int) -> None:
        for i in range(n):
            own_services.goal_reaction_add(
                goal=goals[i], member=parent, by=account.user, text=f"Reactie {i}"
            )
            own_services.portal_statement_add(member=parent, by=account.user, text=f"Zo zie ik {i}")
            request = own_services.copy_request_add(member=parent)
            own_services.copy_request_refuse(copy_request=request, by=alice, reason="Net gehad")
            MemberFactory(family=family, name=f"Kind {i}")

    pages = [reverse(name) for name in ("portal:goals", "portal:statement", "portal:copy_request")]
    add(1)
    for url in pages:
        client.get(url)
    few = [_count(client, url) for url in pages]
    add(5)
    assert [_count(client, url) for url in pages] == few
