"""The agenda's panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.compiled import MARKER, CompiledQuery
from cases.daycache import DayCache
from cases.models import Appointment, AppointmentStatus, Family, Task
from cases.permissions import FamilyAccess

PANEL_APPOINTMENTS = 3
PANEL_TASKS = 5


def _build_coming_and_missed(today: datetime.date) -> CompiledQuery[Appointment]:
    """A family's next planned appointments (soonest first) and the last that passed
    without a contact (`missed`, latest first), PANEL_APPOINTMENTS of each, in one query:
    the two groups numbered by a window function."""
    planned = Appointment.objects.filter(family_id=MARKER, status=AppointmentStatus.PLANNED)
    upcoming = Q(date__gte=today)
    rows = (
        planned.filter(upcoming | Q(pk__in=planned.missed(today).values("pk")))
        .select_related("coach")
        .alias(
            upcoming_date=Case(When(upcoming, then=F("date"))),
            missed_date=Case(When(~upcoming, then=F("date"))),
        )
        .annotate(
            upcoming=Case(When(upcoming, then=Value(True)), default=Value(False)),
            number=Window(
                RowNumber(),
                partition_by=[F("upcoming")],
                order_by=[
                    F("upcoming_date").asc(nulls_last=True),
                    F("missed_date").desc(nulls_last=True),
                    F("starts_at").asc(),
                    F("pk").asc(),
                ],
            ),
        )
        .filter(number__lte=PANEL_APPOINTMENTS)
        .order_by("number")
    )
    return CompiledQuery(rows, family=MARKER)


# Built and compiled once per process and day (cases.daycache, cases.compiled).
_coming_and_missed_query = DayCache(_build_coming_and_missed)


def _coming_and_missed(family: Family, today: datetime.date) -> tuple[list[Any], list[Any]]:
    query = (
        _coming_and_missed_query.get()
        if today == timezone.localdate()
        else _build_coming_and_missed(today)
    )
    rows = query.run(family=family.pk)
    for appointment in rows:
        appointment.family = family  # as the family's related manager would have set it
    return [a for a in rows if a.upcoming], [a for a in rows if not a.upcoming]


# A family's first open tasks, compiled once per process (and day, as the others).
_open_tasks = DayCache(
    lambda today: CompiledQuery(
        Task.objects.filter(family_id=MARKER)
        .open()
        .select_related("owner")
        .order_by("due_on", "pk")[:PANEL_TASKS],
        family=MARKER,
    )
)


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """The next appointments, those that passed without a contact, and the open tasks."""
    family = access.family
    today = timezone.localdate()
    coming, missed = _coming_and_missed(family, today)
    tasks = _open_tasks.get().run(family=family.pk)
    for task in tasks:
        task.family = family  # as the family's related manager would have set it
    return render_to_string(
        "cases/agenda_panel.html",
        {
            "family": family,
            "access": access,
            "coming": coming,
            "missed": missed,
            "tasks": tasks,
            "today": today,
        },
        request=request,
    )
