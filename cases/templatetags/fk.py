from __future__ import annotations

from typing import Any

from django import template

from cases import formats, sections
from cases.portal.extensions import nav_items
from cases.sections import Section

register = template.Library()

# One set of filters for dates, numbers and hours (cases/formats.py says which style is for
# what); templates use these instead of `date:"..."` or `floatformat`.


@register.filter(expects_localtime=True)
def long_date(value: Any) -> str:
    """ "1 december 2026" / "1 December 2026"."""
    return formats.long_date(value)


@register.filter(expects_localtime=True)
def short_date(value: Any) -> str:
    """ "18 okt. 2026" / "18 Oct 2026"."""
    return formats.short_date(value)


@register.filter(expects_localtime=True)
def short_datetime(value: Any) -> str:
    return formats.short_datetime(value)


@register.filter(expects_localtime=True)
def long_datetime(value: Any) -> str:
    return formats.long_datetime(value)


@register.filter(expects_localtime=True)
def weekday_date(value: Any) -> str:
    """ "maandag 30 nov." / "Monday 30 Nov"."""
    return formats.weekday_date(value)


@register.filter(expects_localtime=True)
def month_year(value: Any) -> str:
    return formats.month_year(value)


@register.filter
def number(value: Any, decimals: int = 1) -> str:
    """5 -> "5,0" (Dutch) / "5.0" (English); `number:0` for whole numbers."""
    return formats.number(value, int(decimals))


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours with one decimal, in the active locale (90 → "1,5")."""
    return formats.hours(minutes)


@register.simple_tag
def family_sections() -> tuple[Section, ...]:
    """The family file's sections (settings.FAMILY_SECTIONS): tabs and navigation loop over it."""
    return sections.family_sections()


@register.simple_tag
def portal_nav_items() -> list[Any]:
    """The portal menu's items from other apps (settings.PORTAL_SECTIONS)."""
    return nav_items()
