from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.conflicts import VersionedModelForm
from cases.formbase import Form
from cases.forms import DateInput, not_in_future
from cases.models import (
    PARTNER_NAME_TAKEN,
    Family,
    Partner,
    PartnerContact,
    Referral,
    ReferralStatus,
    Team,
)
from cases.partners.services import NEXT_STATUSES

# A partner id from another team (or an archived one) is not on the list: this sentence,
# not the generic one, so the user knows why.
OTHER_TEAM_PARTNER = _("Kies een partner van het team van dit gezin.")
OTHER_TEAM_CONTACT = _("Kies een contactpersoon van een partner van het team van dit gezin.")


class PartnerForm(VersionedModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "phone", "email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"notes": _("Bijvoorbeeld bereikbaarheid, aanmeldroute of wachttijd.")}

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        # The test of partner_name_unique_per_team, so the sentence appears on the field.
        taken = Partner.objects.filter(team=self.team).alias(ci=Lower("name"))
        taken = taken.filter(ci=Lower(Value(name)))
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(PARTNER_NAME_TAKEN)
        return name


class PartnerContactForm(VersionedModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "role", "phone", "email"]


def partner_choices(team_id: int) -> Any:
    return Partner.objects.filter(team_id=team_id).active().order_by("name")


def _member_label(member: Any) -> str:
    return f"{member.name} ({member.get_role_display().lower()})"


class ReferralForm(VersionedModelForm):
    """A new referral, or a correction of what it asks (its status has its own form)."""

    class Meta:
        model = Referral
        fields = [
            "partner",
            "whole_family",
            "members",
            "reason",
            "asked_on",
            "expected_answer_on",
            "notes",
        ]
        widgets = {
            "members": forms.CheckboxSelectMultiple,
            "asked_on": DateInput(),
            "expected_answer_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "expected_answer_on": _(
                "Is er dan nog geen antwoord, dan krijgt de vaste hulpverlener een herinnering."
            ),
        }
        error_messages = {"partner": {"invalid_choice": OTHER_TEAM_PARTNER}}

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family = family
        if self.instance.pk:
            # The partner of a referral is what it is; a referral elsewhere is a new one.
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partner_choices(family.team_id)
            self.fields["partner"].label_from_instance = lambda p: (
                f"{p.name} ({p.get_kind_display()})"
            )
            self.fields["asked_on"].initial = timezone.localdate()
        self.fields["members"].queryset = family.members.all()
        self.fields["members"].label_from_instance = _member_label
        self.fields["members"].error_messages["invalid_choice"] = _(
            "Kies alleen gezinsleden van dit gezin."
        )

    def clean_asked_on(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("asked_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        nobody = not cleaned.get("whole_family") and not cleaned.get("members")
        if nobody and "members" not in self.errors:
            self.add_error("members", _("Kies voor wie de verwijzing is, of ‘het hele gezin’."))
        asked, answer = cleaned.get("asked_on"), cleaned.get("expected_answer_on")
        if asked and answer and answer < asked:
            self.add_error(
                "expected_answer_on", _("Het antwoord kan niet vóór de aanvraag verwacht worden.")
            )
        return cleaned


class ReferralStatusForm(Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=())
    on = forms.DateField(label=_("Per"), widget=DateInput())
    expected_answer_on = forms.DateField(
        label=_("Nieuw antwoord verwacht op"),
        required=False,
        widget=DateInput(),
        help_text=_("Alleen invullen als de datum verschuift."),
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral
        labels = dict(ReferralStatus.choices)
        self.fields["status"].choices = [
            (value, labels[value]) for value in NEXT_STATUSES[referral.status]
        ]
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):  # type: ignore[no-untyped-def]
        on = not_in_future(self.cleaned_data.get("on"))
        if on and on < self.referral.asked_on:
            raise forms.ValidationError(
                _("Deze datum ligt vóór de aanvraag; kies een latere datum.")
            )
        return on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answer, on = cleaned.get("expected_answer_on"), cleaned.get("on")
        if answer and on and answer < on:
            self.add_error(
                "expected_answer_on", _("Kies een datum op of na de datum van de wijziging.")
            )
        return cleaned
