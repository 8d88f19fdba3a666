from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours with one decimal, in the active locale (90 → "1,5")."""
    return str(floatformat((minutes or 0) / 60, 1))
