"""The reports panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.permissions import FamilyAccess
from reports.reviews import report_setting


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """The latest case review (and when the next is due) and the latest SDM-Q-9: two queries."""
    family = access.family
    review = family.case_reviews.only("date", "next_review_on", "decisions").first()
    sdm = family.sdm_responses.only("date", "score", "moment").first()
    lead = report_setting("CASE_REVIEW_LEAD_DAYS")
    due = bool(
        review
        and review.next_review_on
        and (review.next_review_on - timezone.localdate()).days <= lead
    )
    return render_to_string(
        "reports/family_panel.html",
        {"family": family, "access": access, "review": review, "sdm": sdm, "review_due": due},
        request=request,
    )
