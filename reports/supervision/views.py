"""Supervision of coaches: the team's sessions for the psychologist and coordinator (record
and list), and a coach's own sessions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import FAMILY_WORK_ROLES, TEAM_WIDE_ROLES, AccessAction, Family, Team
from cases.permissions import access_team, log_families_shown
from reports.models import SupervisionSession
from reports.supervision import services
from reports.supervision.forms import SupervisionSessionForm

SESSIONS_PER_PAGE = 50


def _chosen(request: HttpRequest, teams: tuple[Team, ...]) -> Team:
    wanted = request.GET.get("team", "")
    return next((t for t in teams if str(t.pk) == wanted), teams[0])


def _sessions():  # type: ignore[no-untyped-def]
    return SupervisionSession.objects.select_related("coach", "led_by", "team").prefetch_related(
        Prefetch(
            "families",
            queryset=Family.objects.only("id", "display_name", "case_number", "team_id").order_by(
                "case_number"
            ),
        )
    )


def _render_list(
    request: HttpRequest,
    sessions,
    *,
    obj: str,
    context: dict,  # type: ignore[no-untyped-def]
) -> HttpResponse:
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    # The families a page names are in their access log (NEN 7513).
    log_families_shown(
        request,
        [(f.pk, f.team_id) for session in page.object_list for f in session.families.all()],
        action=AccessAction.READ,
        obj=obj,
    )
    return render(request, "reports/supervision_list.html", {"page": page, **context})


@require_GET
def supervision_list(request: HttpRequest) -> HttpResponse:
    access = access_team(request, roles=TEAM_WIDE_ROLES, obj="supervisie van het team")
    team = _chosen(request, access.teams)
    sessions = _sessions().filter(team=team)
    coach = request.GET.get("coach", "")
    params = {"team": team.pk}
    if coach.isdigit() and len(coach) < 19:
        sessions = sessions.filter(coach_id=int(coach))
        params["coach"] = int(coach)
    return _render_list(
        request,
        sessions,
        obj="lijst: supervisie van het team",
        context={
            "team": team,
            "teams": list(access.teams),
            "mine": False,
            "page_query": urlencode(params),
        },
    )


@require_GET
def supervision_mine(request: HttpRequest) -> HttpResponse:
    access = access_team(request, roles=FAMILY_WORK_ROLES, obj="mijn supervisie")
    sessions = _sessions().filter(coach=request.user, team__in=access.teams)
    return _render_list(
        request, sessions, obj="lijst: mijn supervisie", context={"teams": [], "mine": True}
    )


@require_http_methods(["GET", "POST"])
def supervision_create(request: HttpRequest) -> HttpResponse:
    access = access_team(
        request,
        roles=TEAM_WIDE_ROLES,
        action=AccessAction.CREATE if request.method == "POST" else AccessAction.READ,
        obj="supervisiesessie",
    )
    team = _chosen(request, access.teams)
    form = SupervisionSessionForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.supervision_session_create(
            team=team,
            coach=data["coach"],
            date=data["date"],
            kind=data["kind"],
            led_by=data["led_by"],
            points=data["points"],
            families=data["families"],
            by=request.user,
        )
        # Linking a family puts a line in its file: each linked family's log says so.
        log_families_shown(
            request,
            [(f.pk, team.pk) for f in data["families"]],
            action=AccessAction.CREATE,
            obj="bespreking in supervisie",
        )
        messages.success(request, _("De supervisiesessie is vastgelegd."))
        return redirect(reverse("reports:supervision_list") + f"?team={team.pk}")
    return render(
        request,
        "reports/supervision_form.html",
        {
            "form": form,
            "team": team,
            "teams": list(access.teams),
            "title": _("Supervisie vastleggen"),
        },
    )
