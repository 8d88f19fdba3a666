"""The family plan as a PDF document, rendered with WeasyPrint.

The HTML comes from a Django template (user text escaped) and is rendered by
`cases.pdf.render_pdf`, the one renderer, whose fetcher loads only the project's own
static files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases.models import FamilyPlan

# The renderer and its fetcher live on the ground floor, shared with the inzage export;
# re-exported here because the plan's callers and tests know them as reports.pdf.*.
from cases.pdf import PDF_BASE_URL, STATIC_PREFIX, RefusedURL, StaticOnlyFetcher, render_pdf

__all__ = [
    "PDF_BASE_URL",
    "STATIC_PREFIX",
    "PlanPdfOptions",
    "RefusedURL",
    "StaticOnlyFetcher",
    "plan_context",
    "plan_html",
    "render_plan_pdf",
]


@dataclass(frozen=True)
class PlanPdfOptions:
    """What goes into one export beyond the plan itself; the requester ticks it per export
    (reports.forms.PlanPdfRequestForm), because not every partner needs every part."""

    strengths: bool = False
    timeline: bool = False


def _regisseurs(network: list[Any]) -> list[Any]:
    # The network has no field for the regisseur (DOMAIN.md: the buurtteam's or sociaal
    # team's regisseur, or a zorgcoördinator); they are recorded as professionals whose
    # relation names the role.
    from network.models import Circle

    words = ("regisseur", "zorgcoördinator", "zorgcoordinator")
    return [
        m
        for m in network
        if m.circle == Circle.PROFESSIONALS and any(w in m.relation.lower() for w in words)
    ]


def _goals_with_actions(plan: FamilyPlan) -> tuple[list[tuple[Any, list[Any]]], list[Any]]:
    """Each goal with its actions (network first), and the actions that serve no goal."""
    actions = list(plan.actions.in_plan_order().select_related("member", "goal"))
    goals = list(plan.goals.select_related("owner"))
    by_goal: dict[int, list[Any]] = {goal.pk: [] for goal in goals}
    loose = []
    for action in actions:
        if action.goal_id in by_goal:
            by_goal[action.goal_id].append(action)
        else:
            loose.append(action)
    return [(goal, by_goal[goal.pk]) for goal in goals], loose


def plan_context(plan: FamilyPlan, options: PlanPdfOptions | None = None) -> dict[str, Any]:
    """What the PDF template shows; the same SVGs as the family pages, where they exist."""
    from network.ecomap import legend_groups, map_members, network_map_svg
    from phases.models import PhaseEpisode
    from strengths.charts import domain_profile_svg
    from strengths.models import MemberAnalysis, TimelineEvent

    options = options or PlanPdfOptions()
    family = plan.family
    network = map_members(family)
    goal_blocks, loose_actions = _goals_with_actions(plan)
    phase = PhaseEpisode.objects.filter(family=family).open().order_by("-started_on").first()
    return {
        "plan": plan,
        "family": family,
        "members": list(family.members.all()),
        # The sign-off, as the plan page shows it: the approval and the family's agreement.
        "agreed_members": list(plan.agreed_members.all()),
        "goal_blocks": goal_blocks,
        "loose_actions": loose_actions,
        "phase": phase,
        "network": network,
        "regisseurs": _regisseurs(network),
        # Both functions promise a complete, safe <svg> string ("" when there is nothing).
        # The map is the page's picture with type sized for paper (network.ecomap.PRINT).
        "network_svg": network_map_svg(family, network, for_print=True),
        "legend": legend_groups(),
        "domain_svg": domain_profile_svg(family),
        "options": options,
        "analyses": (
            list(MemberAnalysis.objects.filter(family=family).select_related("member"))
            if options.strengths
            else []
        ),
        "events": (
            list(TimelineEvent.objects.filter(family=family).prefetch_related("members"))
            if options.timeline
            else []
        ),
        "printed_at": timezone.localtime(),
    }


def plan_html(plan: FamilyPlan, options: PlanPdfOptions | None = None) -> str:
    with translation.override("nl"):
        return render_to_string("reports/pdf/plan.html", plan_context(plan, options))


def render_plan_pdf(
    plan: FamilyPlan,
    *,
    options: PlanPdfOptions | None = None,
    fetcher: StaticOnlyFetcher | None = None,
) -> bytes:
    """The plan as PDF/UA-1 bytes, Dutch, with the vendored font embedded."""
    return render_pdf(plan_html(plan, options), fetcher=fetcher, pdf_variant="pdf/ua-1")
