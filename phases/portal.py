"""What the family portal (cases.portal) asks of the phases: when aftercare ends.

settings.PORTAL["AFTERCARE_ENDS"] names `aftercare_ends_on`; a portal account of a family
in aftercare stays open through that day (cases.models.PortalAccount.is_open).
"""

from __future__ import annotations

import datetime

from cases.models import Family
from phases.reminders import add_months, phase_setting
from phases.services import closing_date


def aftercare_ends_on(family: Family) -> datetime.date | None:
    """The last day of aftercare: the closing date plus the aftercare period, which is the
    last check-in's month (settings.PHASES["AFTERCARE_CHECKIN_MONTHS"]). None when the file
    has no closing on record (the portal then stays open while the status is Nazorg)."""
    closed_on = closing_date(family)
    months = phase_setting("AFTERCARE_CHECKIN_MONTHS")
    if closed_on is None or not months:
        return None
    return add_months(closed_on, max(months))
