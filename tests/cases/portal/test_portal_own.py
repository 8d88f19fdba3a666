"""What the family does itself in the portal: a reaction to a goal, its own statement, a
request for a copy of the file (with the age rules), and the coordinator's answer."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AccessLog,
    AccessOutcome,
    ClientStatement,
    CopyRequest,
    CopyRequestStatus,
    CopyScope,
    FamilyRole,
    GoalReaction,
    Notification,
    NotificationKind,
)
from cases.plan import services as plan_services
from cases.portal import own_services
from cases.records.services import family_records
from tests.cases.plan_factories import GoalFactory, PlanFactory, sign_off
from tests.cases.portal.helpers import parent_of, portal_account, portal_client
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

PAGES = ("portal:goals", "portal:statement", "portal:copy_request")


def _fixed_plan(family, alice, psychologist, **goal):  # type: ignore[no-untyped-def]
    plan = PlanFactory(family=family, created_by=alice)
    goal = GoalFactory(plan=plan, **goal)
    plan = sign_off(plan, approver=psychologist)
    plan_services.plan_fix(plan=plan, by=alice, version=plan.version)
    goal.refresh_from_db()
    return plan, goal


def _born(today: datetime.date, years: int, days: int = 0) -> datetime.date:
    return today.replace(year=today.year - years) + datetime.timedelta(days=days)


# --- The copy rule at its boundaries ---------------------------------------------------


TODAY = datetime.date(2026, 6, 15)


def _members(family, child_born):  # type: ignore[no-untyped-def]
    parent = parent_of(family)
    child = MemberFactory(
        family=family, name="Kind", role=FamilyRole.CHILD, date_of_birth=child_born
    )
    return parent, child, list(family.members.all())


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        # The day before the 12th birthday: under 12, the parent receives it all.
        (_born(TODAY, 12, days=1), "in"),
        # The 12th birthday itself: only with the child's consent.
        (_born(TODAY, 12), "consent"),
        # The day before the 16th birthday: still 15.
        (_born(TODAY, 16, days=1), "consent"),
        # The 16th birthday: the young person decides alone; left out of the parent's copy.
        (_born(TODAY, 16), "out"),
        (None, "in"),  # no known birth date: as under 12
    ],
)
def test_a_parent_with_gezag_receives_the_file_by_the_childs_age(family, born, expected):  # type: ignore[no-untyped-def]
    parent, child, members = _members(family, born)
    rule = own_services.copy_rule(parent, TODAY, members=members)
    assert rule.may_ask and rule.scope == CopyScope.FILE
    state = (
        "out" if child in rule.left_out else "consent" if child in rule.with_consent_of else "in"
    )
    assert state == expected


@pytest.mark.parametrize(
    ("born", "may_ask", "with_parent"),
    [
        (_born(TODAY, 12, days=1), False, False),  # 11: a parent asks
        (_born(TODAY, 12), True, True),  # 12 on the day: asks, with a parent
        (_born(TODAY, 16, days=1), True, True),  # 15
        (_born(TODAY, 16), True, False),  # 16 on the day: asks alone
        (None, False, False),
    ],
)
def test_a_young_person_receives_what_concerns_them(family, born, may_ask, with_parent):  # type: ignore[no-untyped-def]
    _parent, child, members = _members(family, born)
    rule = own_services.copy_rule(child, TODAY, members=members)
    assert rule.may_ask is may_ask
    assert rule.scope == (CopyScope.OWN if may_ask else None)
    assert rule.with_parent is with_parent
    assert rule.left_out == [] and rule.with_consent_of == []


def test_an_adult_without_gezag_receives_what_concerns_them(family):  # type: ignore[no-untyped-def]
    father = MemberFactory(family=family, role="father", date_of_birth=None)
    rule = own_services.copy_rule(father, TODAY, members=list(family.members.all()))
    assert rule.scope == CopyScope.OWN


def test_the_page_says_what_the_parent_receives(family, parent_client):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    family.members.filter(name="Noah Jansen").update(date_of_birth=_born(today, 8))
    MemberFactory(family=family, name="Lisa Jansen", date_of_birth=_born(today, 17))
    MemberFactory(family=family, name="Sem Jansen", date_of_birth=_born(today, 13))
    page = parent_client.get(reverse("portal:copy_request")).content.decode()
    assert "U krijgt een afschrift van het dossier van uw gezin." in page
    assert "Wat alleen over Lisa Jansen gaat, zit er niet in." in page
    assert "Wat over Sem Jansen gaat, zit er alleen in als Sem Jansen het goed vindt." in page
    assert "Noah" not in page.split("Wat krijgt u?")[1].split("</section>")[0]


# --- Pages: the member, another family, staff -----------------------------------------


def test_every_page_answers_the_member_and_nobody_else(  # type: ignore[no-untyped-def]
    family, alice, team, parent_client, alice_client
):
    for name in PAGES:
        assert parent_client.get(reverse(name)).status_code == 200, name
        assert alice_client.get(reverse(name)).status_code == 404, name
    other = FamilyFactory(team=team, coach=alice)
    other_client = portal_client(
        portal_account(MemberFactory(family=other, has_parental_authority=True), alice)
    )
    for name in PAGES:
        assert other_client.get(reverse(name)).status_code == 200


def test_the_goals_page_shows_the_goals_and_takes_a_reaction(  # type: ignore[no-untyped-def]
    family, alice, psychologist, parent_account, parent_client, alice_client
):
    _plan, goal = _fixed_plan(
        family, alice, psychologist, text="Samen rustig ontbijten", progress=40
    )
    page = parent_client.get(reverse("portal:goals")).content.decode()
    assert "Samen rustig ontbijten" in page
    assert "40% gedaan" in page
    response = parent_client.post(
        reverse("portal:goal_react", args=[goal.pk]),
        {f"doel-{goal.pk}-text": "Het lukt bijna elke dag."},
    )
    assert response.status_code == 302
    reaction = GoalReaction.objects.get()
    assert (reaction.goal, reaction.member, reaction.text) == (
        goal,
        parent_account.member,
        "Het lukt bijna elke dag.",
    )
    page = parent_client.get(reverse("portal:goals")).content.decode()
    assert "Het lukt bijna elke dag." in page
    # The coach is told, with ids only.
    notification = Notification.objects.get(recipient=alice)
    assert notification.kind == NotificationKind.GOAL_REACTION
    assert notification.family == family
    # The coach sees it with the goal on the plan page, with who.
    plan_page = alice_client.get(reverse("cases:plan_detail", args=[family.pk])).content.decode()
    assert "Het lukt bijna elke dag." in plan_page
    assert "Reactie van Naomi Jansen" in plan_page
    labels = list(AccessLog.objects.values_list("object", flat=True))
    assert (
        f"gezinsportaal: reactie op doel {goal.pk}, namens gezinslid {parent_account.member_id}"
        in labels
    )


def test_a_draft_before_the_family_has_its_goals_on_the_page(family, alice, parent_client):  # type: ignore[no-untyped-def]
    plan = PlanFactory(family=family, created_by=alice)
    goal = GoalFactory(plan=plan, text="Een doel in wording")
    assert "Een doel in wording" not in parent_client.get(reverse("portal:goals")).content.decode()
    assert (
        parent_client.post(
            reverse("portal:goal_react", args=[goal.pk]), {f"doel-{goal.pk}-text": "x"}
        ).status_code
        == 404
    )
    plan_services.plan_review_request(plan=plan, by=alice)
    # Asked for review is not yet before the family: the coach shares it on purpose.
    assert "Een doel in wording" not in parent_client.get(reverse("portal:goals")).content.decode()
    plan_services.plan_share(plan=plan, by=alice)
    assert "Een doel in wording" in parent_client.get(reverse("portal:goals")).content.decode()


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("   ", "Schrijf eerst uw reactie. Er is niets opgeslagen."),
        ("a" * 2001, "hier passen niet meer dan 2.000 tekens in"),
    ],
)
def test_a_bad_reaction_saves_nothing(  # type: ignore[no-untyped-def]
    family, alice, psychologist, parent_client, text, sentence
):
    _plan, goal = _fixed_plan(family, alice, psychologist)
    response = parent_client.post(
        reverse("portal:goal_react", args=[goal.pk]), {f"doel-{goal.pk}-text": text}
    )
    assert response.status_code == 200
    assert sentence in response.content.decode()
    assert not GoalReaction.objects.exists()
    assert not Notification.objects.exists()
    if text.strip():
        # Nothing typed is lost: the whole text comes back.
        assert text in response.content.decode()


def test_no_reaction_to_another_familys_goal(family, alice, psychologist, team):  # type: ignore[no-untyped-def]
    _plan, goal = _fixed_plan(family, alice, psychologist)
    other = FamilyFactory(team=team, coach=alice)
    client = portal_client(
        portal_account(MemberFactory(family=other, has_parental_authority=True), alice)
    )
    response = client.post(
        reverse("portal:goal_react", args=[goal.pk]), {f"doel-{goal.pk}-text": "Van ons"}
    )
    assert response.status_code == 404
    assert not GoalReaction.objects.exists()
    assert "Van ons" not in client.get(reverse("portal:goals")).content.decode()


def test_staff_cannot_react(family, alice, psychologist, alice_client):  # type: ignore[no-untyped-def]
    _plan, goal = _fixed_plan(family, alice, psychologist)
    response = alice_client.post(
        reverse("portal:goal_react", args=[goal.pk]), {f"doel-{goal.pk}-text": "Coach"}
    )
    assert response.status_code == 404
    assert not GoalReaction.objects.exists()


def test_the_family_adds_its_own_statement(  # type: ignore[no-untyped-def]
    family, alice, parent_account, parent_client, coordinator_client
):
    response = parent_client.post(
        reverse("portal:statement"), {"text": "Dat klopt niet, ik had geen vervoer."}
    )
    assert response.status_code == 302
    statement = ClientStatement.objects.get()
    assert statement.member == parent_account.member
    assert statement.given_by == "Naomi Jansen"
    assert statement.recorded_by == parent_account.user
    assert statement.family == family
    assert Notification.objects.get(recipient=alice).kind == NotificationKind.STATEMENT
    assert "ik had geen vervoer" in parent_client.get(reverse("portal:statement")).content.decode()
    records = coordinator_client.get(reverse("cases:records", args=[family.pk])).content.decode()
    assert "ik had geen vervoer" in records
    assert "door het gezin, via het portaal" in records


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "Schrijf eerst uw verklaring. Er is niets opgeslagen."),
        ("b" * 10_001, "hier passen niet meer dan 10.000 tekens in"),
    ],
)
def test_a_bad_statement_saves_nothing(family, parent_client, text, sentence):  # type: ignore[no-untyped-def]
    response = parent_client.post(reverse("portal:statement"), {"text": text})
    assert response.status_code == 200
    assert sentence in response.content.decode()
    assert not ClientStatement.objects.exists()


# --- Copy requests ---------------------------------------------------------------------


def test_the_family_asks_for_a_copy_and_the_coordinator_provides_it(  # type: ignore[no-untyped-def]
    family,
    coordinator,
    parent_account,
    parent_client,
    coordinator_client,
    django_capture_on_commit_callbacks,
):
    coordinator.email = "coord@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert parent_client.post(reverse("portal:copy_request")).status_code == 302
    copy_request = CopyRequest.objects.get()
    assert copy_request.member == parent_account.member
    assert copy_request.scope == CopyScope.FILE
    assert copy_request.status == CopyRequestStatus.REQUESTED
    # One e-mail to the team's coordinator: the case number, no names.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coord@example.org"]
    assert family.case_number in message.subject + message.body
    for name in ("Naomi", "Jansen", "Noah"):
        assert name not in message.subject + message.body
    # Asking again while one is open makes no second request.
    parent_client.post(reverse("portal:copy_request"))
    assert CopyRequest.objects.count() == 1
    page = parent_client.get(reverse("portal:copy_request")).content.decode()
    assert "U heeft al om een afschrift gevraagd." in page
    # The coordinator sees it on the records page and provides it.
    records = coordinator_client.get(reverse("cases:records", args=[family.pk])).content.decode()
    assert "Verzoeken om afschrift" in records
    url = reverse("cases:copy_request_provide", args=[family.pk, copy_request.pk])
    assert url in records
    assert coordinator_client.post(url).status_code == 302
    copy_request.refresh_from_db()
    assert copy_request.status == CopyRequestStatus.PROVIDED
    assert copy_request.handled_by == coordinator
    assert copy_request.handled_at is not None
    # Handled once: a second click finds no open request.
    assert coordinator_client.post(url).status_code == 404
    labels = set(AccessLog.objects.values_list("object", flat=True))
    assert f"verzoek om afschrift {copy_request.pk} gegeven" in labels
    assert (
        f"gezinsportaal: afschrift van het dossier, namens gezinslid {parent_account.member_id}"
        in labels
    )
    # The request is in the inzage export.
    assert copy_request in family_records(family)


def test_a_refusal_needs_a_reason_which_the_family_reads(  # type: ignore[no-untyped-def]
    family, parent_account, parent_client, coordinator_client
):
    copy_request = own_services.copy_request_add(member=parent_account.member)
    url = reverse("cases:copy_request_refuse", args=[family.pk, copy_request.pk])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Schrijf de reden op" in response.content.decode()
    copy_request.refresh_from_db()
    assert copy_request.is_open
    assert (
        coordinator_client.post(url, {"reason": "U kreeg het vorige week al."}).status_code == 302
    )
    copy_request.refresh_from_db()
    assert copy_request.status == CopyRequestStatus.REFUSED
    page = parent_client.get(reverse("portal:copy_request")).content.decode()
    assert "U kreeg het vorige week al." in page
    assert "Geweigerd" in page


def test_only_the_coordinator_handles_a_request(  # type: ignore[no-untyped-def]
    family, parent_account, alice_client, charlie_client
):
    copy_request = own_services.copy_request_add(member=parent_account.member)
    url = reverse("cases:copy_request_provide", args=[family.pk, copy_request.pk])
    assert alice_client.post(url).status_code == 403
    assert charlie_client.post(url).status_code == 404
    copy_request.refresh_from_db()
    assert copy_request.is_open
    rows = AccessLog.objects.filter(object=f"verzoek om afschrift {copy_request.pk} gegeven")
    assert set(rows.values_list("outcome", flat=True)) == {AccessOutcome.DENIED}


def test_a_child_under_12_cannot_ask(family, alice):  # type: ignore[no-untyped-def]
    child = MemberFactory(
        family=family,
        date_of_birth=_born(timezone.localdate(), 12, days=1),
        has_parental_authority=True,
    )
    # A member with gezag may have an account; a child under 12 still does not ask.
    client = portal_client(portal_account(child, alice))
    page = client.get(reverse("portal:copy_request")).content.decode()
    assert "Een ouder met gezag kan een afschrift van het dossier vragen." in page
    response = client.post(reverse("portal:copy_request"), follow=True)
    assert "U kunt zelf geen afschrift vragen." in response.content.decode()
    assert not CopyRequest.objects.exists()


def test_the_family_input_is_in_the_inzage_export(family, alice, psychologist, parent_account):  # type: ignore[no-untyped-def]
    _plan, goal = _fixed_plan(family, alice, psychologist)
    member, user = parent_account.member, parent_account.user
    reaction = own_services.goal_reaction_add(goal=goal, member=member, by=user, text="Ja")
    statement = own_services.portal_statement_add(member=member, by=user, text="Nee")
    copy_request = own_services.copy_request_add(member=member)
    records = family_records(family)
    for obj in (reaction, statement, copy_request):
        assert obj in records


def test_the_goals_page_shows_no_comment_or_note(family, alice, psychologist, parent_client):  # type: ignore[no-untyped-def]
    from cases.models import Comment
    from tests.factories import ContactFactory

    _plan, goal = _fixed_plan(family, alice, psychologist, text="Samen rustig ontbijten")
    Comment.objects.create(
        family=family, goal=goal, author=psychologist, text="GEHEIMDOELOPMERKING"
    )
    ContactFactory(family=family, author=alice, note="GEHEIMENOTITIE thuis")
    for name in PAGES:
        page = parent_client.get(reverse(name)).content.decode()
        assert "GEHEIMDOELOPMERKING" not in page
        assert "GEHEIMENOTITIE" not in page
    assert "Samen rustig ontbijten" in parent_client.get(reverse("portal:goals")).content.decode()
