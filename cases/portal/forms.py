"""The family member's first visit: a password and (when required) the authenticator code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.accounts.forms import OTHER_PASSWORD_MESSAGE, PASSWORD_MESSAGES
from cases.formbase import Form
from cases.models import PORTAL_MESSAGE_MAX

DIGITS_ERROR = _("De code heeft 6 cijfers.")


class PortalEnrolForm(Form):
    text_limits = False  # a password and a code, not typed work

    password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens. Gebruik niet alleen cijfers."),
    )
    password2 = forms.CharField(
        label=_("Typ het wachtwoord nog een keer"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"min_length": DIGITS_ERROR, "max_length": DIGITS_ERROR},
    )

    def __init__(self, *args: Any, username: str, needs_app: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username = username
        if not needs_app:
            del self.fields["token"]

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise ValidationError(DIGITS_ERROR)
        return token

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk. Typ ze opnieuw."))
        elif first:
            try:
                password_validation.validate_password(
                    first, get_user_model()(username=self.username)
                )
            except ValidationError as error:
                for problem in error.error_list:
                    message = PASSWORD_MESSAGES.get(problem.code or "", OTHER_PASSWORD_MESSAGE)
                    self.add_error(
                        "password1",
                        ValidationError(message, code=problem.code, params=problem.params),
                    )
        return data


class PortalMessageForm(Form):
    """A message between the family and the team (both sides use it); Form shows the
    limit and refuses an over-long text without cutting it."""

    text = forms.CharField(
        label=_("Uw bericht"),
        max_length=PORTAL_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
