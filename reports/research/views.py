"""The researcher's pages under /onderzoek/: aggregates with small cells suppressed, and the
pseudonymised datasets of their teams. No family page: the gate gives a researcher none."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import AccessAction, AccessOutcome, Role, TaskState
from cases.permissions import access_team, id_in_range, log_access
from reports.models import ResearchExport, ResearchProject
from reports.research import services
from reports.research.forms import ResearchExportForm

RESEARCH_ROLES = [Role.RESEARCHER]


def _exports_of(team_ids: list[int]):  # type: ignore[no-untyped-def]
    return (
        ResearchExport.objects.filter(team_id__in=team_ids)
        .select_related("project", "team", "requested_by")
        .order_by("-requested_at", "-pk")
    )


@require_http_methods(["GET", "POST"])
def research(request: HttpRequest) -> HttpResponse:
    action = AccessAction.CREATE if request.method == "POST" else AccessAction.READ
    access = access_team(request, roles=RESEARCH_ROLES, action=action, obj="onderzoek")
    teams = list(access.teams)
    form = ResearchExportForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        services.research_export_request(
            project=form.cleaned_data["project"], team=form.cleaned_data["team"], by=request.user
        )
        messages.success(
            request, _("De dataset wordt gemaakt; ververs de pagina over een paar seconden.")
        )
        return redirect("reports:research")
    team_ids = [team.pk for team in teams]
    return render(
        request,
        "reports/research/research_overview.html",
        {
            "form": form,
            "overviews": [services.team_overview(team) for team in teams],
            "projects": ResearchProject.objects.filter(teams__in=team_ids)
            .distinct()
            .prefetch_related("teams"),
            "exports": list(_exports_of(team_ids)[:50]),
            "min_cell": settings.RESEARCH_MIN_CELL,
        },
    )


def _researcher_export(request: HttpRequest, export_id: int, *, obj: str) -> ResearchExport:
    if not id_in_range(export_id):
        raise Http404("No such dataset.")  # an id no row can have, whoever asks
    access = access_team(request, roles=RESEARCH_ROLES, action=AccessAction.EXPORT, obj=obj)
    return get_object_or_404(
        ResearchExport, pk=export_id, team_id__in=[team.pk for team in access.teams]
    )


@require_GET
def research_download(request: HttpRequest, export_id: int, filename: str) -> HttpResponse:
    obj = f"onderzoeksdataset {export_id}"
    export = _researcher_export(request, export_id, obj=obj)
    if export.state != TaskState.DONE or filename != export.filename:
        raise Http404("No such dataset.")
    try:
        handle = default_storage.open(export.file_path, "rb")
    except FileNotFoundError as missing:
        raise Http404("The dataset's file is gone.") from missing
    # Every download: a team-level row in the access log (no family) and its own log row.
    log_access(
        request,
        family_id=None,
        action=AccessAction.EXPORT,
        outcome=AccessOutcome.ALLOWED,
        role=Role.RESEARCHER,
        obj=obj,
    )
    services.research_download_log(export=export, by=request.user)
    return FileResponse(
        handle, as_attachment=True, filename=export.filename, content_type="application/zip"
    )


@require_POST
def research_retry(request: HttpRequest, export_id: int) -> HttpResponse:
    export = _researcher_export(request, export_id, obj=f"onderzoeksdataset {export_id}")
    services.research_export_retry(export=export)
    return redirect("reports:research")
