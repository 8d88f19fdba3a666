from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form
from cases.forms import DateInput, not_in_future
from cases.models import Family, FamilyStatus, Team
from reports.models import SupervisionKind, SupervisionSession

User = get_user_model()
POINTS_MAX = SupervisionSession._meta.get_field("points").max_length


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class SupervisionSessionForm(Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Soort"), choices=SupervisionKind.choices)
    coach = forms.ModelChoiceField(label=_("Gezinscoach"), queryset=User.objects.none())
    led_by = forms.ModelChoiceField(
        label=_("Begeleid door"), queryset=User.objects.none(), required=False
    )
    families = forms.ModelMultipleChoiceField(
        label=_("Besproken gezinnen"),
        queryset=Family.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Alleen een verwijzing: het dossier van elk gezin toont dat het op deze datum is "
            "besproken, niet wat er over de coach of andere gezinnen is gezegd."
        ),
    )
    points = forms.CharField(
        label=_("Aandachtspunten voor de coach"),
        max_length=POINTS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Over de coach en het werk (wat gaat goed, waar let de coach op), zonder "
            "inhoud uit een dossier."
        ),
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = (
            User.objects.filter(memberships__team=team, is_active=True)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["coach"].queryset = members.filter(
            memberships__team=team, memberships__role__in=settings.COACHING_ROLES
        )
        self.fields["led_by"].queryset = members
        for name in ("coach", "led_by"):
            self.fields[name].label_from_instance = _name
        # Families of this team only: a session never links another team's family.
        # By case number and coach, without names: the choice lists the whole team's
        # families, and a list of names would have to enter every family's access log.
        self.fields["families"].queryset = (
            Family.objects.filter(
                team=team, status__in=[FamilyStatus.ACTIVE, FamilyStatus.AFTERCARE]
            )
            .select_related("coach")
            .order_by("case_number")
        )
        self.fields["families"].label_from_instance = lambda f: (
            f"{f.case_number} · {_name(f.coach)}" if f.coach else f.case_number
        )
        self.fields["date"].initial = timezone.localdate

    def clean_date(self) -> datetime.date:
        return not_in_future(self.cleaned_data["date"])
