"""The partners' part of the family file (listed in settings.FAMILY_SECTIONS): the tab with
the family's referrals, and a panel of the open ones on the overview."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Referral
from cases.permissions import FamilyAccess
from cases.sections import Section, count_per_family, family_figures


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """The open referrals, the overdue answers first: one query, none when the page's
    figures (open_referral_count) say there are none."""
    family = access.family
    today = timezone.localdate()
    referrals = (
        list(family.referrals.open().select_related("partner").order_by("asked_on", "pk"))
        if family_figures(request, family)["open_referral_count"]
        else []
    )
    for referral in referrals:
        referral.answer_overdue = referral.answer_overdue_on(today)  # type: ignore[attr-defined]
    referrals.sort(key=lambda r: (not r.answer_overdue, r.asked_on))  # type: ignore[attr-defined]
    return render_to_string(
        "cases/partners_panel.html",
        {"family": family, "access": access, "referrals": referrals, "today": today},
        request=request,
    )


def family_figures_of_partners(request: HttpRequest) -> dict[str, Any]:
    """The figures of the family page (cases.sections.Section.figures): how many referrals
    are open."""
    return {
        "open_referral_count": count_per_family(
            Referral.objects.open().filter(family=OuterRef("pk"))
        ),
    }


partners = Section(
    key="partners",
    label=_("Partners"),
    url_name="cases:family_partners",
    panel=family_panel,
    figures=family_figures_of_partners,
)
