from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.conflicts import MergeableForm, version_field
from cases.formats import long_date
from cases.formbase import Form, ModelForm
from cases.forms import DateInput, bounded_formfield, not_in_future
from phases.models import MAX_EXTRA_HOURS, ClosingOutcome, PhaseDefinition

YES_NO = [("yes", _("Ja")), ("no", _("Nee"))]


class _PageForm(Form):
    """One of several forms on the family's phase page: its element ids carry `id_prefix`,
    so two forms with a field of the same name do not share an id (or a label target)."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class _DatedForm(_PageForm):
    """A form with a date that may not lie in the future nor before `not_before`."""

    date_field = "effective_on"

    def __init__(self, *args: Any, not_before: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_before = not_before
        self.fields[self.date_field].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get(self.date_field)
        if day is not None:
            try:
                not_in_future(day)
            except forms.ValidationError as error:
                self.add_error(self.date_field, error)
            else:
                if self.not_before is not None and day < self.not_before:
                    self.add_error(
                        self.date_field,
                        _("Deze datum ligt vóór het begin (%(date)s); kies een latere datum.")
                        % {"date": long_date(self.not_before)},
                    )
        return cleaned


class TrajectoryStartForm(_DatedForm):
    date_field = "started_on"
    started_on = forms.DateField(label=_("Startdatum"), widget=DateInput())


class ProposeForm(_DatedForm):
    id_prefix = "propose"
    effective_on = forms.DateField(label=_("Ingangsdatum"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClosingForm(ProposeForm):
    """The step to "closed": how the trajectory ended, and whether aftercare follows."""

    closing_outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[("", "---------"), *ClosingOutcome.choices],
        error_messages={"required": _("Kies de uitkomst van het traject.")},
    )
    closing_reason = forms.CharField(
        label=_("Reden van afsluiten"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Geef de reden van het afsluiten.")},
    )
    into_aftercare = forms.TypedChoiceField(
        label=_("Gaat het gezin in nazorg?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Geef aan of het gezin in nazorg gaat.")},
    )

    def clean_closing_reason(self) -> str:
        reason = self.cleaned_data["closing_reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Geef de reden van het afsluiten."))
        return reason


class ExtensionForm(_PageForm):
    """An extension of the open phase: a new planned end after the current one."""

    id_prefix = "extension"

    new_end = forms.DateField(label=_("Nieuwe geplande einddatum"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reden"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    agreed_with = forms.CharField(
        label=_("Afgesproken met"),
        max_length=200,
        help_text=_("Bijvoorbeeld het gezin en de verwijzer."),
    )

    def __init__(self, *args: Any, current_end: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_end = current_end

    def clean_new_end(self) -> datetime.date:
        day = self.cleaned_data["new_end"]
        if self.current_end is not None and day <= self.current_end:
            raise forms.ValidationError(
                _("Kies een datum na de huidige geplande einddatum (%(date)s).")
                % {"date": long_date(self.current_end)}
            )
        return day

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Geef een reden voor de verlenging."))
        return reason

    def clean_agreed_with(self) -> str:
        agreed = self.cleaned_data["agreed_with"].strip()
        if not agreed:
            raise forms.ValidationError(_("Geef aan met wie de verlenging is afgesproken."))
        return agreed


class AftercareCheckinForm(_DatedForm):
    """A held aftercare check-in; a need for help reopens the file."""

    id_prefix = "checkin"
    date_field = "held_on"

    held_on = forms.DateField(label=_("Gehouden op"), widget=DateInput())
    how_it_goes = forms.CharField(
        label=_("Hoe gaat het met het gezin?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    needs_help = forms.TypedChoiceField(
        label=_("Is er een nieuwe hulpvraag?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("Bij ja wordt het dossier meteen heropend als nieuw traject."),
        error_messages={"required": _("Geef aan of er een nieuwe hulpvraag is.")},
    )
    notes = forms.CharField(
        label=_("Aantekeningen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_how_it_goes(self) -> str:
        text = self.cleaned_data["how_it_goes"].strip()
        if not text:
            raise forms.ValidationError(_("Beschrijf hoe het met het gezin gaat."))
        return text


class StepBackForm(_DatedForm):
    id_prefix = "step_back"
    effective_on = forms.DateField(label=_("Ingangsdatum"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reden (terugval)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Geef een reden voor de stap terug."))
        return reason


class DecisionForm(_PageForm):
    id_prefix = "decision"

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("approve", _("Akkoord")), ("reject", _("Niet akkoord"))],
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtraHoursForm(_PageForm):
    id_prefix = "extra"

    hours = forms.DecimalField(
        label=_("Extra uren"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=MAX_EXTRA_HOURS,
        error_messages={
            "min_value": _("Minimaal 0,5 uur."),
            "max_value": _("Maximaal %(limit_value)s uur per keer."),
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": str(MAX_EXTRA_HOURS)}),
    )
    reason = forms.CharField(
        label=_("Reden"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Geef een reden voor de extra uren."))
        return reason


class DefinitionForm(MergeableForm, ModelForm):
    class Meta:
        model = PhaseDefinition
        fields = ["weeks_min", "weeks_max", "hours_min", "hours_max"]
        formfield_callback = bounded_formfield
        error_messages = {
            name: {
                "min_value": _("Minimaal %(limit_value)s."),
                "max_value": _("Maximaal %(limit_value)s."),
            }
            for name in ("weeks_min", "weeks_max", "hours_min", "hours_max")
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("weeks_min") is not None
            and cleaned.get("weeks_max") is not None
            and cleaned["weeks_min"] > cleaned["weeks_max"]
        ):
            self.add_error(
                "weeks_max", _("Het maximum is kleiner dan het minimum; maak het maximum groter.")
            )
        if (
            cleaned.get("hours_min") is not None
            and cleaned.get("hours_max") is not None
            and cleaned["hours_min"] > cleaned["hours_max"]
        ):
            self.add_error(
                "hours_max", _("Het maximum is kleiner dan het minimum; maak het maximum groter.")
            )
        return cleaned


class TeamPhaseSettingsForm(MergeableForm):
    """The team's own switch, and the version the whole definitions page was opened at."""

    version = version_field()
    approval_required = forms.BooleanField(
        label=_("Een faseovergang vraagt akkoord van de gedragswetenschapper"), required=False
    )
