"""The agenda's panel on the family page (its section, in sections.py, names it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import AppointmentStatus
from cases.permissions import FamilyAccess

PANEL_APPOINTMENTS = 3


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """The next appointments, those that passed without a contact, and the open tasks."""
    family = access.family
    today = timezone.localdate()
    coming = list(
        family.appointments.filter(status=AppointmentStatus.PLANNED, date__gte=today)
        .select_related("coach")
        .order_by("date", "starts_at")[:PANEL_APPOINTMENTS]
    )
    missed = list(family.appointments.missed(today).order_by("-date")[:PANEL_APPOINTMENTS])
    tasks = list(family.tasks.open().select_related("owner").order_by("due_on", "pk")[:5])
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
