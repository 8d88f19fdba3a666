"""A case review planned ahead shows "gepland" up to and on its date; from the day after,
without a record, it is late ("te laat"), on the family panel, the family's reviews page
and the caseload review. Recording the review ends it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.caseload import caseload_rows
from reports.models import CaseReview
from reports.reviews import review_overdue

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def plan_review(family, by, next_on):  # type: ignore[no-untyped-def]
    return CaseReview.objects.create(
        family=family,
        date=today() - datetime.timedelta(days=30),
        next_review_on=next_on,
        created_by=by,
    )


def test_the_rule_on_its_date_boundary():
    day = datetime.date(2026, 3, 10)
    assert not review_overdue(day, day)  # the day itself: still planned
    assert review_overdue(day, day + datetime.timedelta(days=1))  # the day after: late
    assert not review_overdue(day, day - datetime.timedelta(days=1))
    assert not review_overdue(None, day)


def panel(client, family) -> str:  # type: ignore[no-untyped-def]
    page = client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    return page[page.index('id="reports-heading"') :]


def test_on_its_day_it_is_planned(family, psychologist, psychologist_client, team):
    plan_review(family, psychologist, today())
    shown = panel(psychologist_client, family)
    assert "gepland</span>" in shown and "te laat" not in shown
    (row,) = caseload_rows(team, today=today())
    assert row.review_due and not row.review_overdue
    caseload = psychologist_client.get("/caseload/").content.decode()
    assert "gepland</span>" in caseload and "te laat" not in caseload


def test_the_day_after_without_a_record_it_is_late(family, psychologist, psychologist_client, team):
    plan_review(family, psychologist, today() - datetime.timedelta(days=1))
    shown = panel(psychologist_client, family)
    assert "te laat</span>" in shown and "gepland</span>" not in shown
    (row,) = caseload_rows(team, today=today())
    assert row.review_overdue
    caseload = psychologist_client.get("/caseload/").content.decode()
    assert "te laat</span>" in caseload
    reviews = psychologist_client.get(
        reverse("reports:family_reports", args=[family.pk])
    ).content.decode()
    assert "te laat</span>" in reviews

    # Held and recorded: the new review is the latest and plans the next one ahead.
    CaseReview.objects.create(
        family=family,
        date=today(),
        next_review_on=today() + datetime.timedelta(days=42),
        created_by=psychologist,
    )
    assert "te laat" not in panel(psychologist_client, family)
    (row,) = caseload_rows(team, today=today())
    assert not row.review_overdue and not row.review_due


def test_planned_far_ahead_is_neither(family, psychologist, psychologist_client, team):
    plan_review(family, psychologist, today() + datetime.timedelta(days=60))
    shown = panel(psychologist_client, family)
    assert "te laat" not in shown and "gepland</span>" not in shown
    (row,) = caseload_rows(team, today=today())
    assert not row.review_overdue and not row.review_due


def test_a_case_review_in_the_agenda_is_late_from_the_day_after(family, alice, alice_client):
    from cases.models import Appointment, AppointmentKind

    def planned(day, purpose):  # type: ignore[no-untyped-def]
        return Appointment.objects.create(
            family=family,
            kind=AppointmentKind.CASE_REVIEW,
            date=day,
            starts_at=datetime.time(10),
            ends_at=datetime.time(11),
            purpose=purpose,
            coach=alice,
            created_by=alice,
        )

    planned(today(), "BESPREKING-VANDAAG")
    planned(today() - datetime.timedelta(days=1), "BESPREKING-GISTER")
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    agenda = page[page.index('id="agenda-panel-heading"') :]
    missed = agenda[agenda.index("Voorbij, nog niet vastgelegd") : agenda.index(">Gepland<")]
    coming = agenda[agenda.index(">Gepland<") :]
    assert "BESPREKING-GISTER" in missed and "BESPREKING-VANDAAG" not in missed
    assert "BESPREKING-VANDAAG" in coming and "BESPREKING-GISTER" not in coming
