from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.conflicts import VersionedModelForm
from cases.forms import DateInput, not_in_future
from cases.models import Family, FamilyRole, LegalMeasure, PartnerKind
from cases.records.forms import PartnerChoiceField, clean_partner_or_name


class LegalMeasureForm(VersionedModelForm):
    partner = PartnerChoiceField(
        label=_("Gecertificeerde instelling (partner)"),
        help_text=_("De gecertificeerde instellingen van het team staan bovenaan."),
    )

    class Meta:
        model = LegalMeasure
        fields = [
            "member",
            "kind",
            "urgent",
            "starts_on",
            "ends_on",
            "decided_on",
            "partner",
            "institution",
            "note",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "decided_on": DateInput(),
        }

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's children: another family's member is an invalid choice.
        self.fields["member"].queryset = family.members.filter(role=FamilyRole.CHILD)
        self.fields["partner"].offer(
            family,
            keep=self.instance.partner_id if self.instance.pk else None,
            first_kind=PartnerKind.CERTIFIED_INSTITUTION,
        )
        self.fields["institution"].label = _("Gecertificeerde instelling (anders)")
        self.fields["institution"].help_text = _(
            "Alleen invullen als de GI geen partner van het team is."
        )

    def clean_decided_on(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("decided_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error(
                "ends_on", _("De einddatum ligt vóór de ingangsdatum; kies een latere einddatum.")
            )
        clean_partner_or_name(self, cleaned, name_field="institution", required=False)
        return cleaned
