"""Comments on the file: who may add one, the author's notification, where it shows, the
inzage export, and that nothing of team A reaches team B."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.comments.services import comment_add
from cases.models import AccessLog, Comment, Notification, NotificationKind, Role
from cases.plan.services import goal_create, plan_start_draft
from cases.records.services import family_export_json, family_records, readable_sections
from tests.factories import ContactFactory, FamilyFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(family, alice):  # type: ignore[no-untyped-def]
    return ContactFactory(family=family, author=alice, note="Huisbezoek")


@pytest.fixture
def plan_and_goal(family, alice):  # type: ignore[no-untyped-def]
    plan = plan_start_draft(family=family, by=alice)
    goal = goal_create(
        plan=plan, domain="parenting", text="Vaste bedtijden", criterion="5 van 7 avonden"
    )
    return plan, goal


def test_a_read_only_colleague_comments_on_a_contact_and_the_author_is_notified(
    family, contact, alice, bob, bob_client
):
    url = reverse("cases:contact_comment", args=[family.pk, contact.pk])
    assert bob_client.get(url).status_code == 200
    response = bob_client.post(url, {"text": "Goed dat de school erbij was."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#contact-row-{contact.pk}")
    comment = Comment.objects.get()
    assert (comment.family, comment.contact, comment.author) == (family, contact, bob)
    assert comment.goal is None and comment.plan is None
    note = Notification.objects.get(recipient=alice)
    assert (note.kind, note.family, note.comment) == (NotificationKind.COMMENT, family, comment)
    # The access log has the comment as the creation it is, without the text.
    row = AccessLog.objects.filter(family_id_ref=family.pk).order_by("-pk").first()
    assert row.object == f"opmerking bij contact {contact.pk}" and row.action == "create"
    # Shown under the contact on the family page, with the author.
    page = bob_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "Goed dat de school erbij was." in page
    assert f"Opmerking van {bob.get_full_name() or bob.username}" in page


def test_psychologist_comments_on_a_goal_and_on_the_plan(
    family, plan_and_goal, alice, psychologist, psychologist_client
):
    plan, goal = plan_and_goal
    psychologist_client.post(
        reverse("cases:goal_comment", args=[family.pk, goal.pk]), {"text": "Meetbaar genoeg?"}
    )
    psychologist_client.post(
        reverse("cases:plan_comment", args=[family.pk, plan.pk]), {"text": "Netwerk eerst."}
    )
    assert Comment.objects.filter(goal=goal, author=psychologist).count() == 1
    assert Comment.objects.filter(plan=plan, author=psychologist).count() == 1
    # The author of a goal is who began the plan version.
    assert Notification.objects.filter(recipient=alice, kind=NotificationKind.COMMENT).count() == 2
    page = psychologist_client.get(reverse("cases:plan_detail", args=[family.pk]))
    body = page.content.decode()
    assert "Meetbaar genoeg?" in body and "Netwerk eerst." in body
    notes = psychologist_client.get(reverse("cases:notification_list"))
    assert notes.status_code == 200


def test_no_notification_for_a_comment_on_ones_own_contact(family, contact, alice):
    comment_add(family=family, by=alice, text="Aanvulling", contact=contact)
    assert Comment.objects.count() == 1
    assert not Notification.objects.exists()


def test_every_team_role_may_comment_and_another_team_gets_404(
    family, contact, coordinator, charlie_client
):
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    url = reverse("cases:contact_comment", args=[family.pk, contact.pk])
    assert client.post(url, {"text": "Van de coördinator"}).status_code == 302
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(url, {"text": "Van buiten"}).status_code == 404
    assert list(Comment.objects.values_list("text", flat=True)) == ["Van de coördinator"]


def test_a_contact_of_another_family_is_404_and_nothing_is_saved(family, team, alice, bob_client):
    other = FamilyFactory(team=team, coach=alice)
    foreign = ContactFactory(family=other, author=alice)
    url = reverse("cases:contact_comment", args=[family.pk, foreign.pk])
    assert bob_client.post(url, {"text": "Verkeerd gezin"}).status_code == 404
    assert not Comment.objects.exists()


def test_bad_input_is_refused_in_dutch_and_nothing_saved(family, contact, bob_client):
    url = reverse("cases:contact_comment", args=[family.pk, contact.pk])
    for text, message in (("", "Dit veld is verplicht."), ("x" * 4001, "niet meer dan 4.000")):
        response = bob_client.post(url, {"text": text})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_cannot_be_changed_or_removed_through_the_app(family, contact, bob_client):
    # Only the page that adds exists: no edit or delete URL is registered for comments.
    from tests.cases.test_permission_matrix import all_routes

    names = [r.name for r in all_routes() if "comment" in r.name]
    assert sorted(names) == ["cases:contact_comment", "cases:goal_comment", "cases:plan_comment"]


def test_exactly_one_target_is_enforced_by_the_database(family, contact, plan_and_goal, alice):
    plan, _goal = plan_and_goal
    for targets in ({}, {"contact": contact, "plan": plan}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(family=family, author=alice, text="x", **targets)


def test_comments_are_in_the_inzage_export_with_author_and_time(
    family, contact, plan_and_goal, alice, psychologist
):
    plan, goal = plan_and_goal
    comment_add(family=family, by=psychologist, text="Opmerking-bij-contact", contact=contact)
    comment_add(family=family, by=psychologist, text="Opmerking-bij-doel", goal=goal)
    comment_add(family=family, by=psychologist, text="Opmerking-bij-plan", plan=plan)
    data = json.loads(family_export_json(family, by=alice))
    rows = data["records"]["cases.Comment"]
    assert sorted(r["fields"]["text"] for r in rows) == [
        "Opmerking-bij-contact",
        "Opmerking-bij-doel",
        "Opmerking-bij-plan",
    ]
    assert all(r["fields"]["author"] == psychologist.pk and r["fields"]["created_at"] for r in rows)
    sections = readable_sections(family_records(family))
    section = next(s for s in sections if s["title"] == "Opmerkingen")
    fields = [dict(row["fields"]) for row in section["rows"]]
    assert {f["opmerking"] for f in fields} == {
        "Opmerking-bij-contact",
        "Opmerking-bij-doel",
        "Opmerking-bij-plan",
    }
    assert all(f["geschreven door"] and f["geschreven op"] != "–" for f in fields)


def test_no_comment_of_team_a_is_visible_to_team_b(family, contact, bob, other_team):
    comment_add(family=family, by=bob, text="Alleen-voor-team-A", contact=contact)
    b_coach = member_of(other_team, Role.COACH, username="b-coach2")
    b_family = FamilyFactory(team=other_team, coach=b_coach)
    from django.test import Client

    client = Client()
    client.force_login(b_coach)
    for url in (
        reverse("cases:family_detail", args=[b_family.pk]),
        reverse("cases:notification_list"),
        reverse("cases:contact_comment", args=[family.pk, contact.pk]),
    ):
        response = client.get(url)
        assert b"Alleen-voor-team-A" not in response.content
    json_b = family_export_json(b_family, by=b_coach)
    assert "Alleen-voor-team-A" not in json_b
