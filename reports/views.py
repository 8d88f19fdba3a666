"""Family plan PDFs: request, retry and download, all behind the access gate."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.models import AccessAction, FamilyPlan
from cases.permissions import access_family
from reports import services
from reports.forms import PlanPdfRequestForm
from reports.models import ExportState, PlanPdf


@require_POST
def plan_pdf_request(request: HttpRequest, family_id: int) -> HttpResponse:
    family = access_family(
        request, family_id, write=True, action=AccessAction.EXPORT, obj="gezinsplan pdf"
    )
    form = PlanPdfRequestForm(request.POST, family=family)
    if not form.is_valid():
        messages.error(request, _("Kies een versie van het gezinsplan om als PDF te maken."))
        return redirect("cases:plan_detail", family_id=family.pk)
    plan: FamilyPlan = form.cleaned_data["plan"]
    services.plan_pdf_request(family=family, plan=plan, by=request.user)
    messages.success(
        request,
        _("De PDF van versie %(n)s wordt gemaakt; ververs de pagina over een paar seconden.")
        % {"n": plan.number},
    )
    return redirect("cases:plan_detail", family_id=family.pk)


@require_POST
def plan_pdf_retry(request: HttpRequest, family_id: int, export_id: int) -> HttpResponse:
    family = access_family(
        request,
        family_id,
        write=True,
        action=AccessAction.EXPORT,
        obj=f"gezinsplan pdf {export_id}",
    )
    export = get_object_or_404(PlanPdf, pk=export_id, family=family)
    if export.state != ExportState.FAILED:
        messages.info(request, _("Deze PDF is niet mislukt; opnieuw proberen is niet nodig."))
    else:
        services.plan_pdf_retry(export=export)
        messages.success(request, _("De PDF wordt opnieuw gemaakt."))
    return redirect("cases:plan_detail", family_id=family.pk)


@require_GET
def plan_pdf_download(
    request: HttpRequest, family_id: int, export_id: int, filename: str
) -> HttpResponse:
    family = access_family(
        request,
        family_id,
        action=AccessAction.EXPORT,
        obj=f"gezinsplan pdf {export_id}",
    )
    export = get_object_or_404(
        PlanPdf.objects.select_related("family"),
        pk=export_id,
        family=family,
        state=ExportState.DONE,
    )
    if filename != export.filename:
        raise Http404("No such file.")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    path = (media_root / export.file_path).resolve()
    if not path.is_relative_to(media_root / "plans") or not path.is_file():
        raise Http404("No such file.")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="application/pdf",
    )
    # Personal data: no caching by browsers or proxies.
    response["Cache-Control"] = "private, no-store"
    return response
