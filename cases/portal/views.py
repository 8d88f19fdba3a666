"""The family's own pages (/gezin/...): home with the plan and appointments, who looked at
the file, agreeing to the plan, and the first visit by invitation.

Every page starts with the portal gate (cases.portal.gate.portal_access) except the
invitation, which a person without an account opens. Only what is meant for the family is
read here: never contact notes, comments, scores or drafts that are not ready.
"""

from __future__ import annotations

import time
from base64 import b32encode
from io import BytesIO
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from cases.accounts.services import pending_key, pending_token_matches
from cases.models import (
    AccessAction,
    AccessOutcome,
    Appointment,
    AppointmentStatus,
    FamilyPlan,
    PlanStatus,
    PortalMessage,
    may_agree,
)
from cases.permissions import is_portal_session, log_access
from cases.portal import extensions, services
from cases.portal.forms import PortalEnrolForm
from cases.portal.gate import PORTAL_ROLE, portal_access
from cases.records.accesslog import overview_page


def _fixed_plan(family: Any) -> FamilyPlan | None:
    return (
        FamilyPlan.objects.filter(family=family, status=PlanStatus.FIXED)
        .order_by("-number")
        .first()
    )


def _plan_to_agree(family: Any) -> FamilyPlan | None:
    """The draft the coach shared with the family on purpose (cases.plan.services.plan_share).
    A draft that is not shared, even one asked for review, is not the family's to see."""
    return (
        FamilyPlan.objects.filter(family=family, status=PlanStatus.DRAFT, shared_at__isnull=False)
        .prefetch_related("agreed_members")
        .first()
    )


def _plan_parts(plan: FamilyPlan | None) -> dict[str, Any]:
    if plan is None:
        return {"goals": [], "actions": []}
    return {
        "goals": list(plan.goals.all().order_by("created_at", "pk")),
        "actions": list(plan.actions.in_plan_order().select_related("member", "goal")),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = portal_access(request, obj="overzicht")
    family = access.family
    plan = _fixed_plan(family)
    to_agree = _plan_to_agree(family)
    appointments = (
        Appointment.objects.filter(
            family=family, date__gte=timezone.localdate(), status=AppointmentStatus.PLANNED
        )
        .order_by("date", "starts_at")
        .only("kind", "date", "starts_at", "ends_at")[:10]
    )
    agreed = to_agree is not None and any(
        m.pk == access.member.pk for m in to_agree.agreed_members.all()
    )
    return render(
        request,
        "portal/home.html",
        {
            "portal": access,
            "active": "home",
            "plan": plan,
            "plan_parts_fixed": _plan_parts(plan),
            "to_agree": to_agree,
            "agree_parts": _plan_parts(to_agree),
            "agreed": agreed,
            "may_agree": may_agree(access.member),
            "appointments": list(appointments),
            "unread_messages": PortalMessage.objects.filter(family=family)
            .unread_by_family()
            .count(),
            "cards": extensions.cards(request, access),
        },
    )


@require_POST
def plan_agree(request: HttpRequest, plan_id: int) -> HttpResponse:
    access = portal_access(request, obj=f"akkoord met plan {plan_id}")
    plan = _plan_to_agree(access.family)
    if plan is None or plan.pk != plan_id:
        raise Http404("No plan to agree to.")
    if not may_agree(access.member):
        messages.error(
            request,
            _("Alleen een ouder met gezag of een jongere van 12 jaar of ouder kan akkoord geven."),
        )
        return redirect("portal:home")
    services.portal_plan_agree(plan=plan, member=access.member)
    messages.success(request, _("Dank u wel. Uw akkoord met het plan is opgeslagen."))
    return redirect("portal:home")


@require_GET
def access_overview(request: HttpRequest) -> HttpResponse:
    access = portal_access(request, obj="wie heeft het dossier bekeken")
    page = overview_page(access.family.pk, before=request.GET.get("voor"))
    return render(
        request,
        "portal/access_overview.html",
        {"portal": access, "page": page, "active": "access"},
    )


# The authenticator secret of a first visit lives in the session that opened the link.
PENDING_SESSION_KEY = "fk_portal_pending"


def _pending(request: HttpRequest, invitation_id: int) -> dict[str, Any]:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("invitation") != invitation_id:
        pending = {"invitation": invitation_id, "key": pending_key(), "failures": 0, "at": 0.0}
        request.session[PENDING_SESSION_KEY] = pending
    return pending


def _throttled(pending: dict[str, Any]) -> bool:
    failures = pending["failures"]
    return failures > 0 and time.time() - pending["at"] < min(2 ** (failures - 1), 3600)


def _config_url(key: str, username: str) -> str:
    """The otpauth:// address the authenticator app reads from the QR code."""
    secret = b32encode(bytes.fromhex(key)).decode()
    issuer = settings.OTP_TOTP_ISSUER
    query = urlencode({"secret": secret, "issuer": issuer, "digits": 6, "period": 30})
    return f"otpauth://totp/{quote(issuer)}:{quote(username)}?{query}"


def _qr(key: str, username: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        _config_url(key, username), image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    )
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.find("<svg") :]


def _invalid(request: HttpRequest) -> HttpResponse:
    days = settings.PORTAL["INVITATION_DAYS"]
    return render(request, "portal/invitation_invalid.html", {"invitation_days": days}, status=404)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the invitation: choose a password and set up the authenticator app
    (when two-factor log-in is required), then the recovery codes, shown once."""
    if request.user.is_authenticated and not is_portal_session(request):
        raise Http404("Staff do not use the portal.")
    found = services.invitation_for_token(token)
    if found is None:
        log_access(
            request,
            family_id=None,
            action=AccessAction.READ,
            outcome=AccessOutcome.DENIED,
            obj="gezinsportaal: uitnodiging niet geldig",
        )
        return _invalid(request)
    member = found.member
    username = services.portal_username(member)
    needs_app = bool(settings.OTP_REQUIRED)
    pending = _pending(request, found.pk)
    form = PortalEnrolForm(request.POST or None, username=username, needs_app=needs_app)
    if request.method == "POST" and form.is_valid():
        totp = None
        if needs_app:
            matched = None
            if not _throttled(pending):
                matched = pending_token_matches(
                    key=pending["key"], token=form.cleaned_data["token"]
                )
            if matched is None:
                pending["failures"] += 1
                pending["at"] = time.time()
                request.session.modified = True
                form.add_error(
                    "token", _("Deze code klopt niet. Controleer de tijd op uw telefoon.")
                )
            else:
                totp = (pending["key"], *matched)
        if not form.errors:
            try:
                account, device, codes = services.portal_account_create(
                    invitation=found,
                    password=form.cleaned_data["password1"],
                    totp=totp,
                    path=request.path,
                )
            except services.InvitationRefused:
                return _invalid(request)
            del request.session[PENDING_SESSION_KEY]
            login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
            if device is not None:
                otp_login(request, device)
            log_access(
                request,
                family_id=account.family_id,
                action=AccessAction.CREATE,
                outcome=AccessOutcome.ALLOWED,
                role=PORTAL_ROLE,
                obj=f"gezinsportaal: account gemaakt, namens gezinslid {member.pk}",
            )
            return render(
                request,
                "portal/recovery_codes.html",
                {"codes": codes, "username": account.user.get_username()},
            )
    return render(
        request,
        "portal/invitation.html",
        {
            "form": form,
            "username": username,
            "needs_app": needs_app,
            # Generated by qrcode from our own data: no user input reaches the markup.
            "qr_svg": mark_safe(_qr(pending["key"], username)) if needs_app else "",  # noqa: S308
            "secret": _secret(pending["key"]) if needs_app else "",
        },
    )


def _secret(key: str) -> str:
    secret = b32encode(bytes.fromhex(key)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
