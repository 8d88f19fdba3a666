"""The network panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from django.db.models import Min
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.permissions import FamilyAccess
from network.models import Agreement


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """Overdue agreements and the next evaluation; three queries whatever the size."""
    family = access.family
    today = timezone.localdate()
    member_count = family.network_members.count()
    overdue = list(
        Agreement.objects.filter(family=family)
        .overdue(today)
        .select_related("family_member", "network_member")
        .order_by("due_date", "pk")
    )
    if not member_count and not overdue:
        return ""
    next_evaluation = family.network_meetings.filter(next_evaluation__gte=today).aggregate(
        first=Min("next_evaluation")
    )["first"]
    return render_to_string(
        "network/panel.html",
        {
            "family": family,
            "access": access,
            "member_count": member_count,
            "overdue": overdue,
            "next_evaluation": next_evaluation,
        },
        request=request,
    )
