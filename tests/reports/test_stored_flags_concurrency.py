"""A refresh of the stored caseload flags that runs while a write changes a family: it does
not store the flags it computed without that write (reports.caseload.refresh_flags and the
version every write counts up). Two connections at once, so PostgreSQL only."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from cases.todo.services import task_create
from reports.caseload import STORED_FLAGS, caseload_queryset, refresh_flags
from reports.figures import refresh_all
from reports.models import FamilyFigures
from tests.factories import ContactFactory, FamilyFactory
from tests.phases.helpers import open_phase
from tests.reports.helpers import waiting_for_a_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two writers at once: PostgreSQL only"
    ),
]

TODAY = timezone.localdate()


def test_a_refresh_that_read_the_family_before_a_write_leaves_its_flags_empty(team, alice):
    family = FamilyFactory(team=team, coach=alice)
    open_phase(family, kind="execution", started_on=TODAY - datetime.timedelta(days=30))
    ContactFactory(family=family, author=alice, date=TODAY, minutes=60)
    refresh_all()
    assert FamilyFigures.objects.filter(family=family, flags_as_of=TODAY).exists()
    written: list[int] = []
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            written.append(refresh_flags())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    with transaction.atomic():
        # An overdue task: its signal empties the family's flags and holds the row's lock
        # until this transaction commits.
        task_create(
            family=family,
            by=alice,
            title="Terugbellen",
            owner=alice,
            due_on=TODAY - datetime.timedelta(days=1),
        )
        thread = threading.Thread(target=refresh)
        thread.start()
        # The refresh has computed its flags without the task (not committed yet) and now
        # waits for the row.
        deadline = time.monotonic() + 10
        while not waiting_for_a_lock():
            assert time.monotonic() < deadline, "the refresh never waited for the row"
            time.sleep(0.02)
    thread.join(timeout=30)
    assert not errors
    assert written == [0]
    row = FamilyFigures.objects.get(family=family)
    assert row.flags_as_of is None
    # So the caseload computes the family's flags, with the task.
    flags = caseload_queryset(team, today=TODAY).values_list(*STORED_FLAGS).get(pk=family.pk)
    assert flags[STORED_FLAGS.index("has_overdue_tasks")] is True
    # The next refresh sees the task and stores it.
    assert refresh_flags(stale_only=True) == 1
    flags = caseload_queryset(team, today=TODAY).values_list(*STORED_FLAGS).get(pk=family.pk)
    assert flags[STORED_FLAGS.index("has_overdue_tasks")] is True
