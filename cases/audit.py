"""Log-ins, log-outs, failed log-ins and lock-outs in the NEN 7513 access log.

Signal receivers, because this is logging of what django.contrib.auth and django-axes
already do, not business logic. Connected in CasesConfig.ready().
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from cases.accounts.login import ADDRESS, USERNAME, lock_kind
from cases.models import AccessAction, AccessLog, AccessOutcome


def _path(request: HttpRequest | None) -> str:
    return _fit(request.path, "path") if request is not None else ""


def _fit(text: object, field: str) -> str:
    """`text` as it fits in AccessLog.<field>: without NUL (PostgreSQL refuses it), cut to
    the column's length, so an attempted log-in can never fail on its own log row."""
    max_length = AccessLog._meta.get_field(field).max_length  # type: ignore[union-attr]
    return str(text).replace("\x00", "")[:max_length]


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=AccessAction.LOGIN,
        outcome=AccessOutcome.ALLOWED,
        path=_path(request),
    )


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # the session had already ended
        return
    AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=AccessAction.LOGOUT,
        outcome=AccessOutcome.ALLOWED,
        path=_path(request),
    )


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # `credentials` arrives with the password already masked by Django.
    AccessLog.objects.create(
        username=_fit(credentials.get("username", ""), "username"),
        action=AccessAction.LOGIN_FAILED,
        outcome=AccessOutcome.DENIED,
        path=_path(request),
    )


# Which lock refused the log-in (cases.accounts.login.lock_kind), in the row's `object`.
LOCKED_OUT = {
    USERNAME: "geblokkeerd: te veel mislukte pogingen met deze gebruikersnaam vanaf dit adres",
    ADDRESS: "geblokkeerd: te veel mislukte pogingen vanaf dit adres",
}


def on_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    # axes sends this, always with the request, for the attempt that reaches a limit and for
    # each refused attempt after it.
    AccessLog.objects.create(
        username=_fit(username or "", "username"),
        action=AccessAction.LOGIN_FAILED,
        outcome=AccessOutcome.DENIED,
        object=LOCKED_OUT[lock_kind(request, username)],
        path=_path(request),
    )


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="cases.audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="cases.audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="cases.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="cases.audit.locked_out")
