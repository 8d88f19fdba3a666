from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import (
    Family,
    FamilyPlan,
    FamilyStatus,
    Membership,
    PlanGoal,
    PlanStatus,
    Role,
    Team,
    may_agree,
)
from cases.waiting import waiting_for
from reports.caseload import caseload_rows

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
    # The sign-off in every state: asked for review, sent back, approved with the family's
    # agreement (ready to fix), not asked; fixed versions were approved and agreed.
    drafts = FamilyPlan.objects.filter(status=PlanStatus.DRAFT)
    assert drafts.filter(review_requested_at__isnull=False).exists()
    assert drafts.filter(returned_at__isnull=False).exclude(return_reason="").exists()
    assert drafts.filter(reviewed_at__isnull=False, agreed_on__isnull=False).exists()
    assert drafts.filter(review_requested_at__isnull=True, reviewed_at__isnull=True).exists()
    for plan in FamilyPlan.objects.filter(status=PlanStatus.FIXED):
        assert plan.reviewed_by is not None and plan.agreed_members.exists()
        assert all(may_agree(m) for m in plan.agreed_members.all())


def test_demo_psychologists_find_what_waits_and_reviews_late_and_planned():
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    kinds = set()
    for membership in Membership.objects.filter(role=Role.PSYCHOLOGIST).select_related("user"):
        found = {item.kind for item in waiting_for(membership.user)}
        assert found, membership.team  # every demo psychologist has something waiting
        kinds |= found
    assert kinds == {"Faseovergang", "Gezinsplan beoordelen", "Verlenging van een fase"}
    # A planned review past its date (late), one today or ahead (planned).
    rows = [row for team in Team.objects.all() for row in caseload_rows(team, today=today)]
    assert any(row.review_overdue for row in rows)
    assert any(row.next_review and row.next_review > today for row in rows)
    assert any(row.review_due and not row.review_overdue for row in rows)


def test_bulk_families_get_no_plans():
    call_command("seed_demo", verbosity=0)
    before = FamilyPlan.objects.count()
    call_command("seed_demo", families=20, verbosity=0)
    assert FamilyPlan.objects.count() == before
