"""Extensions of a phase's planned end that wait for a decision.

`pending_extensions(user)` is what the "Wacht op mij" list reads (settings.WAITING_SOURCES):
the requests this user may decide, by the same rule as the family gate (cases.permissions:
Need.APPROVE, the psychologist of the family's team). The decision itself is
phases.views.extension_decide, on the family's phases page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cases.models import Membership
from cases.permissions import APPROVER_ROLES
from phases.models import PhaseExtension, TransitionStatus


def pending_extensions(user: Any) -> QuerySet[PhaseExtension]:
    """Waiting extensions of open phases in the teams where `user` approves, oldest first."""
    if not user.is_authenticated:
        return PhaseExtension.objects.none()
    teams = Membership.objects.filter(user=user, role__in=list(APPROVER_ROLES)).values("team")
    return (
        PhaseExtension.objects.filter(
            status=TransitionStatus.PENDING,
            episode__ended_on__isnull=True,
            family__team__in=teams,
        )
        .select_related("family", "episode", "proposed_by")
        .order_by("proposed_at", "id")
    )
