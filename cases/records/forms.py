from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, Q, When
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
    Partner,
)

PARTNER_OF_ANOTHER_TEAM = _(
    "Kies een partner van het eigen team, of kies ‘anders’ en vul de naam van de organisatie in."
)


class PartnerChoiceField(forms.ModelChoiceField):
    """One of the team's active partners, or "anders" (empty: the free-text name next to it).

    A partner of another team (or an archived one) is refused with a Dutch sentence. With
    `first_kind` the partners of that kind come first (a measure's GI)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Partner"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("Anders (vul de naam hieronder in)"))
        super().__init__(queryset=Partner.objects.none(), **kwargs)
        self.error_messages["invalid_choice"] = PARTNER_OF_ANOTHER_TEAM

    def label_from_instance(self, obj: Partner) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"

    def offer(
        self, family: Family, *, keep: int | None = None, first_kind: str | None = None
    ) -> None:
        """Offer the family's team's active partners (and `keep`, the one already chosen)."""
        queryset = Partner.objects.filter(team_id=family.team_id).filter(
            Q(archived_at__isnull=True) | Q(pk=keep)
        )
        if first_kind:
            queryset = queryset.order_by(
                Case(When(kind=first_kind, then=0), default=1), "name", "pk"
            )
        self.queryset = queryset


def clean_partner_or_name(
    form: forms.Form, cleaned: dict[str, Any], *, name_field: str, required: bool
) -> None:
    """A partner chosen or a name typed: the partner's name fills the free text (so it reads
    the same everywhere); both, with a different name, is refused."""
    partner: Partner | None = cleaned.get("partner")
    name = (cleaned.get(name_field) or "").strip()
    if partner is not None:
        if name and name.casefold() != partner.name.casefold():
            form.add_error(
                name_field,
                _("Kies een partner óf vul een andere organisatie in, niet beide."),
            )
            return
        cleaned[name_field] = partner.name
    elif not name and required and "partner" not in form.errors and name_field not in form.errors:
        form.add_error(
            name_field,
            _("Dit veld is verplicht: kies een partner of vul de naam van de organisatie in."),
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
    partner = PartnerChoiceField(label=_("Aan wie (partner)"))

    class Meta:
        model = Consent
        fields = [
            "given_by_name",
            "partner",
            "organisation",
            "purpose",
            "valid_from",
            "valid_until",
        ]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    field_order = [
        "given_by_member",
        "given_by_name",
        "partner",
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
        self.fields["partner"].offer(family)
        self.fields["organisation"].required = False
        self.fields["organisation"].label = _("Organisatie (anders)")
        self.fields["organisation"].help_text = _(
            "Alleen invullen als de organisatie geen partner van het team is."
        )
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        members = cleaned.get("given_by_member")
        name = (cleaned.get("given_by_name") or "").strip()
        if not members and not name and "given_by_member" not in self.errors:
            self.add_error("given_by_member", _("Kies wie toestemming gaf, of vul een naam in."))
        if members and name:
            self.add_error("given_by_name", _("Kies een gezinslid óf vul een naam in, niet beide."))
        clean_partner_or_name(self, cleaned, name_field="organisation", required=True)
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

    partner = PartnerChoiceField(label=_("Ontvanger (partner)"))
    organisation = forms.CharField(
        label=_("Ontvanger (organisatie)"),
        max_length=200,
        required=False,
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
        self.fields["partner"].offer(family)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        clean_partner_or_name(self, cleaned, name_field="organisation", required=True)
        return cleaned

    @property
    def recipient(self) -> str | Partner:
        """The chosen partner, or the name typed (after is_valid)."""
        return self.cleaned_data.get("partner") or self.cleaned_data["organisation"].strip()


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
