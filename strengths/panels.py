"""The strengths panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from cases.permissions import FamilyAccess
from strengths.models import inclusion_check


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """The inclusion check and the members still lacking a krachtenanalyse. Two queries."""
    family = access.family
    members = list(family.members.filter(analysis__isnull=True).only("id", "name", "family_id"))
    member_count = family.members.count() if not members else len(members)
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
