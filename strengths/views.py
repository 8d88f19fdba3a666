from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.conflicts import save_or_merge, save_or_merge_forms
from cases.models import AccessAction, LifeDomain, Member
from cases.permissions import Need, access_family
from strengths import services
from strengths.charts import domain_profile, domain_profile_svg, profile_rows
from strengths.forms import AnalysisForm, DomainScoreForm, EventForm, MomentForm, SheetForm
from strengths.models import (
    MemberAnalysis,
    Moment,
    Perspective,
    ScoreSheet,
    TimelineEvent,
    inclusion_check,
)
from strengths.services import SCORE_FIELDS


@require_GET
def overview(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="analyse")
    family = access.family
    # ?perspective= shows one perspective over time; by default each moment's preferred one.
    perspective = request.GET.get("perspective", "")
    if perspective not in Perspective.values:
        perspective = ""
    series = domain_profile(family, perspective=perspective or None)
    moments = list(family.score_moments.prefetch_related("sheets").order_by("date", "pk"))
    for moment in moments:
        scored = {sheet.perspective: sheet for sheet in moment.sheets.all()}
        moment.perspective_links = [  # type: ignore[attr-defined]
            (value, label, value in scored) for value, label in Perspective.choices
        ]
    members = list(family.members.select_related("analysis", "analysis__recorded_by"))
    return render(
        request,
        "strengths/overview.html",
        {
            "family": family,
            "access": access,
            "inclusion": inclusion_check(family),
            "chart": domain_profile_svg(family, perspective=perspective or None),
            "perspective": perspective,
            "perspectives": Perspective.choices,
            "series": series,
            "rows": profile_rows(series),
            "moments": moments,
            "members": members,
            "event_count": family.timeline_events.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def moment_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="meetmoment"
    )
    family = access.family
    form = MomentForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        moment = services.moment_create(
            family=family,
            kind=form.cleaned_data["kind"],
            date=form.cleaned_data["date"],
            by=request.user,
        )
        messages.success(request, _("Meetmoment toegevoegd. Vul nu de scores in."))
        return redirect(
            "strengths:scores", family_id=family.pk, moment_id=moment.pk, perspective="joint"
        )
    return render(
        request, "strengths/moment_form.html", {"form": form, "family": family, "access": access}
    )


def _score_forms(data: Any, sheet: ScoreSheet | None) -> tuple[SheetForm, list[DomainScoreForm]]:
    initial: dict[str, dict[str, Any]] = {}
    if sheet is not None:
        for score in sheet.scores.all():
            initial[score.domain] = {f: getattr(score, f) for f in SCORE_FIELDS}
    sheet_form = SheetForm(data, initial={"version": sheet.version if sheet else None})
    forms = [DomainScoreForm(data, domain=code, initial=initial.get(code)) for code in LifeDomain]
    return sheet_form, forms


@require_http_methods(["GET", "POST"])
def scores(request: HttpRequest, family_id: int, moment_id: int, perspective: str) -> HttpResponse:
    """Score all seven life domains of one moment from one perspective on one page."""
    if perspective not in Perspective.values:
        raise Http404
    access = access_family(
        request,
        family_id,
        need=Need.WRITE if request.method == "POST" else Need.READ,
        obj=f"scores meetmoment {moment_id} ({perspective})",
        lookup=lambda family: get_object_or_404(Moment, pk=moment_id, family=family),
    )
    family, moment = access.family, access.record
    sheet = (
        ScoreSheet.objects.filter(moment=moment, perspective=perspective)
        .prefetch_related("scores")
        .first()
    )
    data = request.POST if request.method == "POST" else None
    sheet_form, forms = _score_forms(data, sheet)
    context = {
        "family": family,
        "access": access,
        "moment": moment,
        "perspective": Perspective(perspective),
        "perspectives": Perspective.choices,
        "sheet": sheet,
    }
    if request.method == "POST":
        # All seven or nothing: one invalid domain keeps every score unsaved. Every form
        # is validated (no short-circuit) so all errors show at once.
        results = [form.is_valid() for form in forms]
        if sheet_form.is_valid() and all(results):
            conflict = _save_scores(request, moment, perspective, sheet_form, forms, context)
            if conflict is not None:
                return conflict
            messages.success(request, _("Scores opgeslagen."))
            return redirect("strengths:overview", family_id=family.pk)
        messages.error(request, _("Er is niets opgeslagen: verbeter de gemarkeerde velden."))
    return render(
        request,
        "strengths/scores_form.html",
        {**context, "sheet_form": sheet_form, "forms": forms, "current": None},
    )


def _save_scores(
    request: HttpRequest,
    moment: Moment,
    perspective: str,
    sheet_form: SheetForm,
    forms: list[DomainScoreForm],
    context: dict[str, Any],
) -> HttpResponse | None:
    """Save the seven valid domain forms; a stale save is merged per field
    (cases.conflicts.save_or_merge_forms)."""

    def current() -> ScoreSheet | None:
        return (
            ScoreSheet.objects.filter(moment=moment, perspective=perspective)
            .select_related("updated_by")
            .prefetch_related("scores")
            .first()
        )

    def save(sheet_form: Any, forms: Any) -> None:
        services.scores_save(
            moment=moment,
            perspective=perspective,
            by=request.user,
            version=sheet_form.cleaned_data["version"],
            scores={f.domain: f.cleaned_data for f in forms},
        )

    def render_page(sheet_form: Any, forms: Any, status: int) -> HttpResponse:
        page = {**context, "sheet_form": sheet_form, "forms": forms, "current": current()}
        return render(request, "strengths/scores_form.html", page, status=status)

    return save_or_merge_forms(
        request,
        version_form=sheet_form,
        forms=forms,
        bind=lambda data: _score_forms(data, current()),
        current_version=lambda: getattr(current(), "version", None),
        save=save,
        render_page=render_page,
    )


@require_http_methods(["GET", "POST"])
def analysis_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="krachtenanalyse"
    )
    family = access.family
    initial = {}
    # isdecimal, not isdigit: int() refuses digits such as "²".
    if (member_id := request.GET.get("member", "")).isdecimal():
        initial["member"] = int(member_id)
    form = AnalysisForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.analysis_create(
            family=family,
            member=form.cleaned_data["member"],
            by=request.user,
            data=form.cleaned_data,
        )
        messages.success(request, _("Krachtenanalyse opgeslagen."))
        return redirect("strengths:overview", family_id=family.pk)
    return render(
        request, "strengths/analysis_form.html", {"form": form, "family": family, "access": access}
    )


@require_http_methods(["GET", "POST"])
def analysis_edit(request: HttpRequest, family_id: int, analysis_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"krachtenanalyse {analysis_id}",
        lookup=lambda family: get_object_or_404(
            MemberAnalysis.objects.select_related("member", "recorded_by"),
            pk=analysis_id,
            family=family,
        ),
    )
    family, analysis = access.family, access.record
    form = AnalysisForm(request.POST or None, instance=analysis, family=family)
    context = {"family": family, "access": access, "analysis": analysis}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.analysis_update(
                analysis=analysis,
                by=request.user,
                version=form.cleaned_data["version"],
                data=form.cleaned_data,
            ),
            current=lambda: MemberAnalysis.objects.filter(pk=analysis.pk).first(),
            form_kwargs={"family": family},
            template="strengths/analysis_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Krachtenanalyse opgeslagen."))
        return redirect("strengths:overview", family_id=family.pk)
    return render(
        request, "strengths/analysis_form.html", {**context, "form": form, "current": None}
    )


@require_GET
def timeline(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="tijdlijn")
    family = access.family
    events = family.timeline_events.prefetch_related(
        Prefetch("members", queryset=Member.objects.only("id", "name"))
    )
    return render(
        request,
        "strengths/event_list.html",
        {"family": family, "access": access, "events": events},
    )


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="gebeurtenis tijdlijn"
    )
    family = access.family
    form = EventForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        services.event_create(
            family=family,
            by=request.user,
            data=form.cleaned_data,
            members=form.cleaned_data["members"],
        )
        messages.success(request, _("Gebeurtenis toegevoegd aan de tijdlijn."))
        return redirect("strengths:timeline", family_id=family.pk)
    return render(
        request, "strengths/event_form.html", {"form": form, "family": family, "access": access}
    )


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, family_id: int, event_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"gebeurtenis {event_id}",
        lookup=lambda family: get_object_or_404(TimelineEvent, pk=event_id, family=family),
    )
    family, event = access.family, access.record
    form = EventForm(request.POST or None, instance=event, family=family)
    context = {"family": family, "access": access, "event": event}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.event_update(
                event=event,
                version=form.cleaned_data["version"],
                data=form.cleaned_data,
                members=form.cleaned_data["members"],
            ),
            current=lambda: TimelineEvent.objects.filter(pk=event.pk).first(),
            form_kwargs={"family": family},
            template="strengths/event_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Gebeurtenis opgeslagen."))
        return redirect("strengths:timeline", family_id=family.pk)
    return render(request, "strengths/event_form.html", {**context, "form": form, "current": None})
