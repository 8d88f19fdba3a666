"""The reports panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Family
from cases.permissions import FamilyAccess
from reports.models import CaseReview, SdmResponse
from reports.reviews import report_setting, review_overdue


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """The latest case review (and when the next is due) and the latest SDM-Q-9: one query."""
    family = access.family
    # The latest review and SDM-Q-9 (by date, then id, as the models order them) in one
    # query: subqueries on the family, read into unsaved instances for the template.
    latest = {
        "review": (CaseReview, ("date", "next_review_on", "decisions")),
        "sdm": (SdmResponse, ("date", "score", "moment")),
    }
    columns = {
        f"{key}_{name}": Subquery(
            model.objects.filter(family=OuterRef("pk")).order_by("-date", "-pk").values(name)[:1]
        )
        for key, (model, names) in latest.items()
        for name in ("pk", *names)
    }
    row = Family.objects.filter(pk=family.pk).values(**columns).get()
    review, sdm = (
        model(family=family, **{name: row[f"{key}_{name}"] for name in ("pk", *names)})
        if row[f"{key}_pk"] is not None
        else None
        for key, (model, names) in latest.items()
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
