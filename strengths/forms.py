from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from cases.conflicts import MergeableForm, VersionedModelForm
from cases.formbase import Form, ModelForm
from cases.forms import DateInput, not_in_future, version_field
from cases.models import Family, LifeDomain
from strengths.models import (
    EVENT_MAX_YEAR,
    EVENT_MIN_YEAR,
    SEVERITY_CHOICES,
    STRENGTH_CHOICES,
    DatePrecision,
    MemberAnalysis,
    Moment,
    MomentKind,
    TimelineEvent,
)

EMPTY_CHOICE = ("", _("Kies…"))


class MomentForm(ModelForm):
    class Meta:
        model = Moment
        fields = ["kind", "date"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("date"))

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if (
            kind != MomentKind.INTERIM
            and Moment.objects.filter(family=self.family, kind=kind).exists()
        ):
            raise forms.ValidationError(
                _("Dit gezin heeft al een meetmoment ‘%(kind)s’."),
                params={"kind": MomentKind(kind).label},
            )
        return kind


class SheetForm(Form):
    """The hidden version the scoring page started from (optimistic locking)."""

    version = version_field()


def _share_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )


class DomainScoreForm(MergeableForm):
    """The score of one life domain; the scoring page shows seven, prefixed by domain code."""

    severity = forms.TypedChoiceField(
        label=_("Ernst (1–5)"), coerce=int, choices=[EMPTY_CHOICE, *SEVERITY_CHOICES]
    )
    strength = forms.TypedChoiceField(
        label=_("Kracht (0–3)"), coerce=int, choices=[EMPTY_CHOICE, *STRENGTH_CHOICES]
    )
    own_words = forms.CharField(
        label=_("In de woorden van het gezin"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    problem_present = forms.BooleanField(label=_("Probleem aanwezig"), required=False)
    long_lasting = forms.BooleanField(label=_("Langdurig probleem"), required=False)
    share_own = _share_field(_("Eigen kracht (%)"))
    share_network = _share_field(_("Netwerk (%)"))
    share_professional = _share_field(_("Professionele hulp (%)"))

    SHARES = ("share_own", "share_network", "share_professional")

    def __init__(self, *args: Any, domain: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", domain)
        super().__init__(*args, **kwargs)
        self.domain = domain
        self.domain_label = LifeDomain(domain).label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("long_lasting") and not cleaned.get("problem_present"):
            self.add_error(
                "problem_present",
                _("Een langdurig probleem is ook een probleem: vink ‘probleem aanwezig’ aan."),
            )
        shares = [cleaned.get(name) for name in self.SHARES]
        given = [s for s in shares if s is not None]
        fields_ok = all(name not in self.errors for name in self.SHARES)
        if given and fields_ok:
            if len(given) != len(shares):
                self.add_error(
                    "share_own",
                    _("Vul de drie aandelen allemaal in (samen 100%), of laat ze alle drie leeg."),
                )
            elif sum(given) != 100:
                self.add_error(
                    "share_own",
                    _("De aandelen tellen op tot %(total)s%%; samen moeten ze 100%% zijn.")
                    % {"total": sum(given)},
                )
        return cleaned


class AnalysisForm(VersionedModelForm):
    version = version_field()

    class Meta:
        model = MemberAnalysis
        fields = ["member", "date", "filled_in_by", "strengths", "wishes", "worries"]
        widgets = {
            "date": DateInput(),
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "wishes": forms.Textarea(attrs={"rows": 4}),
            "worries": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "strengths": _("Wat gaat goed, waar is hij of zij trots op? In eigen woorden."),
        }

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The member of an existing analysis does not change.
            del self.fields["member"]
            self.fields["version"].initial = self.instance.version
        else:
            # Only this family's members: a foreign id is rejected as an invalid choice.
            self.fields["member"].queryset = family.members.all()
            self.fields["date"].initial = timezone.localdate()

    def clean_date(self):  # type: ignore[no-untyped-def]
        return not_in_future(self.cleaned_data.get("date"))

    def clean_member(self):  # type: ignore[no-untyped-def]
        member = self.cleaned_data["member"]
        if MemberAnalysis.objects.filter(member=member).exists():
            raise forms.ValidationError(
                _("%(name)s heeft al een krachtenanalyse; wijzig die."),
                params={"name": member.name},
            )
        return member

    def validate_unique(self) -> None:
        # clean_member gives the Dutch message; the model's own check would repeat it.
        pass


class EventForm(VersionedModelForm):
    version = version_field()
    # Declared with bounds: a huge day or year would overflow datetime.date in clean().
    # The upper year is the database's check (strengths_event_year_range); a year up to
    # it that lies ahead is refused in clean() with the same sentence.
    year = forms.IntegerField(
        label=_("Jaar"),
        min_value=EVENT_MIN_YEAR,
        max_value=EVENT_MAX_YEAR,
        error_messages={
            "min_value": _("Vul een jaar vanaf %(limit_value)s in."),
            "max_value": _("Een datum in de toekomst kan niet; kies vandaag of een eerdere datum."),
        },
    )
    day = forms.IntegerField(
        label=_("Dag"),
        required=False,
        min_value=1,
        max_value=31,
        error_messages={
            "min_value": _("Vul een dag van 1 tot en met 31 in."),
            "max_value": _("Vul een dag van 1 tot en met 31 in."),
        },
    )
    month = forms.TypedChoiceField(
        label=_("Maand"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("–")), *MONTHS.items()],
    )

    class Meta:
        model = TimelineEvent
        fields = ["precision", "day", "month", "year", "kind", "description", "members"]
        widgets = {
            "precision": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "members": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "precision": _("Weet het gezin alleen het jaar, of de maand en het jaar? Kies dat."),
        }

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this family's members: a foreign id is rejected as an invalid choice.
        self.fields["members"].queryset = family.members.all()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        precision = cleaned.get("precision")
        year, month, day = cleaned.get("year"), cleaned.get("month"), cleaned.get("day")
        # Also when the year is missing: otherwise the database's check that the fields match
        # the precision (strengths_event_fields_match_precision) would be the one to refuse.
        if precision is None or any(f in self.errors for f in ("month", "day")):
            return cleaned
        if precision in (DatePrecision.MONTH, DatePrecision.DAY) and month is None:
            self.add_error("month", _("Kies de maand, of zet de nauwkeurigheid op ‘jaar’."))
        if precision == DatePrecision.DAY and day is None:
            self.add_error("day", _("Vul de dag in, of zet de nauwkeurigheid op ‘maand’."))
        # Keep only the fields the precision asks for, so a stray value cannot mis-sort.
        if precision == DatePrecision.YEAR:
            month = day = None
        elif precision == DatePrecision.MONTH:
            day = None
        cleaned["month"], cleaned["day"] = month, day
        if self.errors or year is None:
            return cleaned
        try:
            first_day = datetime.date(year, month or 1, day or 1)
        except ValueError:
            self.add_error("day", _("Deze datum bestaat niet."))
            return cleaned
        if first_day > timezone.localdate():
            self.add_error(
                "year", _("Een datum in de toekomst kan niet; kies vandaag of een eerdere datum.")
            )
        return cleaned
