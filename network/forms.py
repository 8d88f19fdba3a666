from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.conflicts import VersionedModelForm
from cases.formats import short_date
from cases.formbase import Form, ModelForm
from cases.forms import DateInput, bounded_formfield, not_in_future
from cases.models import Family, FamilyRole, Member, PlanGoal, Team
from network.models import (
    Agreement,
    AgreementWho,
    Krachtgezin,
    KrachtgezinMatch,
    NetworkMeeting,
    NetworkMember,
    Outcome,
    RespiteStay,
    SpecialRole,
    SupportType,
)

# A respite stay is "a day or a weekend" (seeds/001); longer is a placement, not respite.
MAX_STAY_HOURS = 72


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class QuickAddForm(ModelForm):
    """The first step of the network page: who finds it important that the children are OK?"""

    class Meta:
        model = NetworkMember
        fields = ["name", "relation", "circle"]
        help_texts = {"relation": ""}


class NetworkMemberForm(VersionedModelForm):
    support_types = forms.MultipleChoiceField(
        label=_("Soorten steun"),
        choices=SupportType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = NetworkMember
        fields = [
            "name",
            "relation",
            "circle",
            "closeness",
            "quality",
            "direction",
            "support_types",
            "contact_frequency",
            "finds_important",
            "willing_to_contribute",
            "contribution",
            "special_role",
            "chosen_by",
            "safety_risk",
            "safety_note",
            "phone",
            "note",
        ]
        widgets = {
            "contribution": forms.Textarea(attrs={"rows": 2}),
            "safety_note": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The young people of this family: a member of another family is an invalid choice.
        self.fields["chosen_by"].queryset = Member.objects.filter(
            family_id=self.instance.family_id, role=FamilyRole.CHILD
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("safety_risk") and not (cleaned.get("safety_note") or "").strip():
            self.add_error("safety_note", _("Beschrijf kort wat het veiligheidsrisico is."))
        is_jim = cleaned.get("special_role") == SpecialRole.JIM
        if is_jim and not cleaned.get("chosen_by") and "chosen_by" not in self.errors:
            self.add_error("chosen_by", _("Kies de jongere die deze JIM heeft gekozen."))
        elif not is_jim and cleaned.get("chosen_by"):
            self.add_error(
                "chosen_by",
                _("Alleen een JIM is gekozen door een jongere; kies de rol JIM of laat dit leeg."),
            )
        return cleaned


class AgreementForm(VersionedModelForm):
    class Meta:
        model = Agreement
        fields = [
            "who_kind",
            "family_member",
            "network_member",
            "professional",
            "what",
            "due_date",
            "frequency",
            "status",
            "meeting",
            "goal",
        ]
        widgets = {
            "who_kind": forms.RadioSelect,
            "due_date": DateInput(),
            "what": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"due_date": _("Laat leeg bij een afspraak die steeds terugkomt.")}

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's people and meetings: a foreign id is an invalid choice.
        self.fields["family_member"].queryset = family.members.all()
        self.fields["network_member"].queryset = family.network_members.all()
        self.fields["meeting"].queryset = family.network_meetings.all()
        # Goals of the plan's latest version (a goal of another family is an invalid choice);
        # an agreement already tied to a goal of an older version keeps it.
        latest = family.plans.order_by("-number").first()
        goals = PlanGoal.objects.filter(plan=latest) if latest else PlanGoal.objects.none()
        if self.instance.goal_id:
            goals = goals | PlanGoal.objects.filter(pk=self.instance.goal_id, plan__family=family)
        self.fields["goal"].queryset = goals.order_by("pk")
        self.fields["goal"].label_from_instance = lambda goal: goal.text[:80]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        who = cleaned.get("who_kind")
        required = {
            AgreementWho.FAMILY_MEMBER: ("family_member", _("Kies het gezinslid.")),
            AgreementWho.NETWORK_MEMBER: ("network_member", _("Kies het netwerklid.")),
            AgreementWho.PROFESSIONAL: ("professional", _("Vul in welke professional.")),
        }
        if who in required:
            field, message = required[who]
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)
            # Keep only the "who" that was chosen.
            for other, _unused in required.values():
                if other != field:
                    cleaned[other] = "" if other == "professional" else None
        when = cleaned.get("due_date") or (cleaned.get("frequency") or "").strip()
        if not when and "due_date" not in self.errors:
            self.add_error("due_date", _("Vul in wanneer, of hoe vaak (hieronder)."))
        return cleaned


class MeetingForm(VersionedModelForm):
    class Meta:
        model = NetworkMeeting
        fields = [
            "kind",
            "date",
            "family_members",
            "network_members",
            "other_participants",
            "outcomes",
            "next_evaluation",
        ]
        widgets = {
            "date": DateInput(),
            "next_evaluation": DateInput(),
            "family_members": forms.CheckboxSelectMultiple,
            "network_members": forms.CheckboxSelectMultiple,
            "outcomes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Participants of this family only: a foreign id is an invalid choice.
        self.fields["family_members"].queryset = family.members.all()
        self.fields["network_members"].queryset = family.network_members.all()
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date, next_evaluation = cleaned.get("date"), cleaned.get("next_evaluation")
        if date and next_evaluation and next_evaluation <= date:
            self.add_error(
                "next_evaluation", _("De evaluatie komt na de bijeenkomst: kies een latere datum.")
            )
        nobody = not cleaned.get("family_members") and not cleaned.get("network_members")
        if nobody and not {"network_members", "family_members"} & set(self.errors):
            self.add_error("network_members", _("Kies wie er bij de bijeenkomst waren."))
        return cleaned


AGREEMENT_FIELD_PREFIX = "agreement_"


class EvaluationForm(Form):
    """Per agreement: did it happen? Fields are made for this family's agreements only."""

    date = forms.DateField(label=_("Datum evaluatie"), widget=DateInput())
    note = forms.CharField(
        label=_("Notitie"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    next_evaluation = forms.DateField(
        label=_("Volgende evaluatie"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, agreements: list[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.agreements = agreements
        choices = [("", _("Niet besproken")), *Outcome.choices]
        for agreement in agreements:
            self.fields[f"{AGREEMENT_FIELD_PREFIX}{agreement.pk}"] = forms.ChoiceField(
                label=f"{agreement.who_display}: {agreement.what}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def clean_date(self) -> datetime.date | None:
        return not_in_future(self.cleaned_data.get("date"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date, next_evaluation = cleaned.get("date"), cleaned.get("next_evaluation")
        if date and next_evaluation and next_evaluation <= date:
            self.add_error("next_evaluation", _("Kies een datum na deze evaluatie."))
        if self.agreements and not self.outcomes():
            self.add_error(None, _("Geef bij minstens één afspraak aan of die is gebeurd."))
        return cleaned

    def outcomes(self) -> dict[int, str]:
        result = {}
        for agreement in self.agreements:
            value = self.cleaned_data.get(f"{AGREEMENT_FIELD_PREFIX}{agreement.pk}")
            if value:
                result[agreement.pk] = value
        return result


class KrachtgezinForm(VersionedModelForm):
    """The Krachtgezin itself, as it is in the team's pool."""

    class Meta:
        model = Krachtgezin
        formfield_callback = bounded_formfield
        fields = ["name", "contact_person", "phone", "registration", "hours_per_week", "active"]
        error_messages = {
            "hours_per_week": {
                "min_value": _("Minimaal %(limit_value)s uur."),
                "max_value": _("Maximaal %(limit_value)s uur per week."),
            }
        }


class KrachtgezinPoolForm(KrachtgezinForm):
    """A new Krachtgezin for the pool; a coordinator of two teams chooses the team."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())

    class Meta(KrachtgezinForm.Meta):
        pass

    def __init__(self, *args: Any, teams: Sequence[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(teams) > 1:
            self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
            self.order_fields(["team"])
        else:
            del self.fields["team"]
        del self.fields["active"]  # a new one is available


MATCH_FIELDS = [
    "intro_date",
    "intro_third_person",
    "click_family",
    "click_krachtgezin",
    "safety",
    "goals",
    "intro_note",
]


class KrachtgezinMatchForm(VersionedModelForm):
    """The matching with one family: the kennismakingsgesprek and the goals."""

    class Meta:
        model = KrachtgezinMatch
        formfield_callback = bounded_formfield
        fields = MATCH_FIELDS
        widgets = {
            "intro_date": DateInput(),
            "click_family": forms.RadioSelect,
            "click_krachtgezin": forms.RadioSelect,
            "safety": forms.RadioSelect,
            "goals": forms.Textarea(attrs={"rows": 3}),
            "intro_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("click_family", "click_krachtgezin", "safety"):
            # Blank is "not asked yet": the radio buttons offer only the three answers.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_intro_date(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("intro_date"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        held = any(cleaned.get(name) for name in ("click_family", "click_krachtgezin", "safety"))
        if held and not cleaned.get("intro_date") and "intro_date" not in self.errors:
            self.add_error("intro_date", _("Vul de datum van het kennismakingsgesprek in."))
        return cleaned


class KrachtgezinMatchCreateForm(KrachtgezinMatchForm):
    """Koppelen: a free Krachtgezin of the family's team, and what is known of the matching."""

    krachtgezin = forms.ModelChoiceField(
        label=_("Krachtgezin uit de pool"),
        queryset=Krachtgezin.objects.none(),
        help_text=_("Alleen krachtgezinnen van uw team die nu geen ander gezin ondersteunen."),
    )

    class Meta(KrachtgezinMatchForm.Meta):
        fields = MATCH_FIELDS

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Busy ones are left out; one taken meanwhile is refused by the service.
        self.fields["krachtgezin"].queryset = Krachtgezin.objects.filter(
            team_id=family.team_id, active=True
        ).exclude(pk__in=KrachtgezinMatch.objects.open().values("krachtgezin"))
        self.order_fields(["krachtgezin", *MATCH_FIELDS])


class KrachtgezinMatchEndForm(Form):
    ended_on = forms.DateField(label=_("Beëindigd op"), widget=DateInput())

    def __init__(self, *args: Any, match: KrachtgezinMatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.match = match
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_ended_on(self):  # type: ignore[no-untyped-def]
        ended_on = not_in_future(self.cleaned_data.get("ended_on"))
        if ended_on and ended_on < self.match.started_on:
            raise forms.ValidationError(
                _("Het einde kan niet vóór de koppeling liggen (%(date)s).")
                % {"date": short_date(self.match.started_on)}
            )
        return ended_on


class RespiteStayForm(ModelForm):
    class Meta:
        model = RespiteStay
        fields = ["child", "start", "end", "note"]
        widgets = {"start": DateTimeInput(), "end": DateTimeInput()}

    def __init__(self, *args: Any, krachtgezin: Krachtgezin, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.krachtgezin = krachtgezin
        # Only children of the supported family: a foreign id is an invalid choice.
        self.fields["child"].queryset = family.members.filter(role=FamilyRole.CHILD)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.krachtgezin.is_matched:
            raise forms.ValidationError(
                _("Opvang kan pas na een kennismaking met klik én gevoel van veiligheid.")
            )
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end <= start:
                self.add_error(
                    "end", _("Het einde moet na het begin liggen; kies een later einde.")
                )
            elif (end - start).total_seconds() > MAX_STAY_HOURS * 3600:
                self.add_error(
                    "end",
                    _("Opvang is voor een dag of een weekend: hooguit %(h)d uur.")
                    % {"h": MAX_STAY_HOURS},
                )
            elif (
                self.krachtgezin.stays.filter(start__lt=end, end__gt=start)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error(
                    "start", _("Er is al opvang in deze periode; kies een andere periode.")
                )
        return cleaned
