"""Pages of the family plan (gezinsplan): access → form → service → redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.conflicts import save_or_merge
from cases.models import (
    AccessAction,
    Comment,
    Family,
    FamilyPlan,
    GoalReaction,
    PlanAction,
    PlanGoal,
    PlanStatus,
)
from cases.permissions import FamilyAccess, Need, access_family
from cases.plan import services
from cases.plan.forms import (
    ActionForm,
    AgreementForm,
    GoalForm,
    PlanForm,
    ReturnForm,
    VersionForm,
)
from cases.sections import plan_slots

# Lazy: module constants are translated when shown, in the user's language.
PLAN_CONFLICT_MESSAGE = gettext_lazy(
    "Iemand anders heeft dit deel van het gezinsplan intussen opgeslagen. Er is niets "
    "overschreven en er is nog niets van u opgeslagen: kies hieronder per veld dat u "
    "allebei hebt gewijzigd welke waarde blijft, en sla dan op."
)
PLAN_FROZEN_MESSAGE = gettext_lazy(
    "Deze versie van het gezinsplan is vastgesteld en kan niet meer veranderen. Begin een "
    "nieuwe versie om iets aan te passen."
)


def _versions(family: Family) -> QuerySet[FamilyPlan]:
    return family.plans.select_related("created_by", "fixed_by", "reviewed_by").order_by("-number")


# The plan page's one plan: who asked, approved or sent it back, and who agreed.
PLAN_RELATED = ("safety_set_by", "reviewed_by", "review_requested_by", "returned_by", "shared_by")


def _draft_or_404(family: Family) -> FamilyPlan:
    draft = services.current_draft(family)
    if draft is None:
        raise Http404("No draft plan.")
    return draft


def _in_draft(family: Family, model: Any, pk: int) -> tuple[FamilyPlan, Any]:
    """The draft plan and its goal or action `pk` (the gate's lookup); 404 if either lacks."""
    plan = _draft_or_404(family)
    return plan, get_object_or_404(model, pk=pk, plan=plan)


def plan_context(access: FamilyAccess, plan: FamilyPlan | None) -> dict[str, Any]:
    """Everything the plan page shows; a fixed number of queries."""
    family = access.family
    context: dict[str, Any] = {
        "family": family,
        "access": access,
        "plan": plan,
        "active_tab": "plan",
    }
    if plan is not None:
        context["goals"] = list(
            plan.goals.select_related("owner").prefetch_related(
                Prefetch("comments", queryset=Comment.objects.select_related("author")),
                # The family's reactions from its portal (cases.portal.own_services).
                Prefetch("reactions", queryset=GoalReaction.objects.select_related("member")),
            )
        )
        # Comments on the file (cases.comments) on this version, shown under the plan.
        context["plan_comments"] = list(plan.comments.select_related("author"))
        context["actions"] = list(plan.actions.in_plan_order().select_related("member", "goal"))
        context["members"] = list(family.members.all())
        # Sign-off: the psychologist's approval (when the team asks for it) and the
        # family's agreement; plan_fix refuses without them (cases.plan.services).
        context["review_required"] = services.review_required(family)
        context["agreed_members"] = list(plan.agreed_members.all())
        context["sign_off_ready"] = bool(
            (plan.reviewed_at or not context["review_required"])
            and plan.has_agreement
            and context["agreed_members"]
        )
        # Removed from this version while it was a draft: kept in its history, put back
        # from the plan page while it is still the draft.
        context["removed_goals"] = list(
            PlanGoal.with_removed.filter(plan=plan, removed_at__isnull=False)
            .select_related("removed_by")
            .order_by("-removed_at")
        )
        context["removed_actions"] = list(
            PlanAction.with_removed.filter(plan=plan, removed_at__isnull=False)
            .select_related("removed_by", "member")
            .order_by("-removed_at")
        )
    versions = list(_versions(family))
    context["versions"] = versions
    context["has_draft"] = any(v.status == PlanStatus.DRAFT for v in versions)
    # What other apps show on the plan page (reports: the plan's PDFs), FAMILY_PLAN_SLOTS.
    slots = plan_slots()
    for slot in slots:
        context.update(slot.context(family, plan))
    context["plan_slots"] = slots
    return context


def _render_plan(
    request: HttpRequest, access: FamilyAccess, plan: FamilyPlan | None, status: int = 200
) -> HttpResponse:
    return render(request, "cases/plan_detail.html", plan_context(access, plan), status=status)


@require_GET
def plan_detail(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="gezinsplan")
    family = access.family
    # The newest version: the draft when there is one (it always has the highest number),
    # otherwise the last fixed version.
    plan = family.plans.select_related(*PLAN_RELATED).prefetch_related("agreed_members").first()
    return _render_plan(request, access, plan)


@require_GET
def plan_version(request: HttpRequest, family_id: int, number: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        obj=f"gezinsplan v{number}",
        lookup=lambda family: get_object_or_404(
            FamilyPlan.objects.select_related(*PLAN_RELATED).prefetch_related("agreed_members"),
            family=family,
            number=number,
        ),
    )
    plan = access.record
    return _render_plan(request, access, plan)


@require_POST
def plan_start(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="gezinsplan"
    )
    family = access.family
    plan = services.plan_start_draft(family=family, by=request.user)
    messages.success(
        request, _("Versie %(n)s van het gezinsplan is een concept.") % {"n": plan.number}
    )
    return redirect("cases:plan_detail", family_id=family.pk)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj="gezinsplan",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    form = PlanForm(request.POST or None, instance=plan, family=family)
    context = {"family": family, "access": access, "plan": plan, "section": "plan"}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_or_merge(
                request,
                form=form,
                save=lambda form: services.plan_update(
                    plan=plan,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    **form.plan_data(),
                ),
                current=lambda: FamilyPlan.objects.filter(pk=plan.pk).first(),
                form_kwargs={"family": family},
                template="cases/plan_form.html",
                context=context,
                message=PLAN_CONFLICT_MESSAGE,
            )
        except services.PlanFrozen:
            messages.error(request, PLAN_FROZEN_MESSAGE)
            return redirect("cases:plan_detail", family_id=family.pk)
        if conflict is not None:
            return conflict
        messages.success(request, _("Gezinsplan opgeslagen."))
        return redirect("cases:plan_detail", family_id=family.pk)
    return render(request, "cases/plan_form.html", {**context, "form": form, "current": None})


@require_POST
def plan_review_request(request: HttpRequest, family_id: int) -> HttpResponse:
    """The coach asks the team's psychologist to review the draft."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj="gezinsplan beoordeling vragen",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    try:
        services.plan_review_request(plan=plan, by=request.user)
    except services.PlanFrozen:
        messages.error(request, PLAN_FROZEN_MESSAGE)
    else:
        messages.success(
            request,
            _("De gedragswetenschapper ziet het plan nu onder ‘Wacht op mij’ en krijgt een mail."),
        )
    return redirect("cases:plan_detail", family_id=family.pk)


@require_POST
def plan_share(request: HttpRequest, family_id: int) -> HttpResponse:
    """The coach shares the draft with the family in its portal (shared=0 undoes it)."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj="gezinsplan delen met gezin",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    shared = request.POST.get("shared") != "0"
    try:
        services.plan_share(plan=plan, by=request.user, shared=shared)
    except services.PlanFrozen:
        messages.error(request, PLAN_FROZEN_MESSAGE)
    else:
        messages.success(
            request,
            _("Het gezin ziet dit concept nu in het gezinsportaal en kan er akkoord op geven.")
            if shared
            else _("Het gezin ziet dit concept niet meer in het gezinsportaal."),
        )
    return redirect("cases:plan_detail", family_id=family.pk)


@require_POST
def plan_review(request: HttpRequest, family_id: int) -> HttpResponse:
    """The psychologist approves the draft."""
    access = access_family(
        request,
        family_id,
        need=Need.APPROVE,
        obj="gezinsplan beoordeling",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    try:
        services.plan_review(plan=plan, by=request.user)
    except services.PlanFrozen:
        messages.error(request, PLAN_FROZEN_MESSAGE)
    else:
        messages.success(request, _("Uw goedkeuring van het gezinsplan is vastgelegd."))
    return redirect("cases:plan_detail", family_id=family.pk)


@require_http_methods(["GET", "POST"])
def plan_return(request: HttpRequest, family_id: int) -> HttpResponse:
    """The psychologist sends the draft back to the coach, with the reason."""
    access = access_family(
        request,
        family_id,
        need=Need.APPROVE,
        obj="gezinsplan terugsturen",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_return(plan=plan, by=request.user, reason=form.cleaned_data["reason"])
        except services.PlanFrozen:
            messages.error(request, PLAN_FROZEN_MESSAGE)
        else:
            messages.success(request, _("Het gezinsplan is teruggestuurd naar de coach."))
        return redirect("cases:plan_detail", family_id=family.pk)
    return _section_form(request, access=access, plan=plan, form=form, section="return")


@require_http_methods(["GET", "POST"])
def plan_agreement(request: HttpRequest, family_id: int) -> HttpResponse:
    """Record the family's agreement to the draft: who, when and how."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj="gezinsplan akkoord gezin",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    initial = (
        {
            "members": list(plan.agreed_members.all()),
            "agreed_on": plan.agreed_on,
            "agreed_how": plan.agreed_how,
        }
        if plan.has_agreement
        else None
    )
    form = AgreementForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_agree(
                plan=plan,
                members=form.cleaned_data["members"],
                agreed_on=form.cleaned_data["agreed_on"],
                agreed_how=form.cleaned_data["agreed_how"],
            )
        except services.PlanFrozen:
            messages.error(request, PLAN_FROZEN_MESSAGE)
        else:
            messages.success(request, _("Het akkoord van het gezin is vastgelegd."))
        return redirect("cases:plan_detail", family_id=family.pk)
    return _section_form(request, access=access, plan=plan, form=form, section="agreement")


@require_POST
def plan_fix(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj="gezinsplan vaststellen",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Het formulier was onvolledig; probeer het opnieuw."))
        return redirect("cases:plan_detail", family_id=family.pk)
    try:
        plan = services.plan_fix(plan=plan, by=request.user, version=form.cleaned_data["version"])
    except services.PlanFrozen:
        messages.error(request, PLAN_FROZEN_MESSAGE)
    except services.SignOffMissing as missing:
        messages.error(request, missing.message)
    except services.EditConflict:
        messages.error(
            request,
            _(
                "Iemand anders heeft het gezinsplan intussen gewijzigd. Het is niet "
                "vastgesteld: bekijk de huidige versie en stel het dan opnieuw vast."
            ),
        )
        return _render_plan(request, access, FamilyPlan.objects.get(pk=plan.pk), status=409)
    else:
        messages.success(
            request, _("Versie %(n)s van het gezinsplan is vastgesteld.") % {"n": plan.number}
        )
    return redirect("cases:plan_detail", family_id=family.pk)


def _section_context(
    access: FamilyAccess, plan: FamilyPlan, section: str, obj: Any = None
) -> dict[str, Any]:
    """What the plan's goal or action form page shows besides the form (also on a conflict)."""
    return {
        "family": access.family,
        "access": access,
        "plan": plan,
        "section": section,
        "object": obj,
    }


def _section_form(
    request: HttpRequest,
    *,
    access: FamilyAccess,
    plan: FamilyPlan,
    form: Any,
    section: str,
    obj: Any = None,
) -> HttpResponse:
    context = _section_context(access, plan, section, obj)
    return render(request, "cases/plan_form.html", {**context, "form": form, "current": None})


@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CREATE,
        obj="gezinsplan doel",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    form = GoalForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_create(plan=plan, **form.goal_data())
        except services.PlanFrozen:
            messages.error(request, PLAN_FROZEN_MESSAGE)
        else:
            messages.success(request, _("Doel toegevoegd."))
        return redirect("cases:plan_detail", family_id=family.pk)
    return _section_form(request, access=access, plan=plan, form=form, section="goal")


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, family_id: int, goal_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"gezinsplan doel {goal_id}",
        lookup=lambda family: _in_draft(family, PlanGoal, goal_id),
    )
    family, (plan, goal) = access.family, access.record
    form = GoalForm(request.POST or None, instance=goal, family=family)
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_or_merge(
                request,
                form=form,
                save=lambda form: services.goal_update(
                    goal=goal, version=form.cleaned_data["version"], **form.goal_data()
                ),
                current=lambda: PlanGoal.objects.filter(pk=goal.pk).first(),
                form_kwargs={"family": family},
                template="cases/plan_form.html",
                context=_section_context(access, plan, "goal", goal),
                message=PLAN_CONFLICT_MESSAGE,
            )
        except services.PlanFrozen:
            messages.error(request, PLAN_FROZEN_MESSAGE)
        else:
            if conflict is not None:
                return conflict
            messages.success(request, _("Doel opgeslagen."))
        return redirect("cases:plan_detail", family_id=family.pk)
    return _section_form(request, access=access, plan=plan, form=form, section="goal", obj=goal)


@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, family_id: int, goal_id: int) -> HttpResponse:
    """GET asks (naming the goal), POST removes it from the draft (it can be put back)."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.DELETE if request.method == "POST" else AccessAction.READ,
        obj=f"gezinsplan doel {goal_id}",
        lookup=lambda family: _in_draft(family, PlanGoal, goal_id),
    )
    plan, goal = access.record
    if request.method == "GET":
        return _confirm_delete(request, access, plan, "goal", goal)
    return _delete(request, access, plan, services.goal_delete, goal=goal)


@require_POST
def goal_restore(request: HttpRequest, family_id: int, goal_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"gezinsplan doel {goal_id} terugzetten",
        lookup=lambda family: _removed_in_draft(family, PlanGoal, goal_id),
    )
    plan, goal = access.record
    return _restore(request, access, services.goal_restore, goal=goal)


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CREATE,
        obj="gezinsplan actie",
        lookup=lambda family: _draft_or_404(family),
    )
    family, plan = access.family, access.record
    form = ActionForm(request.POST or None, family=family, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_create(plan=plan, **form.action_data())
        except services.PlanFrozen:
            messages.error(request, PLAN_FROZEN_MESSAGE)
        else:
            messages.success(request, _("Actie toegevoegd."))
        return redirect("cases:plan_detail", family_id=family.pk)
    return _section_form(request, access=access, plan=plan, form=form, section="action")


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, family_id: int, action_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"gezinsplan actie {action_id}",
        lookup=lambda family: _in_draft(family, PlanAction, action_id),
    )
    family, (plan, action) = access.family, access.record
    form = ActionForm(request.POST or None, instance=action, family=family, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_or_merge(
                request,
                form=form,
                save=lambda form: services.action_update(
                    action=action, version=form.cleaned_data["version"], **form.action_data()
                ),
                current=lambda: PlanAction.objects.filter(pk=action.pk).first(),
                form_kwargs={"family": family, "plan": plan},
                template="cases/plan_form.html",
                context=_section_context(access, plan, "action", action),
                message=PLAN_CONFLICT_MESSAGE,
            )
        except services.PlanFrozen:
            messages.error(request, PLAN_FROZEN_MESSAGE)
        else:
            if conflict is not None:
                return conflict
            messages.success(request, _("Actie opgeslagen."))
        return redirect("cases:plan_detail", family_id=family.pk)
    return _section_form(request, access=access, plan=plan, form=form, section="action", obj=action)


@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, family_id: int, action_id: int) -> HttpResponse:
    """GET asks (naming the action), POST removes it from the draft (it can be put back)."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.DELETE if request.method == "POST" else AccessAction.READ,
        obj=f"gezinsplan actie {action_id}",
        lookup=lambda family: _in_draft(family, PlanAction, action_id),
    )
    plan, action = access.record
    if request.method == "GET":
        return _confirm_delete(request, access, plan, "action", action)
    return _delete(request, access, plan, services.action_delete, action=action)


@require_POST
def action_restore(request: HttpRequest, family_id: int, action_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"gezinsplan actie {action_id} terugzetten",
        lookup=lambda family: _removed_in_draft(family, PlanAction, action_id),
    )
    plan, action = access.record
    return _restore(request, access, services.action_restore, action=action)


def _removed_in_draft(family: Family, model: Any, pk: int) -> tuple[FamilyPlan, Any]:
    """The draft plan and its removed goal or action `pk`; 404 if either lacks."""
    plan = _draft_or_404(family)
    return plan, get_object_or_404(model.with_removed, pk=pk, plan=plan, removed_at__isnull=False)


def _confirm_delete(
    request: HttpRequest, access: FamilyAccess, plan: FamilyPlan, section: str, obj: Any
) -> HttpResponse:
    return render(
        request,
        "cases/plan_part_delete.html",
        {
            **_section_context(access, plan, section, obj),
            "form": VersionForm(initial={"version": obj.version}),
        },
    )


def _delete(
    request: HttpRequest, access: FamilyAccess, plan: FamilyPlan, delete: Any, **target: Any
) -> HttpResponse:
    family = access.family
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Het formulier was onvolledig; probeer het opnieuw."))
        return redirect("cases:plan_detail", family_id=family.pk)
    try:
        delete(by=request.user, version=form.cleaned_data["version"], **target)
    except services.PlanFrozen:
        messages.error(request, PLAN_FROZEN_MESSAGE)
    except services.EditConflict:
        messages.error(
            request,
            _(
                "Iemand anders heeft dit intussen gewijzigd; er is niets verwijderd. "
                "Bekijk de huidige gegevens en verwijder het zo nodig opnieuw."
            ),
        )
        return _render_plan(request, access, plan, status=409)
    else:
        messages.success(
            request,
            _(
                "Verwijderd uit dit concept. U vindt het onder ‘Verwijderd uit dit concept’ "
                "en kunt het daar terugzetten."
            ),
        )
    return redirect("cases:plan_detail", family_id=family.pk)


def _restore(
    request: HttpRequest, access: FamilyAccess, restore: Any, **target: Any
) -> HttpResponse:
    try:
        restore(**target)
    except services.PlanFrozen:
        messages.error(request, PLAN_FROZEN_MESSAGE)
    else:
        messages.success(request, _("Teruggezet in het gezinsplan."))
    return redirect("cases:plan_detail", family_id=access.family.pk)
