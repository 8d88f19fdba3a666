"""The "ingezogen" check: families whose coach may be drawn in too far and that nobody
looked at together lately (DOMAIN.md: the vaste hulpverlener is supervised structurally so
as not to be "ingezogen").

A family is flagged when it is long in the execution phase (more than
REPORTS["SUCKED_IN_EXECUTION_WEEKS"] since the open execution phase began) or above its
phase's weekly band on average over the last REPORTS["SUCKED_IN_ABOVE_BAND_WEEKS"] weeks,
and it had no case review and no supervision discussion in the last
REPORTS["SUCKED_IN_DISCUSSION_WEEKS"] weeks (up to today; a review planned ahead does
not count). One SQL annotation, `is_sucked_in`, on the caseload's families
(reports.caseload.caseload_queryset): the review, its filter, the landing page's badges
and the coach load read it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from cases.models import Contact, Family
from phases.budget import as_bool
from phases.models import PhaseKind
from reports.figures import WINDOW_DAYS
from reports.models import CaseReview, SupervisionDiscussion
from reports.reviews import report_setting


def discussed_since(today: datetime.date) -> datetime.date:
    """The first day of the period in which a case review or supervision clears the flag."""
    return today - datetime.timedelta(weeks=report_setting("SUCKED_IN_DISCUSSION_WEEKS"))


def with_sucked_in_flag(
    qs: QuerySet[Family], *, today: datetime.date, phase: str = "open_phase__"
) -> QuerySet[Family]:
    """Annotate `is_sucked_in` on families that have their open phase joined as `phase`
    and their contact minutes counted by `minutes_in_band_weeks` (added here)."""
    band_weeks = report_setting("SUCKED_IN_ABOVE_BAND_WEEKS")
    band_from = today - datetime.timedelta(days=7 * band_weeks - 1)
    long_from = today - datetime.timedelta(weeks=report_setting("SUCKED_IN_EXECUTION_WEEKS"))
    since = discussed_since(today)
    reviewed = CaseReview.objects.filter(family=OuterRef("pk"), date__gte=since, date__lte=today)
    supervised = SupervisionDiscussion.objects.filter(
        family=OuterRef("pk"), session__date__gte=since, session__date__lte=today
    )
    band_top = Cast(F(f"{phase}hours_max"), DecimalField(max_digits=8, decimal_places=2)) * Value(
        Decimal(60 * band_weeks)
    )
    if band_from == today - datetime.timedelta(days=WINDOW_DAYS) and "minutes_4w" in (
        qs.query.annotations
    ):
        # The band's weeks are the caseload's 4 weeks (the default): the same minutes as
        # `minutes_4w`, read from reports.FamilyFigures where its row holds for today.
        in_band = F("minutes_4w")
    else:
        minutes = (
            Contact.objects.filter(family=OuterRef("pk"), date__gte=band_from, date__lte=today)
            .order_by()
            .values("family")
            .annotate(total=Sum("minutes"))
            .values("total")
        )
        in_band = Coalesce(Subquery(minutes, output_field=IntegerField()), 0)
    return qs.annotate(
        minutes_in_band_weeks=in_band,
    ).annotate(
        is_sucked_in=as_bool(
            (
                Q(**{f"{phase}kind": PhaseKind.EXECUTION, f"{phase}started_on__lt": long_from})
                | Q(minutes_in_band_weeks__gt=band_top)
            )
            & ~Exists(reviewed)
            & ~Exists(supervised)
        )
    )
