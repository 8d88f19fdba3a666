"""Plans asked for the psychologist's review (settings.WAITING_SOURCES).

Read from the drafts themselves: approving or sending a plan back clears its request, so
it is gone from every psychologist's list at once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import FamilyPlan, PlanStatus
from cases.waiting import Waiting, approver_team_ids

KIND = gettext_lazy("Gezinsplan beoordelen")


def _pending(user: Any) -> QuerySet[FamilyPlan]:
    return FamilyPlan.objects.filter(
        status=PlanStatus.DRAFT,
        review_requested_at__isnull=False,
        family__team_id__in=approver_team_ids(user),
    )


def items(user: Any) -> list[Waiting]:
    rows = (
        _pending(user)
        .select_related("family", "review_requested_by")
        .only(
            "number",
            "family__case_number",
            "review_requested_at",
            "review_requested_by__first_name",
            "review_requested_by__last_name",
            "review_requested_by__username",
        )
        .order_by("review_requested_at", "pk")
    )
    result = []
    for plan in rows:
        asker = plan.review_requested_by
        result.append(
            Waiting(
                family_id=plan.family_id,
                case_number=plan.family.case_number,
                kind=str(KIND),
                summary=_("Versie %(n)s") % {"n": plan.number},
                asked_at=plan.review_requested_at,  # type: ignore[arg-type]
                asked_by=(asker.get_full_name() or asker.username) if asker else "",
                url=reverse("cases:plan_detail", args=[plan.family_id]),
            )
        )
    return result


def count(user: Any) -> int:
    return _pending(user).count()
