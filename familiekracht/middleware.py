"""Project-wide security middleware: session limits, the second factor, no caching.

Order in settings.MIDDLEWARE matters: SessionLimitMiddleware runs after
AuthenticationMiddleware (it ends the session of `request.user`), TwoFactorMiddleware
after LoginRequiredMiddleware (anonymous users are sent to the log-in page first).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.middleware import OTPMiddleware as _OTPMiddleware

from cases.compiled import MARKER, SECOND_MARKER, CompiledQuery
from cases.preferences import LANGUAGE_SESSION_KEY, remember_language

LOGIN_AT_KEY = "fk_login_at"
LAST_SEEN_KEY = "fk_last_seen"

# URL names a password-authenticated but not yet verified user may reach.
TWO_FACTOR_OPEN_URLS = frozenset({"login", "logout", "otp_verify", "otp_setup", "healthz"})


# A cookie that outlives the session cookie (it lasts until the browser closes), so the
# log-in page can say why the user is there after the session cookie itself expired in the
# browser (SESSION_COOKIE_AGE is the idle limit). It holds only when the session began.
SESSION_MARK_COOKIE = "fk_session_mark"
SESSION_MARK_SALT = "familiekracht.middleware.session-mark"


def session_ended_message(reason: str) -> str:
    """What the log-in page says after a time-out: why, and that typed work is kept.

    The typed work is kept by static/js/drafts.js (in the tab's sessionStorage) and put back
    into the same form after the log-in.
    """
    kept = _(
        "Wat u in dit tabblad had getypt en nog niet had opgeslagen, is bewaard: na het "
        "inloggen staat het weer in het formulier."
    )
    if reason == "absolute":
        hours = settings.SESSION_ABSOLUTE_TIMEOUT // 3600
        why = _(
            "Uw sessie is beëindigd: een sessie duurt hoogstens %(hours)s uur. Log opnieuw in."
        ) % {"hours": hours}
    else:
        minutes = max(1, settings.SESSION_IDLE_TIMEOUT // 60)
        why = ngettext(
            "Uw sessie is beëindigd omdat u %(minutes)s minuut niets heeft gedaan. Log opnieuw in.",
            "Uw sessie is beëindigd omdat u %(minutes)s minuten niets heeft gedaan. "
            "Log opnieuw in.",
            minutes,
        ) % {"minutes": minutes}
    return f"{why} {kept}"


class SessionLimitMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT idle and SESSION_ABSOLUTE_TIMEOUT in all.

    SESSION_COOKIE_AGE already lets an idle cookie expire in the browser; this checks the
    same limits on the server, so a copied cookie is no good either. The last-seen time is
    moved at most every SESSION_TOUCH_SECONDS, so most requests do not write the session.
    Either way the log-in page says that the session ended and that typed work is kept: the
    server knows it when it ends the session itself, the session mark cookie when the browser
    dropped the session cookie first. A log-out removes the mark, so it is not mistaken for a
    time-out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        mark = request.get_signed_cookie(SESSION_MARK_COOKIE, default=None, salt=SESSION_MARK_SALT)
        if request.user.is_authenticated:
            session = request.session
            login_at = session.get(LOGIN_AT_KEY)
            last_seen = session.get(LAST_SEEN_KEY)
            too_long = login_at is not None and now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT
            idle = last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT
            if too_long or idle:
                logout(request)
                messages.info(request, session_ended_message("absolute" if too_long else "idle"))
                response = redirect_to_login(request.get_full_path())
                response.delete_cookie(SESSION_MARK_COOKIE)
                return response
            if login_at is None:
                session[LOGIN_AT_KEY] = now
            # Moving the clock marks the session changed, so it is saved (and its cookie
            # renewed); within SESSION_TOUCH_SECONDS a request writes nothing.
            if last_seen is None or now - last_seen >= settings.SESSION_TOUCH_SECONDS:
                session[LAST_SEEN_KEY] = now
        elif mark is not None:
            # Signed in before, never logged out: the browser let the session cookie expire.
            started = float(mark) if mark.isdigit() else now
            too_long = now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            messages.info(request, session_ended_message("absolute" if too_long else "idle"))
        response = self.get_response(request)
        return self._mark(request, response, mark)

    @staticmethod
    def _mark(request: HttpRequest, response: HttpResponse, mark: str | None) -> HttpResponse:
        login_at = request.session.get(LOGIN_AT_KEY) if request.user.is_authenticated else None
        if login_at is not None:
            value = str(int(login_at))
            if mark != value:
                response.set_signed_cookie(
                    SESSION_MARK_COOKIE,
                    value,
                    salt=SESSION_MARK_SALT,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        elif mark is not None or SESSION_MARK_COOKIE in request.COOKIES:
            response.delete_cookie(SESSION_MARK_COOKIE)
        return response


def otp_required_for(user: Any) -> bool:
    """Whether `user` must pass the second factor under the current settings."""
    if not settings.OTP_REQUIRED:
        return False
    return user.get_username() not in settings.OTP_EXEMPT_USERNAMES


class TwoFactorMiddleware:
    """Send a user who logged in with a password only to the TOTP step (or enrolment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr]
            return None
        match = request.resolver_match
        if match is not None and match.url_name in TWO_FACTOR_OPEN_URLS and not match.namespace:
            return None
        if not otp_required_for(user):
            return None
        from django_otp import user_has_device

        target = "otp_verify" if user_has_device(user) else "otp_setup"
        response = redirect(target)
        response["Location"] += "?next=" + _quote(request.get_full_path())
        return response


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in user (client records)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response


class UserLanguageMiddleware:
    """Speak the user's chosen language; Dutch for everyone else.

    The browser's Accept-Language is ignored on purpose: the teams work in Dutch, and a
    tablet set to English should not switch dates and labels unasked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        language = settings.LANGUAGE_CODE
        if request.user.is_authenticated:
            if LANGUAGE_SESSION_KEY not in request.session:
                remember_language(request, request.user)
            language = request.session[LANGUAGE_SESSION_KEY]
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Content types whose body Django parses into request.POST (checked there, decoded).
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _any_nul(values: Any) -> bool:
    """A NUL in any key or value of a QueryDict (GET or POST)."""
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key)) for key in values)


class RefuseNulMiddleware:
    """Answer 400 to a request with a NUL character in its path, query, form, cookies or body.

    PostgreSQL cannot store NUL in text, so without this such input ends in a 500 wherever it
    reaches the database, the access log (cases.permissions.log_access stores the path)
    included. Runs before any view, so nothing is logged or saved. Uploaded file contents
    are left alone (a PDF holds NUL bytes); their field names and file names are checked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            from django.template.loader import render_to_string
            from django.utils import translation

            session = getattr(request, "session", None)
            if session is not None and "\x00" in (session.session_key or ""):
                # SessionMiddleware would still look this key up on the way out; an empty
                # session instead makes it delete the bad cookie.
                request.session = session.__class__()

            # Rendered without the request, in the default language: the session and user
            # are not loaded yet (a NUL in the session cookie would break that lookup too).
            with translation.override(settings.LANGUAGE_CODE):
                message = _(
                    "De invoer bevat een ongeldig teken (NUL). "
                    "Verwijder het en probeer het opnieuw."
                )
                page = render_to_string("400.html", {"message": message})
            return HttpResponse(page, status=400, content_type="text/html; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or _any_nul(request.GET):
            return True
        if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
            return True
        if request.content_type in FORM_CONTENT_TYPES:
            if _any_nul(request.POST):
                return True
            return any(
                "\x00" in key or "\x00" in (upload.name or "")
                for key, uploads in request.FILES.lists()
                for upload in uploads
            )
        # Any other body (JSON, text): a raw NUL, or JSON's escaped form of one.
        body = request.body
        return b"\x00" in body or b"\\u0000" in body


class OTPMiddleware(_OTPMiddleware):
    """django-otp's middleware, reading the verified device and its user in one query.

    Every verified request needs both the session's user (AuthenticationMiddleware) and the
    device that verified it: django-otp reads them one after the other. Here, when the
    session names a device and was made by the ModelBackend, the device is read with its
    user (select_related) and the user is accepted only as django.contrib.auth.get_user
    would: the same id, allowed to log in (is_active), and the session's auth hash
    matching the current secret. Anything else (no device, another backend, a hash made
    with a fallback secret, a device of another user) takes the ordinary path unchanged.
    """

    def _verify_user_sync(self, request, user):  # type: ignore[no-untyped-def]
        fast = None if hasattr(request, "_cached_user") else _user_with_device(request)
        if fast is None:
            return super()._verify_user_sync(request, user)
        verified_user, device = fast
        # What AuthenticationMiddleware's lazy user returns from now on.
        request._cached_user = verified_user
        self._init_user_fields(verified_user)
        verified_user.otp_device = self._finalize_device(request, verified_user, device)
        return verified_user


# Per device class, its "device with its user" query, compiled once (cases.compiled): it runs
# on every verified request.
_DEVICE_QUERIES: dict[type, CompiledQuery[Any]] = {}


def _device_query(device_cls: type) -> CompiledQuery[Any]:
    query = _DEVICE_QUERIES.get(device_cls)
    if query is None:
        shape = device_cls.objects.select_related("user").filter(  # type: ignore[attr-defined]
            id=MARKER, user_id=SECOND_MARKER
        )
        query = CompiledQuery(shape.order_by("pk")[:1], device=MARKER, user=SECOND_MARKER)
        _DEVICE_QUERIES[device_cls] = query
    return query


def _user_with_device(request: HttpRequest) -> tuple[Any, Any] | None:
    """(user, device) read in one query when that answers what the ordinary path would."""
    from contextlib import suppress

    from django.apps import apps
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, load_backend
    from django.contrib.auth import _get_user_session_key as session_user_id
    from django.contrib.auth.backends import ModelBackend
    from django.utils.crypto import constant_time_compare
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    session = request.session
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    backend_path = session.get(BACKEND_SESSION_KEY)
    session_hash = session.get(HASH_SESSION_KEY)
    if not (persistent_id and session_hash):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    backend = load_backend(backend_path)
    if type(backend).get_user is not ModelBackend.get_user:
        return None
    with suppress(KeyError, ValueError, LookupError, TypeError):
        user_id = session_user_id(request)
        persistent_id = _OTPMiddleware._normalize_persistent_id(persistent_id)
        model_label, device_id = persistent_id.rsplit("/", 1)
        device_cls = apps.get_model(*model_label.split("."))
        if not issubclass(device_cls, Device):
            return None
        found = _device_query(device_cls).run(device=int(device_id), user=user_id)
        if not found:
            return None
        device = found[0]
        user = device.user
        if not backend.user_can_authenticate(user):
            return None
        if not constant_time_compare(session_hash, user.get_session_auth_hash()):
            return None
        return user, device
    return None
