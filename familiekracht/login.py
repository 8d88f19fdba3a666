"""The log-in form and the hooks that tune django-axes (settings AXES_*)."""

from __future__ import annotations

from typing import Any

from axes.conf import settings as axes_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _username_max_length() -> int:
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    return int(field.max_length)  # type: ignore[union-attr,arg-type]


class LoginForm(AuthenticationForm):
    """Django's log-in form, with the username's length checked on the server.

    AuthenticationForm sets `max_length` on its username field after the field is built, so
    only the HTML attribute limited it: any length reached authenticate() and django-axes,
    whose 255-character column turned a long username into a server error.
    """

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        limit = _username_max_length()
        self.fields["username"].validators.append(
            MaxLengthValidator(
                limit,
                message=_("Een gebruikersnaam heeft hoogstens %(limit_value)d tekens."),
            )
        )


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the attempted username as axes stores and counts it.

    Our log-in form refuses an overlong or NUL-containing username before authenticate();
    this also covers the other ways in (the admin's log-in form), so a username that is no
    username at all cannot overflow axes' column or carry a NUL PostgreSQL refuses.
    """
    field = axes_settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    return str(username).replace("\x00", "")[: _username_max_length()]
