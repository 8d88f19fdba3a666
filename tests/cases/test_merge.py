"""Two tabs on one record: every edit form merges instead of overwriting (cases/conflicts.py).

Per edit form with a version: a stale save of a different field keeps both changes; a stale
save of the same field shows both values, saves nothing until the user has chosen, then
saves the choice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from cases.conflicts import post_data
from strengths.models import MemberAnalysis, TimelineEvent
from tests.cases.plan_factories import ActionFactory, GoalFactory, PlanFactory
from tests.factories import ContactFactory, MemberFactory
from tests.network.factories import (
    AgreementFactory,
    KrachtgezinFactory,
    MeetingFactory,
    NetworkMemberFactory,
)


@dataclass
class Case:
    """One edit form: how to make its record, its URL, a text field both tabs change
    (`same`) and another field the second tab changes (`other`, to `other_value`)."""

    make: Callable[[Any, Any], tuple[str, Any]]
    same: str
    other: str
    other_value: str


def _family(family, alice):  # type: ignore[no-untyped-def]
    return reverse("cases:family_edit", args=[family.pk]), family


def _member(family, alice):  # type: ignore[no-untyped-def]
    member = MemberFactory(family=family, name="Sem Jansen")
    return reverse("cases:member_edit", args=[family.pk, member.pk]), member


def _contact(family, alice):  # type: ignore[no-untyped-def]
    contact = ContactFactory(family=family, author=alice)
    return reverse("cases:contact_edit", args=[family.pk, contact.pk]), contact


def _draft(family, alice):  # type: ignore[no-untyped-def]
    return PlanFactory(family=family, created_by=alice)


def _plan(family, alice):  # type: ignore[no-untyped-def]
    return reverse("cases:plan_edit", args=[family.pk]), _draft(family, alice)


def _goal(family, alice):  # type: ignore[no-untyped-def]
    goal = GoalFactory(plan=_draft(family, alice), owner=family.members.first())
    return reverse("cases:goal_edit", args=[family.pk, goal.pk]), goal


def _action(family, alice):  # type: ignore[no-untyped-def]
    action = ActionFactory(plan=_draft(family, alice))
    return reverse("cases:action_edit", args=[family.pk, action.pk]), action


def _network_member(family, alice):  # type: ignore[no-untyped-def]
    member = NetworkMemberFactory(family=family, name="Oma Ria")
    return reverse("network:member_edit", args=[family.pk, member.pk]), member


def _agreement(family, alice):  # type: ignore[no-untyped-def]
    agreement = AgreementFactory(family=family)
    return reverse("network:agreement_edit", args=[family.pk, agreement.pk]), agreement


def _meeting(family, alice):  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(family=family, created_by=alice)
    meeting.family_members.set(family.members.all())
    return reverse("network:meeting_edit", args=[family.pk, meeting.pk]), meeting


def _krachtgezin(family, alice):  # type: ignore[no-untyped-def]
    krachtgezin = KrachtgezinFactory(supported_family=family)
    return reverse("network:krachtgezin_edit", args=[family.pk, krachtgezin.pk]), krachtgezin


def _krachtgezin_match(family, alice):  # type: ignore[no-untyped-def]
    match = KrachtgezinFactory(supported_family=family).matches.get()
    return reverse("network:krachtgezin_match_edit", args=[family.pk, match.krachtgezin_id]), match


def _analysis(family, alice):  # type: ignore[no-untyped-def]
    analysis = MemberAnalysis.objects.create(
        family=family,
        member=family.members.first(),
        recorded_by=alice,
        date="2026-01-15",
        filled_in_by="zelf",
        strengths="Kan goed tekenen",
        wishes="Een hond",
    )
    return reverse("strengths:analysis_edit", args=[family.pk, analysis.pk]), analysis


def _event(family, alice):  # type: ignore[no-untyped-def]
    event = TimelineEvent.objects.create(
        family=family, created_by=alice, precision="year", year=2019, kind="move", description="x"
    )
    return reverse("strengths:event_edit", args=[family.pk, event.pk]), event


CASES = {
    "family": Case(_family, "area", "referrer_detail", "huisarts Bijlmer"),
    "member": Case(_member, "name", "role", "father"),
    "contact": Case(_contact, "note", "minutes", "90"),
    "plan": Case(_plan, "central_question", "worries", "Geen geld voor de huur."),
    "goal": Case(_goal, "text", "criterion", "Tien weken op tijd"),
    "action": Case(_action, "what", "when", "elke vrijdag"),
    "network member": Case(_network_member, "relation", "note", "Belt elke zondag."),
    "agreement": Case(_agreement, "what", "frequency", "wekelijks"),
    "meeting": Case(_meeting, "outcomes", "other_participants", "juf Sanne"),
    "krachtgezin": Case(_krachtgezin, "registration", "phone", "020 123 4567"),
    "krachtgezin matching": Case(_krachtgezin_match, "intro_note", "goals", "Rust op woensdag"),
    "analysis": Case(_analysis, "strengths", "wishes", "Een fiets"),
    "event": Case(_event, "description", "kind", "school"),
}


def opened(client, url: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """What the edit page's form would send unchanged, as a browser tab holds it."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["version"].value() is not None and form["merge_base"].value()
    return {form.add_prefix(name): post_data(form[name]) for name in form.fields}


def resent(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """What the conflict page's form sends back."""
    return {key: list(values) for key, values in response.context["form"].data.lists()}


def stored(record, field: str) -> str:  # type: ignore[no-untyped-def]
    record.refresh_from_db()
    return str(getattr(record, field))


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request, family, alice):  # type: ignore[no-untyped-def]
    spec = CASES[request.param]
    url, record = spec.make(family, alice)
    return spec, url, record


def test_stale_save_of_another_field_keeps_both_changes(case, alice_client):  # type: ignore[no-untyped-def]
    spec, url, record = case
    tab_a, tab_b = opened(alice_client, url), opened(alice_client, url)
    tab_a[spec.same] = ["Veranderd in tab A"]
    assert alice_client.post(url, tab_a).status_code == 302
    tab_b[spec.other] = [spec.other_value]
    response = alice_client.post(url, tab_b, follow=True)
    assert response.redirect_chain, response.content.decode()[:2000]
    assert "zijn samengevoegd en opgeslagen" in response.content.decode()
    assert stored(record, spec.same) == "Veranderd in tab A"  # the other tab's change stays
    assert stored(record, spec.other) == spec.other_value  # and this one's is saved


def test_stale_save_of_the_same_field_asks_and_saves_the_choice(case, alice_client):  # type: ignore[no-untyped-def]
    spec, url, record = case
    tab_a, tab_b = opened(alice_client, url), opened(alice_client, url)
    tab_a[spec.same] = ["Tekst uit tab A"]
    assert alice_client.post(url, tab_a).status_code == 302
    tab_b[spec.same] = ["Tekst uit tab B"]
    tab_b[spec.other] = [spec.other_value]
    conflict = alice_client.post(url, tab_b)
    assert conflict.status_code == 409
    body = conflict.content.decode()
    assert "Tekst uit tab A" in body and "Tekst uit tab B" in body  # side by side
    assert "Zo staat het nu opgeslagen" in body
    assert f'name="merge_choice-{spec.same}"' in body
    assert stored(record, spec.same) == "Tekst uit tab A"  # nothing saved yet
    assert stored(record, spec.other) != spec.other_value

    # Saving without a choice saves nothing and says why.
    unchosen = alice_client.post(url, resent(conflict))
    assert unchosen.status_code == 200
    assert "welke waarde blijft" in unchosen.content.decode()
    assert stored(record, spec.same) == "Tekst uit tab A"

    chosen = {**resent(conflict), f"merge_choice-{spec.same}": ["yours"]}
    assert alice_client.post(url, chosen).status_code == 302
    assert stored(record, spec.same) == "Tekst uit tab B"
    assert stored(record, spec.other) == spec.other_value


def test_the_stored_value_or_a_combined_text_can_be_chosen(family, alice, alice_client):
    url, plan = _plan(family, alice)
    tab_a, tab_b = opened(alice_client, url), opened(alice_client, url)
    alice_client.post(url, {**tab_a, "worries": ["Zorgen van A"], "central_question": ["Vraag A"]})
    tab_b.update(worries=["Zorgen van B"], central_question=["Vraag B"])
    conflict = alice_client.post(url, tab_b)
    assert conflict.status_code == 409
    data = resent(conflict)
    data.update(
        {
            "merge_choice-central_question": ["theirs"],
            "merge_choice-worries": ["combined"],
            "merge_combined-worries": ["Zorgen van A en van B"],
        }
    )
    assert alice_client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.central_question == "Vraag A"
    assert plan.worries == "Zorgen van A en van B"


def test_an_empty_combined_text_is_refused(family, alice, alice_client):
    url, plan = _plan(family, alice)
    tab_a, tab_b = opened(alice_client, url), opened(alice_client, url)
    alice_client.post(url, {**tab_a, "worries": ["Zorgen van A"]})
    conflict = alice_client.post(url, {**tab_b, "worries": ["Zorgen van B"]})
    data = {**resent(conflict), "merge_choice-worries": ["combined"]}
    data["merge_combined-worries"] = [""]
    response = alice_client.post(url, data)
    assert response.status_code == 200
    assert "samengevoegde tekst" in response.content.decode()
    plan.refresh_from_db()
    assert plan.worries == "Zorgen van A"


def test_a_third_save_during_the_choice_is_merged_again(family, alice, alice_client):
    url, plan = _plan(family, alice)
    tab_a, tab_b, tab_c = (opened(alice_client, url) for _ in range(3))
    alice_client.post(url, {**tab_a, "worries": ["Zorgen van A"]})
    conflict = alice_client.post(url, {**tab_b, "worries": ["Zorgen van B"]})
    assert conflict.status_code == 409
    # Meanwhile a third tab, opened before both, changes another field.
    assert alice_client.post(url, {**tab_c, "if_it_goes_differently": ["Bel oma"]}).status_code
    plan.refresh_from_db()
    assert plan.if_it_goes_differently == "Bel oma" and plan.worries == "Zorgen van A"
    chosen = {**resent(conflict), "merge_choice-worries": ["yours"]}
    assert alice_client.post(url, chosen).status_code == 302
    plan.refresh_from_db()
    assert plan.worries == "Zorgen van B"
    assert plan.if_it_goes_differently == "Bel oma"  # not undone by the choice


def test_a_page_without_the_opened_values_asks_for_every_difference(family, alice, alice_client):
    """An old page (no merge_base) cannot tell whose change a field is: it asks."""
    url, plan = _plan(family, alice)
    tab = opened(alice_client, url)
    alice_client.post(url, {**tab, "worries": ["Zorgen van A"]})
    del tab["merge_base"]
    response = alice_client.post(url, {**tab, "central_question": ["Vraag B"]})
    assert response.status_code == 409
    assert {c.name for c in response.context["form"].merge_conflicts} == {
        "worries",
        "central_question",
    }
    plan.refresh_from_db()
    assert plan.worries == "Zorgen van A"


# The scoring page: seven domain forms and one sheet version.


@pytest.fixture
def scores_url(family, alice):  # type: ignore[no-untyped-def]
    from strengths.models import Moment
    from tests.strengths.conftest import make_sheet

    moment = Moment.objects.create(family=family, kind="start", date="2026-01-10", created_by=alice)
    make_sheet(moment, alice, severity=3)
    return reverse("strengths:scores", args=[family.pk, moment.pk, "joint"])


def opened_scores(client, url: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    data = {"version": post_data(response.context["sheet_form"]["version"])}
    for form in response.context["forms"]:
        data.update({form.add_prefix(name): post_data(form[name]) for name in form.fields})
    return data


def test_scores_stale_save_of_another_domain_keeps_both(scores_url, alice_client):
    from strengths.models import DomainScore

    tab_a, tab_b = opened_scores(alice_client, scores_url), opened_scores(alice_client, scores_url)
    assert alice_client.post(scores_url, {**tab_a, "child-severity": ["5"]}).status_code == 302
    response = alice_client.post(scores_url, {**tab_b, "parent-own_words": ["Moe maar sterk"]})
    assert response.status_code == 302
    assert DomainScore.objects.get(domain="child").severity == 5
    assert DomainScore.objects.get(domain="parent").own_words == "Moe maar sterk"


def test_scores_stale_save_of_the_same_field_asks(scores_url, alice_client):
    from strengths.models import DomainScore

    tab_a, tab_b = opened_scores(alice_client, scores_url), opened_scores(alice_client, scores_url)
    alice_client.post(scores_url, {**tab_a, "child-own_words": ["Woorden van A"]})
    conflict = alice_client.post(
        scores_url, {**tab_b, "child-own_words": ["Woorden van B"], "care-severity": ["4"]}
    )
    assert conflict.status_code == 409
    body = conflict.content.decode()
    assert "Woorden van A" in body and "Woorden van B" in body
    assert 'name="merge_choice-child-own_words"' in body
    assert DomainScore.objects.get(domain="child").own_words == "Woorden van A"
    assert DomainScore.objects.get(domain="care").severity == 3  # nothing saved yet
    data = {}
    for form in conflict.context["forms"]:
        data.update({k: list(v) for k, v in form.data.lists()})
    unchosen = alice_client.post(scores_url, data)
    assert unchosen.status_code == 200
    assert DomainScore.objects.get(domain="care").severity == 3
    data["merge_choice-child-own_words"] = ["yours"]
    assert alice_client.post(scores_url, data).status_code == 302
    assert DomainScore.objects.get(domain="child").own_words == "Woorden van B"
    assert DomainScore.objects.get(domain="care").severity == 4


# The team's phase definitions: four phases and the team's switch under one version.


def opened_definitions(client) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("phases:definitions"))
    form = response.context["settings_form"]
    data = {name: post_data(form[name]) for name in form.fields}
    data["team"] = [str(response.context["team"].pk)]
    for _definition, form in response.context["forms"]:
        data.update({form.add_prefix(name): post_data(form[name]) for name in form.fields})
    return data


def test_definitions_stale_save_merges_and_asks(team, coordinator_client):
    from phases.models import PhaseDefinition

    url = reverse("phases:definitions")
    tab_a, tab_b = opened_definitions(coordinator_client), opened_definitions(coordinator_client)
    assert coordinator_client.post(url, {**tab_a, "analysis-weeks_max": ["9"]}).status_code == 302
    # Another field: merged.
    response = coordinator_client.post(url, {**tab_b, "closing-weeks_max": ["7"]})
    assert response.status_code == 302
    definitions = {d.kind: d for d in PhaseDefinition.objects.filter(team=team)}
    assert definitions["analysis"].weeks_max == 9 and definitions["closing"].weeks_max == 7
    # The same field: asked, nothing saved until chosen.
    conflict = coordinator_client.post(url, {**tab_b, "analysis-weeks_max": ["10"]})
    assert conflict.status_code == 409
    assert 'name="merge_choice-analysis-weeks_max"' in conflict.content.decode()
    assert PhaseDefinition.objects.get(team=team, kind="analysis").weeks_max == 9
    data = {}
    for form in [conflict.context["settings_form"], *(f for _d, f in conflict.context["forms"])]:
        data.update({k: list(v) for k, v in form.data.lists()})
    data["merge_choice-analysis-weeks_max"] = ["yours"]
    assert coordinator_client.post(url, data).status_code == 302
    definitions = {d.kind: d for d in PhaseDefinition.objects.filter(team=team)}
    assert definitions["analysis"].weeks_max == 10 and definitions["closing"].weeks_max == 7
