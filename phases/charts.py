"""Server-side SVG bars for hours against a budget or a weekly band (same picture on page and PDF).

Every value goes through `format_html`, so no text reaches the SVG unescaped. Each bar
carries a <title>/<desc> and the page prints the same figures as visible text.

Colours mean one thing (`BAND_COLOURS`): below the band (or budget) is amber, within it
green, above it red, on every bar; the badges beside them use the same three colours
(`.band-below`, `.band-within`, `.band-above` in static/css/app.css) and say the same
words (`band_label`).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

WIDTH = 240
HEIGHT = 18

BELOW, WITHIN, ABOVE = "below", "within", "above"
# Each meets WCAG 2.1 AA: >= 4.5:1 with white badge text, >= 3:1 against the bar's ground.
BAND_COLOURS = {BELOW: "#8a5a00", WITHIN: "#1f6f50", ABOVE: "#b02a37"}
BAND_LABELS = {
    BELOW: _("onder de band"),
    WITHIN: _("binnen de band"),
    ABOVE: _("boven de band"),
}
BUDGET_LABELS = {
    BELOW: _("onder het budget"),
    WITHIN: _("binnen het budget"),
    ABOVE: _("boven het budget"),
}


def band_position(value: Decimal | float, low: Decimal | float, high: Decimal | float) -> str:
    """BELOW, WITHIN or ABOVE: where `value` lies against the band `low`–`high` (inclusive)."""
    value, low, high = Decimal(str(value)), Decimal(str(low)), Decimal(str(high))
    if value < low:
        return BELOW
    if value > high:
        return ABOVE
    return WITHIN


def _x(value: Decimal, scale: Decimal) -> str:
    if scale <= 0:
        return "0"
    return f"{float(min(value, scale) * WIDTH / scale):.1f}"


def range_bar_svg(
    *, value: Decimal, low: Decimal, high: Decimal, title: str, budget: bool = False
) -> SafeString:
    """A bar of `value` over a shaded band from `low` to `high`, coloured by its position."""
    value, low, high = Decimal(value), Decimal(low), Decimal(high)
    scale = max(high, value, Decimal(1)) * Decimal("1.15")
    position = band_position(value, low, high)
    words = (BUDGET_LABELS if budget else BAND_LABELS)[position]
    text = f"{number_format(value, 1)} / {number_format(low, 1)}–{number_format(high, 1)}: {words}"
    return format_html(
        '<svg class="fk-bar" role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'xmlns="http://www.w3.org/2000/svg" data-position="{position}"><title>{title}</title>'
        "<desc>{desc}</desc>"
        '<rect x="0" y="0" width="{w}" height="{h}" fill="#e9ecef"/>'
        '<rect x="{band_x}" y="0" width="{band_w}" height="{h}" fill="#cfe2d8"/>'
        '<rect x="0" y="4" width="{value_w}" height="10" fill="{colour}"/>'
        '<line x1="{high_x}" y1="0" x2="{high_x}" y2="{h}" stroke="#212529" stroke-width="1.5"/>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        position=position,
        title=title,
        desc=text,
        band_x=_x(low, scale),
        band_w=f"{max(float(_x(high, scale)) - float(_x(low, scale)), 1.5):.1f}",
        value_w=_x(value, scale),
        colour=BAND_COLOURS[position],
        high_x=_x(high, scale),
    )
