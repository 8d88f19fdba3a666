"""Writers of one family's figures at the same moment (reports.figures): two contacts posted
at once, or a contact posted while the nightly job runs. Each writer locks the family's row
before it computes the sums, so the later one counts the earlier one's contact instead of
overwriting the row without it. Two connections at once, so PostgreSQL only."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from cases import services as case_services
from reports.figures import refresh_all
from reports.models import FamilyFigures
from tests.factories import FamilyFactory
from tests.phases.helpers import open_phase
from tests.reports.helpers import waiting_for_a_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two writers at once: PostgreSQL only"
    ),
]

TODAY = timezone.localdate()


def _in_a_thread(work: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _wait_until_it_waits() -> None:
    deadline = time.monotonic() + 10
    while not waiting_for_a_lock():
        assert time.monotonic() < deadline, "the second writer never waited"
        time.sleep(0.02)


def _post(family, author, minutes: int) -> None:  # type: ignore[no-untyped-def]
    case_services.contact_create(
        family=family, author=author, date=TODAY, minutes=minutes, kind="home_visit"
    )


@pytest.fixture
def family(team, alice):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=alice)
    open_phase(family, kind="execution", started_on=TODAY - datetime.timedelta(days=30))
    return family


def test_two_contacts_posted_at_once_are_both_in_the_sums(family, alice):
    with transaction.atomic():
        _post(family, alice, 60)
        # The second post waits for the family until the first one commits.
        thread, errors = _in_a_thread(lambda: _post(family, alice, 45))
        _wait_until_it_waits()
    thread.join(timeout=30)
    assert not thread.is_alive() and not errors
    row = FamilyFigures.objects.get(family=family)
    assert (row.used_minutes, row.minutes_4w, row.last_contact) == (105, 105, TODAY)


def test_a_contact_posted_while_the_nightly_job_runs_is_in_the_sums(family, alice):
    _post(family, alice, 30)
    with transaction.atomic():
        _post(family, alice, 60)
        # The nightly job reaches the family while the post has not committed yet.
        thread, errors = _in_a_thread(refresh_all)
        _wait_until_it_waits()
    thread.join(timeout=30)
    assert not thread.is_alive() and not errors
    row = FamilyFigures.objects.get(family=family)
    assert (row.used_minutes, row.minutes_4w, row.as_of) == (90, 90, TODAY)
    # And the flags it stored afterwards were computed with the contact.
    assert row.flags_as_of == TODAY
