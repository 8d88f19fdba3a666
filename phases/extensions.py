"""Extensions of a phase's planned end that wait for a decision.

`pending_extensions(user)` is what the "Wacht op mij" list reads (settings.WAITING_SOURCES):
the requests this user may decide, by the same rule as the family gate (cases.permissions:
Need.APPROVE, the psychologist of the family's team). The decision itself is
phases.views.extension_decide, on the family's phases page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.formats import short_date
from cases.models import Membership
from cases.permissions import APPROVER_ROLES
from cases.waiting import Waiting
from phases.models import PhaseExtension, TransitionStatus
from phases.waiting import EXTENSION_KIND


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


def items(user: Any) -> list[Waiting]:
    """The waiting extensions as "Wacht op mij" rows (settings.WAITING_SOURCES)."""
    return [
        Waiting(
            family_id=e.family_id,
            case_number=e.family.case_number,
            kind=str(EXTENSION_KIND),
            summary=_("%(kind)s tot %(date)s (was %(previous)s)")
            % {
                "kind": e.episode.get_kind_display(),
                "date": short_date(e.new_end),
                "previous": short_date(e.previous_end),
            },
            asked_at=e.proposed_at,
            asked_by=e.proposed_by.get_full_name() or e.proposed_by.username,
            url=reverse("phases:family_phases", args=[e.family_id]),
        )
        for e in pending_extensions(user)
    ]


def count(user: Any) -> int:
    return pending_extensions(user).count()
