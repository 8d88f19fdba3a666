"""What the family does itself in its portal (/gezin/...): react to a goal, add its own
statement to the file, ask for a copy of the file.

Every page starts with the portal gate (portal_access), which logs the read or the action
with ids only. The goals page shows only what the plan says of a goal (text, criterion,
status, progress): never notes, scores or comments.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import (
    AccessAction,
    ClientStatement,
    CopyRequest,
    FamilyPlan,
    GoalReaction,
    PlanGoal,
)
from cases.portal import own_services
from cases.portal.gate import PortalAccess, portal_access
from cases.portal.own_forms import GoalReactionForm, PortalStatementForm
from cases.portal.views import _fixed_plan, _plan_to_agree


def _family_plans(access: PortalAccess) -> list[FamilyPlan]:
    """The fixed plan and the draft the coach put before the family (as on the home page)."""
    return [p for p in (_fixed_plan(access.family), _plan_to_agree(access.family)) if p]


def _goals(plans: list[FamilyPlan]) -> list[PlanGoal]:
    return list(
        PlanGoal.objects.filter(plan__in=plans)
        .order_by("created_at", "pk")
        .only("plan_id", "text", "criterion", "status", "progress", "created_at")
        .prefetch_related(
            Prefetch("reactions", queryset=GoalReaction.objects.select_related("member"))
        )
    )


def _goals_page(
    request: HttpRequest, access: PortalAccess, *, bound: tuple[int, GoalReactionForm] | None
) -> HttpResponse:
    plans = _family_plans(access)
    goals = _goals(plans)
    sections = []
    for plan in plans:
        rows = []
        for goal in (g for g in goals if g.plan_id == plan.pk):
            if bound is not None and bound[0] == goal.pk:
                form = bound[1]
            else:
                form = GoalReactionForm(prefix=f"doel-{goal.pk}")
            rows.append({"goal": goal, "form": form})
        sections.append({"plan": plan, "rows": rows})
    return render(
        request,
        "portal/goals.html",
        {"portal": access, "active": "goals", "sections": sections},
    )


@require_GET
def goals(request: HttpRequest) -> HttpResponse:
    access = portal_access(request, obj="doelen")
    return _goals_page(request, access, bound=None)


@require_POST
def goal_react(request: HttpRequest, goal_id: int) -> HttpResponse:
    access = portal_access(request, obj=f"reactie op doel {goal_id}", action=AccessAction.CREATE)
    plans = _family_plans(access)
    goal = PlanGoal.objects.filter(pk=goal_id, plan__in=plans).select_related("plan").first()
    if goal is None:
        raise Http404("No such goal for this family.")
    form = GoalReactionForm(request.POST, prefix=f"doel-{goal.pk}")
    if not form.is_valid():
        return _goals_page(request, access, bound=(goal.pk, form))
    own_services.goal_reaction_add(
        goal=goal, member=access.member, by=request.user, text=form.cleaned_data["text"]
    )
    messages.success(request, _("Dank u wel. Uw reactie is opgeslagen. Uw coach leest haar."))
    return redirect(f"{reverse('portal:goals')}#doel-{goal.pk}")


@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest) -> HttpResponse:
    access = portal_access(
        request,
        obj="eigen verklaring",
        action=AccessAction.CREATE if request.method == "POST" else AccessAction.READ,
    )
    form = PortalStatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        own_services.portal_statement_add(
            member=access.member, by=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Dank u wel. Uw verklaring is bij het dossier gevoegd."))
        return redirect("portal:statement")
    statements = ClientStatement.objects.filter(
        family=access.family, member__isnull=False
    ).select_related("member")
    return render(
        request,
        "portal/statement.html",
        {"portal": access, "active": "statement", "form": form, "statements": list(statements)},
    )


def _rule(access: PortalAccess) -> own_services.CopyRule:
    return own_services.copy_rule(
        access.member, timezone.localdate(), members=list(access.family.members.all())
    )


@require_http_methods(["GET", "POST"])
def copy_request(request: HttpRequest) -> HttpResponse:
    access = portal_access(
        request,
        obj="afschrift van het dossier",
        action=AccessAction.CREATE if request.method == "POST" else AccessAction.READ,
    )
    rule = _rule(access)
    if request.method == "POST":
        if not rule.may_ask:
            messages.error(request, _("U kunt zelf geen afschrift vragen. Er is niets opgeslagen."))
        else:
            own_services.copy_request_add(member=access.member)
            messages.success(
                request,
                _("Uw vraag is verstuurd. De coördinator van het team neemt contact met u op."),
            )
        return redirect("portal:copy_request")
    requests: list[Any] = list(
        CopyRequest.objects.filter(member=access.member).only(
            "status", "created_at", "handled_at", "refusal_reason", "scope", "member_id"
        )
    )
    return render(
        request,
        "portal/copy_request.html",
        {
            "portal": access,
            "active": "copy",
            "rule": rule,
            "sentences": own_services.copy_rule_sentences(rule),
            "requests": requests,
            "has_open": any(r.is_open for r in requests),
        },
    )
