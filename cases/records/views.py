"""Records rules pages: the family's file (statements, consent, export, destruction) and
the coordinator's destruction list and register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import ProtectedError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import (
    EXPORT_CONTENT_TYPES,
    AccessAction,
    Consent,
    CopyRequest,
    CopyRequestStatus,
    DestructionRecord,
    Family,
    RecordsExport,
    RecordsExportFormat,
    Role,
    TaskState,
)
from cases.permissions import Need, access_family, access_team, log_families_shown
from cases.portal import own_services
from cases.portal.own_forms import CopyRefuseForm
from cases.records import accesslog, exports, services
from cases.records import consent as consent_rules
from cases.records.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    DestroyForm,
    ShareForm,
    StatementForm,
)


@require_GET
def records(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="dossier en privacy")
    family = access.family
    today = timezone.localdate()
    members = list(family.members.all())
    consents = list(consent_rules.family_consents(family))
    children = [m for m in members if consent_rules.is_child(m)]
    return render(
        request,
        "cases/records_detail.html",
        {
            "family": family,
            "access": access,
            "statements": family.statements.select_related("recorded_by", "member"),
            # Requests for a copy from the portal, with what the asker receives today.
            "copy_requests": _copy_requests(family, members, today),
            "consents": consents,
            # Recipient × child: covered, missing who, withdrawn or expired (today).
            "matrix": consent_rules.consent_matrix(
                family, today, members=members, consents=consents
            ),
            "children": children,
            "children_without_birth_date": [c for c in children if c.date_of_birth is None],
            "retention_until": services.retention_until(family),
            "retention_years": services.retention_years(),
            "is_coordinator": access.is_coordinator,
            "today": today,
        },
    )


def _copy_requests(family: Family, members: list[Any], today: Any) -> list[dict[str, Any]]:
    """The family's copy requests (open first), each with the rule for its asker today."""
    by_pk = {m.pk: m for m in members}
    rows = []
    requests = CopyRequest.objects.filter(family=family).select_related("handled_by")
    for copy_request in sorted(requests, key=lambda r: (not r.is_open, -r.pk)):
        member = by_pk[copy_request.member_id]
        copy_request.member = member
        rule = own_services.copy_rule(member, today, members=members)
        rows.append({"request": copy_request, "rule": rule})
    return rows


def _open_copy_request(copy_request_id: int) -> Any:
    return lambda family: get_object_or_404(
        CopyRequest,
        pk=copy_request_id,
        family=family,
        status=CopyRequestStatus.REQUESTED,
    )


@require_POST
def copy_request_provide(
    request: HttpRequest, family_id: int, copy_request_id: int
) -> HttpResponse:
    """The coordinator gave the family the copy (made from the inzage export)."""
    access = access_family(
        request,
        family_id,
        need=Need.COORDINATE,
        obj=f"verzoek om afschrift {copy_request_id} gegeven",
        lookup=_open_copy_request(copy_request_id),
    )
    own_services.copy_request_provide(copy_request=access.record, by=request.user)
    messages.success(request, _("Het verzoek om een afschrift staat op ‘gegeven’."))
    return redirect("cases:records", family_id=access.family.pk)


@require_http_methods(["GET", "POST"])
def copy_request_refuse(request: HttpRequest, family_id: int, copy_request_id: int) -> HttpResponse:
    """The coordinator refuses the copy, with a reason the family reads in its portal."""
    access = access_family(
        request,
        family_id,
        need=Need.COORDINATE,
        obj=f"verzoek om afschrift {copy_request_id} geweigerd",
        lookup=_open_copy_request(copy_request_id),
    )
    form = CopyRefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        own_services.copy_request_refuse(
            copy_request=access.record, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Het verzoek om een afschrift is geweigerd."))
        return redirect("cases:records", family_id=access.family.pk)
    return render(
        request,
        "cases/records_copy_refuse.html",
        {
            "form": form,
            "family": access.family,
            "access": access,
            "copy_request": access.record,
        },
    )


@require_http_methods(["GET", "POST"])
def statement_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="eigen verklaring"
    )
    family = access.family
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.statement_add(family=family, by=request.user, **form.cleaned_data)
        messages.success(request, _("De verklaring is aan het dossier toegevoegd."))
        return redirect("cases:records", family_id=family.pk)
    return render(
        request,
        "cases/records_statement_form.html",
        {"form": form, "family": family, "access": access},
    )


@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="toestemming"
    )
    family = access.family
    form = ConsentForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        services.consent_add(family=family, by=request.user, **form.cleaned_data)
        messages.success(request, _("Toestemming vastgelegd."))
        return redirect("cases:records", family_id=family.pk)
    return render(
        request,
        "cases/records_consent_form.html",
        {"form": form, "family": family, "access": access},
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, family_id: int, consent_id: int) -> HttpResponse:
    """The family withdraws a consent: from that day on it no longer counts."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"toestemming {consent_id} intrekken",
        lookup=lambda family: get_object_or_404(
            Consent, pk=consent_id, family=family, withdrawn_on__isnull=True
        ),
    )
    family, consent = access.family, access.record
    form = ConsentWithdrawForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        services.consent_withdraw(consent=consent, **form.cleaned_data)
        messages.success(request, _("De toestemming is ingetrokken."))
        return redirect("cases:records", family_id=family.pk)
    return render(
        request,
        "cases/records_consent_withdraw.html",
        {"form": form, "family": family, "access": access, "consent": consent},
    )


@require_http_methods(["GET", "POST"])
def share_check(request: HttpRequest, family_id: int) -> HttpResponse:
    """Before sending (part of) the file outside the team: is there consent for it?"""
    access = access_family(request, family_id, obj="delen buiten het team")
    family = access.family
    form = ShareForm(request.POST or None, family=family)
    check = None
    if request.method == "POST" and form.is_valid():
        # The rules for every child the document concerns (none ticked: the whole family).
        check = consent_rules.share_check(
            family,
            form.recipient,
            timezone.localdate(),
            concerns=list(form.cleaned_data["concerns"]) or None,
        )
    return render(
        request,
        "cases/records_share.html",
        {
            "form": form,
            "family": family,
            "access": access,
            "checked": check is not None,
            "check": check,
            "consent": check.consent if check else None,
        },
    )


EXPORT_OBJECTS = {
    RecordsExportFormat.JSON: "inzage/afschrift (JSON)",
    RecordsExportFormat.PDF: "inzage/afschrift (PDF)",
    RecordsExportFormat.ZIP: "inzage/afschrift (ZIP)",
}
EXPORT_PAGES = {
    RecordsExportFormat.JSON: "records_export_json",
    RecordsExportFormat.PDF: "records_export_pdf",
    RecordsExportFormat.ZIP: "records_export_zip",
}


def _export_page(request: HttpRequest, family_id: int, format: str) -> HttpResponse:
    """The family's inzage/afschrift in one format: GET shows the recent exports and their
    state, POST asks for a new one, built in the background (cases.records.exports)."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    access = access_family(
        request,
        family_id,
        need=Need.EXPORT,
        action=AccessAction.EXPORT if request.method == "POST" else AccessAction.READ,
        obj=EXPORT_OBJECTS[format],
    )
    family = access.family
    if request.method == "POST":
        exports.records_export_request(family=family, by=request.user, format=format)
        messages.success(
            request,
            _("Het afschrift wordt gemaakt. Vernieuw deze pagina over een ogenblik."),
        )
        return redirect(request.path)
    return render(
        request,
        "cases/records_export.html",
        {
            "family": family,
            "access": access,
            "format": format,
            "format_label": RecordsExportFormat(format).label,
            "exports": [e for e in exports.recent_exports(family) if e.format == format],
        },
    )


def export_json(request: HttpRequest, family_id: int) -> HttpResponse:
    return _export_page(request, family_id, RecordsExportFormat.JSON)


def export_pdf(request: HttpRequest, family_id: int) -> HttpResponse:
    return _export_page(request, family_id, RecordsExportFormat.PDF)


def export_zip(request: HttpRequest, family_id: int) -> HttpResponse:
    return _export_page(request, family_id, RecordsExportFormat.ZIP)


def _done_export(family: Family, export_id: int, volume: int) -> RecordsExport:
    """The finished export and one of its volumes (the gate's lookup), else 404."""
    export = get_object_or_404(RecordsExport, pk=export_id, family=family, state=TaskState.DONE)
    if not 1 <= volume <= len(export.files):
        raise Http404("No such volume.")
    return export


@require_GET
def export_download(
    request: HttpRequest, family_id: int, export_id: int, volume: int
) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.EXPORT,
        action=AccessAction.EXPORT,
        obj=f"inzage/afschrift {export_id} deel {volume}",
        lookup=lambda family: _done_export(family, export_id, volume),
    )
    export = access.record
    try:
        handle = default_storage.open(export.files[volume - 1]["name"], "rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=export.filename(volume),
        content_type=EXPORT_CONTENT_TYPES[RecordsExportFormat(export.format)],
    )
    # Personal data: no caching by browsers or proxies.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def export_retry(request: HttpRequest, family_id: int, export_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.EXPORT,
        action=AccessAction.EXPORT,
        obj=f"inzage/afschrift {export_id} opnieuw",
        lookup=lambda family: get_object_or_404(RecordsExport, pk=export_id, family=family),
    )
    export = exports.records_export_retry(export=access.record)
    messages.success(request, _("Het afschrift wordt opnieuw gemaakt."))
    name = EXPORT_PAGES[RecordsExportFormat(export.format)]
    return redirect(f"cases:{name}", family_id=access.family.pk)


# No method decorator: the gate answers first, so an outsider's POST gets 404 like a GET.
def access_log(request: HttpRequest, family_id: int) -> HttpResponse:
    """ "Wie heeft dit dossier ingezien": grouped per day, person, role and part; with
    `?rows=1` every row, newest first, paged by id."""
    access = access_family(request, family_id, need=Need.COORDINATE, obj="toegangslog")
    family = access.family
    context: dict[str, object] = {"family": family, "access": access}
    if request.GET.get("rows"):
        context["rows"] = accesslog.rows_page(
            family.pk, before=request.GET.get("before"), after=request.GET.get("after")
        )
        return render(request, "cases/accesslog_rows.html", context)
    context["overview"] = accesslog.overview_page(family.pk, before=request.GET.get("before"))
    return render(request, "cases/accesslog_list.html", context)


@require_GET
def access_log_export(request: HttpRequest, family_id: int) -> HttpResponse:
    """ "Wie heeft dit dossier ingezien" as CSV, for the family: every row, streamed."""
    access = access_family(
        request, family_id, need=Need.EXPORT, action=AccessAction.EXPORT, obj="toegangslog"
    )
    family = access.family
    response = StreamingHttpResponse(
        accesslog.csv_lines(family.pk), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ingezien-{family.pk}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def family_destroy(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.COORDINATE,
        action=AccessAction.DELETE if request.method == "POST" else AccessAction.READ,
        obj="dossier vernietigen",
    )
    family = access.family
    form = DestroyForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_case_number"}
        try:
            services.family_destroy(family=family, by=request.user, **data)
        except ProtectedError:
            messages.error(
                request,
                _("Vernietigen kan niet: een ander onderdeel verwijst nog naar dit dossier."),
            )
        else:
            messages.success(request, _("Het dossier is vernietigd en in het register gezet."))
            return redirect("cases:destruction_register")
    counts: dict[str, int] = {}
    for obj in services.family_records(family):
        label = str(obj._meta.verbose_name_plural).capitalize()
        counts[label] = counts.get(label, 0) + 1
    return render(
        request,
        "cases/records_destroy.html",
        {"form": form, "family": family, "access": access, "counts": sorted(counts.items())},
    )


@require_GET
def destruction_list(request: HttpRequest) -> HttpResponse:
    teams = access_team(
        request, roles={Role.COORDINATOR}, obj="lijst: te vernietigen dossiers"
    ).teams
    families = services.families_due_for_destruction(teams)
    # Every family the list names is in its own access log (NEN 7513).
    log_families_shown(
        request,
        [(f.pk, f.team_id) for f in families],
        action=AccessAction.READ,
        obj="lijst: te vernietigen dossiers",
    )
    return render(
        request,
        "cases/records_destruction_list.html",
        {"families": families, "retention_years": services.retention_years()},
    )


@require_GET
def destruction_register(request: HttpRequest) -> HttpResponse:
    teams = access_team(request, roles={Role.COORDINATOR}, obj="vernietigingsregister").teams
    entries = DestructionRecord.objects.filter(team__in=teams).select_related(
        "team", "carried_out_by"
    )
    return render(request, "cases/records_destruction_register.html", {"entries": entries})
