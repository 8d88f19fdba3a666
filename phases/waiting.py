"""Proposed phase transitions waiting for the psychologist (settings.WAITING_SOURCES);
the extensions of a phase's planned end are the source `phases.extensions`.

Read from the pending transitions themselves: once decided (or lapsed by a step back) a
transition is no longer pending and is gone from every psychologist's list at once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.formats import short_date
from cases.waiting import Waiting, approver_team_ids
from phases.models import Step, Transition, TransitionStatus

KIND = gettext_lazy("Faseovergang")
EXTENSION_KIND = gettext_lazy("Verlenging van een fase")


def _pending(user: Any) -> QuerySet[Transition]:
    return Transition.objects.filter(
        status=TransitionStatus.PENDING, family__team_id__in=approver_team_ids(user)
    )


def items(user: Any) -> list[Waiting]:
    rows = (
        _pending(user)
        .select_related("family", "proposed_by")
        .only(
            "family__case_number",
            "from_step",
            "to_step",
            "effective_on",
            "proposed_at",
            "proposed_by__first_name",
            "proposed_by__last_name",
            "proposed_by__username",
        )
        .order_by("proposed_at", "pk")
    )
    return [
        Waiting(
            family_id=t.family_id,
            case_number=t.family.case_number,
            kind=str(KIND),
            summary=_("%(from)s → %(to)s, per %(date)s")
            % {
                "from": Step(t.from_step).label,
                "to": Step(t.to_step).label,
                "date": short_date(t.effective_on),
            },
            asked_at=t.proposed_at,
            asked_by=t.proposed_by.get_full_name() or t.proposed_by.username,
            url=reverse("phases:family_phases", args=[t.family_id]),
        )
        for t in rows
    ]


def count(user: Any) -> int:
    return _pending(user).count()
