"""The phases panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.permissions import FamilyAccess
from phases.budget import episodes_with_figures, figures_from_episode
from phases.models import TransitionStatus


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """Where the hours stand against the phase budget: two queries, whatever the history."""
    family = access.family
    from phases.views import episode_rows, rate_bars

    today = timezone.localdate()
    # The history and the open phase's figures in one query (as phase_figures_for counts).
    episodes = list(episodes_with_figures(family.phase_episodes.all(), today=today))
    pending = family.phase_transitions.filter(status=TransitionStatus.PENDING).first()
    current = next((e for e in episodes if e.ended_on is None), None)
    figures = figures_from_episode(current, today=today) if current is not None else None
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
