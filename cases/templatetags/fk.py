from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

from cases import sections
from cases.sections import Section

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours with one decimal, in the active locale (90 → "1,5")."""
    return str(floatformat((minutes or 0) / 60, 1))


@register.simple_tag
def family_sections() -> tuple[Section, ...]:
    """The family file's sections (settings.FAMILY_SECTIONS): tabs and navigation loop over it."""
    return sections.family_sections()
