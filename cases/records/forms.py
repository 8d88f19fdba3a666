from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form, ModelForm
from cases.forms import DateInput, not_in_future
from cases.models import (
    ClientStatement,
    Consent,
    DestructionReason,
    DestructionRequester,
    Family,
)


class StatementForm(ModelForm):
    class Meta:
        model = ClientStatement
        fields = ["statement_date", "given_by", "text"]
        widgets = {"statement_date": DateInput(), "text": forms.Textarea(attrs={"rows": 8})}

    def clean_statement_date(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("statement_date"))


class ConsentForm(ModelForm):
    class Meta:
        model = Consent
        fields = [
            "given_by_member",
            "given_by_name",
            "organisation",
            "purpose",
            "valid_from",
            "valid_until",
        ]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's members: a member id of another family is an invalid choice.
        self.fields["given_by_member"].queryset = family.members.all()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        member = cleaned.get("given_by_member")
        name = (cleaned.get("given_by_name") or "").strip()
        if not member and not name and "given_by_member" not in self.errors:
            self.add_error("given_by_member", _("Kies wie toestemming gaf, of vul een naam in."))
        if member and name:
            self.add_error("given_by_name", _("Kies een gezinslid óf vul een naam in, niet beide."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until", _("De einddatum ligt vóór de begindatum; kies een latere einddatum.")
            )
        return cleaned


class ShareForm(Form):
    """Before the file (or the plan) goes to someone outside the team: to whom?"""

    organisation = forms.CharField(
        label=_("Ontvanger (organisatie)"),
        max_length=200,
        help_text=_("Bijvoorbeeld ‘Veilig Thuis’ of ‘Huisartsenpraktijk Zuidoost’."),
    )


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
