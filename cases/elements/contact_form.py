"""The working elements of a contact, ticked in one tap on the contact form.

Listed in settings.CONTACT_FORM_EXTENSIONS; cases.forms.ContactForm adds the field and the
contact services keep it (cases/sections.py, ContactFormExtension). The choices are the
team's active elements, plus those already on the contact (a deactivated element stays).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Contact, Family, WorkingElement

FIELD = "working_elements"


def element_choices(family: Family, *, keep: list[WorkingElement] | None = None) -> Any:
    choices = WorkingElement.objects.of_team(family.team_id).active()
    if keep:
        choices = choices | WorkingElement.objects.filter(pk__in=[e.pk for e in keep])
    return choices.order_by("order", "label", "pk").distinct()


class WorkingElements:
    def field_names(self) -> tuple[str, ...]:
        return (FIELD,)

    def add_fields(self, form: forms.BaseForm, *, family: Family, contact: Contact | None) -> None:
        existing = contact is not None and contact.pk is not None
        kept = list(contact.working_elements.all()) if existing else []  # type: ignore[union-attr]
        field = forms.ModelMultipleChoiceField(
            label=_("Werkzame elementen"),
            # Only this family's team: another team's element is an invalid choice.
            queryset=element_choices(family, keep=kept),
            required=False,
            # Toggle buttons, one tap each (static/css/app.css, #div_id_working_elements).
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Waar werkte u aan in dit contact? Tik aan wat van toepassing is."),
        )
        if existing:
            field.initial = kept
        form.fields[FIELD] = field

    def save(self, *, contact: Contact, values: Mapping[str, Any], created: bool = False) -> None:
        chosen = list(values.get(FIELD, ()))
        if created:
            if chosen:
                contact.working_elements.add(*chosen)
        else:
            contact.working_elements.set(chosen)

    def snapshot(self, contact: Contact) -> dict[str, Any]:
        return {FIELD: sorted(contact.working_elements.values_list("pk", flat=True))}


working_elements = WorkingElements()
