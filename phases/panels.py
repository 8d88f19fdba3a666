"""The phases panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.permissions import FamilyAccess
from phases.budget import episodes_with_hours, phase_figures_for
from phases.models import TransitionStatus


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """Where the hours stand against the phase budget: three queries, whatever the history."""
    family = access.family
    from phases.views import episode_rows, rate_bars

    episodes = list(episodes_with_hours(family.phase_episodes.all()))
    pending = family.phase_transitions.filter(status=TransitionStatus.PENDING).first()
    if not episodes and pending is None:
        figures = None
    else:
        figures = phase_figures_for([family.pk], today=timezone.localdate()).get(family.pk)
    return render_to_string(
        "phases/family_panel.html",
        {
            "family": family,
            "access": access,
            "figures": figures,
            "episodes": list(reversed(episode_rows(episodes))),
            "pending": pending,
            **rate_bars(figures),
        },
        request=request,
    )
