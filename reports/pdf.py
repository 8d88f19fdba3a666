"""The family plan as a PDF document, rendered with WeasyPrint.

The HTML comes from a Django template (user text escaped) and is rendered by
`cases.pdf.render_pdf`, the one renderer, whose fetcher loads only the project's own
static files.
"""

from __future__ import annotations

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
    "RefusedURL",
    "StaticOnlyFetcher",
    "plan_context",
    "plan_html",
    "render_plan_pdf",
]


def plan_context(plan: FamilyPlan) -> dict[str, Any]:
    """What the PDF template shows; the same SVGs as the family pages, where they exist."""
    from network.ecomap import network_map_svg
    from strengths.charts import domain_profile_svg

    family = plan.family
    return {
        "plan": plan,
        "family": family,
        "members": list(family.members.all()),
        "goals": list(plan.goals.select_related("owner")),
        "actions": list(plan.actions.in_plan_order().select_related("member", "goal")),
        # Both functions promise a complete, safe <svg> string ("" when there is nothing).
        "network_svg": network_map_svg(family),
        "domain_svg": domain_profile_svg(family),
        "printed_at": timezone.localtime(),
    }


def plan_html(plan: FamilyPlan) -> str:
    with translation.override("nl"):
        return render_to_string("reports/pdf/plan.html", plan_context(plan))


def render_plan_pdf(plan: FamilyPlan, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """The plan as PDF/UA-1 bytes, Dutch, with the vendored font embedded."""
    return render_pdf(plan_html(plan), fetcher=fetcher, pdf_variant="pdf/ua-1")
