"""One way to write dates, times, numbers and hours, in Dutch and in English."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cases import formats

DAY = datetime.date(2026, 10, 18)
MOMENT = datetime.datetime(2026, 12, 1, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Amsterdam


def render(source: str, **context: object) -> str:
    return Template("{% load fk %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "long", "short", "moment"),
    [
        ("nl", "18 oktober 2026", "18 okt. 2026", "1 dec. 2026 14:05"),
        ("en", "18 October 2026", "18 Oct 2026", "1 Dec 2026 14:05"),
    ],
)
def test_dates_one_style_per_kind(language, long, short, moment):
    with translation.override(language):
        assert render("{{ d|long_date }}", d=DAY) == long
        assert render("{{ d|short_date }}", d=DAY) == short
        assert render("{{ m|short_datetime }}", m=MOMENT) == moment
        assert render("{{ m|long_date }}", m=MOMENT) == formats.long_date(MOMENT)
        assert render("{{ d|short_datetime }}", d=DAY) == short  # a date has no time
        assert render("{{ d|long_date }}{{ n|short_date }}", d=None, n="") == ""


def test_dutch_month_abbreviations_are_lower_case_with_a_full_stop():
    with translation.override("nl"):
        shorts = [formats.short_date(datetime.date(2026, m, 1)) for m in range(1, 13)]
    assert shorts[4] == "1 mei 2026"  # short enough to stay whole
    for text in shorts:
        month = text.split()[1]
        assert month == month.lower()
        assert month == "mei" or month.endswith(".")
    assert [s.split()[1] for s in shorts[:3]] == ["jan.", "feb.", "mrt."]


def test_datetimes_are_shown_in_local_time():
    with translation.override("nl"):
        assert formats.short_datetime(MOMENT).endswith("14:05")
        late = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
        assert formats.short_date(late) == "1 jan. 2027"  # already the next day in Amsterdam
        naive_zone = zoneinfo.ZoneInfo("Europe/Amsterdam")
        assert formats.long_datetime(MOMENT.astimezone(naive_zone)) == "1 december 2026 14:05"


@pytest.mark.parametrize(
    ("language", "five", "half", "big"),
    [("nl", "5,0", "1,5", "1234,6"), ("en", "5.0", "1.5", "1234.6")],
)
def test_numbers_and_hours(language, five, half, big):
    with translation.override(language):
        assert render("{{ v|number:1 }}", v=5) == five
        assert render("{{ v|number:1 }}", v=Decimal("5.00")) == five
        assert render("{{ v|number }}", v=5.0) == five
        assert render("{{ v|number:1 }}", v=1234.56) == big
        assert render("{{ v|number:0 }}", v=4.6) == "5"
        assert render("{{ v|number:1 }}", v=None) == ""
        assert render("{{ m|hours }}", m=90) == half
        assert render("{{ m|hours }}", m=None) == render("{{ v|number:1 }}", v=0)


def test_templates_write_dates_and_numbers_through_the_one_set_of_filters():
    """No template formats a date or a number by hand (`|date:"…"`, `floatformat`)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    by_hand = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if '|date:"' in line or "|floatformat" in line
    ]
    assert by_hand == []
