from __future__ import annotations

from typing import Any

from django import forms

from cases.models import Family


class PlanPdfRequestForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only a version of this family's plan.
        self.fields["plan"].queryset = family.plans.all()
