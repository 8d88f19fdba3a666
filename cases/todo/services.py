"""Writes to tasks. Views, the contact form's extension and reports call these."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.models import Contact, Family, PlanAction, Task, TaskSource


@transaction.atomic
def task_create(
    *,
    family: Family,
    by: Any,
    title: str,
    owner: Any,
    due_on: datetime.date,
    source: str = TaskSource.MANUAL,
    contact: Contact | None = None,
    plan_action: PlanAction | None = None,
    case_review_ref: int | None = None,
) -> Task:
    if (contact is not None and contact.family_id != family.pk) or (
        plan_action is not None and plan_action.plan.family_id != family.pk
    ):
        raise ValueError("The task's source belongs to another family.")
    return Task.objects.create(
        family=family,
        title=title,
        owner=owner,
        due_on=due_on,
        source=source,
        contact=contact,
        plan_action=plan_action,
        case_review_ref=case_review_ref,
        created_by=by,
    )


@transaction.atomic
def task_set_done(*, task: Task, by: Any, done: bool) -> Task:
    """Done or open again; who and when are kept while it is done. Setting the state it
    already has changes nothing (a second tab keeps the first one's who and when)."""
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if done and locked.done_at is None:
        locked.done_at, locked.done_by = timezone.now(), by
    elif not done and locked.done_at is not None:
        locked.done_at, locked.done_by = None, None
    else:
        return locked
    locked.save(update_fields=["done_at", "done_by"])
    return locked
