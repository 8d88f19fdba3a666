"""Family plan PDFs (behind the access gate), the team's caseload, coach load and team report,
and a family's case reviews and questionnaires."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.agenda.services import held_if_planned, planned_to_record
from cases.models import (
    FAMILY_WORK_ROLES,
    TEAM_WIDE_ROLES,
    AccessAction,
    AccessOutcome,
    AppointmentKind,
    Family,
    FamilyPlan,
    Role,
    Team,
)
from cases.permissions import (
    Need,
    access_family,
    access_team,
    id_in_range,
    log_access,
    log_families_shown,
)
from reports import services, tasks
from reports.caseload import (
    AFTERCARE_COLUMNS,
    COLUMNS,
    aftercare_queryset,
    aftercare_rows,
    caseload_queryset,
    coach_loads,
    coach_names,
    counted_page,
    fill_page,
    filter_queryset,
    order_queryset,
    rows_from,
    without_jit,
)
from reports.fidelity import fidelity_for
from reports.forms import (
    CaseloadFilterForm,
    CaseReviewForm,
    ExitForm,
    ImplementationForm,
    PlanPdfRequestForm,
    PlanShareForm,
    ProfessionalSdmForm,
    SdmForm,
    YearForm,
)
from reports.models import (
    EXIT_ITEMS,
    IMPLEMENTATION_TAKEN,
    ExportState,
    ImplementationResponse,
    PlanPdf,
    half_of,
)
from reports.questionnaires import (
    EXIT_QUESTIONS,
    IMPLEMENTATION_AREA_LABELS,
    PRO_SDM_QUESTIONS,
    SDM_QUESTIONS,
)
from reports.reviews import report_setting, review_overdue
from reports.supervision.queries import with_last_supervision
from reports.teamreport import TeamReport, current_year, team_report_snapshot
from reports.teamreport_export import team_report_csv, team_report_xlsx


@require_POST
def plan_pdf_request(request: HttpRequest, family_id: int) -> HttpResponse:
    # A request only queues the PDF (an invalid one not even that); the export is logged
    # when the file is downloaded (plan_pdf_download).
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="gezinsplan-PDF"
    )
    family = access.family
    form = PlanPdfRequestForm(request.POST, family=family)
    if not form.is_valid():
        messages.error(request, _("Kies een versie van het gezinsplan om als PDF te maken."))
        return redirect("cases:plan_detail", family_id=family.pk)
    plan: FamilyPlan = form.cleaned_data["plan"]
    services.plan_pdf_request(
        family=family,
        plan=plan,
        by=request.user,
        include_strengths=form.cleaned_data["include_strengths"],
        include_timeline=form.cleaned_data["include_timeline"],
    )
    messages.success(
        request,
        _("De PDF van versie %(n)s wordt gemaakt; ververs de pagina over een paar seconden.")
        % {"n": plan.number},
    )
    return redirect("cases:plan_detail", family_id=family.pk)


@require_POST
def plan_pdf_retry(request: HttpRequest, family_id: int, export_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.EXPORT,
        obj=f"gezinsplan pdf {export_id}",
        lookup=lambda family: get_object_or_404(PlanPdf, pk=export_id, family=family),
    )
    family, export = access.family, access.record
    if export.state != ExportState.FAILED:
        messages.info(request, _("Deze PDF is niet mislukt; opnieuw proberen is niet nodig."))
    else:
        services.plan_pdf_retry(export=export)
        messages.success(request, _("De PDF wordt opnieuw gemaakt."))
    return redirect("cases:plan_detail", family_id=family.pk)


def _done_export(family: Any, export_id: int, filename: str) -> PlanPdf:
    """The finished export by id and file name (the gate's lookup), else 404."""
    export = get_object_or_404(
        PlanPdf.objects.select_related("family"),
        pk=export_id,
        family=family,
        state=ExportState.DONE,
    )
    if filename != export.filename:
        raise Http404("No such file.")
    # Only the export's own file, whatever the row says; read through the storage, the
    # same one cases.storage wrote it to.
    if export.file_path != services.export_name(export):
        raise Http404("No such file.")
    return export


@require_GET
def plan_pdf_download(
    request: HttpRequest, family_id: int, export_id: int, filename: str
) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        action=AccessAction.EXPORT,
        obj=f"gezinsplan pdf {export_id}",
        lookup=lambda family: _done_export(family, export_id, filename),
    )
    export = access.record
    try:
        handle = default_storage.open(export.file_path, "rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=export.filename,
        content_type="application/pdf",
    )
    # Personal data: no caching by browsers or proxies.
    response["Cache-Control"] = "private, no-store"
    return response


# --- Caseload, coach load and the team report (team-wide pages) ---

CASELOAD_PER_PAGE = 50
# Columns of the caseload table: (sort key, heading); the keys are reports.caseload.SORT_KEYS.
CASELOAD_COLUMNS = [
    ("name", gettext_lazy("Gezin")),
    ("coach", gettext_lazy("Coach")),
    ("phase", gettext_lazy("Fase")),
    ("day", gettext_lazy("Dag")),
    ("hours", gettext_lazy("Uren / budget")),
    ("week", gettext_lazy("Uren per week (4 wk)")),
    ("contact", gettext_lazy("Laatste contact")),
    ("safety", gettext_lazy("Veiligheid")),
    ("trend", gettext_lazy("Verloop ernst")),
    ("reminders", gettext_lazy("Open herinneringen")),
    ("review", gettext_lazy("Volgende bespreking")),
]


def _team_wide(request: HttpRequest, *, roles: Iterable[str], obj: str) -> list[Team]:
    """The gate of the team pages: the user's teams where they hold one of `roles`."""
    return list(access_team(request, roles=roles, obj=obj).teams)


def _chosen_team(request: HttpRequest, teams: list[Team]) -> Team:
    """The team from ?team= among the user's own team-wide teams; the first by default."""
    wanted = request.GET.get("team", "")
    return next((t for t in teams if str(t.pk) == wanted), teams[0])


def _query(params: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    teams = _team_wide(request, roles=TEAM_WIDE_ROLES, obj="caseload van het team")
    team = _chosen_team(request, teams)
    today = timezone.localdate()
    names = coach_names(team)
    coaches = sorted(names.items(), key=lambda item: item[1].lower())
    form = CaseloadFilterForm(request.GET or None, teams=teams, coaches=coaches)
    filters: dict[str, Any] = {"coach": None, "phase": "", "flag": ""}
    if form.is_valid():
        filters = {k: form.cleaned_data[k] for k in filters}
    with without_jit():
        families = filter_queryset(caseload_queryset(team, today=today), **filters)
        requested = request.GET.get("sort", "")
        # Sorted, filtered and paged in the database: only this page's rows reach Python.
        ordered, sort = order_queryset(families, requested)
        # The page and the number of families in one query (the flags evaluated once).
        page = counted_page(
            ordered, columns=COLUMNS, number=request.GET.get("page"), per_page=CASELOAD_PER_PAGE
        )
        page.object_list = rows_from(page.object_list, names=names, today=today)
        fill_page(page.object_list, today=today)
    # Every family whose name the page shows is in its access log (NEN 7513); filtering the
    # team's families is a search over client records.
    log_families_shown(
        request,
        [(row.family_id, team.pk) for row in page.object_list],
        action=AccessAction.SEARCH if any(filters.values()) else AccessAction.READ,
        obj="zoekresultaat: caseload van het team"
        if any(filters.values())
        else "lijst: caseload van het team",
    )
    base = {"team": team.pk if len(teams) > 1 else None, **filters}
    columns = [
        (
            key,
            label,
            sort.removeprefix("-") == key,
            sort.startswith("-"),
            _query({**base, "sort": f"-{key}" if sort == key else key}),
        )
        for key, label in CASELOAD_COLUMNS
    ]
    return render(
        request,
        "reports/caseload_list.html",
        {
            "team": team,
            "teams": teams,
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "filtered": any(filters.values()),
            "attention_link": _query({**base, "flag": "attention"}),
            "columns": columns,
            "sort": sort,
            "page_query": _query({**base, "sort": request.GET.get("sort", "")}),
            "attention_query": _query(base),
            "today": today,
        },
    )


@require_GET
def caseload_aftercare(request: HttpRequest) -> HttpResponse:
    """The caseload's "Nazorg" tab: the team's aftercare families and their next check-in."""
    teams = _team_wide(request, roles=TEAM_WIDE_ROLES, obj="nazorg van het team")
    team = _chosen_team(request, teams)
    today = timezone.localdate()
    values = aftercare_queryset(team).values_list(*AFTERCARE_COLUMNS)
    page = Paginator(values, CASELOAD_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = aftercare_rows(page.object_list, today=today)
    log_families_shown(
        request,
        [(row.family_id, team.pk) for row in page.object_list],
        action=AccessAction.READ,
        obj="lijst: nazorg van het team",
    )
    return render(
        request,
        "reports/caseload_aftercare.html",
        {
            "team": team,
            "teams": teams,
            "page": page,
            "total": page.paginator.count,
            "team_query": _query({"team": team.pk if len(teams) > 1 else None}),
        },
    )


@require_GET
def coach_load_view(request: HttpRequest) -> HttpResponse:
    teams = _team_wide(request, roles=TEAM_WIDE_ROLES, obj="werkdruk coaches")
    team = _chosen_team(request, teams)
    with without_jit():
        loads = coach_loads(team, today=timezone.localdate())
    loads = with_last_supervision(loads, team)
    return render(
        request,
        "reports/coachload_list.html",
        {
            "team": team,
            "teams": teams,
            "loads": loads,
            "threshold": report_setting("INTENSIVE_HOURS_PER_WEEK"),
            "sucked_in": {
                key.removeprefix("SUCKED_IN_").lower(): value
                for key, value in settings.REPORTS.items()
                if key.startswith("SUCKED_IN_")
            },
        },
    )


def _report_year(params: Any) -> int:
    form = YearForm(params or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return current_year()


def _report_for(request: HttpRequest) -> tuple[TeamReport, list[Team]]:
    # The team report and its CSV are the coordinator's (team-role check, not a family gate).
    teams = _team_wide(request, roles={Role.COORDINATOR}, obj="teamrapport")
    team = _chosen_team(request, teams)
    # Read from the team's snapshot (reports.teamreport: refreshed every half hour).
    return team_report_snapshot(team, year=_report_year(request.GET)), teams


@require_POST
def team_report_refresh(request: HttpRequest) -> HttpResponse:
    """ "Nu verversen": the report of the team and year computed anew by the task, run
    in-process (the coordinator waits for it), then back to the report."""
    teams = _team_wide(request, roles={Role.COORDINATOR}, obj="teamrapport verversen")
    wanted = request.POST.get("team", "")
    team = next((t for t in teams if str(t.pk) == wanted), teams[0])
    year = _report_year(request.POST)
    tasks.refresh_team_report.apply(args=(team.pk, year), throw=True)
    messages.success(request, _("De cijfers zijn opnieuw berekend."))
    return redirect(f"{reverse('reports:team_report')}?{_query({'team': team.pk, 'year': year})}")


def _report_context(report: TeamReport, teams: list[Team]) -> dict[str, Any]:
    return {
        "report": report,
        "teams": teams,
        "exit_tables": [
            (_("Kwartaal"), report.exit_per_quarter),
            (_("Coach"), report.exit_per_coach),
        ],
        "query": _query({"team": report.team.pk, "year": report.year}),
        "generated": timezone.now(),
        "implementation_areas": [str(label) for label in IMPLEMENTATION_AREA_LABELS.values()],
        "min_respondents": settings.IMPLEMENTATION_MIN_RESPONDENTS,
    }


@require_GET
def team_report_view(request: HttpRequest) -> HttpResponse:
    report, teams = _report_for(request)
    return render(request, "reports/teamreport_detail.html", _report_context(report, teams))


@require_GET
def team_report_print(request: HttpRequest) -> HttpResponse:
    report, teams = _report_for(request)
    log_access(
        request,
        family_id=None,
        action=AccessAction.EXPORT,
        outcome=AccessOutcome.ALLOWED,
        role=Role.COORDINATOR,
        obj="teamrapport afdrukken",
    )
    return render(request, "reports/teamreport_print.html", _report_context(report, teams))


def _team_report_download(request: HttpRequest, *, extension: str) -> HttpResponse:
    report, _teams = _report_for(request)
    log_access(
        request,
        family_id=None,
        action=AccessAction.EXPORT,
        outcome=AccessOutcome.ALLOWED,
        role=Role.COORDINATOR,
        obj="teamrapport" if extension == "csv" else f"teamrapport {extension}",
    )
    if extension == "csv":
        response = HttpResponse(team_report_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(team_report_xlsx(report), content_type=XLSX_CONTENT_TYPE)
    filename = f"teamrapport-{slugify(report.team.name)}-{report.year}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def team_report_csv_view(request: HttpRequest) -> HttpResponse:
    """The report's tables one below the other, semicolons and decimal commas."""
    return _team_report_download(request, extension="csv")


@require_GET
def team_report_xlsx_view(request: HttpRequest) -> HttpResponse:
    """The report as a workbook, one sheet per table."""
    return _team_report_download(request, extension="xlsx")


# --- Case reviews and questionnaires of one family ---


@require_GET
def family_reports(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="casusbesprekingen en vragenlijsten")
    family = access.family
    reviews = list(
        family.case_reviews.prefetch_related("participants").select_related("created_by")
    )
    return render(
        request,
        "reports/family_reports.html",
        {
            "family": family,
            "access": access,
            "reviews": reviews,
            # The latest review's next date, late once past (reports.reviews).
            "next_review_overdue": bool(reviews)
            and review_overdue(reviews[0].next_review_on, timezone.localdate()),
            "sdm_responses": family.sdm_responses.select_related("member", "coach"),
            "exit_responses": family.exit_responses.select_related("member", "coach"),
            "professional_sdm": family.professional_sdm_responses.select_related("professional"),
            # Only that the family was discussed, and when: never the session's notes.
            "supervision": family.supervision_discussions.select_related("session").order_by(
                "-session__date", "-pk"
            ),
            "sdm_questions": SDM_QUESTIONS,
            "pro_sdm_questions": PRO_SDM_QUESTIONS,
            "exit_questions": EXIT_QUESTIONS,
            # The method's elements, done / due / late (reports.fidelity): on this tab, not
            # the overview, so the family page reads nothing for it.
            "fidelity": fidelity_for(Family.objects.filter(pk=family.pk), timezone.localdate())[
                family.pk
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def case_review_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="casusbespreking"
    )
    family = access.family
    # Recording a planned case review (the agenda's link): it starts from the plan.
    planned = planned_to_record(
        family=family, raw_id=request.GET.get("appointment"), kind=AppointmentKind.CASE_REVIEW
    )
    initial = (
        {"date": planned.date, "participants": [planned.coach, *planned.colleagues.all()]}
        if planned
        else None
    )
    form = CaseReviewForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("participants", "follow_up_task")
        }
        with transaction.atomic():
            services.case_review_create(
                family=family,
                by=request.user,
                data=data,
                participants=form.cleaned_data["participants"],
                follow_up_task=form.cleaned_data["follow_up_task"],
            )
            held_if_planned(planned)
        messages.success(request, _("De casusbespreking is vastgelegd."))
        return redirect("reports:family_reports", family_id=family.pk)
    return render(
        request,
        "reports/form_page.html",
        {
            "family": family,
            "access": access,
            "form": form,
            "title": _("Casusbespreking vastleggen"),
        },
    )


@require_http_methods(["GET", "POST"])
def sdm_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="SDM-Q-9"
    )
    family = access.family
    form = SdmForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        response = services.sdm_record(
            family=family,
            member=form.members[form.cleaned_data["member"]],
            moment=form.cleaned_data["moment"],
            date=form.cleaned_data["date"],
            items=form.item_values,
            by=request.user,
        )
        messages.success(
            request, _("De SDM-Q-9 is opgeslagen (score %(score)s).") % {"score": response.score}
        )
        return redirect("reports:family_reports", family_id=family.pk)
    return render(
        request,
        "reports/form_page.html",
        {
            "family": family,
            "access": access,
            "form": form,
            "title": _("SDM-Q-9: samen beslissen"),
            "intro": _(
                "Laat de ouder of jongere zelf antwoorden; u bent erbij om uit te leggen, niet "
                "om in te vullen. 0 is helemaal niet mee eens, 5 helemaal mee eens."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def exit_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="eindvragenlijst"
    )
    family = access.family
    form = ExitForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        services.exit_record(
            family=family,
            member=form.members[form.cleaned_data["member"]],
            date=form.cleaned_data["date"],
            answers={name: form.cleaned_data[name] for name in EXIT_ITEMS},
            comments=form.cleaned_data["comments"],
            by=request.user,
        )
        messages.success(request, _("De eindvragenlijst is opgeslagen."))
        return redirect("reports:family_reports", family_id=family.pk)
    return render(
        request,
        "reports/form_page.html",
        {
            "family": family,
            "access": access,
            "form": form,
            "title": _("Eindvragenlijst bij afsluiting"),
            "intro": _("1 is heel ontevreden of heel weinig, 5 heel tevreden of heel veel."),
        },
    )


SHARE_LABEL = "gezinsplan delen"


@require_http_methods(["GET", "POST"])
def plan_pdf_share(request: HttpRequest, family_id: int) -> HttpResponse:
    """The plan as PDF for someone outside the team: asks for the recipient and checks consent.

    Without recorded consent for that organisation nothing is made until the requester
    confirms why the plan may go anyway; the export then records that it had no consent.
    """
    from cases.records.consent import share_check

    # The gate logs the page or the attempt, as it decided. What was typed is validated by
    # the form below and kept on the export, with the family's data, never in the access log;
    # the export itself is logged only once it is really made.
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CREATE if request.method == "POST" else AccessAction.READ,
        obj=SHARE_LABEL,
    )
    family = access.family
    plan = family.plans.order_by("-number").first()
    if plan is None:
        messages.error(request, _("Er is nog geen gezinsplan om te delen."))
        return redirect("cases:plan_detail", family_id=family.pk)
    form = PlanShareForm(request.POST or None, family=family, initial={"plan": plan.pk})
    consent = None
    missing_consent = False
    consent_message = ""
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"].strip()
        # The Jeugdwet's age rules for every child: the plan concerns the whole family.
        check = share_check(family, form.recipient, timezone.localdate())
        consent = check.consent
        missing_consent = consent is None
        consent_message = check.message
        if consent is not None or form.cleaned_data["share_without_consent"]:
            chosen: FamilyPlan = form.cleaned_data["plan"]
            # Only now is anything exported; the log row names the export, not its
            # recipient, and is written with it (no export without its row).
            with transaction.atomic():
                export = services.plan_pdf_request(
                    family=family,
                    plan=chosen,
                    by=request.user,
                    recipient=organisation,
                    consent=consent,
                    include_strengths=form.cleaned_data["include_strengths"],
                    include_timeline=form.cleaned_data["include_timeline"],
                )
                log_access(
                    request,
                    family_id=family.pk,
                    action=AccessAction.EXPORT,
                    outcome=AccessOutcome.ALLOWED,
                    role=access.role,
                    obj=f"gezinsplan-PDF {export.pk} gedeeld buiten het team",
                )
            messages.success(
                request,
                _("De PDF van versie %(n)s voor %(org)s wordt gemaakt.")
                % {"n": chosen.number, "org": organisation},
            )
            return redirect("cases:plan_detail", family_id=family.pk)
    return render(
        request,
        "reports/plan_share.html",
        {
            "family": family,
            "access": access,
            "form": form,
            "plan": plan,
            "missing_consent": missing_consent,
            "consent_message": consent_message,
        },
    )


@require_http_methods(["GET", "POST"])
def professional_sdm_create(request: HttpRequest, family_id: int) -> HttpResponse:
    """The professional's own SDM about the family, recorded on the family's reports tab."""
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="SDM hulpverlener"
    )
    family = access.family
    form = ProfessionalSdmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = services.professional_sdm_record(
            family=family,
            professional=request.user,
            moment=form.cleaned_data["moment"],
            date=form.cleaned_data["date"],
            items=form.item_values,
        )
        messages.success(
            request,
            _("Uw SDM-vragenlijst is opgeslagen (score %(score)s).") % {"score": response.score},
        )
        return redirect("reports:family_reports", family_id=family.pk)
    return render(
        request,
        "reports/form_page.html",
        {
            "family": family,
            "access": access,
            "form": form,
            "title": _("Samen beslissen: de kant van de hulpverlener"),
            "intro": _(
                "Hoe hebt u met dit gezin samen beslist? 0 is helemaal niet mee eens, 5 "
                "helemaal mee eens. Het gezin vult de SDM-Q-9 apart in."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def implementation_create(request: HttpRequest) -> HttpResponse:
    """The implementation questionnaire of this half year, once per professional."""
    raw = request.GET.get("team") or request.POST.get("team")
    team_id = None
    if raw:
        if not raw.isdecimal() or not id_in_range(int(raw)):
            raise Http404
        team_id = int(raw)
    access = access_team(
        request,
        roles=FAMILY_WORK_ROLES,
        team_id=team_id,
        action=AccessAction.READ if request.method == "GET" else AccessAction.CREATE,
        obj="vragenlijst uitvoering",
    )
    today = timezone.localdate()
    done = ImplementationResponse.objects.filter(
        professional=request.user, year=today.year, half=half_of(today)
    ).exists()
    form = ImplementationForm(request.POST or None)
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.implementation_record(
                team=access.team,
                professional=request.user,
                date=today,
                answers=form.answers,
                remark=form.cleaned_data["remark"],
            )
        except services.ImplementationTaken:
            form.add_error(None, IMPLEMENTATION_TAKEN)
        else:
            messages.success(request, _("Dank u wel: uw antwoorden zijn opgeslagen."))
            return redirect(f"{reverse('reports:implementation')}?team={access.team.pk}")
    elif request.method == "POST" and done:
        form.is_valid()
        form.add_error(None, IMPLEMENTATION_TAKEN)
    return render(
        request,
        "reports/implementation_form.html",
        {
            "form": form,
            "team": access.team,
            "done": done,
            "year": today.year,
            "half": half_of(today),
            "title": _("Wat helpt en hindert bij het werken volgens de methode"),
        },
    )
