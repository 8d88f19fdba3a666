"""The family's questionnaires in the portal (/gezin/vragenlijsten/...).

Every view starts with the portal gate. The family sees which questionnaire waits and on
which day it filled one in, never a score.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.portal.gate import portal_access
from reports.portal import services
from reports.portal.forms import PortalExitForm, PortalSdmForm


@require_GET
def questionnaires(request: HttpRequest) -> HttpResponse:
    access = portal_access(request, obj="vragenlijsten")
    found = services.questionnaires_for(access.family, access.member)
    return render(
        request,
        "reports/portal/questionnaires.html",
        {
            "portal": access,
            "active": "questionnaires",
            "found": found,
            "may_fill": services.may_fill(access.member),
        },
    )


@require_http_methods(["GET", "POST"])
def sdm_fill(request: HttpRequest) -> HttpResponse:
    access = portal_access(request, obj="vragenlijst samen beslissen")
    found = services.questionnaires_for(access.family, access.member)
    if found.sdm_moment is None:
        raise Http404("No SDM-Q-9 waiting for this member.")
    form = PortalSdmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_sdm_record(
                member=access.member, user=request.user, items=form.item_values
            )
        except services.NotWaiting:
            raise Http404("No SDM-Q-9 waiting for this member.") from None
        messages.success(request, _("Dank u wel. Uw antwoorden zijn opgeslagen."))
        return redirect("portal:questionnaires")
    return render(
        request,
        "reports/portal/fill.html",
        {
            "portal": access,
            "active": "questionnaires",
            "form": form,
            "title": _("Vragenlijst: samen beslissen"),
            "intro": _(
                "Deze vragen gaan over hoe u en uw coach samen beslissen. Er zijn geen goede "
                "of foute antwoorden. Kies bij elke vraag wat het beste past: 0 is helemaal "
                "niet mee eens, 5 is helemaal mee eens."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def exit_fill(request: HttpRequest) -> HttpResponse:
    access = portal_access(request, obj="eindvragenlijst")
    found = services.questionnaires_for(access.family, access.member)
    if not found.exit_waits:
        raise Http404("No exit questionnaire waiting for this member.")
    form = PortalExitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_exit_record(
                member=access.member,
                user=request.user,
                answers=form.answers,
                comments=form.cleaned_data["comments"],
            )
        except services.NotWaiting:
            raise Http404("No exit questionnaire waiting for this member.") from None
        messages.success(request, _("Dank u wel. Uw antwoorden zijn opgeslagen."))
        return redirect("portal:questionnaires")
    return render(
        request,
        "reports/portal/fill.html",
        {
            "portal": access,
            "active": "questionnaires",
            "form": form,
            "title": _("Vragenlijst: hoe was de hulp?"),
            "intro": _(
                "De hulp stopt bijna of is gestopt. Wij willen graag weten wat u ervan vond. "
                "Kies bij elke vraag wat het beste past: 1 is heel ontevreden, 5 is heel "
                "tevreden."
            ),
        },
    )
