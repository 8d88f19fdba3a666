from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form


class SearchForm(Form):
    q = forms.CharField(
        label=_("Zoek een gezin of gezinslid"),
        min_length=2,
        max_length=100,
        strip=True,
        help_text=_("Naam (ook een deel), geboortedatum (dd-mm-jjjj), dossiernummer of wijk."),
        error_messages={
            "required": _("Typ waarop u wilt zoeken."),
            "min_length": _("Typ minstens %(limit_value)d tekens."),
        },
    )
