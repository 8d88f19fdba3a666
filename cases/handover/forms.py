from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form
from cases.forms import DateInput
from cases.models import HANDOVER_NOTE_MAX, HANDOVER_REASON_MAX, Team

# A replacement is for a leave, not a transfer: longer than this is a handover.
REPLACEMENT_MAX_DAYS = 366


def coaches_of(team: Team) -> Any:
    """The team's active members in a coaching role (settings.COACHING_ROLES), by name."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__team=team,
            memberships__role__in=settings.COACHING_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class CoachChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


class CoachesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reden"),
        max_length=HANDOVER_REASON_MAX,
        help_text=_("Bijvoorbeeld: vertrek, verlof, overbelasting, wens van het gezin."),
        error_messages={"required": _("Geef de reden van de wissel.")},
    )


def note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Overdrachtsnotitie voor de nieuwe coach"),
        required=False,
        max_length=HANDOVER_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen zichtbaar voor wie in het dossier mag schrijven."),
    )


class HandoverForm(Form):
    coach = CoachChoice(
        label=_("Nieuwe vaste hulpverlener"),
        queryset=get_user_model().objects.none(),
        error_messages={"invalid_choice": _("Kies een coach uit het team van dit gezin.")},
    )
    reason = reason_field()
    note = note_field()

    def __init__(self, *args: Any, team: Team, current: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coaches = coaches_of(team)
        if current is not None:
            coaches = coaches.exclude(pk=current.pk)
        self.fields["coach"].queryset = coaches


class BulkHandoverForm(Form):
    """A leaving coach's families: all or chosen ones, to one coach or spread over several."""

    families = forms.MultipleChoiceField(
        label=_("Gezinnen"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één gezin.")},
    )
    to_coaches = CoachesChoice(
        label=_("Naar"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kies één coach, of meer: dan gaat elk gezin naar wie op dat moment de minste "
            "gezinnen heeft."
        ),
        error_messages={"required": _("Kies minstens één nieuwe coach.")},
    )
    reason = reason_field()
    note = note_field()

    def __init__(self, *args: Any, team: Team, from_coach: Any, families: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.family_objects = {str(f.pk): f for f in families}
        self.fields["families"].choices = [
            (str(f.pk), f"{f.display_name} ({f.case_number})") for f in families
        ]
        self.fields["families"].initial = list(self.family_objects)
        self.fields["to_coaches"].queryset = coaches_of(team).exclude(pk=from_coach.pk)

    def chosen_families(self) -> list[Any]:
        return [self.family_objects[pk] for pk in self.cleaned_data["families"]]


class ReplacementForm(Form):
    coach = CoachChoice(label=_("Afwezige coach"), queryset=get_user_model().objects.none())
    replacement = CoachChoice(label=_("Waarnemer"), queryset=get_user_model().objects.none())
    starts_on = forms.DateField(label=_("Eerste dag"), widget=DateInput())
    ends_on = forms.DateField(label=_("Laatste dag"), widget=DateInput())

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches_of(team)
        # Any active team member may stand in (a colleague coach, usually).
        self.fields["replacement"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, memberships__team=team)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if not self.is_bound:
            self.fields["starts_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        coach, replacement = cleaned.get("coach"), cleaned.get("replacement")
        if coach and replacement and coach == replacement:
            self.add_error("replacement", _("Kies een ander dan de afwezige coach."))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", _("De laatste dag ligt vóór de eerste dag."))
            elif ends < timezone.localdate():
                self.add_error("ends_on", _("De laatste dag is al voorbij."))
            elif ends - starts > datetime.timedelta(days=REPLACEMENT_MAX_DAYS):
                self.add_error(
                    "ends_on",
                    _("Een waarneming duurt hoogstens een jaar; draag het gezin anders over."),
                )
        return cleaned
