"""Two-factor log-in (TOTP, recovery codes) and a password change that ends other sessions."""

from __future__ import annotations

import time
from base64 import b32encode
from io import BytesIO
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.accounts.forms import PasswordChangeForm
from cases.accounts.services import (
    EnrolmentCodeRefused,
    enrolment_code_match,
    looks_like_enrolment_code,
    pending_key,
    pending_token_matches,
    recovery_codes_left,
    recovery_codes_renew,
    two_factor_enrol,
)
from cases.formbase import Form
from cases.models import RecoveryCodeDevice, looks_like_recovery_code
from familiekracht.middleware import otp_required_for

DIGITS_ERROR = gettext_lazy("De code heeft 6 cijfers.")
VERIFY_FORMAT_ERROR = gettext_lazy(
    "Vul de 6 cijfers uit uw app in, of een herstelcode van 12 tekens."
)


class TokenForm(Form):
    text_limits = False  # a code of a few characters, not typed work

    token = forms.CharField(
        label=gettext_lazy("Code uit uw authenticator-app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"min_length": DIGITS_ERROR, "max_length": DIGITS_ERROR},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(DIGITS_ERROR)
        return token


class EnrolmentForm(TokenForm):
    """The authenticator code, and (for a first enrolment in production) the enrolment code."""

    enrolment_code = forms.CharField(
        label=gettext_lazy("Inschrijfcode van uw coördinator"),
        max_length=20,
        help_text=gettext_lazy(
            "Uw coördinator geeft u deze code van 10 tekens. Zo kan niemand anders met alleen "
            "uw wachtwoord een telefoon aan uw account koppelen."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    field_order = ["enrolment_code", "token"]

    def __init__(self, *args: Any, needs_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_code:
            del self.fields["enrolment_code"]
        else:
            # The code is typed first; the authenticator code comes after it.
            self.fields["token"].widget.attrs.pop("autofocus", None)
            self.fields["enrolment_code"].widget.attrs["autofocus"] = True

    def clean_enrolment_code(self) -> str:
        code = self.cleaned_data["enrolment_code"]
        if not looks_like_enrolment_code(code):
            raise forms.ValidationError(_("De inschrijfcode heeft 10 letters en cijfers."))
        return code


class VerifyForm(Form):
    """The code from the app, or one of the recovery codes (12 letters and digits)."""

    text_limits = False

    token = forms.CharField(
        label=gettext_lazy("Code uit uw authenticator-app of een herstelcode"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"max_length": VERIFY_FORMAT_ERROR},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if (len(token) == 6 and token.isdigit()) or looks_like_recovery_code(token):
            return token
        raise forms.ValidationError(VERIFY_FORMAT_ERROR)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _match_second_factor(user: Any, token: str) -> Device | None:
    """The device that accepts `token`: the app for 6 digits, else the recovery codes.

    Like django_otp.match_token, but a recovery code is not offered to the TOTP device,
    where it would count as a wrong code and slow the next log-in down.
    """
    model: type[Device] = RecoveryCodeDevice if looks_like_recovery_code(token) else TOTPDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the app, or a recovery code."""
    if not user_has_device(request.user):
        return redirect("otp_setup")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Each device throttles itself (growing delays after wrong codes).
        device = _match_second_factor(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, RecoveryCodeDevice):
                left = len(device.code_hashes)
                messages.warning(
                    request,
                    ngettext(
                        "U bent ingelogd met een herstelcode; die werkt nu niet meer. U heeft "
                        "nog %(left)s herstelcode. Stel een nieuwe telefoon in via "
                        "Tweestapsverificatie in het menu.",
                        "U bent ingelogd met een herstelcode; die werkt nu niet meer. U heeft "
                        "nog %(left)s herstelcodes. Stel een nieuwe telefoon in via "
                        "Tweestapsverificatie in het menu.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer het opnieuw."))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


def _qr_svg(data: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    # Drop the XML declaration so the SVG can sit inline in the page.
    return svg[svg.find("<svg") :]


# The secret being enrolled lives only in the session that proved the password, never in
# the database: another session with the same password gets its own secret, and nothing
# it saw can be confirmed here. Shape: {"user": pk, "key": hex, "failures": n, "failed_at": t}.
PENDING_SESSION_KEY = "fk_otp_pending"

ENROLMENT_CODE_ERROR = gettext_lazy(
    "Deze inschrijfcode klopt niet of is niet meer geldig. Na een paar verkeerde pogingen "
    "vervalt de code; vraag dan uw coördinator om een nieuwe."
)


def _new_pending(request: HttpRequest) -> dict[str, Any]:
    pending = {"user": request.user.pk, "key": pending_key(), "failures": 0, "failed_at": 0.0}
    request.session[PENDING_SESSION_KEY] = pending
    return pending


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("user") != request.user.pk:
        return None
    return pending


def _throttled(pending: dict[str, Any]) -> bool:
    """Growing delays after wrong codes (1, 2, 4 ... seconds), as django-otp's devices do."""
    failures = pending["failures"]
    if failures == 0:
        return False
    return time.time() - pending["failed_at"] < min(2 ** (failures - 1), 3600)


def _secret_for_display(key: str) -> str:
    secret = b32encode(bytes.fromhex(key)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: a fresh secret as text and QR code, confirmed with a code.

    A first enrolment under OTP_REQUIRED also needs the one-time enrolment code from the
    coordinator. A user who already has a second factor must pass it first; then they
    may replace their app (a new phone) without an enrolment code.
    """
    user = request.user
    verified = user.is_verified()  # type: ignore[union-attr]
    if user_has_device(user) and not verified:
        # A password alone never changes the second factor of an enrolled user.
        return redirect_with_next("otp_verify", _next_url(request))
    replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    needs_code = otp_required_for(user) and not verified
    pending = _pending(request) if request.method == "POST" else None
    form = EnrolmentForm(request.POST or None, needs_code=needs_code)
    if request.method == "POST" and pending is None:
        form.add_error(
            None,
            _("Deze pagina is verlopen. Scan de nieuwe QR-code hieronder en probeer opnieuw."),
        )
    elif request.method == "POST" and form.is_valid():
        assert pending is not None
        response = _enrol(request, form, pending, needs_code=needs_code)
        if response is not None:
            return response
        request.session.modified = True  # the failure count in `pending` changed
    if pending is None:
        pending = _new_pending(request)
    device = TOTPDevice(user=user, key=pending["key"])
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "secret": _secret_for_display(pending["key"]),
            # Generated by qrcode from our own data: no user input reaches the markup.
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
            "next": _next_url(request),
            "replacing": replacing,
            "needs_code": needs_code,
        },
    )


def _enrol(
    request: HttpRequest, form: EnrolmentForm, pending: dict[str, Any], *, needs_code: bool
) -> HttpResponse | None:
    """Check both codes and enrol; the response on success, None with errors on the form."""
    if _throttled(pending):
        form.add_error("token", _("Te veel verkeerde codes. Wacht even en probeer opnieuw."))
        return None
    code_row = None
    if needs_code:
        code_row = enrolment_code_match(
            user=request.user, code=form.cleaned_data["enrolment_code"], path=request.path
        )
        if code_row is None:
            form.add_error("enrolment_code", ENROLMENT_CODE_ERROR)
            return None
    matched = pending_token_matches(key=pending["key"], token=form.cleaned_data["token"])
    if matched is None:
        pending["failures"] += 1
        pending["failed_at"] = time.time()
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon."))
        return None
    last_t, drift = matched
    try:
        device, recovery_codes = two_factor_enrol(
            user=request.user,
            key=pending["key"],
            last_t=last_t,
            drift=drift,
            enrolment_code=code_row,
            path=request.path,
        )
    except EnrolmentCodeRefused:
        form.add_error("enrolment_code", ENROLMENT_CODE_ERROR)
        return None
    del request.session[PENDING_SESSION_KEY]
    otp_login(request, device)
    messages.success(request, _("Tweestapsverificatie is ingesteld."))
    return render(
        request,
        "registration/otp_recovery_codes.html",
        {"codes": recovery_codes, "next": _next_url(request)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def otp_recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and new ones on request (the old ones stop working)."""
    if not user_has_device(request.user):
        return redirect("otp_setup")
    if not request.user.is_verified():  # type: ignore[union-attr]
        # Also when OTP_REQUIRED is off: new codes only after the second factor.
        return redirect_with_next("otp_verify", request.path)
    if request.method == "POST":
        codes = recovery_codes_renew(user=request.user)
        return render(
            request,
            "registration/otp_recovery_codes.html",
            {"codes": codes, "next": reverse("cases:caseload")},
        )
    return render(
        request,
        "registration/otp_recovery_codes.html",
        {"codes": None, "left": recovery_codes_left(request.user)},
    )


def redirect_with_next(url_name: str, next_url: str) -> HttpResponse:
    response = redirect(url_name)
    response["Location"] += "?" + urlencode({"next": next_url})
    return response


def end_other_sessions(*, user_id: int, keep_session_key: str | None) -> int:
    """Delete every stored session of `user_id` except `keep_session_key`; return how many.

    Sessions are stored in the database (the default backend); each is decoded to find
    its user, which is fine for the few thousand sessions of a care organisation.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session_key:
            continue
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            ended += 1
    return ended


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view keeps this session (update_session_auth_hash); this ends the others."""

    form_class = PasswordChangeForm

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        end_other_sessions(
            user_id=self.request.user.pk, keep_session_key=self.request.session.session_key
        )
        return response
