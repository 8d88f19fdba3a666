"""The network's part of the contact form: which network members were present.

Listed in settings.CONTACT_FORM_EXTENSIONS; cases.forms.ContactForm adds the field and the
contact services keep it (cases/sections.py, ContactFormExtension). It feeds the network
member's "last contact" (network.models).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Contact, Family

FIELD = "network_members_present"


class NetworkMembersPresent:
    """The contact's network members present (NetworkMember.contacts)."""

    def field_names(self) -> tuple[str, ...]:
        return (FIELD,)

    def add_fields(self, form: forms.BaseForm, *, family: Family, contact: Contact | None) -> None:
        field = forms.ModelMultipleChoiceField(
            label=_("Aanwezige netwerkleden"),
            # Only this family's network: a foreign id is rejected as an invalid choice.
            queryset=family.network_members.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if contact is not None and contact.pk:
            field.initial = list(contact.network_members_present.all())
        form.fields[FIELD] = field

    def save(self, *, contact: Contact, values: Mapping[str, Any], created: bool = False) -> None:
        present = list(values.get(FIELD, ()))
        if created:
            # A new contact has no network members yet: add, without reading what is there.
            if present:
                contact.network_members_present.add(*present)
        else:
            contact.network_members_present.set(present)

    def snapshot(self, contact: Contact) -> dict[str, Any]:
        return {FIELD: sorted(m.pk for m in contact.network_members_present.all())}


network_members_present = NetworkMembersPresent()
