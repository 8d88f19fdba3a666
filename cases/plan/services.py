"""Writes to the family plan. Views call these; each is one transaction.

A plan version is a draft until it is fixed ("vaststellen"); a fixed version never changes
again. Every write to a goal or action locks the plan row first, so a write that races
with fixing either lands before the freeze or is refused after it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Family, FamilyPlan, Member, PlanAction, PlanGoal, PlanStatus, may_agree
from cases.plan.waiting import KIND as WAITING_KIND
from cases.services import EditConflict, claim_version
from cases.waiting import waiting_notify

__all__ = [
    "EditConflict",
    "PlanFrozen",
    "SignOffMissing",
    "action_create",
    "action_delete",
    "action_restore",
    "action_update",
    "goal_create",
    "goal_delete",
    "goal_restore",
    "goal_update",
    "plan_agree",
    "plan_fix",
    "plan_return",
    "plan_review",
    "plan_review_request",
    "plan_start_draft",
    "plan_update",
]

PLAN_FIELDS = (
    "central_question",
    "worries",
    "safety_conditions",
    "if_it_goes_differently",
    "evaluation_dates",
)
GOAL_FIELDS = ("domain", "owner", "text", "criterion", "status", "progress")
ACTION_FIELDS = ("goal", "source", "member", "who_name", "what", "when", "status")


class PlanFrozen(Exception):
    """The plan version is fixed (vastgesteld) and can no longer change."""


class SignOffMissing(Exception):
    """Fixing needs what is not there yet (the approval, the family's agreement); the
    message is for the user (Dutch)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _lock_draft(plan_id: int) -> FamilyPlan:
    plan = FamilyPlan.objects.select_for_update().get(pk=plan_id)
    if plan.status != PlanStatus.DRAFT:
        raise PlanFrozen
    return plan


def current_draft(family: Family) -> FamilyPlan | None:
    return family.plans.filter(status=PlanStatus.DRAFT).first()


@transaction.atomic
def plan_start_draft(*, family: Family, by: Any) -> FamilyPlan:
    """The family's draft: the existing one, or a new one copied from the last version."""
    # Lock the family row so two people starting a draft at once make one draft.
    Family.objects.select_for_update().filter(pk=family.pk).first()
    draft = current_draft(family)
    if draft is not None:
        return draft
    last = family.plans.order_by("-number").first()
    number = (family.plans.aggregate(n=Max("number"))["n"] or 0) + 1
    plan = FamilyPlan(family=family, number=number, created_by=by, status=PlanStatus.DRAFT)
    if last is not None:
        # A new version needs its own review and agreement: those are not copied.
        for field in (*PLAN_FIELDS, "safety_set_by"):
            setattr(plan, field, getattr(last, field))
    plan.save()
    if last is not None:
        goal_map: dict[int, PlanGoal] = {}
        for goal in last.goals.all():
            old_pk = goal.pk
            goal.pk = None
            goal.plan = plan
            goal.version = 1
            goal.save()
            goal_map[old_pk] = goal
        PlanAction.objects.bulk_create(
            [
                PlanAction(
                    plan=plan,
                    goal=goal_map.get(action.goal_id) if action.goal_id else None,
                    created_at=action.created_at,
                    **{f: getattr(action, f) for f in ACTION_FIELDS if f != "goal"},
                )
                for action in last.actions.all()
            ]
        )
    return plan


@transaction.atomic
def plan_update(*, plan: FamilyPlan, by: Any, version: int | None, **data: Any) -> FamilyPlan:
    """Save the plan's own sections (central question to evaluation dates)."""
    current = _lock_draft(plan.pk)
    claim_version(FamilyPlan, pk=plan.pk, version=version)
    dates: Iterable[datetime.date] = data.pop("evaluation_dates", [])
    data["evaluation_dates"] = sorted({d.isoformat() for d in dates})
    fields = [*data.keys(), "updated_at"]
    if data.get("safety_conditions", "") != current.safety_conditions:
        # Safety conditions are set by a professional: keep who set them last.
        data["safety_set_by"] = by if data.get("safety_conditions") else None
        fields.append("safety_set_by")
    for field, value in data.items():
        setattr(current, field, value)
    current.save(update_fields=fields)
    current.refresh_from_db(fields=["version"])
    return current


# The sign-off's own fields (the agreement apart), written together.
SIGN_OFF_FIELDS = (
    "review_requested_by",
    "review_requested_at",
    "reviewed_by",
    "reviewed_at",
    "returned_by",
    "returned_at",
    "return_reason",
)


def review_required(family: Family) -> bool:
    """Whether fixing this family's plan needs the psychologist's approval (the team's
    setting, on by default)."""
    return family.team.plan_review_required


@transaction.atomic
def plan_review_request(*, plan: FamilyPlan, by: Any) -> FamilyPlan:
    """The coach asks the team's psychologist to review the draft. It waits in their
    "Wacht op mij" at once (cases.plan.waiting), and they get a mail by case number."""
    current = _lock_draft(plan.pk)
    current.review_requested_by = by
    current.review_requested_at = timezone.now()
    # A new request asks for a new review: an earlier approval or return no longer holds.
    current.reviewed_by = current.returned_by = None
    current.reviewed_at = current.returned_at = None
    current.return_reason = ""
    current.save(update_fields=[*SIGN_OFF_FIELDS, "updated_at"])
    family = plan.family
    waiting_notify(
        team_id=family.team_id,
        kind=WAITING_KIND,
        case_number=family.case_number,
        exclude_user_id=by.pk,
        still_waiting=lambda: FamilyPlan.objects.filter(
            pk=plan.pk, status=PlanStatus.DRAFT, review_requested_at__isnull=False
        ).exists(),
    )
    return current


@transaction.atomic
def plan_share(*, plan: FamilyPlan, by: Any, shared: bool = True) -> FamilyPlan:
    """Share the draft with the family in its portal (who, when), or undo that. Only a
    shared draft is shown in the portal and may be agreed to there; the fixed plan always is."""
    current = _lock_draft(plan.pk)
    current.shared_by = by if shared else None
    current.shared_at = timezone.now() if shared else None
    current.save(update_fields=["shared_by", "shared_at", "updated_at"])
    return current


@transaction.atomic
def plan_review(*, plan: FamilyPlan, by: Any) -> FamilyPlan:
    """The psychologist approves the draft (who, when); the request no longer waits."""
    current = _lock_draft(plan.pk)
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    current.review_requested_at = None
    current.returned_by = None
    current.returned_at = None
    current.return_reason = ""
    current.save(update_fields=[*SIGN_OFF_FIELDS, "updated_at"])
    return current


@transaction.atomic
def plan_return(*, plan: FamilyPlan, by: Any, reason: str) -> FamilyPlan:
    """The psychologist sends the draft back to the coach with the reason; no approval."""
    current = _lock_draft(plan.pk)
    current.returned_by = by
    current.returned_at = timezone.now()
    current.return_reason = reason
    current.review_requested_at = None
    current.reviewed_by = None
    current.reviewed_at = None
    current.save(update_fields=[*SIGN_OFF_FIELDS, "updated_at"])
    return current


@transaction.atomic
def plan_agree(
    *,
    plan: FamilyPlan,
    members: Iterable[Member],
    agreed_on: datetime.date,
    agreed_how: str,
) -> FamilyPlan:
    """Record the family's agreement: who (gezag or 12+, of this family), when and how."""
    current = _lock_draft(plan.pk)
    members = list(members)
    if not members or any(m.family_id != current.family_id or not may_agree(m) for m in members):
        raise ValueError("agreement by a member who may not agree for this family")
    current.agreed_on = agreed_on
    current.agreed_how = agreed_how
    current.save(update_fields=["agreed_on", "agreed_how", "updated_at"])
    current.agreed_members.set(members)
    return current


@transaction.atomic
def plan_fix(*, plan: FamilyPlan, by: Any, version: int | None) -> FamilyPlan:
    """Freeze the draft for good (vaststellen); only the version the user saw, and only
    with the family's agreement and, when the team asks for it, the psychologist's
    approval: so a coach cannot fix a plan alone."""
    current = _lock_draft(plan.pk)
    claim_version(FamilyPlan, pk=plan.pk, version=version)
    if review_required(plan.family) and current.reviewed_at is None:
        raise SignOffMissing(
            _(
                "Het plan is nog niet goedgekeurd door de gedragswetenschapper. Vraag eerst "
                "een beoordeling; na de goedkeuring kunt u het vaststellen."
            )
        )
    if current.agreed_on is None or not current.agreed_members.exists():
        raise SignOffMissing(
            _(
                "Het akkoord van het gezin is nog niet vastgelegd: wie gaf akkoord, wanneer "
                "en hoe. Leg dat eerst vast."
            )
        )
    current.status = PlanStatus.FIXED
    current.fixed_by = by
    current.fixed_at = timezone.now()
    current.review_requested_at = None
    current.save(
        update_fields=["status", "fixed_by", "fixed_at", "review_requested_at", "updated_at"]
    )
    current.refresh_from_db(fields=["version"])
    return current


@transaction.atomic
def goal_create(*, plan: FamilyPlan, **data: Any) -> PlanGoal:
    _lock_draft(plan.pk)
    return PlanGoal.objects.create(plan=plan, **data)


@transaction.atomic
def goal_update(*, goal: PlanGoal, version: int | None, **data: Any) -> PlanGoal:
    _lock_draft(goal.plan_id)
    claim_version(PlanGoal, pk=goal.pk, version=version)
    for field, value in data.items():
        setattr(goal, field, value)
    goal.save(update_fields=list(data.keys()))
    goal.refresh_from_db(fields=["version"])
    return goal


@transaction.atomic
def goal_delete(*, goal: PlanGoal, by: Any, version: int | None) -> None:
    """Remove a goal from the draft; it stays in the plan's history and can be put back."""
    _lock_draft(goal.plan_id)
    # Claiming the version refuses to remove a goal someone changed in the meantime.
    claim_version(PlanGoal, pk=goal.pk, version=version)
    _remove(goal, by=by)


@transaction.atomic
def goal_restore(*, goal: PlanGoal) -> PlanGoal:
    """Put a removed goal back into the draft it was removed from."""
    _lock_draft(goal.plan_id)
    return _restore(goal)


def _remove(part: PlanGoal | PlanAction, *, by: Any) -> None:
    part.removed_at = timezone.now()
    part.removed_by = by
    part.save(update_fields=["removed_at", "removed_by"])


def _restore(part: Any) -> Any:
    # The version moves on, so a tab still showing the removed part cannot act on it.
    type(part).with_removed.filter(pk=part.pk).update(
        removed_at=None, removed_by=None, version=F("version") + 1
    )
    part.refresh_from_db(fields=["removed_at", "removed_by", "version"])
    return part


@transaction.atomic
def action_create(*, plan: FamilyPlan, **data: Any) -> PlanAction:
    _lock_draft(plan.pk)
    return PlanAction.objects.create(plan=plan, **data)


@transaction.atomic
def action_update(*, action: PlanAction, version: int | None, **data: Any) -> PlanAction:
    _lock_draft(action.plan_id)
    claim_version(PlanAction, pk=action.pk, version=version)
    for field, value in data.items():
        setattr(action, field, value)
    action.save(update_fields=list(data.keys()))
    action.refresh_from_db(fields=["version"])
    return action


@transaction.atomic
def action_delete(*, action: PlanAction, by: Any, version: int | None) -> None:
    """Remove an action from the draft; it stays in the plan's history and can be put back."""
    _lock_draft(action.plan_id)
    claim_version(PlanAction, pk=action.pk, version=version)
    _remove(action, by=by)


@transaction.atomic
def action_restore(*, action: PlanAction) -> PlanAction:
    """Put a removed action back into the draft it was removed from."""
    _lock_draft(action.plan_id)
    return _restore(action)
