"""The family's own questionnaire forms in the portal: the same items and scales as the
staff forms (reports.forms), without the member, moment, date or the coach's tick; every
item is a group of radios (fieldset and legend) and is required."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form
from reports.models import EXIT_ITEMS, SDM_ITEMS
from reports.questionnaires import EXIT_QUESTIONS, EXIT_SCALE, SDM_QUESTIONS, SDM_SCALE

COMMENTS_MAX = 4000


def _radios(label: Any, scale: list[tuple[int, Any]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=scale,
        coerce=int,
        widget=forms.RadioSelect,
        required=True,  # the project's own sentences per field (cases.formbase)
    )


class _AllRequired(Form):
    @property
    def unanswered(self) -> bool:
        """A question left open or answered off the scale: the page says so above the form
        (templates/reports/portal/fill.html), each question says it too."""
        return self.is_bound and any(
            name in self.errors for name in self.fields if name != "comments"
        )


class PortalSdmForm(_AllRequired):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, SDM_ITEMS + 1):
            self.fields[f"item_{i}"] = _radios(f"{i}. {SDM_QUESTIONS[i - 1]}", SDM_SCALE)

    @property
    def item_values(self) -> list[int]:
        return [self.cleaned_data[f"item_{i}"] for i in range(1, SDM_ITEMS + 1)]


class PortalExitForm(_AllRequired):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, name in enumerate(EXIT_ITEMS, start=1):
            self.fields[name] = _radios(f"{n}. {EXIT_QUESTIONS[name]}", EXIT_SCALE)
        self.fields["comments"] = forms.CharField(
            label=_("Wilt u nog iets zeggen? Dat mag in uw eigen woorden (niet verplicht)."),
            required=False,
            max_length=COMMENTS_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    @property
    def answers(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in EXIT_ITEMS}
