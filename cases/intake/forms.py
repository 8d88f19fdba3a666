from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import FamilyForm, MemberForm

# Rows the intake starts with; "Nog een gezinslid" adds one more (without JavaScript).
MEMBER_ROWS = 2
MEMBER_ROWS_MAX = 30
MEMBERS_PREFIX = "members"


class IntakeForm(FamilyForm):
    """The family part of the intake: the case number may stay empty (the team's next one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The regisseur is named once partners are involved, on the family's own form.
        del self.fields["regisseur_user"], self.fields["regisseur_contact"]
        self.fields["case_number"].required = False
        self.fields["case_number"].help_text = _(
            "Leeg laten: het volgende nummer van het team wordt gegeven (bijvoorbeeld "
            "ZO-2026-007). Vul alleen een nummer in voor een dossier uit een ander systeem."
        )

    def clean_case_number(self) -> str:
        if not self.cleaned_data.get("case_number"):
            return ""
        return super().clean_case_number()


class IntakeMemberForm(MemberForm):
    """One row of members; a row left empty is skipped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True

    def has_changed(self) -> bool:
        # A row whose only change is the ticked-off "woont in het huishouden" box is still
        # an empty row: skipped, not refused for lack of a name.
        return any(name in self.changed_data for name in ("name", "date_of_birth", "role"))


MemberFormSet = forms.formset_factory(
    IntakeMemberForm,
    extra=MEMBER_ROWS,
    max_num=MEMBER_ROWS_MAX,
    absolute_max=MEMBER_ROWS_MAX,
    validate_max=True,
)


def member_formset(data: Any = None, *, add_row: bool = False) -> Any:
    """The members' rows. A post without the rows (the family alone) has none; `add_row`
    gives the posted rows back with one empty row more, keeping what was typed."""
    if data is not None:
        data = data.copy()
        total_key = f"{MEMBERS_PREFIX}-TOTAL_FORMS"
        if total_key not in data:
            data[total_key] = "0"
            data[f"{MEMBERS_PREFIX}-INITIAL_FORMS"] = "0"
        if add_row:
            try:
                total = int(data[total_key])
            except ValueError:
                total = 0
            data[total_key] = str(min(max(total, 0) + 1, MEMBER_ROWS_MAX))
    return MemberFormSet(data, prefix=MEMBERS_PREFIX)


def members_of(formset: Any) -> list[dict[str, Any]]:
    """The filled-in rows' data, in the order typed."""
    return [
        form.record_data()
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
