from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Role
from phases import services
from phases.budget import episodes_with_hours, phase_figures_for
from phases.models import (
    ExtraHours,
    PhaseDefinition,
    PhaseEpisode,
    TeamPhaseSettings,
    Transition,
    TransitionStatus,
)
from tests.factories import ContactFactory
from tests.phases.helpers import CLOSE_WITHOUT_AFTERCARE, open_phase

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def test_defaults_follow_the_domain_table(team):
    definitions = services.definitions_for(team)
    start = definitions["start"]
    assert (start.weeks_min, start.weeks_max, start.hours_min, start.hours_max) == (
        2,
        2,
        Decimal(5),
        Decimal(10),
    )
    assert (definitions["analysis"].weeks_min, definitions["analysis"].weeks_max) == (4, 6)
    assert definitions["closing"].hours_max == Decimal(3)
    # Created once: a second call adds nothing.
    services.definitions_for(team)
    assert PhaseDefinition.objects.filter(team=team).count() == 4


def _start(family, alice, on=TODAY - datetime.timedelta(days=20)):  # type: ignore[no-untyped-def]
    return services.trajectory_start(family=family, by=alice, started_on=on, today=TODAY)


def test_trajectory_start_copies_the_budget(family, alice):
    family.referral_date = TODAY - datetime.timedelta(days=30)
    family.save()
    episode = _start(family, alice)
    assert episode.kind == "start"
    assert episode.planned_end == episode.started_on + datetime.timedelta(weeks=2)
    assert (episode.budget_min, episode.budget_max) == (Decimal(10), Decimal(20))
    assert Transition.objects.get(family=family).to_step == "start"


def test_definition_change_applies_only_to_phases_started_afterwards(family, alice, coordinator):
    family.referral_date = TODAY - datetime.timedelta(days=30)
    family.save()
    running = _start(family, alice)
    services.definitions_update(
        team=family.team,
        by=coordinator,
        version=services.team_settings(family.team).version,
        values={"start": {"weeks_max": 3, "hours_max": Decimal(12)}},
        approval_required=True,
    )
    running.refresh_from_db()
    assert (running.weeks_max, running.hours_max) == (2, Decimal(10))
    services.transition_propose(
        family=family,
        by=alice,
        role=Role.PSYCHOLOGIST,
        effective_on=TODAY - datetime.timedelta(days=5),
        today=TODAY,
    )
    services.phase_step_back(
        family=family, by=alice, effective_on=TODAY, reason="Terugval", today=TODAY
    )
    again = PhaseEpisode.objects.open().get(family=family)
    assert again.kind == "start"
    assert (again.weeks_max, again.hours_max) == (3, Decimal(12))


def test_coach_proposal_waits_for_the_psychologist(family, alice, psychologist):
    family.referral_date = TODAY - datetime.timedelta(days=30)
    family.save()
    first = _start(family, alice)
    transition = services.transition_propose(
        family=family, by=alice, role=Role.COACH, effective_on=TODAY, note="Klaar", today=TODAY
    )
    assert transition.status == TransitionStatus.PENDING
    assert PhaseEpisode.objects.open().get(family=family) == first
    services.transition_decide(transition=transition, by=psychologist, approve=True, note="Ok")
    transition.refresh_from_db()
    assert transition.decided_by == psychologist
    assert transition.decided_at is not None
    first.refresh_from_db()
    assert first.ended_on == TODAY
    current = PhaseEpisode.objects.open().get(family=family)
    assert (current.kind, current.started_on) == ("analysis", TODAY)
    with pytest.raises(services.PhaseError):
        services.transition_decide(transition=transition, by=psychologist, approve=True)


def test_rejected_proposal_changes_nothing(family, alice, psychologist):
    family.referral_date = TODAY - datetime.timedelta(days=30)
    family.save()
    first = _start(family, alice)
    transition = services.transition_propose(
        family=family, by=alice, role=Role.COACH, effective_on=TODAY, today=TODAY
    )
    services.transition_decide(transition=transition, by=psychologist, approve=False, note="Nee")
    assert PhaseEpisode.objects.open().get(family=family) == first
    assert Transition.objects.get(pk=transition.pk).status == TransitionStatus.REJECTED


def test_without_approval_setting_the_coach_moves_at_once(family, alice):
    family.referral_date = TODAY - datetime.timedelta(days=30)
    family.save()
    TeamPhaseSettings.objects.create(team=family.team, approval_required=False)
    _start(family, alice)
    transition = services.transition_propose(
        family=family, by=alice, role=Role.COACH, effective_on=TODAY, today=TODAY
    )
    assert transition.status == TransitionStatus.APPLIED
    assert transition.decided_by is None
    assert PhaseEpisode.objects.open().get(family=family).kind == "analysis"


def test_full_trajectory_to_aftercare_without_gaps(family, alice, psychologist):
    family.referral_date = TODAY - datetime.timedelta(days=400)
    family.save()
    _start(family, alice, on=TODAY - datetime.timedelta(days=300))
    for days_ago in (280, 240, 30, 0):
        services.transition_propose(
            family=family,
            by=psychologist,
            role=Role.PSYCHOLOGIST,
            effective_on=TODAY - datetime.timedelta(days=days_ago),
            today=TODAY,
            # Only the last step (closing the trajectory) reads these.
            **CLOSE_WITHOUT_AFTERCARE,
        )
    family.refresh_from_db()
    assert family.status == "closed"
    assert not PhaseEpisode.objects.open().filter(family=family).exists()
    services.transition_propose(
        family=family, by=psychologist, role=Role.PSYCHOLOGIST, effective_on=TODAY, today=TODAY
    )
    family.refresh_from_db()
    assert family.status == "aftercare"
    episodes = list(PhaseEpisode.objects.filter(family=family).order_by("started_on"))
    assert [e.kind for e in episodes] == ["start", "analysis", "execution", "closing"]
    for before, after in zip(episodes, episodes[1:], strict=False):
        assert before.ended_on == after.started_on  # no gaps
    steps = list(
        Transition.objects.filter(family=family).order_by("id").values_list("to_step", flat=True)
    )
    assert steps == ["start", "analysis", "execution", "closing", "closed", "aftercare"]
    with pytest.raises(services.PhaseError):
        services.transition_propose(
            family=family, by=psychologist, role=Role.PSYCHOLOGIST, effective_on=TODAY, today=TODAY
        )


def test_step_back_is_kept_with_reason_and_cancels_a_waiting_proposal(family, alice):
    open_phase(family, kind="execution", started_on=TODAY - datetime.timedelta(days=50))
    pending = services.transition_propose(
        family=family, by=alice, role=Role.COACH, effective_on=TODAY, today=TODAY
    )
    back = services.phase_step_back(
        family=family, by=alice, effective_on=TODAY, reason="Terugval na verhuizing", today=TODAY
    )
    assert back.is_step_back and back.note == "Terugval na verhuizing"
    assert (back.from_step, back.to_step) == ("execution", "analysis")
    assert Transition.objects.get(pk=pending.pk).status == TransitionStatus.REJECTED
    assert PhaseEpisode.objects.open().get(family=family).kind == "analysis"


def test_no_step_back_from_the_start_phase(family, alice):
    open_phase(family, kind="start", started_on=TODAY - datetime.timedelta(days=5))
    with pytest.raises(services.PhaseError):
        services.phase_step_back(
            family=family, by=alice, effective_on=TODAY, reason="x", today=TODAY
        )


def test_end_before_start_saves_nothing(family, alice):
    open_phase(family, kind="analysis", started_on=TODAY - datetime.timedelta(days=5))
    with pytest.raises(services.PhaseError):
        services.transition_propose(
            family=family,
            by=alice,
            role=Role.PSYCHOLOGIST,
            effective_on=TODAY - datetime.timedelta(days=6),
            today=TODAY,
        )
    with pytest.raises(services.PhaseError):
        services.transition_propose(
            family=family,
            by=alice,
            role=Role.PSYCHOLOGIST,
            effective_on=TODAY + datetime.timedelta(days=1),
            today=TODAY,
        )
    assert Transition.objects.count() == 0
    assert PhaseEpisode.objects.get(family=family).ended_on is None


def test_database_allows_one_open_phase_and_no_end_before_start(family):
    open_phase(family, started_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        open_phase(family, started_on=TODAY)
    episode = PhaseEpisode.objects.get(family=family)
    episode.ended_on = TODAY - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        episode.save()


def test_extra_hours_count_at_once_and_absurd_hours_are_refused(family, alice):
    episode = open_phase(family, started_on=TODAY - datetime.timedelta(days=3))
    services.extra_hours_add(family=family, by=alice, hours=Decimal(6), reason="Terugval")
    figures = phase_figures_for([family.pk], today=TODAY)[family.pk]
    assert figures.extra_hours == Decimal(6)
    assert figures.budget_max == Decimal(26)
    extra = ExtraHours.objects.get()
    assert (extra.added_by, extra.reason, extra.episode) == (alice, "Terugval", episode)
    for bad in (Decimal(-2), Decimal(0), Decimal(1000)):
        with pytest.raises(IntegrityError), transaction.atomic():
            services.extra_hours_add(family=family, by=alice, hours=bad, reason="x")
    assert ExtraHours.objects.count() == 1


def test_contacts_count_toward_the_phase_they_took_place_in(family, alice):
    first = open_phase(family, kind="start", started_on=TODAY - datetime.timedelta(days=20))
    first.ended_on = TODAY - datetime.timedelta(days=6)
    first.save()
    open_phase(family, kind="analysis", started_on=first.ended_on)
    ContactFactory(family=family, author=alice, date=first.started_on - datetime.timedelta(1))
    ContactFactory(family=family, author=alice, date=first.started_on, minutes=30)
    ContactFactory(family=family, author=alice, date=first.ended_on - datetime.timedelta(1))
    ContactFactory(family=family, author=alice, date=first.ended_on, minutes=120)  # new phase
    ContactFactory(family=family, author=alice, date=TODAY, minutes=45)
    used = {e.kind: e.used_minutes for e in episodes_with_hours(PhaseEpisode.objects.all())}
    assert used == {"start": 90, "analysis": 165}


def test_figures_for_many_families_take_one_query(team, alice, django_assert_num_queries):
    from tests.factories import FamilyFactory

    families = [FamilyFactory(team=team, coach=alice) for _ in range(5)]
    for i, family in enumerate(families):
        open_phase(family, kind="analysis", started_on=TODAY - datetime.timedelta(days=30))
        ContactFactory(family=family, author=alice, date=TODAY - datetime.timedelta(days=i))
        ContactFactory(family=family, author=alice, date=TODAY - datetime.timedelta(days=20))
    from cases.models import Family

    with django_assert_num_queries(1):
        figures = phase_figures_for(Family.objects.filter(team=team), today=TODAY)
    assert set(figures) == {f.pk for f in families}
    one = figures[families[0].pk]
    assert one.used_hours == Decimal(2)
    assert one.day == 31 and one.planned_days == 42 and one.days_left == 12
    assert one.hours_per_week_2 == Decimal("0.5")
    assert one.hours_per_week_4 == Decimal("0.5")
    assert one.under_band and not one.over_budget and not one.overdue


def test_figures_flag_over_budget_and_overdue(family, alice):
    open_phase(family, kind="start", started_on=TODAY - datetime.timedelta(days=15))
    for day in range(11):
        ContactFactory(
            family=family, author=alice, date=TODAY - datetime.timedelta(days=day), minutes=120
        )
    figures = phase_figures_for([family.pk], today=TODAY)[family.pk]
    assert figures.used_hours == Decimal(22)
    assert figures.over_budget and figures.nearly_used and figures.overdue
    assert figures.days_late == 1
    assert not figures.under_band


def test_now_default_today(family, alice):
    open_phase(family, started_on=timezone.localdate())
    assert phase_figures_for([family.pk], today=timezone.localdate())[family.pk].day == 1
