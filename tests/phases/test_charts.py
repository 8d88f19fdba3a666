"""Colours mean one thing: below the band, within it and above it each have one colour, on
every bar and badge, and the words beside them say the same."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from phases import charts
from phases.charts import ABOVE, BELOW, WITHIN, band_position, range_bar_svg
from tests.phases.helpers import open_phase


def value_fill(svg: str) -> str:
    # The value bar is the rect at y="4"; the others are the ground and the band.
    return re.search(r'<rect x="0" y="4" width="[^"]+" height="10" fill="([^"]+)"', svg).group(1)


@pytest.mark.parametrize(
    ("value", "position"),
    [("1.1", BELOW), ("2.3", BELOW), ("4", WITHIN), ("6", WITHIN), ("8", WITHIN), ("8.1", ABOVE)],
)
def test_one_colour_per_position(value, position):
    svg = range_bar_svg(value=Decimal(value), low=Decimal(4), high=Decimal(8), title="t")
    assert band_position(Decimal(value), 4, 8) == position
    assert value_fill(svg) == charts.BAND_COLOURS[position]
    assert f'data-position="{position}"' in svg
    assert str(charts.BAND_LABELS[position]) in svg  # the text alternative says it too


def test_two_values_below_the_band_look_the_same():
    # The reported bug: 2.3 h a week showed amber while 1.1 h showed green.
    a = range_bar_svg(value=Decimal("2.3"), low=Decimal(4), high=Decimal(10), title="2 weken")
    b = range_bar_svg(value=Decimal("1.1"), low=Decimal(4), high=Decimal(10), title="4 weken")
    assert value_fill(a) == value_fill(b) == charts.BAND_COLOURS[BELOW]


def test_three_distinct_colours_and_badges_use_the_same_ones():
    assert len(set(charts.BAND_COLOURS.values())) == 3
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    for position, colour in charts.BAND_COLOURS.items():
        rule = re.search(rf"\.badge\.band-{position} \{{([^}}]*)\}}", css)
        assert rule, position
        assert f"background-color: {colour}" in rule.group(1)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_band_colours_meet_wcag_aa():
    for colour in charts.BAND_COLOURS.values():
        assert contrast(colour, "#ffffff") >= 4.5  # white badge text
        assert contrast(colour, "#e9ecef") >= 3  # the bar against its ground
        assert contrast(colour, "#cfe2d8") >= 3  # and against the band


@pytest.mark.django_db
def test_phase_page_badges_say_where_the_hours_are(family, alice_client):
    open_phase(family, kind="analysis", started_on=timezone.localdate() - timedelta(days=10))
    html = alice_client.get(reverse("phases:family_phases", args=[family.pk])).content.decode()
    # Few hours in the analysis phase: below the budget and below the band, each in amber.
    assert '<span class="badge band-below">onder het budget</span>' in html
    assert html.count('<span class="badge band-below">onder de band</span>') == 2
    assert "text-bg-warning" not in html


# The caseload's row tints (the vendored Bootstrap's table-warning and table-danger, with
# their striped, hover and active shades) and the plain row.
ROW_GROUNDS = [
    "#ffffff",
    "#fff3cd",
    "#f2e7c3",
    "#ece1be",
    "#e6dbb9",
    "#f8d7da",
    "#eccccf",
    "#e5c7ca",
    "#dfc2c4",
]


def test_caseload_trend_colours_meet_aa_on_every_row_tint():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    for name in ("trend-up", "trend-down"):
        colour = re.search(rf"\.{name} \{{ color: (#[0-9a-f]{{6}}); \}}", css).group(1)
        for ground in ROW_GROUNDS:
            assert contrast(colour, ground) >= 4.5, (name, ground)
    # The colours they replace failed on the amber row (the reported 3.4:1 and 4.1:1).
    assert contrast("#198754", "#fff3cd") < 4.5
    template = Path(settings.BASE_DIR) / "templates" / "reports" / "caseload_list.html"
    text = template.read_text()
    assert "trend-up" in text and "trend-down" in text and "text-success" not in text
