"""The network panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.compiled import MARKER, CompiledQuery
from cases.daycache import DayCache
from cases.permissions import FamilyAccess
from cases.sections import count_per_family, family_figures
from network.models import Agreement, NetworkMeeting, NetworkMember


def _build_overdue(today: datetime.date) -> CompiledQuery[Agreement]:
    return CompiledQuery(
        Agreement.objects.filter(family_id=MARKER)
        .overdue(today)
        .select_related("family_member", "network_member")
        .order_by("due_date", "pk"),
        family=MARKER,
    )


# A family's overdue agreements, built and compiled once per process and day.
_overdue = DayCache(_build_overdue)


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """Overdue agreements and the next evaluation: one query, and the page's figures
    (the network's size and the next evaluation, family_figures_of_network)."""
    family = access.family
    figures = family_figures(request, family)
    member_count = figures["network_member_count"]
    next_evaluation = figures["network_next_evaluation"]
    overdue = _overdue.get().run(family=family.pk)
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


def family_figures_of_network(request: HttpRequest) -> dict[str, Any]:
    """The figures of the family page (cases.sections.Section.figures): the network's size
    and the next evaluation of its meetings."""
    today = timezone.localdate()
    return {
        "network_member_count": count_per_family(
            NetworkMember.objects.filter(family=OuterRef("pk"))
        ),
        "network_next_evaluation": Subquery(
            NetworkMeeting.objects.filter(family=OuterRef("pk"), next_evaluation__gte=today)
            .order_by("next_evaluation")
            .values("next_evaluation")[:1]
        ),
    }
