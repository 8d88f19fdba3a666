"""The reports' parts of the family file (settings.FAMILY_SECTIONS, FAMILY_PLAN_SLOTS)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.models import Family, FamilyPlan
from cases.sections import PlanSlot, Section
from reports.panels import family_figures_of_reports, family_panel
from reports.services import recent_exports

reports = Section(
    key="reports",
    label=_("Bespreking en vragenlijsten"),
    url_name="reports:family_reports",
    panel=family_panel,
    figures=family_figures_of_reports,
    nav_template="reports/nav_items.html",
)


def _plan_pdf_context(family: Family, plan: FamilyPlan | None) -> dict[str, Any]:
    return {"exports": recent_exports(family)}


# The plan page's PDF buttons and the list of its PDFs; reports makes them.
plan_pdfs = PlanSlot(
    context=_plan_pdf_context,
    actions_template="reports/plan_pdf_actions.html",
    template="reports/plan_pdf_status.html",
)
