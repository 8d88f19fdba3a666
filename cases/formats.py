"""The one way the application writes dates, times, numbers and hours, in Dutch and English.

Every template goes through the filters in `cases/templatetags/fk.py`, which call these
functions; code outside templates (messages, e-mails, CSV) calls them directly. One style per
kind:

- `long_date` in running text and the PDF: "1 december 2026" / "1 December 2026";
- `short_date` in tables and lists: "18 okt. 2026" / "18 Oct 2026" (Dutch month
  abbreviations lower case with a full stop, as the Taalunie writes them; "mei" stays whole);
- `short_datetime` / `long_datetime`: the date and the time on the 24-hour clock;
- `number`: the active language's decimal separator ("5,0" / "5.0"), always the given
  number of decimals; `hours`: minutes as hours with one decimal.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# The months' short names, in the active language (English "Jan", "Feb", ...).
# Translators: short month names; "mei" is short enough to stay whole.
MONTH_ABBREVIATIONS = {
    1: _("jan."),
    2: _("feb."),
    3: _("mrt."),
    4: _("apr."),
    5: _("mei"),
    6: _("jun."),
    7: _("jul."),
    8: _("aug."),
    9: _("sep."),
    10: _("okt."),
    11: _("nov."),
    12: _("dec."),
}

DateLike = datetime.date | datetime.datetime


def _local(value: DateLike) -> DateLike:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value: DateLike | None) -> str:
    if not value:
        return ""
    return formats.date_format(_local(value), "j F Y")


def short_date(value: DateLike | None) -> str:
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTH_ABBREVIATIONS[value.month]} {value.year}"


def month_year(value: DateLike | None) -> str:
    if not value:
        return ""
    return formats.date_format(_local(value), "F Y")


def _time(value: DateLike) -> str:
    if not isinstance(value, datetime.datetime):
        return ""
    return formats.date_format(_local(value), "H:i")


def short_datetime(value: DateLike | None) -> str:
    if not value:
        return ""
    return " ".join(part for part in (short_date(value), _time(value)) if part)


def long_datetime(value: DateLike | None) -> str:
    if not value:
        return ""
    return " ".join(part for part in (long_date(value), _time(value)) if part)


def number(value: float | int | Decimal | str | None, decimals: int = 1) -> str:
    """A number with a fixed count of decimals in the active language; "" for no value."""
    if value is None or value == "":
        return ""
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        return ""
    rounded = round(value, decimals)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True)


def hours(minutes: int | None) -> str:
    """Minutes as hours with one decimal (90 -> "1,5")."""
    return number(Decimal(minutes or 0) / 60, 1)
