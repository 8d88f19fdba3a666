"""The questionnaire pages of the portal keep their query count as the answers grow."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import FamilyStatus
from reports import services as report_services
from reports.models import QuestionnaireMoment

# In aftercare: session, user, the portal middleware's and the gate's account, the access
# log's rows, and the page's own two (the member's SDMs and exit questionnaires; in
# aftercare no open phase is read, reports.portal.services.current_moment), and in aftercare
# the gate's reading of the aftercare's last day (PORTAL["AFTERCARE_ENDS"]).
# PostgreSQL takes one more: the access log's chain lock (SQLite locks the whole file).
PAGE = 9 if connection.vendor == "postgresql" else 8
PINS = {
    "portal:home": None,  # other apps add cards; tests/cases/portal/test_portal_queries.py
    "portal:questionnaires": PAGE,
    "portal:questionnaire_sdm": PAGE,
    "portal:questionnaire_exit": PAGE,
}


def _count(client, url) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add(family, member, alice, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        day = timezone.localdate() - datetime.timedelta(days=i + 1)
        report_services.sdm_record(
            family=family,
            member=member,
            moment=QuestionnaireMoment.INTERIM,
            date=day,
            items=[3] * 9,
            by=alice,
        )


def test_questionnaire_pages_are_pinned(family, alice, parent_client, parent_account):  # type: ignore[no-untyped-def]
    family.status = FamilyStatus.AFTERCARE
    family.save(update_fields=["status"])
    member = parent_account.member
    counts = {}
    for name in PINS:
        parent_client.get(reverse(name))
        counts[name] = _count(parent_client, reverse(name))
    _add(family, member, alice, 5)
    for name in PINS:
        assert _count(parent_client, reverse(name)) == counts[name], name
    for name, pin in PINS.items():
        if pin is not None:
            assert counts[name] == pin, (name, counts[name])
