"""The query counts of every first page, pinned at two team sizes (issue 15: the same number
of queries at 1,000 and at 10,000 families; `make bench` measures the times).

Each page is requested once to warm the session, counted with 5 families in the team, and
again with 25: both counts must equal the pin. The pins include the access log's chain
(tests.querycounts.chain_queries) where the page logs the families it shows.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Membership, Role
from phases.models import Reminder, ReminderKind
from reports.figures import refresh_all
from reports.models import CaseReview
from tests.factories import ContactFactory, FamilyFactory, MemberFactory
from tests.phases.helpers import open_phase
from tests.querycounts import chain_queries, jit_off_queries
from tests.reports.helpers import scored_moment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _add(team, coach, n, start):  # type: ignore[no-untyped-def]
    psy = Membership.objects.filter(team=team, role=Role.PSYCHOLOGIST).first().user
    for i in range(start, start + n):
        family = FamilyFactory(
            team=team,
            coach=coach,
            display_name=f"Gezin {i:02d}",
            status="active",
            safety_flag=i % 5 == 0,
            referral_date=TODAY - datetime.timedelta(days=30 + i),
        )
        MemberFactory(family=family)
        open_phase(
            family,
            kind=("start", "analysis", "execution")[i % 3],
            started_on=TODAY - datetime.timedelta(days=10 + i),
        )
        ContactFactory(family=family, author=coach, date=TODAY - datetime.timedelta(days=i % 20))
        scored_moment(family, coach, kind="start", date=TODAY - datetime.timedelta(40), severity=2)
        scored_moment(family, coach, kind="interim", date=TODAY - datetime.timedelta(5), severity=3)
        CaseReview.objects.create(
            family=family,
            date=TODAY - datetime.timedelta(days=3),
            next_review_on=TODAY + datetime.timedelta(days=i),
            created_by=psy,
        )
        Reminder.objects.create(
            recipient=coach,
            family=family,
            kind=ReminderKind.NO_CONTACT,
            subject=f"family:{family.pk}",
            due_on=TODAY,
        )


# (client fixture, path, pinned queries). What every page costs: session, user, the user's
# memberships (the gate, the access log's roles and the navigation share one query), unread
# reminders (navigation). The landing page adds its count, its page of families, their
# attention badges (one query for the page), unread notifications and the log of the
# families shown (one insert plus the chain). The caseload adds the coach names, the
# transaction with JIT off (savepoint, SET LOCAL, release), the page's ids with the number
# of families (one query: a window count), the rows of those ids, their phase figures and
# domain scores, and the log of the families shown. The coach load is a GROUP BY per coach
# over the stored flags and one over the families whose flags a write emptied (here all of
# them: the test's writes did), in that transaction, the coach names and each coach's last
# supervision session
# (reports.supervision.queries: one query, a row per coach). The team report reads its
# snapshot (reports.TeamReportSnapshot: one row, every figure in it; the session's first
# request computed it, a Celery job computes it anew): session, user, memberships, unread
# reminders (the page's navigation) and the snapshot; its CSV and print version have no
# navigation and add an access-log row.
# A psychologist's pages add "Wacht op mij" (cases.waiting), one query per source in
# settings.WAITING_SOURCES (proposed transitions and extensions, plans asked for review):
# the landing page's list, which the navigation's count reuses, or the navigation's count elsewhere.
WAITING = len(settings.WAITING_SOURCES)
TEAM_REPORT_SNAPSHOT = 1
CASELOAD = 10
PAGES = [
    ("psychologist_client", "/", 9 + WAITING + chain_queries()),
    ("alice_client", "/", 9 + chain_queries()),
    ("psychologist_client", "/caseload/", CASELOAD + jit_off_queries() + WAITING + chain_queries()),
    (
        "psychologist_client",
        "/caseload/?flag=attention",
        CASELOAD + jit_off_queries() + WAITING + chain_queries(),
    ),
    (
        "psychologist_client",
        "/caseload/?sort=-trend",
        CASELOAD + jit_off_queries() + WAITING + chain_queries(),
    ),
    (
        "psychologist_client",
        "/caseload/?sort=week&page=1",
        CASELOAD + jit_off_queries() + WAITING + chain_queries(),
    ),
    ("psychologist_client", "/caseload/coaches/", 8 + jit_off_queries() + WAITING),
    ("coordinator_client", "/reports/team/", 4 + TEAM_REPORT_SNAPSHOT),
    ("coordinator_client", "/reports/team/csv/", 4 + TEAM_REPORT_SNAPSHOT + chain_queries()),
    ("coordinator_client", "/reports/team/print/", 4 + TEAM_REPORT_SNAPSHOT + chain_queries()),
]


@pytest.mark.parametrize(("who", "path", "pinned"), PAGES)
def test_first_pages_cost_the_same_queries_at_two_sizes(
    request, team, alice, psychologist, coordinator, who, path, pinned
):  # type: ignore[no-untyped-def]
    client = request.getfixturevalue(who)
    _add(team, alice, 5, start=0)
    assert client.get(path).status_code == 200  # the session's first request
    counts = []
    for more in (0, 20):
        _add(team, alice, more, start=5)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts == [pinned, pinned], "\n".join(q["sql"][:120] for q in queries.captured_queries)


def test_the_coach_load_with_every_familys_flags_stored_costs_one_group_by(
    team, alice, psychologist_client
):  # type: ignore[no-untyped-def]
    """As after the nightly job or the 5-minute refresh: the flags are counted from their
    bits, and no second GROUP BY runs for families whose flags are not stored."""
    _add(team, alice, 5, start=0)
    path = "/caseload/coaches/"
    assert psychologist_client.get(path).status_code == 200
    counts = []
    for more in (0, 20):
        _add(team, alice, more, start=5)
        refresh_all()
        with CaptureQueriesContext(connection) as queries:
            response = psychologist_client.get(path)
        counts.append(len(queries.captured_queries))
    assert counts == [7 + jit_off_queries() + WAITING] * 2
    (load,) = response.context["loads"]
    assert load.families == 25
