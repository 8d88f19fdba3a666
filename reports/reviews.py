"""Case reviews: when the next one is planned, when it is late, and the reminders of them
(a source in settings.REMINDER_SOURCES).

A family's latest review names the next review date (planned ahead); from
`CASE_REVIEW_LEAD_DAYS` before that date the coach and the team's psychologists get a
reminder, once per review (the reminder's subject is the review). One query, however many
families there are. A planned review is late ("te laat") from the day after its date: on
the day itself it is still planned; once it is held and recorded, the new record is the
latest and names the next date, so a review with a record is never late.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import DateField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value

from cases.models import Family, FamilyStatus
from phases.models import ReminderKind
from phases.reminders import due_rows, text_id
from reports.models import CaseReview


def report_setting(name: str):  # type: ignore[no-untyped-def]
    """settings.REPORTS[name]; the defaults live in settings only."""
    return settings.REPORTS[name]


def latest_review(field: str) -> Subquery:
    latest = CaseReview.objects.filter(family=OuterRef("pk")).order_by("-date", "-pk")
    output = DateField() if field != "pk" else IntegerField()
    return Subquery(latest.values(field)[:1], output_field=output)


def review_overdue(next_review_on: datetime.date | None, today: datetime.date) -> bool:
    """Whether the planned review (the latest review's next date) is late on `today`."""
    return next_review_on is not None and next_review_on < today


def review_overdue_q(today: datetime.date, field: str = "next_review") -> Q:
    """The same rule in SQL, on an annotation of the latest review's next date."""
    return Q(**{f"{field}__lt": today})


def case_review_dues(today: datetime.date) -> QuerySet[Family]:
    lead = datetime.timedelta(days=report_setting("CASE_REVIEW_LEAD_DAYS"))
    families = (
        Family.objects.filter(status=FamilyStatus.ACTIVE)
        .annotate(next_review=latest_review("next_review_on"), review_id=latest_review("pk"))
        .filter(next_review__isnull=False, next_review__lte=today + lead)
    )
    return due_rows(
        families,
        family="pk",
        kind=Value(ReminderKind.CASE_REVIEW_DUE),
        subject=text_id("casereview:", "review_id"),
        due_on="next_review",
        coach="coach_id",
        team="team_id",
        with_psychologists=True,
    )
