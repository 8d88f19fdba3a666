"""Professionals present at a contact: colleagues of the team and partners' contact people.

Listed in settings.CONTACT_FORM_EXTENSIONS, beside the network members present; the
contact services keep both fields and their revisions (cases/sections.py,
ContactFormExtension).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils.translation import gettext_lazy as _

from cases.aggregates import SEPARATOR, JoinedText
from cases.models import Contact, Family, PartnerContact
from cases.partners.forms import OTHER_TEAM_CONTACT

COLLEAGUES = "colleagues_present"
PARTNER_CONTACTS = "partner_contacts_present"


def colleagues(family: Family) -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__team_id=family.team_id)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def partner_contacts(family: Family, *, keep: list[PartnerContact] | None = None) -> Any:
    """The team's active partner contacts, plus those already on the record (`keep`), so a
    later archive never drops who was there from a correction."""
    choices = PartnerContact.objects.of_team(family.team_id).active()
    if keep:
        choices = choices | PartnerContact.objects.filter(pk__in=[c.pk for c in keep])
    return choices.select_related("partner").order_by("partner__name", "name").distinct()


def _user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


# Between the names of one aggregate: a character no name contains.
def _joined(through: Any, label: Any) -> Subquery:
    return Subquery(
        through.objects.filter(contact=OuterRef("pk"))
        .order_by()
        .values("contact")
        .annotate(names=JoinedText(label))
        .values("names")
    )


def professionals_present_column() -> dict[str, Any]:
    """For a list of contacts: who of the professionals was present, as the names shown
    (a colleague's full name or user name, a partner contact's `label`) in two annotations
    of the contacts' own query; `professionals_present_names` reads them."""
    full_name = Trim(Concat("user__first_name", Value(" "), "user__last_name"))
    colleague = Coalesce(NullIf(full_name, Value("")), F("user__username"))
    role = Case(
        When(~Q(partnercontact__role=""), then=Concat("partnercontact__role", Value(", "))),
        default=Value(""),
    )
    partner_contact = Concat(
        "partnercontact__name",
        Value(" ("),
        role,
        "partnercontact__partner__name",
        Value(")"),
        output_field=CharField(),
    )
    return {
        "colleague_names": _joined(Contact.colleagues_present.through, colleague),
        "partner_contact_names": _joined(Contact.partner_contacts_present.through, partner_contact),
    }


def professionals_present_names(contact: Contact) -> list[str]:
    """The names of professionals_present_column: the colleagues, then the partners'
    contact people, each alphabetically."""
    names: list[str] = []
    for column in ("colleague_names", "partner_contact_names"):
        joined = getattr(contact, column, None) or ""
        names += sorted((n for n in joined.split(SEPARATOR) if n), key=str.casefold)
    return names


class ProfessionalsPresent:
    def field_names(self) -> tuple[str, ...]:
        return (COLLEAGUES, PARTNER_CONTACTS)

    def add_fields(self, form: forms.BaseForm, *, family: Family, contact: Contact | None) -> None:
        existing = contact is not None and contact.pk is not None
        kept = list(contact.partner_contacts_present.all()) if existing else []  # type: ignore[union-attr]
        people = forms.ModelMultipleChoiceField(
            label=_("Aanwezige collega's"),
            # Only this family's team: another team's colleague is not on the list.
            queryset=colleagues(family),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Teamleden die er naast de vaste hulpverlener bij waren."),
        )
        people.label_from_instance = _user_label
        partners = forms.ModelMultipleChoiceField(
            label=_("Aanwezige professionals van partners"),
            queryset=partner_contacts(family, keep=kept),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": OTHER_TEAM_CONTACT},
        )
        partners.label_from_instance = lambda c: c.label
        if existing:
            people.initial = list(contact.colleagues_present.all())  # type: ignore[union-attr]
            partners.initial = kept
        form.fields[COLLEAGUES] = people
        form.fields[PARTNER_CONTACTS] = partners

    def save(self, *, contact: Contact, values: Mapping[str, Any], created: bool = False) -> None:
        for name in self.field_names():
            chosen = list(values.get(name, ()))
            if created:
                if chosen:
                    getattr(contact, name).add(*chosen)
            else:
                getattr(contact, name).set(chosen)

    def snapshot(self, contact: Contact) -> dict[str, Any]:
        return {
            name: sorted(getattr(contact, name).values_list("pk", flat=True))
            for name in self.field_names()
        }


professionals_present = ProfessionalsPresent()
