"""Planned case reviews (settings.APPOINTMENT_EXTENSIONS): once held, the case review page
starts from the appointment (reports.views.case_review_create)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Appointment, AppointmentKind, AppointmentStatus, Family


class CaseReviewPlanned:
    def field_names(self) -> tuple[str, ...]:
        return ()

    def add_fields(
        self, form: forms.BaseForm, *, family: Family, appointment: Appointment | None
    ) -> None:
        return None

    def save(self, *, appointment: Appointment, values: Mapping[str, Any]) -> None:
        return None

    def expected(self, appointment: Appointment) -> list[str]:
        return []

    def record_link(self, appointment: Appointment) -> tuple[str, str] | None:
        if (
            appointment.kind != AppointmentKind.CASE_REVIEW
            or appointment.status != AppointmentStatus.PLANNED
        ):
            return None
        url = reverse("reports:case_review_create", args=[appointment.family_id])
        return str(_("Casusbespreking vastleggen")), f"{url}?appointment={appointment.pk}"


case_review = CaseReviewPlanned()
