from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import services
from cases.intake import services as intake_services
from cases.intake.duplicates import possible_duplicates
from cases.intake.forms import IntakeForm, member_formset, members_of
from cases.models import CASE_NUMBER_TAKEN, TEAM_WIDE_ROLES, AccessAction, AccessOutcome
from cases.permissions import (
    Need,
    access_family,
    access_team,
    log_access,
    log_families_shown,
    team_role,
)

TEMPLATE = "cases/intake_form.html"


@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Register a family and its members in one form.

    Before saving, the team's possible duplicates are shown (same member, or a closed or
    aftercare file with the same members); the coordinator then saves a new file anyway
    ("confirm_new") or reopens the earlier one ("reopen"). Every step posts the whole form
    again, so nothing typed is lost on the way.
    """
    teams = list(
        access_team(request, roles=TEAM_WIDE_ROLES, action=AccessAction.CREATE, obj="gezin").teams
    )
    posted = request.method == "POST"
    form = IntakeForm(request.POST if posted else None, teams=teams)
    add_row = posted and "add_row" in request.POST
    formset = member_formset(request.POST if posted else None, add_row=add_row)
    context: dict[str, Any] = {"form": form, "formset": formset, "family": None, "duplicates": []}
    if not posted or add_row or not (form.is_valid() and formset.is_valid()):
        return render(request, TEMPLATE, context)

    members = members_of(formset)
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("involved", "version")}
    duplicates = possible_duplicates(
        team=data["team"], members=[(m["name"], m.get("date_of_birth")) for m in members]
    )
    if reopen := request.POST.get("reopen"):
        chosen = next((d for d in duplicates if d.reopenable and str(d.family.pk) == reopen), None)
        if chosen is not None:
            return _reopen(request, chosen.family.pk, data=data, members=members)
        messages.error(request, _("Dat dossier kan niet worden heropend. Kies opnieuw."))
    elif duplicates and not request.POST.get("confirm_new"):
        context["duplicates"] = duplicates
        # The earlier files are shown by name: each one's access log hears of it.
        log_families_shown(
            request,
            [(d.family.pk, d.family.team_id) for d in duplicates],
            action=AccessAction.READ,
            obj="aanmelding: mogelijk dubbel dossier",
        )
        return render(request, TEMPLATE, context)
    if not duplicates or request.POST.get("confirm_new"):
        try:
            family = intake_services.family_intake(
                data=data, members=members, involved=form.cleaned_data["involved"], by=request.user
            )
        except services.CaseNumberTaken:
            form.add_error("case_number", CASE_NUMBER_TAKEN)
            return render(request, TEMPLATE, context)
        log_access(
            request,
            family_id=family.pk,
            action=AccessAction.CREATE,
            outcome=AccessOutcome.ALLOWED,
            role=team_role(request.user, family.team_id) or "",
            obj="gezin",
        )
        messages.success(
            request,
            _("Gezin aangemeld met dossiernummer %(number)s.") % {"number": family.case_number},
        )
        return redirect("cases:family_detail", family_id=family.pk)
    context["duplicates"] = duplicates
    return render(request, TEMPLATE, context)


def _reopen(
    request: HttpRequest, family_id: int, *, data: dict[str, Any], members: list[dict[str, Any]]
) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CHANGE, obj="heropenen"
    )
    try:
        trajectory = intake_services.family_reopen(
            family=access.family,
            referrer=data["referrer"],
            referrer_detail=data["referrer_detail"],
            referral_date=data["referral_date"],
            members=members,
            coach=data.get("coach"),
            by=request.user,
        )
    except intake_services.NotReopenable:
        messages.error(request, _("Dit dossier is niet (meer) afgesloten of in nazorg."))
        return redirect("cases:family_detail", family_id=family_id)
    messages.success(
        request,
        _("Dossier heropend: traject %(number)s is begonnen, de geschiedenis is bewaard.")
        % {"number": trajectory.number},
    )
    return redirect("cases:family_detail", family_id=family_id)
