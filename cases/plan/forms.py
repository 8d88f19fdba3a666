"""Forms of the family plan: validation only; the views hand cleaned data to plan.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cases.conflicts import VersionedModelForm
from cases.formbase import Form
from cases.forms import DateInput, bounded_formfield, not_in_future, version_field
from cases.models import (
    ActionSource,
    AgreementWay,
    Family,
    FamilyPlan,
    Member,
    PlanAction,
    PlanGoal,
    may_agree,
)

EVALUATION_SLOTS = 4


class PlanForm(VersionedModelForm):
    """The plan's own sections in one form: question, worries, safety, fallback, dates."""

    version = version_field()

    class Meta:
        model = FamilyPlan
        fields = [
            "central_question",
            "worries",
            "safety_conditions",
            "if_it_goes_differently",
        ]
        widgets = {
            "central_question": forms.Textarea(attrs={"rows": 2}),
            "worries": forms.Textarea(attrs={"rows": 3}),
            "safety_conditions": forms.Textarea(attrs={"rows": 3}),
            "if_it_goes_differently": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "central_question": _("De vraag van het gezin, in hun eigen woorden."),
            "safety_conditions": _(
                "Voorwaarden die een professional stelt; het gezin kan hier niet van afwijken."
            ),
            "if_it_goes_differently": _("Wat doen we als het anders loopt dan afgesproken?"),
        }

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dates = self.instance.evaluation_date_values() if self.instance.pk else []
        for i in range(EVALUATION_SLOTS):
            name = f"evaluation_{i + 1}"
            self.fields[name] = forms.DateField(
                label=_("Evaluatiedatum %(n)s") % {"n": i + 1},
                required=False,
                widget=DateInput(),
                initial=dates[i] if i < len(dates) else None,
            )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def plan_data(self) -> dict[str, Any]:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["evaluation_dates"] = [
            d
            for i in range(EVALUATION_SLOTS)
            if (d := self.cleaned_data.get(f"evaluation_{i + 1}")) is not None
        ]
        return data


class GoalForm(VersionedModelForm):
    version = version_field()

    class Meta:
        model = PlanGoal
        fields = ["domain", "owner", "text", "criterion", "status", "progress"]
        formfield_callback = bounded_formfield
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }
        error_messages = {
            "progress": {
                "min_value": _("De voortgang is een percentage: 0 tot en met 100."),
                "max_value": _("De voortgang is een percentage: 0 tot en met 100."),
            }
        }

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's members: a foreign id is rejected as an invalid choice.
        self.fields["owner"].queryset = family.members.all()
        self.fields["owner"].required = True
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def goal_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


def _who_groups(family: Family) -> list[tuple[str, str, list[str]]]:
    """(source, group label, names) from settings.PLAN_ACTION_WHO_CHOICES: colleagues and
    partners (cases.partners), the family's network (network)."""
    groups: list[tuple[str, str, list[str]]] = []
    for path in settings.PLAN_ACTION_WHO_CHOICES:
        groups.extend(import_string(path)(family))
    return [group for group in groups if group[2]]


class ActionForm(VersionedModelForm):
    version = version_field()
    # A name from the team, its partners or the family's network fills "who"; typing a
    # name stays possible (the plan stores the name, not a link).
    who_choice = forms.ChoiceField(
        label=_("Kies wie (netwerk of professional)"),
        required=False,
        help_text=_("Of typ hieronder een naam."),
    )

    class Meta:
        model = PlanAction
        fields = ["source", "member", "who_name", "what", "when", "goal", "status"]
        widgets = {"what": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "member": _("Als iemand uit het gezin de actie doet."),
            "who_name": _(
                "Naam en rol, bijvoorbeeld ‘oma Ria’ of ‘Anne, schoolmaatschappelijk werk’."
            ),
            "when": _("Bijvoorbeeld ‘elke woensdag’ of ‘voor 1 maart’."),
        }

    def __init__(self, *args: Any, family: Family, plan: FamilyPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = family.members.all()
        self._who_groups = _who_groups(family)
        self.fields["who_choice"].choices = [
            ("", "—"),
            *[
                (label, [(name, name) for name in names])
                for _source, label, names in self._who_groups
            ],
        ]
        self.order_fields(["source", "member", "who_choice", "who_name"])
        self.fields["goal"].queryset = plan.goals.all()
        self.fields["goal"].label_from_instance = lambda g: g.text[:80]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source = cleaned.get("source")
        member = cleaned.get("member")
        chosen = cleaned.pop("who_choice", "")
        if chosen:
            sources = {src for src, _label, names in self._who_groups if chosen in names}
            if source not in sources:
                self.add_error(
                    "who_choice",
                    _("Deze naam past niet bij ‘%(source)s’; kies iemand uit die groep.")
                    % {"source": ActionSource(source).label if source else "–"},
                )
            else:
                cleaned["who_name"] = chosen
        name = (cleaned.get("who_name") or "").strip()
        if source == ActionSource.FAMILY:
            if member is None:
                self.add_error("member", _("Kies wie uit het gezin deze actie doet."))
            cleaned["who_name"] = ""
        elif source in (ActionSource.NETWORK, ActionSource.PROFESSIONAL):
            if member is not None:
                self.add_error(
                    "member", _("Een gezinslid kiest u alleen bij een actie van het gezin.")
                )
            if not name:
                self.add_error("who_name", _("Vul in wie deze actie doet."))
        return cleaned

    def record_data(self) -> dict[str, Any]:
        data = super().record_data()
        data.pop("who_choice", None)
        return data

    def action_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class VersionForm(Form):
    """Carries the version a POST button was rendered with (fix, delete)."""

    version = version_field(required=True)


def _agreement_label(member: Member) -> str:
    why = _("gezag") if member.has_parental_authority else _("%(n)s jaar") % {"n": member.age}
    return f"{member.name} ({why})"


class AgreementForm(Form):
    """The family's agreement to the draft: who (gezag or 12+), when and how."""

    members = forms.ModelMultipleChoiceField(
        label=_("Wie gaf akkoord namens het gezin"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Gezinsleden met gezag of van 12 jaar en ouder."),
        error_messages={"required": _("Kies wie namens het gezin akkoord gaf.")},
    )
    agreed_on = forms.DateField(
        label=_("Akkoord op"),
        widget=DateInput(),
        error_messages={"required": _("Vul de datum van het akkoord in.")},
    )
    agreed_how = forms.ChoiceField(
        label=_("Hoe gaf het gezin akkoord"),
        choices=AgreementWay.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe het gezin akkoord gaf.")},
    )

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's members who may agree: anyone else is an invalid choice.
        eligible = [m.pk for m in family.members.all() if may_agree(m)]
        field = self.fields["members"]
        field.queryset = family.members.filter(pk__in=eligible)  # type: ignore[attr-defined]
        field.label_from_instance = _agreement_label  # type: ignore[attr-defined]

    def clean_agreed_on(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("agreed_on"))


class ReturnForm(Form):
    """The psychologist sends a draft back to the coach, with the reason."""

    reason = forms.CharField(
        label=_("Waarom gaat het plan terug naar de coach"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf op wat er nog moet gebeuren.")},
    )
