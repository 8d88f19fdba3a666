"""The team's list of working elements (a team page): every member reads it, the
coordinator adds, renames, reorders and deactivates. Another team's element answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.conflicts import save_or_merge
from cases.elements import services
from cases.elements.forms import WorkingElementForm
from cases.models import (
    WORKING_ELEMENT_TAKEN,
    AccessAction,
    AccessOutcome,
    Role,
    Team,
    WorkingElement,
)
from cases.permissions import TeamAccess, access_team, id_in_range, log_access

FORM_TEMPLATE = "cases/working_element_form.html"
ALL_ROLES = frozenset(Role.values)
COORDINATOR = frozenset({Role.COORDINATOR})


def _team_from_query(request: HttpRequest, *, roles: frozenset[str], obj: str) -> TeamAccess:
    raw = request.GET.get("team") or request.POST.get("team")
    team_id = None
    if raw:
        if not raw.isdecimal() or not id_in_range(int(raw)):
            raise Http404
        team_id = int(raw)
    return access_team(request, roles=roles, team_id=team_id, obj=obj)


def _element(request: HttpRequest, element_id: int) -> WorkingElement:
    obj = f"werkzaam element {element_id}"
    teams = access_team(request, roles=COORDINATOR, obj=obj).teams
    element = (
        WorkingElement.objects.filter(pk=element_id, team__in=teams).select_related("team").first()
        if id_in_range(element_id)
        else None
    )
    if element is None:
        log_access(
            request,
            family_id=None,
            action=AccessAction.READ if request.method == "GET" else AccessAction.CHANGE,
            outcome=AccessOutcome.DENIED,
            role=Role.COORDINATOR,
            obj=obj,
        )
        raise Http404("No working element matches the given query.")
    return element


def _list_url(team: Team) -> str:
    return f"{reverse('cases:working_element_list')}?team={team.pk}"


@require_GET
def element_list(request: HttpRequest) -> HttpResponse:
    access = _team_from_query(request, roles=ALL_ROLES, obj="werkzame elementen van het team")
    team = access.team
    return render(
        request,
        "cases/working_element_list.html",
        {
            "team": team,
            "teams": access.teams,
            "elements": list(
                WorkingElement.objects.of_team(team.pk).order_by("-active", "order", "label")
            ),
            "can_edit": access.role == Role.COORDINATOR,
        },
    )


@require_http_methods(["GET", "POST"])
def element_create(request: HttpRequest) -> HttpResponse:
    team = _team_from_query(request, roles=COORDINATOR, obj="werkzaam element toevoegen").team
    form = WorkingElementForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.working_element_create(team=team, label=form.cleaned_data["label"])
        except services.WorkingElementLabelTaken:
            form.add_error("label", WORKING_ELEMENT_TAKEN)
        else:
            messages.success(request, _("Werkzaam element toegevoegd."))
            return redirect(_list_url(team))
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": _("Werkzaam element toevoegen"),
            "team": team,
            "cancel_url": _list_url(team),
        },
    )


@require_http_methods(["GET", "POST"])
def element_edit(request: HttpRequest, element_id: int) -> HttpResponse:
    element = _element(request, element_id)
    form = WorkingElementForm(request.POST or None, instance=element, team=element.team)
    context = {
        "title": _("Werkzaam element wijzigen"),
        "team": element.team,
        "cancel_url": _list_url(element.team),
    }
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_or_merge(
                request,
                form=form,
                save=lambda form: services.working_element_update(
                    element=element,
                    version=form.cleaned_data["version"],
                    data=form.record_data(),
                ),
                current=lambda: WorkingElement.objects.filter(pk=element.pk).first(),
                form_kwargs={"team": element.team},
                template=FORM_TEMPLATE,
                context=context,
            )
        except services.WorkingElementLabelTaken:
            form.add_error("label", WORKING_ELEMENT_TAKEN)
            return render(request, FORM_TEMPLATE, {**context, "form": form})
        if conflict is not None:
            return conflict
        messages.success(request, _("Werkzaam element opgeslagen."))
        return redirect(_list_url(element.team))
    return render(request, FORM_TEMPLATE, {**context, "form": form})
