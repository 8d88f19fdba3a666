"""Factories for the family plan, shared by tests/cases and tests/reports."""

from __future__ import annotations

import factory

from cases.models import ActionSource, FamilyPlan, LifeDomain, PlanAction, PlanGoal
from tests.factories import FamilyFactory, UserFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyPlan

    family = factory.SubFactory(FamilyFactory)
    number = factory.Sequence(lambda n: n + 1)
    central_question = "Hoe wordt het thuis rustiger?"
    worries = "Veel ruzie in huis."
    safety_conditions = "Bij ruzie gaan de kinderen naar oma."
    if_it_goes_differently = "Dan bellen we de coach."
    created_by = factory.SubFactory(UserFactory)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(PlanFactory)
    domain = LifeDomain.CHILD
    text = factory.Sequence(lambda n: f"Doel nummer {n} in eigen woorden")
    criterion = "Vier weken geen verzuim"
    progress = 20


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(PlanFactory)
    source = ActionSource.NETWORK
    who_name = "oma Ria"
    what = "Haalt de kinderen op."
    when = "elke woensdag"


def sign_off(plan: FamilyPlan, *, approver: object) -> FamilyPlan:
    """Approve `plan` and record the agreement of its family's members with gezag, so it
    can be fixed; returns it fresh (its version moved on)."""
    import datetime

    from cases.plan import services as plan_services

    plan_services.plan_review(plan=plan, by=approver)
    plan_services.plan_agree(
        plan=plan,
        members=[m for m in plan.family.members.all() if m.has_parental_authority],
        agreed_on=datetime.date(2024, 1, 10),
        agreed_how="meeting",
    )
    plan.refresh_from_db()
    return plan
