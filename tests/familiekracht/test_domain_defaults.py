"""Every domain default is written once, in settings; the code reads it without a fallback."""

from __future__ import annotations

import pytest

from cases.records.services import retention_years
from network.involvement import stale_weeks
from phases.reminders import phase_setting
from reports.reviews import report_setting

PHASE_NAMES = [
    "ENDS_SOON_DAYS",
    "NO_CONTACT_DAYS",
    "AFTERCARE_CHECKIN_MONTHS",
    "AFTERCARE_LEAD_DAYS",
    "AFTERCARE_GRACE_DAYS",
]
REPORT_NAMES = ["CASE_REVIEW_LEAD_DAYS", "INTENSIVE_HOURS_PER_WEEK"]


@pytest.mark.parametrize("name", PHASE_NAMES)
def test_every_phase_default_is_in_settings(settings, name):
    assert name in settings.PHASES
    settings.PHASES = {**settings.PHASES, name: 99}
    assert phase_setting(name) == 99


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_every_report_default_is_in_settings(settings, name):
    assert name in settings.REPORTS
    settings.REPORTS = {**settings.REPORTS, name: 99}
    assert report_setting(name) == 99


def test_a_setting_missing_from_settings_is_an_error_not_a_hidden_default(settings):
    settings.PHASES = {k: v for k, v in settings.PHASES.items() if k != "AFTERCARE_GRACE_DAYS"}
    with pytest.raises(KeyError):
        phase_setting("AFTERCARE_GRACE_DAYS")
    settings.REPORTS = {}
    with pytest.raises(KeyError):
        report_setting("CASE_REVIEW_LEAD_DAYS")
    settings.FAMILIEKRACHT = {}
    with pytest.raises(KeyError):
        retention_years()
    del settings.NETWORK_STALE_WEEKS
    with pytest.raises(AttributeError):
        stale_weeks()
