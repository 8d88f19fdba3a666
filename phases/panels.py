"""The phases panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.compiled import MARKER, CompiledQuery
from cases.daycache import DayCache
from cases.permissions import FamilyAccess
from cases.sections import family_figures
from phases.budget import episodes_with_figures, figures_from_episode
from phases.models import PhaseEpisode, Reminder, Transition, TransitionStatus

# A family's episodes with their figures, built and compiled once per process and day.
_episodes = DayCache(
    lambda today: CompiledQuery(
        episodes_with_figures(PhaseEpisode.objects.all(), today=today).filter(family_id=MARKER),
        family=MARKER,
    )
)

# The figure with the user's unread reminders (phases.context_processors reads it).
UNREAD_FIGURE = "phases_unread_reminders"


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """Where the hours stand against the phase budget: one query (and the page's figures),
    whatever the history."""
    family = access.family
    from phases.views import episode_rows, rate_bars

    today = timezone.localdate()
    # The history and the open phase's figures in one query (as phase_figures_for counts).
    episodes = _episodes.get().run(family=family.pk)
    # The pending transition's step came with the page's figures (phases.sections).
    to_step = family_figures(request, family)["phases_pending_to_step"]
    pending = Transition(family=family, to_step=to_step) if to_step else None
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


def family_figures_of_phases(request: HttpRequest) -> dict[str, Any]:
    """The figures of the family page (cases.sections.Section.figures): the step a pending
    transition goes to, and the user's unread reminders for the navigation."""
    pending = Transition.objects.filter(
        family=OuterRef("pk"), status=TransitionStatus.PENDING
    ).order_by("proposed_at", "pk")
    user_id = getattr(getattr(request, "user", None), "pk", None)
    unread = (
        Reminder.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "phases_pending_to_step": Subquery(pending.values("to_step")[:1]),
        UNREAD_FIGURE: Coalesce(Subquery(unread), 0),
    }
