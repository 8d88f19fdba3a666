from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formats import short_date
from cases.formbase import Form, ModelForm
from cases.forms import DateInput, not_in_future
from cases.models import (
    ClientStatement,
    Consent,
    DestructionReason,
    DestructionRequester,
    Family,
    FamilyRole,
)


class StatementForm(ModelForm):
    class Meta:
        model = ClientStatement
        fields = ["statement_date", "given_by", "text"]
        widgets = {"statement_date": DateInput(), "text": forms.Textarea(attrs={"rows": 8})}

    def clean_statement_date(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("statement_date"))


class MembersField(forms.ModelMultipleChoiceField):
    """Several members; an empty choice (from a single select of an older page) is none."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            value = [v for v in value if v not in ("", None)]
        return super().clean(value)


class ConsentForm(ModelForm):
    # Everyone who agreed: the Jeugdwet's rules may need several (cases.records.consent).
    given_by_member = MembersField(
        label=_("Toestemming van (gezinsleden)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kies iedereen die toestemming gaf: onder 12 jaar de ouders met gezag, van 12 tot "
            "16 jaar de ouders met gezag én het kind, vanaf 16 jaar de jongere zelf."
        ),
    )
    concerns_members = MembersField(
        label=_("Over welke kinderen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: over alle kinderen van het gezin."),
    )

    class Meta:
        model = Consent
        fields = [
            "given_by_name",
            "organisation",
            "purpose",
            "valid_from",
            "valid_until",
        ]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    field_order = [
        "given_by_member",
        "given_by_name",
        "organisation",
        "purpose",
        "concerns_members",
        "valid_from",
        "valid_until",
    ]

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's members: a member id of another family is an invalid choice.
        self.fields["given_by_member"].queryset = family.members.all()
        self.fields["concerns_members"].queryset = family.members.filter(role=FamilyRole.CHILD)
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        members = cleaned.get("given_by_member")
        name = (cleaned.get("given_by_name") or "").strip()
        if not members and not name and "given_by_member" not in self.errors:
            self.add_error("given_by_member", _("Kies wie toestemming gaf, of vul een naam in."))
        if members and name:
            self.add_error("given_by_name", _("Kies een gezinslid óf vul een naam in, niet beide."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until", _("De einddatum ligt vóór de begindatum; kies een latere einddatum.")
            )
        return cleaned


class ConsentWithdrawForm(Form):
    withdrawn_on = forms.DateField(label=_("Ingetrokken op"), widget=DateInput())
    withdrawn_by = forms.CharField(
        label=_("Ingetrokken door"),
        max_length=200,
        help_text=_("Wie de toestemming introk, bijvoorbeeld ‘moeder’ of ‘Noah (15)’."),
    )

    def __init__(self, *args: Any, consent: Consent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["withdrawn_on"].initial = timezone.localdate()

    def clean_withdrawn_on(self):  # type: ignore[no-untyped-def]
        day = not_in_future(self.cleaned_data.get("withdrawn_on"))
        if day and day < self.consent.valid_from:
            raise forms.ValidationError(
                _("De toestemming gold pas vanaf %(day)s; kies die datum of een latere.")
                % {"day": short_date(self.consent.valid_from)}
            )
        return day


class ShareForm(Form):
    """Before the file (or the plan) goes to someone outside the team: to whom, about whom?"""

    organisation = forms.CharField(
        label=_("Ontvanger (organisatie)"),
        max_length=200,
        help_text=_("Bijvoorbeeld ‘Veilig Thuis’ of ‘Huisartsenpraktijk Zuidoost’."),
    )
    concerns = MembersField(
        label=_("Over welke kinderen gaat wat u deelt"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: over het hele gezin, zoals het gezinsplan."),
    )

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = family.members.filter(role=FamilyRole.CHILD)


class DestroyForm(Form):
    reason = forms.ChoiceField(label=_("Reden"), choices=DestructionReason.choices)
    requested_by = forms.ChoiceField(label=_("Verzocht door"), choices=DestructionRequester.choices)
    requested_on = forms.DateField(label=_("Datum verzoek"), widget=DateInput())
    confirm_case_number = forms.CharField(
        label=_("Typ ter bevestiging het dossiernummer"), max_length=32
    )

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["requested_on"].initial = timezone.localdate()

    def clean_requested_on(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("requested_on"))

    def clean_confirm_case_number(self) -> str:
        value = self.cleaned_data["confirm_case_number"].strip()
        if value != self.family.case_number:
            raise forms.ValidationError(_("Dit is niet het dossiernummer van dit gezin."))
        return value
