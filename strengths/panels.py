"""The strengths panel on the family page (cases.views.family_detail renders it)."""

from __future__ import annotations

from django.http import HttpRequest

from cases.models import Family


def family_panel(request: HttpRequest, family: Family) -> str:
    """Return this app's HTML for the family page, or "" when it has nothing to show."""
    return ""
