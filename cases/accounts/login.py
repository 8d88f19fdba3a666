"""The log-in form and the hooks that tune django-axes' lock-out (settings AXES_*).

Two locks, both counted over the cool-off (AXES_COOLOFF_TIME):
- a username from one address: LOCKOUT_USERNAME_FAILURE_LIMIT failures (typing errors,
  guessing one person's password);
- an address over all usernames: LOCKOUT_ADDRESS_FAILURE_LIMIT failures (username
  spraying: one guess each for many usernames). Higher, so one office behind a NAT is not
  locked by one person's typos.
Axes records every failure per username + address (AXES_LOCKOUT_PARAMETERS counts both
groups); `failure_limit` tells it which limit applies.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cases.formbase import FormRules

USERNAME = "username"
ADDRESS = "address"


def _username_max_length() -> int:
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    return int(field.max_length)  # type: ignore[union-attr,arg-type]


class LoginForm(FormRules, AuthenticationForm):
    """Django's log-in form, with the username's length checked on the server.

    AuthenticationForm sets `max_length` on its username field after the field is built, so
    only the HTML attribute limited it: any length reached authenticate() and django-axes,
    whose 255-character column turned a long username into a server error.
    """

    text_limits = False  # a username: the server checks its length, no counter
    error_messages = {
        "invalid_login": _(
            "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar. Let op hoofdletters."
        ),
        "inactive": _("Dit account is uitgeschakeld. Vraag uw coördinator om hulp."),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        limit = _username_max_length()
        message = _("Een gebruikersnaam heeft hoogstens %(limit_value)d tekens.")
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(limit, message=message))
        # The field's messages go over a validator's own (FormRules sets one for this code).
        field.error_messages["max_length"] = message


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


def _recent_failures(request: HttpRequest, **filters: Any) -> int:
    """Failed log-ins within the cool-off, summed the way axes sums them."""
    recent = AccessAttempt.objects.filter(
        attempt_time__gte=get_cool_off_threshold(request), **filters
    )
    return recent.aggregate(n=Sum("failures_since_start"))["n"] or 0


def lock_kind(request: HttpRequest, username: str | None) -> str:
    """Which lock governs this username from this address: USERNAME or ADDRESS.

    The username's own lock once it has used up its own limit here, the address's otherwise.
    The access log (cases.audit) and the lock-out page name it.
    """
    # axes sets `axes_ip_address` on each request it sees (honouring TRUSTED_PROXY_COUNT).
    address = request.axes_ip_address  # type: ignore[attr-defined]
    own_failures = _recent_failures(request, username=username, ip_address=address)
    return USERNAME if own_failures >= settings.LOCKOUT_USERNAME_FAILURE_LIMIT else ADDRESS


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    """AXES_FAILURE_LIMIT: the limit for this attempt.

    Axes compares one number with this limit: the highest failure count over
    AXES_LOCKOUT_PARAMETERS, which is always the address's (it includes this username's).
    So: the username limit once this username has reached it from this address (the
    address count is at least as high, so it locks), the address limit otherwise.
    """
    if lock_kind(request, get_client_username(request, credentials)) == USERNAME:
        return settings.LOCKOUT_USERNAME_FAILURE_LIMIT
    return settings.LOCKOUT_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler; a successful log-in clears less.

    With the address among AXES_LOCKOUT_PARAMETERS, axes would clear the whole address's
    failures on any successful log-in (AXES_RESET_ON_SUCCESS), so one valid account would
    reset the address count at will: spray nine usernames, log in, spray nine more.
    """

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        # Only this username's failures from this address, as before the address lock.
        count, _deleted = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return count


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lock-out page, saying which lock applies."""
    by_address = lock_kind(request, get_client_username(request, credentials)) == ADDRESS
    return render(
        request,
        "registration/locked_out.html",
        {"by_address": by_address, "failure_limit": failure_limit(request, credentials)},
        status=axes_settings.AXES_HTTP_RESPONSE_CODE,
    )
