from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.models import Family, FamilyPlan, FamilyStatus, PlanGoal, PlanStatus

pytestmark = pytest.mark.django_db


def test_demo_seed_gives_most_active_families_a_plan():
    call_command("seed_demo", verbosity=0)
    active = Family.objects.filter(status=FamilyStatus.ACTIVE)
    with_plan = active.filter(plans__isnull=False).distinct()
    assert with_plan.count() >= active.count() * 0.6
    assert FamilyPlan.objects.filter(status=PlanStatus.FIXED).exists()
    # A family with a fixed version has a newer draft as well; drafts have goals and actions.
    for plan in FamilyPlan.objects.filter(status=PlanStatus.DRAFT):
        assert plan.goals.exists() and plan.actions.exists()
        assert all(g.owner.family_id == plan.family_id for g in plan.goals.all())
    fixed = FamilyPlan.objects.filter(status=PlanStatus.FIXED).first()
    assert fixed.fixed_by is not None and fixed.family.plans.filter(number=2).exists()
    # A draft shows a goal removed from it, to be put back ("Verwijderd uit dit concept").
    removed = PlanGoal.with_removed.filter(removed_at__isnull=False)
    assert removed.filter(plan__status=PlanStatus.DRAFT, removed_by__isnull=False).exists()


def test_bulk_families_get_no_plans():
    call_command("seed_demo", verbosity=0)
    before = FamilyPlan.objects.count()
    call_command("seed_demo", families=20, verbosity=0)
    assert FamilyPlan.objects.count() == before
