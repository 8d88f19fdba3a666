"""Case reviews: the pages behind the access gate, validation, and the reminder when due."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import AccessLog, Family, FamilyStatus, Membership, Role
from phases.models import Reminder, ReminderKind
from phases.reminders import reminders_run
from reports.models import CaseReview
from tests.factories import FamilyFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(family: Family, part: str = "") -> str:
    return f"/families/{family.pk}/reports/{part}"


def _post(client, family, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "participants": [],
        "notes": "Moeder slaapt beter; de oudste gaat weer naar school.",
        "decisions": "Netwerkberaad plannen.",
        "next_review_on": (TODAY + datetime.timedelta(days=42)).isoformat(),
        **overrides,
    }
    return client.post(url(family, "reviews/new/"), data)


def test_psychologist_records_a_review(psychologist_client, psychologist, family, alice):
    response = _post(psychologist_client, family, participants=[alice.pk, psychologist.pk])
    assert response.status_code == 302
    review = CaseReview.objects.get()
    assert review.family == family
    assert review.created_by == psychologist
    assert set(review.participants.all()) == {alice, psychologist}
    assert review.next_review_on == TODAY + datetime.timedelta(days=42)
    page = psychologist_client.get(url(family)).content.decode()
    assert "Netwerkberaad plannen." in page
    assert AccessLog.objects.filter(family_id_ref=family.pk, action="create").exists()


def test_coach_of_the_family_may_record(alice_client, alice, family):
    assert _post(alice_client, family, participants=[alice.pk]).status_code == 302
    assert CaseReview.objects.count() == 1


def test_form_page(alice_client, family):
    response = alice_client.get(url(family, "reviews/new/"))
    assert response.status_code == 200
    assert "Casusbespreking vastleggen" in response.content.decode()


def test_outsider_gets_404(charlie_client, charlie, family):
    assert charlie_client.get(url(family)).status_code == 404
    assert charlie_client.get(url(family, "reviews/new/")).status_code == 404
    assert _post(charlie_client, family, participants=[charlie.pk]).status_code == 404
    assert not CaseReview.objects.exists()


def test_read_only_colleague_reads_but_cannot_write(bob_client, bob, family):
    assert bob_client.get(url(family)).status_code == 200
    assert bob_client.get(url(family, "reviews/new/")).status_code == 403
    assert _post(bob_client, family, participants=[bob.pk]).status_code == 403
    assert not CaseReview.objects.exists()


def test_wrong_method(alice_client, family):
    assert alice_client.put(url(family, "reviews/new/")).status_code == 405
    assert alice_client.post(url(family)).status_code == 405


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"participants": []}, "participants", "Dit veld is verplicht"),
        (
            {"date": "2099-01-01"},
            "date",
            "Een datum in de toekomst kan niet; kies vandaag of een eerdere datum.",
        ),
        (
            {"next_review_on": (TODAY - datetime.timedelta(days=5)).isoformat()},
            "next_review_on",
            "Kies voor de volgende bespreking een datum na deze bespreking.",
        ),
        ({"date": "gisteren"}, "date", "Voer een geldige datum in"),
    ],
)
def test_bad_input_saves_nothing(psychologist_client, alice, family, overrides, field, message):
    data = {"participants": [alice.pk], **overrides}
    response = _post(psychologist_client, family, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not CaseReview.objects.exists()


def test_participants_only_from_the_team(psychologist_client, charlie, family):
    response = _post(psychologist_client, family, participants=[charlie.pk])
    assert response.status_code == 200
    assert "participants" in response.context["form"].errors
    assert not CaseReview.objects.exists()


def _review(family, by, *, next_on, held=None):  # type: ignore[no-untyped-def]
    return CaseReview.objects.create(
        family=family,
        date=held or TODAY - datetime.timedelta(days=30),
        next_review_on=next_on,
        created_by=by,
    )


def test_due_review_raises_a_reminder_once(family, alice, psychologist):
    review = _review(family, psychologist, next_on=TODAY + datetime.timedelta(days=3))
    reminders_run(today=TODAY, send_email=False)
    reminders = Reminder.objects.filter(kind=ReminderKind.CASE_REVIEW_DUE)
    assert {r.recipient for r in reminders} == {alice, psychologist}
    assert {r.subject for r in reminders} == {f"casereview:{review.pk}"}
    assert {r.due_on for r in reminders} == {review.next_review_on}
    reminders_run(today=TODAY, send_email=False)
    assert reminders.count() == 2


@pytest.mark.parametrize(("days_ahead", "expected"), [(8, 0), (7, 2), (0, 2), (-10, 2)])
def test_lead_time_boundary(family, alice, psychologist, days_ahead, expected):
    _review(family, psychologist, next_on=TODAY + datetime.timedelta(days=days_ahead))
    reminders_run(today=TODAY, send_email=False)
    assert Reminder.objects.filter(kind=ReminderKind.CASE_REVIEW_DUE).count() == expected


def test_lead_time_is_a_setting(family, psychologist, settings):
    settings.REPORTS = {**settings.REPORTS, "CASE_REVIEW_LEAD_DAYS": 20}
    _review(family, psychologist, next_on=TODAY + datetime.timedelta(days=15))
    reminders_run(today=TODAY, send_email=False)
    assert Reminder.objects.filter(kind=ReminderKind.CASE_REVIEW_DUE).exists()


def test_only_the_latest_review_counts(family, psychologist):
    _review(
        family,
        psychologist,
        held=TODAY - datetime.timedelta(days=60),
        next_on=TODAY - datetime.timedelta(days=20),
    )
    # The review was held; the new one plans the next far ahead.
    _review(
        family,
        psychologist,
        held=TODAY - datetime.timedelta(days=19),
        next_on=TODAY + datetime.timedelta(days=60),
    )
    reminders_run(today=TODAY, send_email=False)
    assert not Reminder.objects.filter(kind=ReminderKind.CASE_REVIEW_DUE).exists()


def test_closed_families_get_no_review_reminder(team, alice, psychologist):
    closed = FamilyFactory(team=team, coach=alice, status=FamilyStatus.CLOSED)
    _review(closed, psychologist, next_on=TODAY)
    reminders_run(today=TODAY, send_email=False)
    assert not Reminder.objects.filter(kind=ReminderKind.CASE_REVIEW_DUE).exists()


def _job_queries(team, n):  # type: ignore[no-untyped-def]
    Reminder.objects.all().delete()
    Family.objects.all().delete()
    Membership.objects.all().delete()
    coach = member_of(team, Role.COACH, username=f"c{n}")
    psy = member_of(team, Role.PSYCHOLOGIST, username=f"p{n}")
    for _ in range(n):
        family = FamilyFactory(team=team, coach=coach)
        _review(family, psy, next_on=TODAY)
    with CaptureQueriesContext(connection) as context:
        reminders_run(today=TODAY, send_email=False)
    made = Reminder.objects.filter(kind=ReminderKind.CASE_REVIEW_DUE).count()
    return len(context.captured_queries), made


def test_job_query_count_does_not_grow_with_reviews(team):
    few, made_few = _job_queries(team, 3)
    many, made_many = _job_queries(team, 30)
    assert (made_few, made_many) == (6, 60)
    assert few == many
