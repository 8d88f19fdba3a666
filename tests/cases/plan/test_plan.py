from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cases.models import (
    ActionSource,
    FamilyPlan,
    PlanAction,
    PlanGoal,
    PlanStatus,
)
from cases.plan import services as plan_services
from tests.cases.plan_factories import ActionFactory, GoalFactory, PlanFactory
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    # The user factories hash passwords; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft(family, alice):  # type: ignore[no-untyped-def]
    return PlanFactory(family=family, number=1, created_by=alice)


def url(name, family, *args):  # type: ignore[no-untyped-def]
    return reverse(f"cases:{name}", args=[family.pk, *args])


def goal_data(family, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "domain": "child",
        "owner": family.members.first().pk,
        "text": "Ik wil elke dag naar school.",
        "criterion": "Vier weken geen verzuim.",
        "status": "in_progress",
        "progress": "30",
    }
    data.update(overrides)
    return data


def plan_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "central_question": "Hoe houden we het thuis rustig?",
        "worries": "Geldzorgen.",
        "safety_conditions": "Niet slaan; bij ruzie naar oma.",
        "if_it_goes_differently": "Buurvrouw vangt op.",
        "evaluation_1": "2030-03-01",
        "evaluation_2": "2030-01-15",
    }
    data.update(overrides)
    return data


# The page and its history


def test_plan_page_without_plan_offers_to_start(family, alice_client):
    response = alice_client.get(url("plan_detail", family))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gezinsplan beginnen" in body
    assert 'aria-current="page"' in body and "Gezinsplan</a>" in body


def test_start_plan_creates_a_draft(family, alice, alice_client):
    response = alice_client.post(url("plan_start", family))
    assert response.status_code == 302
    plan = FamilyPlan.objects.get(family=family)
    assert plan.number == 1 and plan.status == PlanStatus.DRAFT and plan.created_by == alice


def test_starting_twice_keeps_one_draft(family, alice_client):
    alice_client.post(url("plan_start", family))
    alice_client.post(url("plan_start", family))
    assert FamilyPlan.objects.filter(family=family).count() == 1


def test_plan_page_shows_sections_goals_and_actions_network_first(family, draft, alice_client):
    GoalFactory(plan=draft, text="Elke dag naar school")
    ActionFactory(plan=draft, source=ActionSource.PROFESSIONAL, who_name="huisarts", what="PRO")
    ActionFactory(plan=draft, source=ActionSource.NETWORK, who_name="oma Ria", what="NET")
    ActionFactory(plan=draft, source=ActionSource.FAMILY, member=family.members.first(), what="FAM")
    body = alice_client.get(url("plan_detail", family)).content.decode()
    assert "Elke dag naar school" in body
    assert "Hoe wordt het thuis rustiger?" in body
    assert body.index("FAM") < body.index("NET") < body.index("PRO")
    assert "Gezinsplan als PDF" in body
    assert "Versie vaststellen" in body


def test_plan_page_query_count_is_fixed(family, draft, alice_client, django_assert_max_num_queries):
    for _ in range(5):
        GoalFactory(plan=draft, owner=family.members.first())
        ActionFactory(plan=draft, source=ActionSource.FAMILY, member=family.members.first())
        # Parts removed from the draft are listed too, in two queries however many there are.
        plan_services.goal_delete(goal=GoalFactory(plan=draft), by=draft.created_by, version=1)
        plan_services.action_delete(
            action=ActionFactory(plan=draft, member=family.members.first()),
            by=draft.created_by,
            version=1,
        )
    # 24: the comments on the goals and on the version (cases.comments), the family's
    # reactions to the goals from its portal and the members who agreed (plan sign-off) are
    # a query each, however many goals there are.
    with django_assert_max_num_queries(24):
        alice_client.get(url("plan_detail", family))


def test_outsider_gets_404_everywhere(family, draft, charlie_client):
    goal = GoalFactory(plan=draft)
    action = ActionFactory(plan=draft)
    for name, args in [
        ("plan_detail", []),
        ("plan_edit", []),
        ("goal_create", []),
        ("goal_edit", [goal.pk]),
        ("action_create", []),
        ("action_edit", [action.pk]),
        ("plan_version", [draft.number]),
    ]:
        assert charlie_client.get(url(name, family, *args)).status_code == 404, name
    for name, args in [
        ("plan_start", []),
        ("plan_fix", []),
        ("plan_review", []),
        ("goal_delete", [goal.pk]),
        ("action_delete", [action.pk]),
    ]:
        assert charlie_client.post(url(name, family, *args)).status_code == 404, name


def test_read_only_colleague_reads_but_cannot_write(family, draft, bob_client):
    goal = GoalFactory(plan=draft)
    page = bob_client.get(url("plan_detail", family))
    assert page.status_code == 200
    assert "Versie vaststellen" not in page.content.decode()
    assert bob_client.get(url("plan_edit", family)).status_code == 403
    assert bob_client.post(url("goal_create", family), goal_data(family)).status_code == 403
    assert bob_client.post(url("goal_delete", family, goal.pk), {"version": 1}).status_code == 403
    assert bob_client.post(url("plan_fix", family), {"version": 1}).status_code == 403
    assert bob_client.post(url("plan_start", family)).status_code == 403
    assert PlanGoal.objects.count() == 1
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_wrong_methods_get_405(family, draft, alice_client):
    goal = GoalFactory(plan=draft)
    assert alice_client.put(url("plan_edit", family)).status_code == 405
    assert alice_client.post(url("plan_detail", family)).status_code == 405
    assert alice_client.get(url("plan_fix", family)).status_code == 405
    assert alice_client.get(url("plan_start", family)).status_code == 405
    assert alice_client.put(url("goal_delete", family, goal.pk)).status_code == 405
    assert alice_client.delete(url("goal_edit", family, goal.pk)).status_code == 405


# Editing the sections


def test_edit_plan_sections(family, draft, alice, alice_client):
    response = alice_client.post(url("plan_edit", family), plan_data(version=draft.version))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.central_question == "Hoe houden we het thuis rustig?"
    assert draft.evaluation_dates == ["2030-01-15", "2030-03-01"]
    assert draft.safety_set_by == alice
    assert draft.version == 2


def test_family_agreement_records_who_when_and_how(family, draft, alice_client):
    naomi = family.members.get(name="Naomi Jansen")
    response = alice_client.post(
        url("plan_agreement", family),
        {"members": [naomi.pk], "agreed_on": "2024-01-10", "agreed_how": "paper"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert list(draft.agreed_members.all()) == [naomi]
    assert str(draft.agreed_on) == "2024-01-10" and draft.agreed_how == "paper"
    page = alice_client.get(url("plan_detail", family)).content.decode()
    assert "Naomi Jansen; 10 januari 2024, op papier" in page


def test_edit_plan_bad_input_saves_nothing(family, draft, alice_client):
    response = alice_client.post(
        url("plan_edit", family),
        plan_data(version=draft.version, evaluation_1="morgen"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Voer een geldige datum in" in body
    draft.refresh_from_db()
    assert draft.central_question == "Hoe wordt het thuis rustiger?"
    assert draft.version == 1


def test_agreement_bad_input_saves_nothing(family, draft, alice_client):
    response = alice_client.post(
        url("plan_agreement", family), {"agreed_on": "2024-01-10", "agreed_how": "meeting"}
    )
    assert response.status_code == 200
    assert "Kies wie namens het gezin akkoord gaf" in response.content.decode()
    draft.refresh_from_db()
    assert draft.agreed_on is None and not draft.agreed_members.exists()


def test_agreement_member_of_another_family_is_refused(family, draft, alice_client):
    stranger = MemberFactory(
        family=FamilyFactory(team=family.team), name="Vreemde", has_parental_authority=True
    )
    response = alice_client.post(
        url("plan_agreement", family),
        {"members": [stranger.pk], "agreed_on": "2024-01-10", "agreed_how": "meeting"},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.agreed_members.exists()


def test_add_edit_delete_goal(family, draft, alice_client):
    response = alice_client.post(url("goal_create", family), goal_data(family))
    assert response.status_code == 302
    goal = PlanGoal.objects.get(plan=draft)
    assert goal.progress == 30 and goal.owner == family.members.first()
    response = alice_client.post(
        url("goal_edit", family, goal.pk), goal_data(family, progress="80", version=goal.version)
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.progress == 80
    response = alice_client.post(url("goal_delete", family, goal.pk), {"version": goal.version})
    assert response.status_code == 302
    assert not PlanGoal.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("progress", "101", "0 tot en met 100"),
        ("progress", "-5", "0 tot en met 100"),
        ("domain", "nonsense", "Selecteer een geldige keuze"),
        ("owner", "", "Dit veld is verplicht"),
        ("text", "", "Dit veld is verplicht"),
        ("criterion", "", "Dit veld is verplicht"),
    ],
)
def test_goal_bad_input_saves_nothing(family, draft, alice_client, field, value, message):
    response = alice_client.post(url("goal_create", family), goal_data(family, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanGoal.objects.exists()


def test_goal_owner_must_be_of_this_family(family, draft, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    response = alice_client.post(url("goal_create", family), goal_data(family, owner=stranger.pk))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not PlanGoal.objects.exists()


def test_add_actions_for_family_network_and_professional(family, draft, alice_client):
    member = family.members.first()
    base = {"what": "Iets doen", "when": "elke week", "status": "planned"}
    r1 = alice_client.post(
        url("action_create", family), {**base, "source": "family", "member": member.pk}
    )
    r2 = alice_client.post(
        url("action_create", family), {**base, "source": "network", "who_name": "buurvrouw"}
    )
    r3 = alice_client.post(
        url("action_create", family), {**base, "source": "professional", "who_name": "huisarts"}
    )
    assert [r.status_code for r in (r1, r2, r3)] == [302, 302, 302]
    who = [a.who for a in PlanAction.objects.in_plan_order()]
    assert who == [member.name, "buurvrouw", "huisarts"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": "family"}, "Kies wie uit het gezin deze actie doet"),
        ({"source": "network"}, "Vul in wie deze actie doet"),
        ({"source": "elsewhere", "who_name": "x"}, "Selecteer een geldige keuze"),
        ({"source": "network", "who_name": "oma", "what": ""}, "Dit veld is verplicht"),
    ],
)
def test_action_bad_input_saves_nothing(family, draft, alice_client, data, message):
    post = {"what": "Iets doen", "status": "planned", **data}
    response = alice_client.post(url("action_create", family), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanAction.objects.exists()


def test_edit_and_delete_action(family, draft, alice_client):
    action = ActionFactory(plan=draft)
    response = alice_client.post(
        url("action_edit", family, action.pk),
        {
            "source": "network",
            "who_name": "oom Rachid",
            "what": "Helpt met de post",
            "status": "in_progress",
            "version": action.version,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.who_name == "oom Rachid" and action.status == "in_progress"
    response = alice_client.post(
        url("action_delete", family, action.pk), {"version": action.version}
    )
    assert response.status_code == 302
    assert not PlanAction.objects.exists()


def test_goal_of_another_family_is_404(family, draft, alice_client, team, alice):
    other = FamilyFactory(team=team, coach=alice)
    other_goal = GoalFactory(plan=PlanFactory(family=other, number=1, created_by=alice))
    assert alice_client.get(url("goal_edit", family, other_goal.pk)).status_code == 404
    response = alice_client.post(url("goal_delete", family, other_goal.pk), {"version": 1})
    assert response.status_code == 404
    assert PlanGoal.objects.filter(pk=other_goal.pk).exists()


# Versions: fixing freezes for good, a new draft copies the last version


def test_fix_freezes_and_new_draft_copies(family, draft, alice, psychologist, alice_client):
    goal = GoalFactory(plan=draft, text="Elke dag naar school", owner=family.members.first())
    ActionFactory(plan=draft, goal=goal, who_name="oma Ria")
    plan_services.plan_review(plan=draft, by=psychologist)
    plan_services.plan_agree(
        plan=draft,
        members=[family.members.get(name="Naomi Jansen")],
        agreed_on=datetime.date(2024, 1, 10),
        agreed_how="meeting",
    )
    draft.refresh_from_db()
    response = alice_client.post(url("plan_fix", family), {"version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.FIXED
    assert draft.fixed_by == alice and draft.fixed_at is not None

    # Fixed for good: no more edits, through the pages or the services.
    assert alice_client.get(url("goal_edit", family, goal.pk)).status_code == 404
    with pytest.raises(plan_services.PlanFrozen):
        plan_services.goal_update(goal=goal, version=goal.version, text="anders")
    with pytest.raises(plan_services.PlanFrozen):
        plan_services.plan_update(plan=draft, by=alice, version=draft.version, worries="x")
    page = alice_client.get(url("plan_detail", family)).content.decode()
    assert "Nieuwe versie beginnen" in page
    assert "Versie vaststellen" not in page

    alice_client.post(url("plan_start", family))
    new = FamilyPlan.objects.get(family=family, status=PlanStatus.DRAFT)
    assert new.number == 2
    assert new.central_question == draft.central_question
    assert new.reviewed_by is None
    assert new.agreed_on is None and not new.agreed_members.exists()
    new_goal = new.goals.get()
    assert new_goal.text == "Elke dag naar school" and new_goal.pk != goal.pk
    new_action = new.actions.get()
    assert new_action.goal == new_goal and new_action.who_name == "oma Ria"

    # Editing the new draft leaves version 1 untouched.
    alice_client.post(
        url("goal_edit", family, new_goal.pk),
        goal_data(family, text="Nieuwe tekst", version=new_goal.version),
    )
    goal.refresh_from_db()
    assert goal.text == "Elke dag naar school"

    history = alice_client.get(url("plan_detail", family)).content.decode()
    assert "Versie 1" in history and "Versie 2" in history
    assert "vastgesteld door" in history
    old = alice_client.get(url("plan_version", family, 1)).content.decode()
    assert "Elke dag naar school" in old and "Vastgesteld door" in old


def test_review_records_who_and_when(family, draft, psychologist, psychologist_client):
    response = psychologist_client.post(url("plan_review", family))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.reviewed_by == psychologist and draft.reviewed_at is not None


# No lost edits


def test_concurrent_plan_edit_gets_conflict_and_keeps_input(family, draft, alice_client):
    stale = draft.version
    first = alice_client.post(
        url("plan_edit", family), plan_data(version=stale, central_question="Eerste opslag")
    )
    assert first.status_code == 302
    second = alice_client.post(
        url("plan_edit", family), plan_data(version=stale, central_question="Mijn eigen tekst")
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Iemand anders heeft dit deel van het gezinsplan intussen opgeslagen" in body
    assert "Mijn eigen tekst" in body  # what they typed stays in the form
    assert "Eerste opslag" in body  # and what is stored now is shown
    draft.refresh_from_db()
    assert draft.central_question == "Eerste opslag"  # nothing overwritten


def test_concurrent_goal_edit_gets_conflict(family, draft, alice_client):
    goal = GoalFactory(plan=draft, text="Oorspronkelijk")
    stale = goal.version
    edit = url("goal_edit", family, goal.pk)
    assert (
        alice_client.post(edit, goal_data(family, text="Eerste", version=stale)).status_code == 302
    )
    second = alice_client.post(edit, goal_data(family, text="Tweede tekst", version=stale))
    assert second.status_code == 409
    assert "Tweede tekst" in second.content.decode()
    goal.refresh_from_db()
    assert goal.text == "Eerste"
    # Deleting with the stale version deletes nothing either.
    response = alice_client.post(url("goal_delete", family, goal.pk), {"version": stale})
    assert response.status_code == 409
    assert PlanGoal.objects.filter(pk=goal.pk).exists()


def test_concurrent_action_edit_gets_conflict(family, draft, alice_client):
    action = ActionFactory(plan=draft, what="Oorspronkelijk")
    stale = action.version
    edit = url("action_edit", family, action.pk)
    data = {"source": "network", "who_name": "oma", "status": "planned", "version": stale}
    assert alice_client.post(edit, {**data, "what": "Eerste"}).status_code == 302
    second = alice_client.post(edit, {**data, "what": "Mijn actie"})
    assert second.status_code == 409
    assert "Mijn actie" in second.content.decode()
    action.refresh_from_db()
    assert action.what == "Eerste"


def test_fixing_a_version_someone_changed_is_refused(family, draft, alice_client):
    stale = draft.version
    alice_client.post(url("plan_edit", family), plan_data(version=stale))
    response = alice_client.post(url("plan_fix", family), {"version": stale})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_no_inline_scripts_or_handlers(family, draft, alice_client):
    GoalFactory(plan=draft)
    for page in (url("plan_detail", family), url("plan_edit", family), url("goal_create", family)):
        body = alice_client.get(page).content.decode()
        assert "<script>" not in body
        assert " onclick=" not in body and " onsubmit=" not in body
