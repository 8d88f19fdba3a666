"""The network panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Family
from cases.permissions import FamilyAccess
from network.models import Agreement, NetworkMeeting, NetworkMember


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """Overdue agreements and the next evaluation; two queries whatever the size."""
    family = access.family
    today = timezone.localdate()
    # The member count and the next evaluation in one query (subqueries on the family).
    member_count, next_evaluation = (
        Family.objects.filter(pk=family.pk)
        .annotate(
            member_count=Coalesce(
                Subquery(
                    NetworkMember.objects.filter(family=OuterRef("pk"))
                    .order_by()
                    .values("family")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            next_evaluation=Subquery(
                NetworkMeeting.objects.filter(family=OuterRef("pk"), next_evaluation__gte=today)
                .order_by("next_evaluation")
                .values("next_evaluation")[:1]
            ),
        )
        .values_list("member_count", "next_evaluation")
        .get()
    )
    overdue = list(
        Agreement.objects.filter(family=family)
        .overdue(today)
        .select_related("family_member", "network_member")
        .order_by("due_date", "pk")
    )
    if not member_count and not overdue:
        return ""
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
