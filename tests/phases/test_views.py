from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.permissions import family_access_for
from phases.models import (
    ExtraHours,
    PhaseDefinition,
    PhaseEpisode,
    Reminder,
    TeamPhaseSettings,
    Transition,
    TransitionStatus,
)
from phases.services import definitions_for, team_settings
from tests.factories import ContactFactory, FamilyFactory
from tests.phases.helpers import open_phase

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def in_analysis(family):  # type: ignore[no-untyped-def]
    return open_phase(family, kind="analysis", started_on=today() - datetime.timedelta(days=10))


def url(name, family, *args):  # type: ignore[no-untyped-def]
    return reverse(f"phases:{name}", args=[family.pk, *args])


# --- the phases page and the family panel ---------------------------------------------------


def test_phases_page_shows_figures_bars_and_history(family, alice, alice_client, in_analysis):
    ContactFactory(family=family, author=alice, date=today(), minutes=90)
    response = alice_client.get(url("family_phases", family))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Analysefase" in html
    assert "dag 11 van gepland 42" in html
    assert "1,5 uur gebruikt van een budget van 24,0–36,0 uur" in html
    assert html.count("<svg") == 4  # budget, 2 weeks, 4 weeks, history row
    assert "<title>" in html and "<desc>1,5 / 24,0–36,0: onder het budget</desc>" in html
    assert "Overgang voorstellen" in html and "Fase terugzetten" in html


def test_family_overview_panel_with_fixed_queries(
    family, alice, alice_client, in_analysis, django_assert_max_num_queries
):
    for days in range(3):
        ContactFactory(family=family, author=alice, date=today() - datetime.timedelta(days=days))
    response = alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    html = response.content.decode()
    assert "Fase en uren" in html
    assert "3,0 uur gebruikt" in html
    assert 'role="img"' in html
    # More history does not add queries to the panel.
    from phases.panels import family_panel

    request = response.wsgi_request
    access = family_access_for(alice, family)
    with django_assert_max_num_queries(3):
        family_panel(request, access)


def test_panel_flags_overdue_and_over_budget(family, alice, alice_client):
    open_phase(family, kind="start", started_on=today() - datetime.timedelta(days=20))
    for days in range(11):
        ContactFactory(
            family=family, author=alice, date=today() - datetime.timedelta(days=days), minutes=120
        )
    html = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "Over budget" in html
    assert "Over de geplande einddatum" in html


def test_outsider_gets_404_everywhere(family, alice, charlie_client, in_analysis):
    assert charlie_client.get(url("family_phases", family)).status_code == 404
    pending = Transition.objects.create(
        family=family,
        from_step="analysis",
        to_step="execution",
        effective_on=today(),
        proposed_by=alice,
    )
    decide = url("transition_decide", family, pending.pk)
    assert charlie_client.post(decide, {"decision": "approve"}).status_code == 404
    assert Transition.objects.get().status == TransitionStatus.PENDING
    for name in ("transition_propose", "step_back", "extra_hours", "trajectory_start"):
        assert charlie_client.post(url(name, family), {}).status_code == 404


def test_read_only_colleague_reads_but_gets_403_on_writes(family, bob_client, in_analysis):
    page = bob_client.get(url("family_phases", family))
    assert page.status_code == 200
    assert "Overgang voorstellen" not in page.content.decode()
    data = {"effective_on": today().isoformat(), "reason": "x", "hours": "2", "note": "x"}
    for name in ("transition_propose", "step_back", "extra_hours", "trajectory_start"):
        assert bob_client.post(url(name, family), data).status_code == 403
    assert Transition.objects.count() == 0
    pending = Transition.objects.create(
        family=family,
        from_step="analysis",
        to_step="execution",
        effective_on=today(),
        proposed_by=family.coach,
    )
    decide = url("transition_decide", family, pending.pk)
    assert bob_client.post(decide, {"decision": "approve"}).status_code == 403
    assert Transition.objects.get().status == TransitionStatus.PENDING
    Transition.objects.all().delete()
    assert ExtraHours.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["transition_propose", "step_back", "extra_hours", "trajectory_start"]
)
def test_writes_need_post(family, alice_client, name):
    assert alice_client.get(url(name, family)).status_code == 405


# --- start, propose, approve, step back ----------------------------------------------------


def test_coach_starts_a_trajectory(family, alice_client):
    response = alice_client.post(
        url("trajectory_start", family), {"started_on": today().isoformat()}
    )
    assert response.status_code == 302
    assert PhaseEpisode.objects.open().get(family=family).kind == "start"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Dit veld is verplicht"),
        ("gisteren", "Voer een geldige datum in"),
        ((datetime.date.today() + datetime.timedelta(days=3)).isoformat(), "toekomst"),
        ("2000-01-01", "vóór het begin"),
    ],
)
def test_bad_start_date_saves_nothing(family, alice_client, value, message):
    response = alice_client.post(url("trajectory_start", family), {"started_on": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PhaseEpisode.objects.exists()


def test_coach_proposes_and_psychologist_approves(
    family, alice, alice_client, psychologist_client, in_analysis
):
    response = alice_client.post(
        url("transition_propose", family),
        {"effective_on": today().isoformat(), "note": "Analyse rond"},
    )
    assert response.status_code == 302
    transition = Transition.objects.get()
    assert (transition.status, transition.proposed_by) == (TransitionStatus.PENDING, alice)
    # The coach cannot approve her own proposal.
    decide = url("transition_decide", family, transition.pk)
    assert alice_client.post(decide, {"decision": "approve"}).status_code == 403
    page = psychologist_client.get(url("family_phases", family)).content.decode()
    assert "Akkoord gevraagd" in page
    assert psychologist_client.post(decide, {"decision": "approve"}).status_code == 302
    assert PhaseEpisode.objects.open().get(family=family).kind == "execution"


def test_decide_refuses_bad_input_and_foreign_transitions(
    family, team, alice, alice_client, psychologist_client, in_analysis
):
    alice_client.post(url("transition_propose", family), {"effective_on": today().isoformat()})
    transition = Transition.objects.get()
    decide = url("transition_decide", family, transition.pk)
    response = psychologist_client.post(decide, {"decision": "maybe"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert Transition.objects.get().status == TransitionStatus.PENDING
    other = FamilyFactory(team=team, coach=alice)
    assert (
        psychologist_client.post(
            url("transition_decide", other, transition.pk), {"decision": "approve"}
        ).status_code
        == 404
    )
    assert psychologist_client.get(decide).status_code == 405


def test_coordinator_may_not_propose(family, coordinator_client, in_analysis):
    response = coordinator_client.post(
        url("transition_propose", family), {"effective_on": today().isoformat()}
    )
    assert response.status_code == 403
    assert not Transition.objects.exists()


def test_proposal_before_phase_start_saves_nothing(family, alice_client, in_analysis):
    response = alice_client.post(
        url("transition_propose", family),
        {"effective_on": (in_analysis.started_on - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert "vóór het begin" in response.content.decode()
    assert not Transition.objects.exists()


def test_second_proposal_while_one_waits_is_refused(family, alice_client, in_analysis):
    data = {"effective_on": today().isoformat()}
    alice_client.post(url("transition_propose", family), data)
    response = alice_client.post(url("transition_propose", family), data)
    assert response.status_code == 200
    assert "wacht al een faseovergang" in response.content.decode()
    assert Transition.objects.count() == 1


def test_team_without_approval_moves_at_once(family, team, alice_client, in_analysis):
    TeamPhaseSettings.objects.create(team=team, approval_required=False)
    alice_client.post(url("transition_propose", family), {"effective_on": today().isoformat()})
    assert Transition.objects.get().status == TransitionStatus.APPLIED
    assert PhaseEpisode.objects.open().get(family=family).kind == "execution"


def test_step_back_with_reason(family, alice, alice_client, in_analysis):
    response = alice_client.post(
        url("step_back", family), {"effective_on": today().isoformat(), "reason": "Terugval"}
    )
    assert response.status_code == 302
    transition = Transition.objects.get()
    assert transition.is_step_back and transition.note == "Terugval"
    assert transition.proposed_by == alice
    assert PhaseEpisode.objects.open().get(family=family).kind == "start"


def test_step_back_without_reason_saves_nothing(family, alice_client, in_analysis):
    response = alice_client.post(
        url("step_back", family), {"effective_on": today().isoformat(), "reason": "   "}
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Transition.objects.exists()
    assert PhaseEpisode.objects.open().get(family=family).kind == "analysis"


# --- extra hours ---------------------------------------------------------------------------


def test_extra_hours_are_added_and_shown(family, alice, psychologist_client, in_analysis):
    response = psychologist_client.post(
        url("extra_hours", family), {"hours": "6", "reason": "Terugval na uithuisplaatsing"}
    )
    assert response.status_code == 302
    extra = ExtraHours.objects.get()
    assert extra.hours == Decimal(6) and extra.episode == in_analysis
    page = psychologist_client.get(url("family_phases", family)).content.decode()
    assert "Terugval na uithuisplaatsing" in page
    assert "30,0–42,0 uur" in page  # 24–36 plus 6 relapse hours


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-3", "Minimaal 0,5 uur"),
        ("0", "Minimaal 0,5 uur"),
        ("5000", "Maximaal 100 uur"),
        ("veel", "Voer een getal in"),
        ("", "Dit veld is verplicht"),
    ],
)
def test_bad_extra_hours_save_nothing(family, alice_client, in_analysis, hours, message):
    response = alice_client.post(url("extra_hours", family), {"hours": hours, "reason": "x"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExtraHours.objects.exists()


def test_extra_hours_need_a_reason(family, alice_client, in_analysis):
    response = alice_client.post(url("extra_hours", family), {"hours": "4", "reason": ""})
    assert response.status_code == 200
    assert not ExtraHours.objects.exists()


# --- definitions page ----------------------------------------------------------------------


def _definition_data(team, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "team": str(team.pk),
        "approval_required": "on",
        "version": str(team_settings(team).version),
    }
    for kind, d in definitions_for(team).items():
        data.update(
            {
                f"{kind}-weeks_min": d.weeks_min,
                f"{kind}-weeks_max": d.weeks_max,
                f"{kind}-hours_min": d.hours_min,
                f"{kind}-hours_max": d.hours_max,
            }
        )
    data.update(overrides)
    return data


def test_coordinator_edits_definitions(team, coordinator_client):
    page = coordinator_client.get(reverse("phases:definitions"))
    assert page.status_code == 200
    assert "geldt voor fasen die daarna starten" in page.content.decode()
    data = _definition_data(team, **{"analysis-weeks_max": "8"})
    del data["approval_required"]
    response = coordinator_client.post(reverse("phases:definitions"), data)
    assert response.status_code == 302
    assert PhaseDefinition.objects.get(team=team, kind="analysis").weeks_max == 8
    assert TeamPhaseSettings.objects.get(team=team).approval_required is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start-weeks_max", "1", "kleiner dan het minimum"),
        ("start-hours_min", "-1", "Minimaal 0"),
        ("execution-weeks_max", "900", "Maximaal 104"),
        ("closing-hours_max", "abc", "Voer een getal in"),
    ],
)
def test_bad_definitions_save_nothing(team, coordinator_client, field, value, message):
    response = coordinator_client.post(
        reverse("phases:definitions"), _definition_data(team, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    start = PhaseDefinition.objects.get(team=team, kind="start")
    assert (start.weeks_max, start.hours_min) == (2, Decimal(5))


def test_only_the_coordinator_edits_definitions(
    team, other_team, alice_client, psychologist_client, coordinator_client
):
    assert alice_client.get(reverse("phases:definitions")).status_code == 403
    assert psychologist_client.get(reverse("phases:definitions")).status_code == 403
    foreign = f"{reverse('phases:definitions')}?team={other_team.pk}"
    assert coordinator_client.get(foreign).status_code == 403
    assert coordinator_client.put(reverse("phases:definitions")).status_code == 405


# --- reminders -----------------------------------------------------------------------------


def _reminder(user, family, **kw):  # type: ignore[no-untyped-def]
    defaults = {"kind": "no_contact", "subject": f"family:{family.pk}", "due_on": today()}
    defaults.update(kw)
    return Reminder.objects.create(recipient=user, family=family, **defaults)


def test_reminder_list_count_and_mark_read(family, alice, bob, alice_client):
    mine = _reminder(alice, family)
    _reminder(alice, family, kind="phase_overdue", subject="episode:1")
    theirs = _reminder(bob, family)
    page = alice_client.get(reverse("phases:reminder_list")).content.decode()
    assert "Geen contact in 14 dagen" in page
    assert "2 ongelezen" in page
    response = alice_client.post(reverse("phases:reminder_read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "1 ongelezen" in alice_client.get(reverse("phases:reminder_list")).content.decode()
    # Someone else's reminder is not found; reading needs POST.
    assert alice_client.post(reverse("phases:reminder_read", args=[theirs.pk])).status_code == 404
    assert alice_client.get(reverse("phases:reminder_read", args=[mine.pk])).status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None
    alice_client.post(reverse("phases:reminder_read_all"))
    assert not Reminder.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Reminder.objects.filter(recipient=bob, read_at__isnull=True).exists()


def test_unread_count_is_one_query(family, alice, alice_client, django_assert_num_queries):
    from django.test import RequestFactory

    from phases.context_processors import notifications

    _reminder(alice, family)
    request = RequestFactory().get("/")
    request.user = alice
    context = notifications(request)
    with django_assert_num_queries(1):
        assert str(context["unread_reminders"]) == "1"


def test_psychologist_proposal_is_applied_at_once(family, psychologist, psychologist_client):
    open_phase(family, kind="execution", started_on=today() - datetime.timedelta(days=100))
    response = psychologist_client.post(
        url("transition_propose", family), {"effective_on": today().isoformat()}
    )
    assert response.status_code == 302
    transition = Transition.objects.get()
    assert transition.status == TransitionStatus.APPLIED
    assert transition.decided_by == psychologist
    assert PhaseEpisode.objects.open().get(family=family).kind == "closing"


def test_coordinator_may_not_step_back_or_add_hours(family, coordinator_client, in_analysis):
    data = {"effective_on": today().isoformat(), "reason": "Terugval", "hours": "2"}
    assert coordinator_client.post(url("step_back", family), data).status_code == 403
    assert coordinator_client.post(url("extra_hours", family), data).status_code == 403
    assert not Transition.objects.exists() and not ExtraHours.objects.exists()


def test_bar_escapes_its_text():
    from phases.charts import range_bar_svg

    svg = range_bar_svg(
        value=Decimal(3), low=Decimal(1), high=Decimal(2), title="<script>x</script>"
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'fill="#b02a37"' in svg  # over budget is drawn red
