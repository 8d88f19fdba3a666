"""The psychologist's oversight in the demo: supervision sessions of each kind (a coach with
a family flagged "ingezogen" and a coach without), and comments on a contact, a goal and a
plan (the other families have none). Through the same services the pages call. Fictitious.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases.comments.services import comment_add
from cases.models import Family, FamilyStatus, Team
from reports.caseload import caseload_queryset
from reports.models import SupervisionKind
from reports.supervision.services import supervision_session_create

POINTS = {
    SupervisionKind.WORK_SUPERVISION: (
        "Let op je eigen grenzen bij avondbezoeken; plan de overdracht naar het netwerk "
        "eerder in, zodat jij niet de enige bent die het gezin belt."
    ),
    SupervisionKind.INTERVISION: (
        "Casus ingebracht over een vastgelopen afspraak; collega's gaven voorbeelden van "
        "hoe zij het netwerk weer aan tafel krijgen."
    ),
    SupervisionKind.COACHING: "Werkdruk besproken; twee vrije middagen per maand geblokt.",
}


def seed(
    *,
    team: Team,
    families: list[Family],
    coaches: list[Any],
    psychologist: Any | None,
    coordinator: Any | None,
) -> None:
    if psychologist is None or not coaches:
        return
    today = timezone.localdate()
    _seed_supervision(team, families, coaches, psychologist, today)
    _seed_comments(families, psychologist, coordinator)


def _days(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _seed_supervision(
    team: Team, families: list[Family], coaches: list[Any], psychologist: Any, today: datetime.date
) -> None:
    flagged = set(
        caseload_queryset(team, today=today).filter(is_sucked_in=True).values_list("pk", flat=True)
    )
    active = [f for f in families if f.status == FamilyStatus.ACTIVE]
    # Discussed families are those not flagged: the flagged one stays flagged (its coach
    # shows on the coach load), the others show "besproken in … op …" in their file.
    for coach, kind, days_ago, led_by in (
        (coaches[0], SupervisionKind.WORK_SUPERVISION, 21, psychologist),
        (coaches[-1], SupervisionKind.INTERVISION, 14, None),
        (coaches[-1], SupervisionKind.COACHING, 70, psychologist),
    ):
        discussed = [f for f in active if f.coach_id == coach.pk and f.pk not in flagged][:2]
        if kind == SupervisionKind.COACHING:
            discussed = []
        supervision_session_create(
            team=team,
            coach=coach,
            date=_days(days_ago),
            kind=kind,
            led_by=led_by,
            points=POINTS[kind],
            families=discussed,
            by=psychologist,
        )


def _seed_comments(families: list[Family], psychologist: Any, coordinator: Any | None) -> None:
    """On the first active family with a plan: a comment on its newest contact, on a goal
    and on the plan, by the psychologist (the coach is notified)."""
    for family in families:
        if family.status != FamilyStatus.ACTIVE:
            continue
        plan = family.plans.first()
        contact = family.contacts.order_by("-date", "-pk").first()
        goal = plan.goals.first() if plan else None
        if plan is None or contact is None or goal is None:
            continue
        comment_add(
            family=family,
            by=psychologist,
            contact=contact,
            text="Mooi dat oma Ria er deze keer bij was; nodig haar ook uit voor de evaluatie.",
        )
        comment_add(
            family=family,
            by=psychologist,
            goal=goal,
            text="Is dit doel zo meetbaar genoeg voor het gezin zelf? Bespreek het criterium.",
        )
        comment_add(
            family=family,
            by=coordinator or psychologist,
            plan=plan,
            text="Evaluatiedatum ligt na de geplande einddatum van de fase; graag afstemmen.",
        )
        return
