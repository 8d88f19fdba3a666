from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.conflicts import VersionedModelForm
from cases.forms import DateInput, not_in_future
from cases.models import Family, FamilyRole, LegalMeasure


class LegalMeasureForm(VersionedModelForm):
    class Meta:
        model = LegalMeasure
        fields = [
            "member",
            "kind",
            "urgent",
            "starts_on",
            "ends_on",
            "decided_on",
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

    def clean_decided_on(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("decided_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error(
                "ends_on", _("De einddatum ligt vóór de ingangsdatum; kies een latere einddatum.")
            )
        return cleaned
