from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.conflicts import save_or_merge_forms
from cases.models import AccessAction, Family, FamilyStatus, Role, Team
from cases.permissions import (
    FamilyAccess,
    Need,
    TeamAccess,
    access_family,
    access_team,
    id_in_range,
    log_families_shown,
)
from phases import services
from phases.budget import (
    episodes_with_hours,
    extension_budget,
    hours_from_minutes,
    phase_figures_for,
)
from phases.charts import BAND_LABELS, BUDGET_LABELS, band_position, range_bar_svg
from phases.forms import (
    AftercareCheckinForm,
    ClosingForm,
    DecisionForm,
    DefinitionForm,
    ExtensionForm,
    ExtraHoursForm,
    ProposeForm,
    StepBackForm,
    TeamPhaseSettingsForm,
    TrajectoryStartForm,
)
from phases.models import (
    PHASE_ORDER,
    AftercareCheckin,
    ExtraHours,
    PhaseEpisode,
    PhaseExtension,
    Reminder,
    Step,
    Transition,
    TransitionStatus,
)

REMINDERS_PER_PAGE = 50


def episode_rows(episodes: list[PhaseEpisode]) -> list[dict[str, Any]]:
    """Per phase: hours used against the budget (with relapse hours), as text and as a bar."""
    rows = []
    for episode in episodes:
        extra = episode.extra or 0
        used = hours_from_minutes(episode.used_minutes)
        # An approved extension adds its days at the phase's weekly band (phases.budget).
        days = (episode.agreed_end - episode.planned_end).days
        low = episode.budget_min + extra + extension_budget(days, episode.hours_min)
        high = episode.budget_max + extra + extension_budget(days, episode.hours_max)
        rows.append(
            {
                "episode": episode,
                "used": used,
                "low": low,
                "high": high,
                "extra": extra,
                "over": used > high,
                "position": band_position(used, low, high),
                "bar": range_bar_svg(
                    value=used,
                    low=low,
                    high=high,
                    budget=True,
                    title=_("Uren %(phase)s tegen het budget")
                    % {"phase": episode.get_kind_display()},
                ),
            }
        )
    return rows


def rate_bars(figures: Any) -> dict[str, Any]:
    if figures is None:
        return {}
    # One colour and one word per position against the band (phases.charts): the bar and
    # the badge beside it say the same.
    budget = band_position(figures.used_hours, figures.budget_min, figures.budget_max)
    rate2 = band_position(figures.hours_per_week_2, figures.band_min, figures.band_max)
    rate4 = band_position(figures.hours_per_week_4, figures.band_min, figures.band_max)
    return {
        "budget_bar": range_bar_svg(
            value=figures.used_hours,
            low=figures.budget_min,
            high=figures.budget_max,
            budget=True,
            title=_("Uren gebruikt tegen het budget van deze fase"),
        ),
        "budget_position": budget,
        "budget_words": BUDGET_LABELS[budget],
        "rate2_bar": range_bar_svg(
            value=figures.hours_per_week_2,
            low=figures.band_min,
            high=figures.band_max,
            title=_("Uren per week, laatste 2 weken, tegen de band van de fase"),
        ),
        "rate2_position": rate2,
        "rate2_words": BAND_LABELS[rate2],
        "rate4_bar": range_bar_svg(
            value=figures.hours_per_week_4,
            low=figures.band_min,
            high=figures.band_max,
            title=_("Uren per week, laatste 4 weken, tegen de band van de fase"),
        ),
        "rate4_position": rate4,
        "rate4_words": BAND_LABELS[rate4],
    }


def _render_page(
    request: HttpRequest, access: FamilyAccess, *, status: int = 200, **forms: Any
) -> HttpResponse:
    family = access.family
    today = timezone.localdate()
    episodes = list(
        episodes_with_hours(family.phase_episodes.all()).prefetch_related(
            Prefetch("extra_hours", queryset=ExtraHours.objects.select_related("added_by")),
            Prefetch(
                "extensions",
                queryset=PhaseExtension.objects.select_related("proposed_by", "decided_by"),
            ),
        )
    )
    checkins = list(
        AftercareCheckin.objects.filter(family=family).select_related("recorded_by", "reopened_as")
    )
    transitions = list(
        family.phase_transitions.select_related("proposed_by", "decided_by").order_by(
            "-proposed_at", "-id"
        )
    )
    open_episode = next((e for e in episodes if e.ended_on is None), None)
    figures = phase_figures_for([family.pk], today=today).get(family.pk) if open_episode else None
    step = services.current_step(family, open_episode)
    target = services.next_step(step)
    back = services.previous_phase(step)
    pending = next((t for t in transitions if t.status == TransitionStatus.PENDING), None)
    not_before = open_episode.started_on if open_episode else None
    act = access.can_care
    pending_extension = (
        next(
            (x for x in open_episode.extensions.all() if x.status == TransitionStatus.PENDING), None
        )
        if open_episode
        else None
    )
    next_checkin = next((c for c in checkins if c.held_on is None), None)
    in_aftercare = family.status == FamilyStatus.AFTERCARE
    closing = target == Step.CLOSED
    context = {
        "family": family,
        "access": access,
        "episodes": list(reversed(episode_rows(episodes))),
        "transitions": transitions,
        "figures": figures,
        "pending": pending,
        "step": step,
        "next_label": Step(target).label if target else None,
        "back_label": Step(back).label if back else None,
        "can_start": act and step is None and family.status in _STARTABLE,
        "can_propose": act and target is not None and pending is None,
        "can_step_back": act and back is not None,
        "can_extra": act and open_episode is not None,
        "can_decide": access.can_approve and pending is not None,
        "closing": closing,
        "open_episode": open_episode,
        "pending_extension": pending_extension,
        "can_extend": act and open_episode is not None and pending_extension is None,
        "can_decide_extension": access.can_approve and pending_extension is not None,
        "extension_form": forms.get("extension_form")
        or ExtensionForm(current_end=open_episode.agreed_end if open_episode else None),
        "extension_decision_form": forms.get("extension_decision_form")
        or DecisionForm(prefix="extension_decision"),
        "checkins": checkins,
        "next_checkin": forms.get("checkin_target") or (next_checkin if in_aftercare else None),
        "can_record_checkin": act and in_aftercare and next_checkin is not None,
        "checkin_form": forms.get("checkin_form") or AftercareCheckinForm(),
        "start_form": forms.get("start_form") or TrajectoryStartForm(),
        "propose_form": forms.get("propose_form") or (ClosingForm() if closing else ProposeForm()),
        "step_back_form": forms.get("step_back_form") or StepBackForm(),
        "extra_form": forms.get("extra_form") or ExtraHoursForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "not_before": not_before,
        **rate_bars(figures),
    }
    return render(request, "phases/family_phases.html", context, status=status)


_STARTABLE = (FamilyStatus.REFERRED, FamilyStatus.ACTIVE)


def _open_start(family: Family) -> datetime.date | None:
    return (
        PhaseEpisode.objects.open()
        .filter(family=family)
        .values_list("started_on", flat=True)
        .first()
    )


def family_phases(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="fasen")
    return _render_page(request, access)


def _closing_or_start(family: Family) -> datetime.date | None:
    started = _open_start(family)
    if started is not None:
        return started
    return services.closing_date(family)


@require_POST
def trajectory_start(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.CARE, action=AccessAction.CREATE, obj="startfase"
    )
    family = access.family
    form = TrajectoryStartForm(request.POST, not_before=family.referral_date)
    if form.is_valid():
        try:
            services.trajectory_start(
                family=family, by=request.user, started_on=form.cleaned_data["started_on"]
            )
        except services.PhaseError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Startfase begonnen."))
            return redirect("phases:family_phases", family_id=family.pk)
    return _render_page(request, access, start_form=form)


@require_POST
def transition_propose(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.CARE, action=AccessAction.CREATE, obj="faseovergang"
    )
    family = access.family
    episode = PhaseEpisode.objects.open().filter(family=family).first()
    closing = services.next_step(services.current_step(family, episode)) == Step.CLOSED
    form_class = ClosingForm if closing else ProposeForm
    form = form_class(request.POST, not_before=_closing_or_start(family))
    if form.is_valid():
        data = form.cleaned_data
        try:
            transition = services.transition_propose(
                family=family,
                by=request.user,
                role=access.role,
                effective_on=data["effective_on"],
                note=data["note"],
                closing_outcome=data.get("closing_outcome", ""),
                closing_reason=data.get("closing_reason", ""),
                into_aftercare=data.get("into_aftercare"),
            )
        except services.PhaseError as error:
            form.add_error(None, error.message)
        else:
            if transition.status == TransitionStatus.PENDING:
                messages.success(request, _("Faseovergang voorgesteld; die wacht op akkoord."))
            else:
                messages.success(request, _("Faseovergang doorgevoerd."))
            return redirect("phases:family_phases", family_id=family.pk)
    return _render_page(request, access, propose_form=form)


@require_POST
def transition_decide(request: HttpRequest, family_id: int, transition_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.APPROVE,
        obj=f"faseovergang {transition_id}",
        lookup=lambda family: get_object_or_404(Transition, pk=transition_id, family=family),
    )
    family, transition = access.family, access.record
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.transition_decide(
                transition=transition,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except services.PhaseError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Besluit over de faseovergang vastgelegd."))
        return redirect("phases:family_phases", family_id=family.pk)
    return _render_page(request, access, decision_form=form)


@require_POST
def extension_propose(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.CARE, action=AccessAction.CREATE, obj="verlenging fase"
    )
    family = access.family
    episode = PhaseEpisode.objects.open().filter(family=family).first()
    form = ExtensionForm(request.POST, current_end=episode.agreed_end if episode else None)
    if form.is_valid():
        try:
            extension = services.extension_propose(
                family=family,
                by=request.user,
                role=access.role,
                new_end=form.cleaned_data["new_end"],
                reason=form.cleaned_data["reason"],
                agreed_with=form.cleaned_data["agreed_with"],
            )
        except services.PhaseError as error:
            form.add_error(None, error.message)
        else:
            if extension.status == TransitionStatus.PENDING:
                messages.success(request, _("Verlenging voorgesteld; die wacht op akkoord."))
            else:
                messages.success(request, _("Fase verlengd; de geplande einddatum is verschoven."))
            return redirect("phases:family_phases", family_id=family.pk)
    return _render_page(request, access, extension_form=form)


@require_POST
def extension_decide(request: HttpRequest, family_id: int, extension_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.APPROVE,
        obj=f"verlenging {extension_id}",
        lookup=lambda family: get_object_or_404(PhaseExtension, pk=extension_id, family=family),
    )
    family, extension = access.family, access.record
    form = DecisionForm(request.POST, prefix="extension_decision")
    if form.is_valid():
        try:
            services.extension_decide(
                extension=extension,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except services.PhaseError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Besluit over de verlenging vastgelegd."))
        return redirect("phases:family_phases", family_id=family.pk)
    return _render_page(request, access, extension_decision_form=form)


@require_POST
def aftercare_checkin_record(request: HttpRequest, family_id: int, checkin_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.CARE,
        action=AccessAction.CHANGE,
        obj=f"nazorgcontact {checkin_id}",
        lookup=lambda family: get_object_or_404(AftercareCheckin, pk=checkin_id, family=family),
    )
    family, checkin = access.family, access.record
    form = AftercareCheckinForm(request.POST, not_before=services.closing_date(family))
    if form.is_valid():
        try:
            checkin = services.aftercare_checkin_record(
                checkin=checkin,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                how_it_goes=form.cleaned_data["how_it_goes"],
                needs_help=form.cleaned_data["needs_help"],
                notes=form.cleaned_data["notes"],
            )
        except services.PhaseError as error:
            form.add_error(None, error.message)
        else:
            if checkin.reopened_as is not None:
                messages.success(
                    request,
                    _("Nazorgcontact vastgelegd en het dossier heropend als nieuw traject."),
                )
            else:
                messages.success(request, _("Nazorgcontact vastgelegd."))
            return redirect("phases:family_phases", family_id=family.pk)
    return _render_page(request, access, checkin_form=form, checkin_target=checkin)


@require_POST
def phase_step_back(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, need=Need.CARE, obj="fase terug")
    family = access.family
    form = StepBackForm(request.POST, not_before=_open_start(family))
    if form.is_valid():
        try:
            services.phase_step_back(
                family=family,
                by=request.user,
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
            )
        except services.PhaseError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het gezin is een fase teruggezet."))
            return redirect("phases:family_phases", family_id=family.pk)
    return _render_page(request, access, step_back_form=form)


@require_POST
def extra_hours_add(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.CARE, action=AccessAction.CREATE, obj="extra uren"
    )
    family = access.family
    form = ExtraHoursForm(request.POST)
    if form.is_valid():
        try:
            services.extra_hours_add(
                family=family,
                by=request.user,
                hours=form.cleaned_data["hours"],
                reason=form.cleaned_data["reason"],
            )
        except services.PhaseError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Extra uren toegevoegd; ze tellen direct mee."))
            return redirect("phases:family_phases", family_id=family.pk)
    return _render_page(request, access, extra_form=form)


def _coordinator_team(request: HttpRequest) -> TeamAccess:
    """The team whose definitions are edited: ?team=<id>, or the user's first coordinator team."""
    raw = request.GET.get("team") or request.POST.get("team")
    team_id = None
    if raw:
        # isdecimal, not isdigit: int() refuses digits such as "²".
        if not raw.isdecimal() or not id_in_range(int(raw)):
            raise Http404
        team_id = int(raw)
    return access_team(request, roles={Role.COORDINATOR}, team_id=team_id, obj="fasedefinities")


@require_http_methods(["GET", "POST"])
def definitions_edit(request: HttpRequest) -> HttpResponse:
    team = _coordinator_team(request).team
    data = request.POST if request.method == "POST" else None
    settings_form, forms = _definition_forms(team, data)
    if request.method == "POST" and settings_form.is_valid() and all(f.is_valid() for f in forms):

        def save(settings_form: Any, forms: Any) -> None:
            services.definitions_update(
                team=team,
                by=request.user,
                version=settings_form.cleaned_data["version"],
                values={
                    kind: {name: form.cleaned_data[name] for name in DefinitionForm.Meta.fields}
                    for kind, form in zip(PHASE_ORDER, forms, strict=True)
                },
                approval_required=settings_form.cleaned_data["approval_required"],
            )

        conflict = save_or_merge_forms(
            request,
            version_form=settings_form,
            forms=[settings_form, *forms],
            bind=lambda data: _definition_forms(team, data, with_settings=True),
            current_version=lambda: services.team_settings(team).version,
            save=lambda version_form, forms: save(version_form, forms[1:]),
            render_page=lambda settings_form, forms, status: _definitions_page(
                request, team, settings_form, list(forms)[1:], status
            ),
        )
        if conflict is not None:
            return conflict
        messages.success(
            request, _("Fasedefinities opgeslagen; ze gelden voor fasen die vanaf nu starten.")
        )
        return redirect(f"{request.path}?team={team.pk}")
    return _definitions_page(request, team, settings_form, forms)


def _definition_forms(team: Team, data: Any, *, with_settings: bool = False) -> Any:
    """The page's forms against the rows as stored now: the team settings form (which
    carries the page's version) and one form per phase, in PHASE_ORDER. With
    `with_settings` the settings form is also first in the list (the merge compares it)."""
    definitions = services.definitions_for(team)
    team_phase = services.team_settings(team)
    settings_form = TeamPhaseSettingsForm(
        data,
        initial={"approval_required": team_phase.approval_required, "version": team_phase.version},
    )
    forms = [DefinitionForm(data, instance=definitions[kind], prefix=kind) for kind in PHASE_ORDER]
    return settings_form, [settings_form, *forms] if with_settings else forms


def _definitions_page(
    request: HttpRequest, team: Team, settings_form: Any, forms: list[Any], status: int = 200
) -> HttpResponse:
    teams = Team.objects.filter(
        memberships__user=request.user, memberships__role=Role.COORDINATOR
    ).order_by("name")
    return render(
        request,
        "phases/definition_form.html",
        {
            "team": team,
            "teams": teams,
            "forms": [(form.instance, form) for form in forms],
            "settings_form": settings_form,
        },
        status=status,
    )


def reminder_list(request: HttpRequest) -> HttpResponse:
    reminders = (
        Reminder.objects.filter(recipient=request.user)
        .select_related("family")
        .order_by("read_at", "-due_on", "-id")
    )
    page = Paginator(reminders, REMINDERS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # Each reminder names its family: that family's access log has it (NEN 7513).
    log_families_shown(
        request,
        [(r.family_id, r.family.team_id) for r in page.object_list],
        action=AccessAction.READ,
        obj="lijst: herinneringen",
    )
    return render(request, "phases/reminder_list.html", {"page": page})


@require_POST
def reminder_read(request: HttpRequest, reminder_id: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder, pk=reminder_id, recipient=request.user)
    services.reminders_mark_read(user=request.user, reminder_ids=[reminder.pk])
    return redirect("phases:reminder_list")


@require_POST
def reminder_read_all(request: HttpRequest) -> HttpResponse:
    count = services.reminders_mark_read(user=request.user)
    messages.success(request, _("%(n)s herinneringen gemarkeerd als gelezen.") % {"n": count})
    return redirect("phases:reminder_list")
