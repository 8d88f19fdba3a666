"""The network's part of planned appointments (settings.APPOINTMENT_EXTENSIONS): which
network members are expected, and recording a planned network meeting once it was held
(network.views.meeting_create starts from it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Appointment, AppointmentKind, AppointmentStatus, Family

FIELD = "network_members_expected"


class NetworkMeetingPlanned:
    # Read by the agenda's lists, so `expected` costs no query per appointment.
    prefetch = ("network_members_expected",)

    def field_names(self) -> tuple[str, ...]:
        return (FIELD,)

    def add_fields(
        self, form: forms.BaseForm, *, family: Family, appointment: Appointment | None
    ) -> None:
        field = forms.ModelMultipleChoiceField(
            label=_("Verwachte netwerkleden"),
            # Only this family's network: a foreign id is rejected as an invalid choice.
            queryset=family.network_members.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if appointment is not None and appointment.pk:
            field.initial = list(appointment.network_members_expected.all())
        form.fields[FIELD] = field

    def save(self, *, appointment: Appointment, values: Mapping[str, Any]) -> None:
        if FIELD in values:
            appointment.network_members_expected.set(values[FIELD])

    def expected(self, appointment: Appointment) -> list[str]:
        return [m.name for m in appointment.network_members_expected.all()]

    def record_link(self, appointment: Appointment) -> tuple[str, str] | None:
        if (
            appointment.kind != AppointmentKind.NETWORK_MEETING
            or appointment.status != AppointmentStatus.PLANNED
        ):
            return None
        url = reverse("network:meeting_create", args=[appointment.family_id])
        return str(_("Bijeenkomst vastleggen")), f"{url}?appointment={appointment.pk}"


network_meeting = NetworkMeetingPlanned()
