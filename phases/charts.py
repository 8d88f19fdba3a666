"""Server-side SVG bars for hours against a budget or a weekly band (same picture on page and PDF).

Every value goes through `format_html`, so no text reaches the SVG unescaped. Each bar
carries a <title>/<desc> and the page prints the same figures as visible text.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

WIDTH = 240
HEIGHT = 18


def _x(value: Decimal, scale: Decimal) -> str:
    if scale <= 0:
        return "0"
    return f"{float(min(value, scale) * WIDTH / scale):.1f}"


def range_bar_svg(
    *, value: Decimal, low: Decimal, high: Decimal, title: str, over: bool, under: bool = False
) -> SafeString:
    """A bar of `value` over a shaded band from `low` to `high`; red when over, amber when under."""
    value, low, high = Decimal(value), Decimal(low), Decimal(high)
    scale = max(high, value, Decimal(1)) * Decimal("1.15")
    colour = "#b02a37" if over else ("#b58105" if under else "#1f6f50")
    text = f"{number_format(value, 1)} / {number_format(low, 1)}–{number_format(high, 1)}"
    return format_html(
        '<svg class="fk-bar" role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{title}</title><desc>{desc}</desc>'
        '<rect x="0" y="0" width="{w}" height="{h}" fill="#e9ecef"/>'
        '<rect x="{band_x}" y="0" width="{band_w}" height="{h}" fill="#cfe2d8"/>'
        '<rect x="0" y="4" width="{value_w}" height="10" fill="{colour}"/>'
        '<line x1="{high_x}" y1="0" x2="{high_x}" y2="{h}" stroke="#212529" stroke-width="1.5"/>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=text,
        band_x=_x(low, scale),
        band_w=f"{max(float(_x(high, scale)) - float(_x(low, scale)), 1.5):.1f}",
        value_w=_x(value, scale),
        colour=colour,
        high_x=_x(high, scale),
    )
