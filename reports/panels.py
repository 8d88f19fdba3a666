"""The reports panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.permissions import FamilyAccess
from cases.sections import family_figures
from reports.models import CaseReview, SdmResponse
from reports.reviews import report_setting, review_overdue

# The latest case review and SDM-Q-9 (by date, then id, as the models order them): the
# fields the panel shows.
LATEST = {
    "review": (CaseReview, ("date", "next_review_on", "decisions")),
    "sdm": (SdmResponse, ("date", "score", "moment")),
}


def family_figures_of_reports(request: HttpRequest) -> dict[str, Any]:
    """The figures of the family page (cases.sections.Section.figures): the latest review's
    and SDM-Q-9's fields, a subquery each."""
    return {
        f"reports_{key}_{name}": Subquery(
            model.objects.filter(family=OuterRef("pk")).order_by("-date", "-pk").values(name)[:1]
        )
        for key, (model, names) in LATEST.items()
        for name in ("pk", *names)
    }


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """The latest case review (and when the next is due) and the latest SDM-Q-9: no query
    of its own (the page's figures)."""
    family = access.family
    # The latest review and SDM-Q-9 came with the page's figures (family_figures_of_reports),
    # read into unsaved instances for the template.
    row = family_figures(request, family)
    review, sdm = (
        model(family=family, **{name: row[f"reports_{key}_{name}"] for name in ("pk", *names)})
        if row[f"reports_{key}_pk"] is not None
        else None
        for key, (model, names) in LATEST.items()
    )
    lead = report_setting("CASE_REVIEW_LEAD_DAYS")
    today = timezone.localdate()
    next_on = review.next_review_on if review else None
    due = bool(next_on and (next_on - today).days <= lead)
    overdue = review_overdue(next_on, today)
    return render_to_string(
        "reports/family_panel.html",
        {
            "family": family,
            "access": access,
            "review": review,
            "sdm": sdm,
            "review_due": due,
            "review_overdue": overdue,
        },
        request=request,
    )
