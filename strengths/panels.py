"""The strengths panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string

from cases.permissions import FamilyAccess
from cases.sections import family_members
from strengths.models import MemberAnalysis, inclusion_check

# Whether the member has a krachtenanalyse: an attribute of each of family_members.
ANALYSED = "strengths_analysed"


def member_figures() -> dict[str, Any]:
    """cases.sections.Section.member_figures: whether each member has an analysis."""
    return {ANALYSED: Exists(MemberAnalysis.objects.filter(member=OuterRef("pk")))}


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """The inclusion check and the members still lacking a krachtenanalyse: one query, and
    the family's members as the page reads them (with `strengths_analysed`)."""
    family = access.family
    everyone = family_members(request, family)
    members = [m for m in everyone if not getattr(m, ANALYSED)]
    member_count = len(everyone)
    return render_to_string(
        "strengths/family_panel.html",
        {
            "family": family,
            "access": access,
            "inclusion": inclusion_check(family),
            "missing": members,
            "member_count": member_count,
        },
        request=request,
    )
