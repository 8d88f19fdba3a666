from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.conflicts import VersionedModelForm
from cases.formbase import Form
from cases.forms import DateInput
from cases.models import Appointment, Family
from cases.sections import appointment_extensions

END_BEFORE_START = _("De eindtijd moet na de begintijd liggen.")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def team_users(family: Family):  # type: ignore[no-untyped-def]
    return (
        get_user_model()
        .objects.filter(memberships__team_id=family.team_id, is_active=True)
        .distinct()
        .order_by("first_name", "username")
    )


def _user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class AppointmentForm(VersionedModelForm):
    class Meta:
        model = Appointment
        fields = [
            "kind",
            "date",
            "starts_at",
            "ends_at",
            "place",
            "coach",
            "members",
            "colleagues",
            "purpose",
        ]
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "members": forms.CheckboxSelectMultiple,
            "colleagues": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "purpose": _(
                "Kort, zonder namen: dit staat ook op de agenda van het team. "
                "Bijvoorbeeld ‘doelen bespreken’."
            ),
        }

    def __init__(self, *args: Any, family: Family, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family = family
        users = team_users(family)
        # Only this family's members and this team's people: a foreign id is an invalid choice.
        self.fields["members"].queryset = family.members.all()
        self.fields["coach"].queryset = users
        self.fields["colleagues"].queryset = users
        self.fields["coach"].label_from_instance = _user_label
        self.fields["colleagues"].label_from_instance = _user_label
        self.fields["colleagues"].required = False
        # Other apps' fields (the network members expected): settings.APPOINTMENT_EXTENSIONS.
        for extension in appointment_extensions():
            extension.add_fields(self, family=family, appointment=self.instance)
        # The purpose stays last, after every "who is expected".
        self.order_fields([*(f for f in self.fields if f != "purpose"), "purpose"])
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()
            self.fields["coach"].initial = family.coach_id or user.pk

    def clean_date(self):  # type: ignore[no-untyped-def]
        date = self.cleaned_data.get("date")
        changed = not self.instance.pk or self.instance.date != date
        if date and changed and date < timezone.localdate():
            raise forms.ValidationError(
                _("Een afspraak plant u vandaag of later; een contact dat al was legt u vast.")
            )
        return date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", END_BEFORE_START)
        return cleaned


class AgendaFilterForm(Form):
    """Which agenda: the user's own, or (team-wide roles) a team's, optionally one coach's."""

    week = forms.DateField(required=False, widget=DateInput())
    team = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    coach = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
