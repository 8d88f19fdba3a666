"""Django's password change form, refusing in the project's own sentences."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.formbase import FormRules

# By the codes of Django's validators (settings.AUTH_PASSWORD_VALIDATORS).
PASSWORD_MESSAGES: dict[str, Any] = {
    "password_too_short": _("Dit wachtwoord is te kort: gebruik minstens %(min_length)s tekens."),
    "password_too_similar": _(
        "Dit wachtwoord lijkt te veel op uw %(verbose_name)s. Kies een ander."
    ),
    "password_too_common": _("Dit wachtwoord wordt te vaak gebruikt. Kies een ander."),
    "password_entirely_numeric": _(
        "Een wachtwoord van alleen cijfers is te makkelijk te raden. Gebruik ook letters."
    ),
}
OTHER_PASSWORD_MESSAGE = _("Dit wachtwoord is niet sterk genoeg. Kies een ander.")


class PasswordChangeForm(FormRules, auth_forms.PasswordChangeForm):
    text_limits = False  # a password is typed, not pasted as a text; no counter
    error_messages = {
        "password_mismatch": _("De twee nieuwe wachtwoorden zijn niet gelijk. Typ ze opnieuw."),
        "password_incorrect": _("Uw huidige wachtwoord klopt niet. Typ het opnieuw."),
    }

    def validate_password_for_user(self, user: Any, password_field_name: str = "password2") -> None:  # noqa: S107
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            for problem in error.error_list:
                message = PASSWORD_MESSAGES.get(problem.code or "", OTHER_PASSWORD_MESSAGE)
                self.add_error(
                    password_field_name,
                    ValidationError(message, code=problem.code, params=problem.params),
                )
