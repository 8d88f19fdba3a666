"""The team report's fidelity table read from a snapshot (reports.FidelitySnapshot): computed
when a team has none, shown as stored while fresh, computed anew by the Celery task once it is
older than FIDELITY_SNAPSHOT_MINUTES (asked for once, however many pages read it), and by
the beat job and its management command for every team."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import FamilyStatus
from reports import tasks
from reports.models import FidelitySnapshot
from reports.teamreport import fidelity_table, team_fidelity
from tests.clock import now_with_time_left_today
from tests.factories import FamilyFactory, TeamFactory
from tests.phases.helpers import open_phase

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def _open_file(team, coach):  # type: ignore[no-untyped-def]
    family = FamilyFactory(
        team=team,
        coach=coach,
        status=FamilyStatus.ACTIVE,
        referral_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    open_phase(family, kind="start", started_on=timezone.localdate() - datetime.timedelta(days=50))
    return family


def _figures(table):  # type: ignore[no-untyped-def]
    return (
        [(row.label, row.families, row.shares["all"].percentage) for row in table.rows],
        table.total.label,
        table.total.families,
        {key: (s.done, s.late) for key, s in table.total.shares.items()},
    )


@override_settings(FIDELITY_SNAPSHOT_MINUTES=30)
def test_snapshot_is_the_live_table_then_stays_until_stale_and_is_asked_for_once(
    team, alice, bob, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    _open_file(team, alice)
    _open_file(team, None)
    now = now_with_time_left_today()
    first = team_fidelity(team, now=now)
    # Computed here (no snapshot yet): the same figures as the live table, with its time.
    assert _figures(first) == _figures(fidelity_table(team, today=timezone.localdate(now)))
    assert first.computed_at == now
    assert {row.label for row in first.rows} == {alice.get_full_name(), "(geen coach)"}
    assert first.total.families == 2

    _open_file(team, bob)
    # Fresh: the stored table, no new computation asked for.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fresh = team_fidelity(team, now=now + 29 * MINUTE)
    assert callbacks == []
    assert fresh.total.families == 2
    assert FidelitySnapshot.objects.get(team=team).refresh_asked_at is None

    # Stale: shown as stored while the task computes the next one, asked for once.
    later = now + 31 * MINUTE
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stale = team_fidelity(team, now=later)
        again = team_fidelity(team, now=later + MINUTE)
    assert stale.total.families == again.total.families == 2
    assert len(callbacks) == 1
    assert FidelitySnapshot.objects.get(team=team).refresh_asked_at == later
    callbacks[0]()  # the task (run in-process in tests)
    snapshot = FidelitySnapshot.objects.get(team=team)
    assert snapshot.refresh_asked_at is None
    assert snapshot.computed_at > now
    renewed = team_fidelity(team, now=snapshot.computed_at)
    assert renewed.total.families == 3
    assert _figures(renewed) == _figures(fidelity_table(team, today=timezone.localdate()))


def test_a_snapshot_of_an_earlier_day_is_stale(team, alice, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    _open_file(team, alice)
    now = timezone.now()
    team_fidelity(team, now=now)
    FidelitySnapshot.objects.filter(team=team).update(
        day=timezone.localdate(now) - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        team_fidelity(team, now=now)
    assert len(callbacks) == 1
    assert FidelitySnapshot.objects.get(team=team).day == timezone.localdate()


def test_beat_task_and_command_compute_every_team(team, alice):  # type: ignore[no-untyped-def]
    other = TeamFactory()
    _open_file(team, alice)
    assert tasks.refresh_fidelity_all.delay().get() == 2
    assert set(FidelitySnapshot.objects.values_list("team_id", flat=True)) == {team.pk, other.pk}
    assert FidelitySnapshot.objects.get(team=team).data["total"]["families"] == 1
    _open_file(team, alice)
    out = io.StringIO()
    call_command("refresh_fidelity", stdout=out)
    assert "2 teams" in out.getvalue()
    assert FidelitySnapshot.objects.get(team=team).data["total"]["families"] == 2


def test_team_report_page_says_when_the_table_was_computed(team, alice, coordinator_client):  # type: ignore[no-untyped-def]
    _open_file(team, alice)
    page = coordinator_client.get(reverse("reports:team_report")).content.decode()
    assert "data-fidelity-computed" in page
    assert "Stand van" in page
