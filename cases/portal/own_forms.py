"""The family's own words in the portal, and the coordinator's refusal of a copy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form
from cases.models import COPY_REFUSAL_MAX, GOAL_REACTION_MAX

STATEMENT_MAX = 10_000  # ClientStatement.text


class GoalReactionForm(Form):
    text = forms.CharField(
        label=_("Uw reactie op dit doel"),
        max_length=GOAL_REACTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf eerst uw reactie. Er is niets opgeslagen.")},
        help_text=_(
            "In uw eigen woorden. Uw coach leest het. U kunt het later niet meer wijzigen."
        ),
    )


class PortalStatementForm(Form):
    text = forms.CharField(
        label=_("Uw verklaring"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Schrijf eerst uw verklaring. Er is niets opgeslagen.")},
        help_text=_(
            "Bent u het niet eens met wat in het dossier staat? Schrijf hier wat u ervan vindt. "
            "Uw verklaring komt bij het dossier. U kunt haar later niet meer wijzigen."
        ),
    )


class CopyRefuseForm(Form):
    reason = forms.CharField(
        label=_("Reden van weigeren (het gezin leest deze)"),
        max_length=COPY_REFUSAL_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf de reden op: het gezin krijgt die te lezen.")},
    )
