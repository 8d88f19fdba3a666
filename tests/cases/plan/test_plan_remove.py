"""Deleting from a draft plan asks first, and what goes stays in its history to be put back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import AccessAction, AccessLog, AccessOutcome, PlanAction, PlanGoal
from cases.plan import services as plan_services
from tests.cases.plan_factories import ActionFactory, GoalFactory, PlanFactory, sign_off


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft(family, alice):  # type: ignore[no-untyped-def]
    return PlanFactory(family=family, number=1, created_by=alice)


def url(name, family, *args):  # type: ignore[no-untyped-def]
    return reverse(f"cases:{name}", args=[family.pk, *args])


def test_delete_asks_first_naming_the_goal(family, draft, alice_client):
    goal = GoalFactory(plan=draft, text="Elke dag naar school")
    page = alice_client.get(url("plan_detail", family)).content.decode()
    # The plan page links to the question; it holds no one-click delete form.
    assert url("goal_delete", family, goal.pk) in page
    assert f'action="{url("goal_delete", family, goal.pk)}"' not in page
    confirm = alice_client.get(url("goal_delete", family, goal.pk))
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Doel verwijderen uit dit concept?" in body and "Elke dag naar school" in body
    assert PlanGoal.objects.filter(pk=goal.pk).exists()  # asking removed nothing
    response = alice_client.post(url("goal_delete", family, goal.pk), {"version": goal.version})
    assert response.status_code == 302
    assert not PlanGoal.objects.filter(pk=goal.pk).exists()  # gone from the plan
    kept = PlanGoal.with_removed.get(pk=goal.pk)  # but kept in its history
    assert kept.removed_at is not None


def test_removed_goal_is_listed_and_put_back(family, draft, alice, alice_client):
    goal = GoalFactory(plan=draft, text="Elke dag naar school")
    action = ActionFactory(plan=draft, goal=goal, what="Oma brengt")
    alice_client.post(url("goal_delete", family, goal.pk), {"version": goal.version})
    page = alice_client.get(url("plan_detail", family)).content.decode()
    removed = page[page.index("Verwijderd uit dit concept") :]
    assert "Elke dag naar school" in removed and "Terugzetten" in removed
    assert url("goal_restore", family, goal.pk) in removed
    response = alice_client.post(url("goal_restore", family, goal.pk))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.removed_at is None and goal.removed_by is None
    assert list(draft.goals.all()) == [goal]
    action.refresh_from_db()
    assert action.goal == goal  # the action's link to it survived
    page = alice_client.get(url("plan_detail", family)).content.decode()
    assert "Verwijderd uit dit concept" not in page
    # Both steps went through the gate and are in the access log.
    rows = AccessLog.objects.filter(family_id_ref=family.pk, outcome=AccessOutcome.ALLOWED)
    assert rows.filter(action=AccessAction.DELETE, object=f"gezinsplan doel {goal.pk}").exists()
    assert rows.filter(
        action=AccessAction.CHANGE, object=f"gezinsplan doel {goal.pk} terugzetten"
    ).exists()


def test_removed_action_is_put_back(family, draft, alice_client):
    action = ActionFactory(plan=draft, what="Oma haalt op")
    confirm = alice_client.get(url("action_delete", family, action.pk)).content.decode()
    assert "Actie verwijderen uit dit concept?" in confirm and "Oma haalt op" in confirm
    alice_client.post(url("action_delete", family, action.pk), {"version": action.version})
    assert not PlanAction.objects.filter(pk=action.pk).exists()
    page = alice_client.get(url("plan_detail", family)).content.decode()
    assert "Oma haalt op" in page[page.index("Verwijderd uit dit concept") :]
    assert alice_client.post(url("action_restore", family, action.pk)).status_code == 302
    assert PlanAction.objects.filter(pk=action.pk).exists()


def test_removed_parts_leave_the_plan_pdf_copy_and_choices(
    family, draft, alice, psychologist, alice_client
):
    kept = GoalFactory(plan=draft, text="Blijft staan")
    gone = GoalFactory(plan=draft, text="Gaat eruit")
    plan_services.goal_delete(goal=gone, by=alice, version=gone.version)
    # Fixing and starting a new version copies only what is in the plan.
    draft = sign_off(draft, approver=psychologist)
    plan_services.plan_fix(plan=draft, by=alice, version=draft.version)
    new = plan_services.plan_start_draft(family=family, by=alice)
    assert [g.text for g in new.goals.all()] == [kept.text]
    # The fixed version keeps its history, without a way back.
    old = alice_client.get(url("plan_version", family, draft.number)).content.decode()
    assert "Gaat eruit" in old[old.index("Verwijderd voordat deze versie werd vastgesteld") :]
    assert url("goal_restore", family, gone.pk) not in old
    assert alice_client.post(url("goal_restore", family, gone.pk)).status_code == 404


def test_read_only_and_outsiders_cannot_remove_or_restore(
    family, draft, alice, bob_client, charlie_client
):
    goal = GoalFactory(plan=draft)
    gone = GoalFactory(plan=draft)
    plan_services.goal_delete(goal=gone, by=alice, version=gone.version)
    assert bob_client.get(url("goal_delete", family, goal.pk)).status_code == 403
    assert bob_client.post(url("goal_restore", family, gone.pk)).status_code == 403
    assert charlie_client.get(url("goal_delete", family, goal.pk)).status_code == 404
    assert charlie_client.post(url("goal_restore", family, gone.pk)).status_code == 404
    assert PlanGoal.objects.filter(pk=goal.pk).exists()
    assert not PlanGoal.objects.filter(pk=gone.pk).exists()


def test_restore_is_post_only_and_only_for_removed_parts(family, draft, alice_client):
    goal = GoalFactory(plan=draft)
    assert alice_client.get(url("goal_restore", family, goal.pk)).status_code == 405
    # A goal that was not removed has nothing to put back.
    assert alice_client.post(url("goal_restore", family, goal.pk)).status_code == 404


def test_a_stale_delete_removes_nothing(family, draft, alice_client):
    goal = GoalFactory(plan=draft)
    stale = goal.version
    plan_services.goal_update(goal=goal, version=stale, text="Intussen gewijzigd")
    response = alice_client.post(url("goal_delete", family, goal.pk), {"version": stale})
    assert response.status_code == 409
    assert PlanGoal.objects.filter(pk=goal.pk).exists()
