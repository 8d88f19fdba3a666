"""The coordinator's "Teamleden en inloggen" page: who has two-factor log-in set up,
enrolment codes for a first enrolment, and a reset for a lost phone.

A coordinator acts on the members of their own teams; a superuser on everyone. Anyone
else, or a user outside the coordinator's teams, gets 404 on the actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.accounts import services
from cases.models import (
    AccessAction,
    AccessOutcome,
    EnrolmentCode,
    Membership,
    RecoveryCodeDevice,
    Role,
)
from cases.permissions import access_team, log_access

SUPERUSER_ROLE = "superuser"  # the access log's role for an admin acting outside a team


def _coordinator_team_ids(user: Any) -> list[int]:
    return list(
        Membership.objects.filter(user=user, role=Role.COORDINATOR).values_list(
            "team_id", flat=True
        )
    )


def _target(request: HttpRequest, user_id: int, *, what: str) -> tuple[Any, str]:
    """The user to act on and the acting role, or 404 (logged) when out of reach.

    Not one's own account (that goes through the own two-factor page), and a coordinator
    never reaches a superuser or staff account: that would hand them the admin.
    """
    actor = request.user
    target = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    role: str | None = None
    if target is not None and target.pk != actor.pk:
        in_team = Membership.objects.filter(
            user=target, team_id__in=_coordinator_team_ids(actor)
        ).exists()
        if in_team and not (target.is_superuser or target.is_staff):
            role = Role.COORDINATOR
        elif actor.is_superuser:  # type: ignore[union-attr]
            role = SUPERUSER_ROLE
    if role is None:
        log_access(
            request,
            family_id=None,
            action=AccessAction.CHANGE,
            outcome=AccessOutcome.DENIED,
            obj=f"{what}, gebruiker {user_id}",
        )
        raise Http404("No user matches the given query.")
    return target, role


@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    users = get_user_model().objects.filter(is_active=True)
    memberships = Membership.objects.select_related("team").order_by("team__name")
    if not request.user.is_superuser:  # type: ignore[union-attr]
        teams = access_team(request, roles={Role.COORDINATOR}, obj="accounts van het team").teams
        team_ids = [team.pk for team in teams]
        users = users.filter(pk__in=Membership.objects.filter(team_id__in=team_ids).values("user"))
        # Only the coordinator's own teams, not where else a member works.
        memberships = memberships.filter(team_id__in=team_ids)
    code_until = (
        EnrolmentCode.objects.usable()
        .filter(user=OuterRef("pk"))
        .order_by("-created_at")
        .values("expires_at")[:1]
    )
    users = (
        users.annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            code_valid_until=Subquery(code_until),
        )
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("first_name", "last_name", "username")
    )
    rows: list[Any] = list(users)
    recovery = dict(
        RecoveryCodeDevice.objects.filter(user__in=rows).values_list("user_id", "code_hashes")
    )
    for user in rows:
        hashes = recovery.get(user.pk)
        user.recovery_left = None if hashes is None else len(hashes)
        # The same limits as _target(), so no button leads to a 404.
        user.can_act = user.pk != request.user.pk and (
            request.user.is_superuser  # type: ignore[union-attr]
            or not (user.is_superuser or user.is_staff)
        )
    return render(request, "cases/account_list.html", {"users": rows})


def _code_page(request: HttpRequest, *, target: Any, code: str, reset: bool) -> HttpResponse:
    return render(
        request,
        "cases/account_code.html",
        {
            "target": target,
            "code": code,
            "reset": reset,
            "enrolment_code": EnrolmentCode.objects.filter(user=target).usable().first(),
        },
    )


@require_POST
def enrolment_code_create(request: HttpRequest, user_id: int) -> HttpResponse:
    target, role = _target(request, user_id, what="inschrijfcode maken")
    if TOTPDevice.objects.filter(user=target, confirmed=True).exists():
        # The code only opens a first enrolment; an enrolled user needs a reset instead.
        messages.error(
            request,
            _("%(name)s heeft tweestapsverificatie al ingesteld. Telefoon kwijt? Reset het dan.")
            % {"name": target.get_full_name() or target.get_username()},
        )
        return redirect("cases:account_list")
    code = services.enrolment_code_issue(user=target, by=request.user, role=role, path=request.path)
    return _code_page(request, target=target, code=code, reset=False)


@require_http_methods(["GET", "POST"])
def two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """GET asks first, naming whose authenticator app and recovery codes go; POST resets."""
    target, role = _target(request, user_id, what="tweestapsverificatie resetten")
    if request.method == "GET":
        return render(request, "cases/account_two_factor_reset.html", {"target": target})
    code = services.two_factor_reset(user=target, by=request.user, role=role, path=request.path)
    return _code_page(request, target=target, code=code, reset=True)
