"""Writing a comment on the file and telling the author of what it is about."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.handover.services import notification_create
from cases.models import Comment, Contact, Family, FamilyPlan, NotificationKind, PlanGoal


def commented_author(*, contact: Contact | None, goal: PlanGoal | None, plan: FamilyPlan | None):  # type: ignore[no-untyped-def]
    """Who wrote what the comment is about: the contact's author, or who began the plan
    version (a goal has no author of its own: it is part of its version)."""
    if contact is not None:
        return contact.author
    if goal is not None:
        return goal.plan.created_by
    assert plan is not None
    return plan.created_by


@transaction.atomic
def comment_add(
    *,
    family: Family,
    by: Any,
    text: str,
    contact: Contact | None = None,
    goal: PlanGoal | None = None,
    plan: FamilyPlan | None = None,
) -> Comment:
    """Add a comment to one contact, goal or plan of `family` and notify its author (not
    when they comment on their own). Comments are never changed or removed afterwards."""
    comment = Comment.objects.create(
        family=family, contact=contact, goal=goal, plan=plan, text=text, author=by
    )
    notification_create(
        recipient=commented_author(contact=contact, goal=goal, plan=plan),
        kind=NotificationKind.COMMENT,
        by=by,
        family=family,
        comment=comment,
    )
    return comment
