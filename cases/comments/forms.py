from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form
from cases.models import COMMENT_MAX


class CommentForm(Form):
    text = forms.CharField(
        label=_("Opmerking"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "De opmerking wordt deel van het dossier, met uw naam en de tijd. Niemand kan haar "
            "wijzigen of verwijderen; een correctie is een nieuwe opmerking."
        ),
    )
