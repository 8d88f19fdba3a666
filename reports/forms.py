from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form, ModelForm
from cases.forms import DateInput, not_in_future
from cases.models import Family, FamilyRole, Partner, Team
from cases.records.forms import PartnerChoiceField, clean_partner_or_name
from cases.todo.forms import TITLE_MAX
from phases.models import PhaseKind
from reports.models import (
    EXIT_ITEMS,
    IMPLEMENTATION_AREAS,
    IMPLEMENTATION_ITEMS,
    IMPLEMENTATION_REMARK_MAX,
    SDM_ITEMS,
    CaseReview,
    QuestionnaireMoment,
)
from reports.questionnaires import (
    EXIT_QUESTIONS,
    EXIT_SCALE,
    IMPLEMENTATION_AREA_LABELS,
    IMPLEMENTATION_QUESTIONS,
    IMPLEMENTATION_SCALE,
    PRO_SDM_QUESTIONS,
    SDM_QUESTIONS,
    SDM_SCALE,
)

User = get_user_model()

# DOMAIN.md: from 12 a child shares in consent about its file; from then on it fills in the
# questionnaires itself as the young person.
YOUNG_PERSON_MIN_AGE = 12


class PlanPdfRequestForm(Form):
    plan = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    # Not every reader needs every part: ticked per export (reports.pdf.PlanPdfOptions).
    include_strengths = forms.BooleanField(
        label=_("Met de krachtenanalyse per gezinslid"), required=False
    )
    include_timeline = forms.BooleanField(label=_("Met de tijdlijn"), required=False)

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only a version of this family's plan.
        self.fields["plan"].queryset = family.plans.all()


class PlanShareForm(PlanPdfRequestForm):
    """The plan as PDF for an organisation outside the team: to whom, and is there consent?"""

    partner = PartnerChoiceField(label=_("Ontvanger (partner)"))
    organisation = forms.CharField(
        label=_("Ontvanger (organisatie)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld ‘Veilig Thuis’ of ‘Huisartsenpraktijk Zuidoost’."),
    )
    share_without_consent = forms.BooleanField(
        label=_(
            "Er is geen vastgelegde toestemming; ik deel het plan toch, omdat de wet dat "
            "toestaat (bijvoorbeeld de meldcode) of de toestemming nog wordt vastgelegd."
        ),
        required=False,
    )
    field_order = ["plan", "partner", "organisation"]

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, family=family, **kwargs)
        self.fields["partner"].offer(family)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        clean_partner_or_name(self, cleaned, name_field="organisation", required=True)
        return cleaned

    @property
    def recipient(self) -> str | Partner:
        """The chosen partner, or the name typed (after is_valid)."""
        return self.cleaned_data.get("partner") or self.cleaned_data["organisation"].strip()


FLAG_CHOICES = [
    ("", _("Alle")),
    ("attention", _("Vraagt aandacht")),
    ("safety", _("Veiligheidssignaal")),
    ("overdue", _("Fase over de geplande einddatum")),
    ("over_budget", _("Over het urenbudget")),
    ("under_band", _("Minder uren dan de fase vraagt")),
    ("above_band", _("Meer uren dan de fase vraagt")),
    ("no_contact", _("Geen recent contact")),
    ("review_due", _("Casusbespreking gepland")),
    ("tasks_overdue", _("Taken over tijd")),
    ("measure_ending", _("Maatregel loopt af")),
    ("sucked_in", _("Lang of intensief, niet besproken (ingezogen?)")),
]


class CaseloadFilterForm(Form):
    """The caseload's team choice and filters; choices come from rows already loaded."""

    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False)
    coach = forms.TypedChoiceField(
        label=_("Gezinscoach"), coerce=int, required=False, empty_value=None
    )
    phase = forms.ChoiceField(
        label=_("Fase"),
        required=False,
        choices=[("", _("Alle")), *PhaseKind.choices, ("none", _("Geen fase"))],
    )
    flag = forms.ChoiceField(label=_("Signaal"), required=False, choices=FLAG_CHOICES)

    def __init__(
        self, *args: Any, teams: list[Team], coaches: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]
        self.fields["coach"].choices = [("", _("Alle")), *coaches]


class YearForm(Form):
    """The team report's year; the team comes from ?team= (reports.views._chosen_team)."""

    year = forms.IntegerField(label=_("Jaar"), required=False, min_value=2000, max_value=2100)


class CaseReviewForm(ModelForm):
    follow_up_task = forms.CharField(
        label=_("Vervolgtaak voor de vaste hulpverlener (niet verplicht)"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("Komt in Mijn taken; bijvoorbeeld ‘school bellen’."),
    )

    class Meta:
        model = CaseReview
        fields = ["date", "participants", "notes", "decisions", "next_review_on"]
        widgets = {
            "date": DateInput(),
            "next_review_on": DateInput(),
            "participants": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only members of the family's team take part in its review.
        self.fields["participants"].queryset = (
            User.objects.filter(memberships__team_id=family.team_id)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["participants"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
        self.fields["participants"].required = True
        self.fields["date"].initial = timezone.localdate

    def clean_date(self) -> datetime.date:
        return not_in_future(self.cleaned_data["date"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date, next_on = data.get("date"), data.get("next_review_on")
        if date and next_on and next_on <= date:
            self.add_error(
                "next_review_on",
                _("Kies voor de volgende bespreking een datum na deze bespreking."),
            )
        return data


class _QuestionnaireForm(Form):
    member = forms.TypedChoiceField(label=_("Ingevuld door"), coerce=int)
    date = forms.DateField(
        label=_("Datum"), widget=DateInput(), validators=[not_in_future], initial=timezone.localdate
    )
    coach_present = forms.BooleanField(
        label=_("De hulpverlener was erbij toen de vragenlijst werd ingevuld"), required=True
    )

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A parent or young person of this family (members of another family are refused):
        # children answer from YOUNG_PERSON_MIN_AGE, the age at which they share in consent.
        self.members = {
            m.pk: m
            for m in family.members.all()
            if m.role != FamilyRole.CHILD or m.age is None or m.age >= YOUNG_PERSON_MIN_AGE
        }
        self.fields["member"].choices = [("", "---------")] + [
            (pk, m.name) for pk, m in self.members.items()
        ]


def _scale_field(label: str, scale: list[tuple[int, Any]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=scale, coerce=int, widget=forms.RadioSelect, required=True
    )


class SdmForm(_QuestionnaireForm):
    """SDM-Q-9: nine items 0–5; a value outside the scale is a form error."""

    moment = forms.ChoiceField(label=_("Moment"), choices=QuestionnaireMoment.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["member", "moment", "date", "coach_present"])
        for i in range(1, SDM_ITEMS + 1):
            self.fields[f"item_{i}"] = _scale_field(f"{i}. {SDM_QUESTIONS[i - 1]}", SDM_SCALE)

    @property
    def item_values(self) -> list[int]:
        return [self.cleaned_data[f"item_{i}"] for i in range(1, SDM_ITEMS + 1)]


class ExitForm(_QuestionnaireForm):
    comments = forms.CharField(
        label=_("Wat wilt u nog kwijt? (in eigen woorden)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        comments = self.fields.pop("comments")
        for name in EXIT_ITEMS:
            self.fields[name] = _scale_field(str(EXIT_QUESTIONS[name]), EXIT_SCALE)
        self.fields["comments"] = comments


class ProfessionalSdmForm(Form):
    """The professional's SDM about one family: nine items 0–5."""

    moment = forms.ChoiceField(label=_("Moment"), choices=QuestionnaireMoment.choices)
    date = forms.DateField(
        label=_("Datum"), widget=DateInput(), validators=[not_in_future], initial=timezone.localdate
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, SDM_ITEMS + 1):
            self.fields[f"item_{i}"] = _scale_field(f"{i}. {PRO_SDM_QUESTIONS[i - 1]}", SDM_SCALE)

    @property
    def item_values(self) -> list[int]:
        return [self.cleaned_data[f"item_{i}"] for i in range(1, SDM_ITEMS + 1)]


class ImplementationForm(Form):
    """What helps and hinders, per area: Likert 1–5 and an optional remark."""

    remark = forms.CharField(
        label=_("Wat helpt of hindert u nog meer? (zonder namen van gezinnen)"),
        required=False,
        max_length=IMPLEMENTATION_REMARK_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Uw opmerking komt in het teamrapport zonder uw naam, pas vanaf drie invullers."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        remark = self.fields.pop("remark")
        for area in IMPLEMENTATION_AREAS:
            for name in IMPLEMENTATION_ITEMS[area]:
                label = f"{IMPLEMENTATION_AREA_LABELS[area]}: {IMPLEMENTATION_QUESTIONS[name]}"
                self.fields[name] = _scale_field(label, IMPLEMENTATION_SCALE)
        self.fields["remark"] = remark

    @property
    def answers(self) -> dict[str, int]:
        return {
            name: self.cleaned_data[name]
            for names in IMPLEMENTATION_ITEMS.values()
            for name in names
        }
