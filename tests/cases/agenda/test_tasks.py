"""Tasks: by hand, from a contact (one field), done/undone, Mijn taken, needs attention."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.agenda import services as agenda_services
from cases.models import AppointmentKind, Task, TaskSource
from cases.todo import services
from phases.models import Reminder, ReminderKind
from phases.reminders import reminders_run
from reports.caseload import caseload_rows
from tests.factories import ContactFactory, FamilyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def make_task(family, owner, *, days=3, **extra):  # type: ignore[no-untyped-def]
    return services.task_create(
        family=family,
        by=owner,
        title="school bellen",
        owner=owner,
        due_on=TODAY() + datetime.timedelta(days=days),
        **extra,
    )


def test_coach_adds_a_task_by_hand(family, alice, alice_client):
    url = reverse("cases:task_create", args=[family.pk])
    assert alice_client.get(url).status_code == 200
    due = TODAY() + datetime.timedelta(days=5)
    response = alice_client.post(
        url, {"title": "Huisarts bellen", "owner": alice.pk, "due_on": due.isoformat()}
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.title, task.owner, task.due_on, task.source) == (
        "Huisarts bellen",
        alice,
        due,
        TaskSource.MANUAL,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Dit veld is verplicht."),
        ({"title": "x" * 201}, "title", "hier passen niet meer dan 200 tekens in"),
        ({"due_on": "2001-01-01"}, "due_on", "Een nieuwe taak kan niet in het verleden vallen."),
        ({"due_on": "morgen"}, "due_on", "Voer een geldige datum in."),
    ],
)
def test_bad_task_input_saves_nothing(family, alice, alice_client, overrides, field, message):
    data = {
        "title": "Huisarts bellen",
        "owner": alice.pk,
        "due_on": (TODAY() + datetime.timedelta(days=5)).isoformat(),
        **overrides,
    }
    response = alice_client.post(reverse("cases:task_create", args=[family.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Task.objects.exists()


def test_owner_must_be_able_to_change_the_file(family, alice, bob, charlie, alice_client):
    """Bob (a colleague who only reads) and Charlie (another team) cannot own the task."""
    for owner in (bob, charlie):
        response = alice_client.post(
            reverse("cases:task_create", args=[family.pk]),
            {"title": "x", "owner": owner.pk, "due_on": TODAY().isoformat()},
        )
        assert "owner" in response.context["form"].errors
    assert not Task.objects.exists()


def test_task_pages_access(family, alice, bob_client, charlie_client, client):
    task = make_task(family, alice)
    create = reverse("cases:task_create", args=[family.pk])
    toggle = reverse("cases:task_toggle", args=[family.pk, task.pk])
    assert bob_client.get(create).status_code == 403
    assert charlie_client.get(create).status_code == 404
    assert client.get(create).status_code == 302
    assert bob_client.post(toggle, {"done": "1"}).status_code == 403
    assert charlie_client.post(toggle, {"done": "1"}).status_code == 404
    assert client.post(toggle, {"done": "1"}).status_code == 302
    assert bob_client.get(toggle).status_code == 405
    task.refresh_from_db()
    assert task.done_at is None
    assert client.get(reverse("cases:task_list")).status_code == 302


def test_done_and_undone_keep_who_and_when(family, alice, alice_client):
    task = make_task(family, alice)
    toggle = reverse("cases:task_toggle", args=[family.pk, task.pk])
    alice_client.post(toggle, {"done": "1", "next": reverse("cases:task_list")})
    task.refresh_from_db()
    assert task.done_by == alice and task.done_at is not None
    first_done_at = task.done_at
    # A second tab ticking it again keeps the first who and when.
    alice_client.post(toggle, {"done": "1"})
    task.refresh_from_db()
    assert task.done_at == first_done_at
    alice_client.post(toggle, {"done": "0"})
    task.refresh_from_db()
    assert task.done_at is None and task.done_by is None


def test_toggle_refuses_an_outside_next(family, alice, alice_client):
    task = make_task(family, alice)
    response = alice_client.post(
        reverse("cases:task_toggle", args=[family.pk, task.pk]),
        {"done": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("cases:family_agenda", args=[family.pk])


def test_my_tasks_shows_only_my_own_overdue_first(family, alice, bob, alice_client):
    late = make_task(family, alice, days=3)
    Task.objects.filter(pk=late.pk).update(due_on=TODAY() - datetime.timedelta(days=2))
    soon = make_task(family, alice, days=1)
    other = FamilyFactory(team=family.team, coach=bob)
    make_task(other, bob)
    response = alice_client.get(reverse("cases:task_list"))
    assert [t.pk for t in response.context["open_tasks"]] == [late.pk, soon.pk]
    assert response.context["overdue_count"] == 1
    assert "1 taak is over tijd." in response.content.decode()


def test_follow_up_task_from_the_contact_form(family, alice, alice_client):
    url = reverse("cases:contact_create", args=[family.pk])
    assert "follow_up_task" in alice_client.get(url).context["form"].fields
    alice_client.post(
        url,
        {
            "date": TODAY().isoformat(),
            "minutes": 60,
            "kind": "home_visit",
            "follow_up_task": "Schoolarts bellen",
        },
    )
    task = Task.objects.get()
    assert task.source == TaskSource.CONTACT
    assert task.contact == family.contacts.get()
    assert task.owner == alice
    assert task.due_on == TODAY() + datetime.timedelta(days=7)
    # Correcting the contact offers no second task.
    edit = reverse("cases:contact_edit", args=[family.pk, task.contact.pk])
    assert "follow_up_task" not in alice_client.get(edit).context["form"].fields


def test_empty_follow_up_makes_no_task(family, alice_client):
    alice_client.post(
        reverse("cases:contact_create", args=[family.pk]),
        {"date": TODAY().isoformat(), "minutes": 60, "kind": "home_visit", "follow_up_task": " "},
    )
    assert family.contacts.count() == 1
    assert not Task.objects.exists()


def test_task_from_another_familys_contact_is_refused(family, alice):
    contact = ContactFactory(family=FamilyFactory(team=family.team), author=alice)
    with pytest.raises(ValueError):
        make_task(family, alice, contact=contact, source=TaskSource.CONTACT)


def test_overdue_tasks_need_attention(family, team, alice, alice_client):
    task = make_task(family, alice)
    ContactFactory(family=family, author=alice, date=TODAY())
    (row,) = caseload_rows(team, today=TODAY())
    assert not row.tasks_overdue
    Task.objects.filter(pk=task.pk).update(due_on=TODAY() - datetime.timedelta(days=1))
    (row,) = caseload_rows(team, today=TODAY())
    assert row.tasks_overdue and row.needs_attention and "tasks_overdue" in row.flags
    assert "1 taak over tijd" in alice_client.get(reverse("cases:caseload")).content.decode()
    services.task_set_done(task=task, by=alice, done=True)
    (row,) = caseload_rows(team, today=TODAY())
    assert not row.tasks_overdue


def test_missed_appointment_is_reminded_once_to_its_coach(family, alice, bob):
    appointment = agenda_services.appointment_create(
        family=family,
        by=alice,
        kind=AppointmentKind.HOME_VISIT,
        date=TODAY(),
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
        coach=bob,
    )
    assert not Reminder.objects.filter(kind=ReminderKind.APPOINTMENT_MISSED).exists()
    tomorrow = TODAY() + datetime.timedelta(days=1)
    reminders_run(today=tomorrow, send_email=False)
    reminders_run(today=tomorrow, send_email=False)
    reminder = Reminder.objects.get(kind=ReminderKind.APPOINTMENT_MISSED)
    assert reminder.recipient == bob
    assert reminder.subject == f"appointment:{appointment.pk}"


def test_follow_up_task_from_a_case_review(family, alice, psychologist, psychologist_client):
    from reports.models import CaseReview

    response = psychologist_client.post(
        reverse("reports:case_review_create", args=[family.pk]),
        {
            "date": TODAY().isoformat(),
            "participants": [psychologist.pk, alice.pk],
            "notes": "Besproken",
            "follow_up_task": "Veilig Thuis raadplegen",
        },
    )
    assert response.status_code == 302
    review = CaseReview.objects.get()
    task = Task.objects.get()
    assert (task.source, task.case_review_ref, task.owner) == (
        TaskSource.CASE_REVIEW,
        review.pk,
        alice,  # the family's coach, not the one who recorded the review
    )
