from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.conflicts import VersionedModelForm, version_field
from cases.formbase import Form
from cases.models import (
    ADULT_AGE,
    CASE_NUMBER_TAKEN,
    CONTACT_MAX_MINUTES,
    CONTACT_MIN_MINUTES,
    REGISSEUR_ONE_KIND,
    Contact,
    ContactKind,
    Family,
    FamilyStatus,
    LifeDomain,
    Member,
    PartnerContact,
    Referrer,
    Team,
    age_on,
)
from cases.sections import contact_form_extensions


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def not_in_future(value):  # type: ignore[no-untyped-def]
    if value and value > timezone.localdate():
        raise forms.ValidationError(
            _("Een datum in de toekomst kan niet; kies vandaag of een eerdere datum.")
        )
    return value


# Every number a form accepts has bounds that fit its column, so out-of-range input is a
# form error, never an OverflowError or a database error (tests/cases/test_bad_input.py
# walks every form and checks this).
def bounded_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:  # type: ignore[type-arg]
    """A ModelForm's `Meta.formfield_callback`: a number input gets its model field's bounds.

    The model field's MinValueValidator/MaxValueValidator (for integers Django adds the
    column's range to these) become the form field's min_value/max_value: the browser
    shows them, and the form refuses a number outside them before anything else runs.
    """
    if isinstance(db_field, models.IntegerField | models.DecimalField) and not db_field.choices:
        validators = db_field.validators
        lows = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
        highs = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
        if lows:
            kwargs.setdefault("min_value", max(lows))
        if highs:
            kwargs.setdefault("max_value", min(highs))
    return db_field.formfield(**kwargs)


class FamilyForm(VersionedModelForm):
    version = version_field()

    class Meta:
        model = Family
        fields = [
            "case_number",
            "display_name",
            "area",
            "team",
            "status",
            "referrer",
            "referrer_detail",
            "referral_date",
            "coach",
            "involved",
            "regisseur_user",
            "regisseur_contact",
        ]
        widgets = {
            "referral_date": DateInput(),
            "involved": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "display_name": _("Zoals het team het gezin noemt, bijvoorbeeld ‘Gezin Jansen’."),
            "referrer_detail": _("Naam of organisatie van de verwijzer, of ‘anders’ toegelicht."),
            "regisseur_user": _(
                "Wie het overzicht houdt als er veel professionals betrokken zijn: een teamlid…"
            ),
            "regisseur_contact": _("… of een contactpersoon van een partner (niet allebei)."),
        }
        error_messages = {
            "regisseur_contact": {
                "invalid_choice": _(
                    "Kies een contactpersoon van een partner van het team van dit gezin."
                )
            }
        }

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(pk__in=[team.pk for team in teams])
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]
        users = (
            get_user_model()
            .objects.filter(memberships__team__in=teams, is_active=True)
            .distinct()
            .order_by("first_name", "username")
        )
        # The vaste hulpverlener is someone who coaches families (settings.COACHING_ROLES).
        self.fields["coach"].queryset = users.filter(
            memberships__team__in=teams, memberships__role__in=settings.COACHING_ROLES
        ).distinct()
        self.fields["involved"].queryset = users
        self.fields["coach"].label_from_instance = _user_label
        self.fields["involved"].label_from_instance = _user_label
        if "regisseur_user" in self.fields:
            self.fields["regisseur_user"].queryset = users
            self.fields["regisseur_user"].label_from_instance = _user_label
            # The team's active partner contacts, and the one chosen before (even archived).
            contacts = PartnerContact.objects.filter(partner__team__in=teams).active()
            if self.instance.regisseur_contact_id:
                contacts = contacts | PartnerContact.objects.filter(
                    pk=self.instance.regisseur_contact_id
                )
            self.fields["regisseur_contact"].queryset = (
                contacts.select_related("partner").order_by("partner__name", "name").distinct()
            )
            self.fields["regisseur_contact"].label_from_instance = lambda c: c.label
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_case_number(self) -> str:
        case_number: str = self.cleaned_data["case_number"]
        # The same test as the database's constraint (family_case_number_unique_ci), so the
        # sentence appears on the field instead of an error page or a form-wide message.
        taken = Family.objects.alias(ci=Lower("case_number")).filter(ci=Lower(Value(case_number)))
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(CASE_NUMBER_TAKEN)
        return case_number

    def clean_referral_date(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("referral_date"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        team: Team | None = cleaned.get("team")
        if team is not None:
            for field in ("coach", "regisseur_user"):
                user = cleaned.get(field)
                if user and not user.memberships.filter(team=team).exists():
                    self.add_error(field, _("Kies iemand uit het team van dit gezin."))
            outsiders = [
                u
                for u in cleaned.get("involved") or []
                if not u.memberships.filter(team=team).exists()
            ]
            if outsiders:
                self.add_error("involved", _("Kies alleen teamleden van dit gezin."))
        if cleaned.get("regisseur_user") and cleaned.get("regisseur_contact"):
            self.add_error("regisseur_contact", REGISSEUR_ONE_KIND)
        contact = cleaned.get("regisseur_contact")
        if team is not None and contact is not None and contact.partner.team_id != team.pk:
            self.add_error(
                "regisseur_contact",
                _("Kies een contactpersoon van een partner van het team van dit gezin."),
            )
        if cleaned.get("referrer") == Referrer.OTHER and not cleaned.get("referrer_detail"):
            self.add_error("referrer_detail", _("Licht toe wie het gezin heeft aangemeld."))
        return cleaned


def _user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class SafetyForm(Form):
    safety_flag = forms.BooleanField(label=_("Veiligheidssignaal actief"), required=False)
    safety_note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("safety_flag") and not cleaned.get("safety_note", "").strip():
            self.add_error(
                "safety_note",
                _("Beschrijf kort waarom er een veiligheidssignaal is (meldcode)."),
            )
        return cleaned


class MemberForm(VersionedModelForm):
    class Meta:
        model = Member
        fields = ["name", "date_of_birth", "role", "lives_in_household", "has_parental_authority"]
        widgets = {"date_of_birth": DateInput()}

    def clean_date_of_birth(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("date_of_birth"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born = cleaned.get("date_of_birth")
        if (
            cleaned.get("has_parental_authority")
            and born
            and age_on(born, timezone.localdate()) < ADULT_AGE
        ):
            self.add_error(
                "has_parental_authority", _("Alleen een volwassene (18+) kan gezag hebben.")
            )
        return cleaned


class ContactForm(VersionedModelForm):
    """The contact log: few fields, fast to fill in on a tablet."""

    version = version_field()
    # Declared here so a negative number gets the same message as too few minutes (the
    # model field's own minimum is 0, which the message would otherwise name).
    minutes = forms.IntegerField(
        label=_("Minuten"),
        min_value=CONTACT_MIN_MINUTES,
        max_value=CONTACT_MAX_MINUTES,
        widget=forms.NumberInput(
            attrs={"min": CONTACT_MIN_MINUTES, "max": CONTACT_MAX_MINUTES, "step": 5}
        ),
        error_messages={
            "min_value": _("Minimaal %(limit_value)s minuten."),
            "max_value": _("Maximaal %(limit_value)s minuten (12 uur)."),
        },
    )
    domains = forms.MultipleChoiceField(
        label=_("Levensgebieden"),
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Contact
        fields = ["date", "start_time", "minutes", "kind", "members_present", "domains", "note"]
        widgets = {
            "date": DateInput(),
            # Native time picker: one tap on a tablet, no seconds.
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "members_present": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's members: a foreign id is rejected as an invalid choice.
        self.fields["members_present"].queryset = family.members.all()
        # Other apps' fields (the network members present): settings.CONTACT_FORM_EXTENSIONS.
        for extension in contact_form_extensions():
            extension.add_fields(self, family=family, contact=self.instance)
        if not self.instance.pk:
            # Most contacts are today's home visit: two fewer fields to touch.
            today = timezone.localdate()
            self.fields["date"].initial = today
            self.fields["kind"].initial = ContactKind.HOME_VISIT
            # Today's contact starts now; a contact on another day has no guessed time
            # (static/js/contact_time.js empties it when the date is changed).
            if self.initial.get("date", today) == today:
                now = timezone.localtime().time().replace(second=0, microsecond=0)
                self.fields["start_time"].initial = now
            start = self.fields["start_time"]
            start.widget.attrs["data-default-date"] = today.isoformat()
        else:
            self.fields["version"].initial = self.instance.version

    def clean_date(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("date"))


class FamilyFilterForm(Form):
    text_limits = False  # a search term, not typed work: the box keeps its maxlength

    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), *FamilyStatus.choices],
    )
