"""The coordinator's form for one working element of the team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cases.conflicts import VersionedModelForm
from cases.models import WORKING_ELEMENT_TAKEN, Team, WorkingElement


class WorkingElementForm(VersionedModelForm):
    order = forms.IntegerField(
        label=_("Volgorde"),
        min_value=0,
        max_value=9999,
        help_text=_("Een lager getal staat eerder op het contactformulier."),
    )

    class Meta:
        model = WorkingElement
        fields = ["label", "order", "active"]

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        if not self.instance.pk:
            # A new element goes last and is in use: only its name is asked.
            del self.fields["order"]
            del self.fields["active"]

    def clean_label(self) -> str:
        # One line, single spaces: the contact list joins the labels with a separator.
        label = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise forms.ValidationError(self.fields["label"].error_messages["required"])
        # The test of working_element_label_unique_per_team, so the sentence is on the field.
        taken = WorkingElement.objects.filter(team=self.team).alias(ci=Lower("label"))
        taken = taken.filter(ci=Lower(Value(label)))
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(WORKING_ELEMENT_TAKEN)
        return label
