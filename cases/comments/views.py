"""Adding a comment to a contact, a goal or a plan version: a page per target, behind the
gate with Need.COMMENT (every team member who reads the file)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.comments import services
from cases.comments.forms import CommentForm
from cases.models import AccessAction, Contact, FamilyPlan, PlanGoal
from cases.permissions import FamilyAccess, Need, access_family


def _access(request: HttpRequest, family_id: int, *, obj: str, lookup: Any) -> FamilyAccess:
    return access_family(
        request,
        family_id,
        need=Need.COMMENT,
        action=AccessAction.CREATE if request.method == "POST" else AccessAction.READ,
        obj=obj,
        lookup=lookup,
    )


def _page(
    request: HttpRequest,
    access: FamilyAccess,
    *,
    target: dict[str, Any],
    back: str,
    title: str,
) -> HttpResponse:
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_add(
            family=access.family, by=request.user, text=form.cleaned_data["text"], **target
        )
        messages.success(request, _("Uw opmerking is bij het dossier gevoegd."))
        return redirect(back)
    kind, record = next(iter(target.items()))
    return render(
        request,
        "cases/comment_form.html",
        {
            "family": access.family,
            "access": access,
            "form": form,
            "title": title,
            "record": record,
            "kind": kind,
            "active_tab": "overview" if kind == "contact" else "plan",
            "comments": record.comments.select_related("author"),
            "back": back,
        },
    )


@require_http_methods(["GET", "POST"])
def contact_comment(request: HttpRequest, family_id: int, contact_id: int) -> HttpResponse:
    access = _access(
        request,
        family_id,
        obj=f"opmerking bij contact {contact_id}",
        lookup=lambda family: get_object_or_404(
            Contact.objects.select_related("author"), family=family, pk=contact_id
        ),
    )
    back = reverse("cases:family_detail", args=[family_id]) + f"#contact-row-{contact_id}"
    return _page(
        request,
        access,
        target={"contact": access.record},
        back=back,
        title=_("Opmerking bij contact"),
    )


@require_http_methods(["GET", "POST"])
def goal_comment(request: HttpRequest, family_id: int, plan_goal_id: int) -> HttpResponse:
    access = _access(
        request,
        family_id,
        obj=f"opmerking bij doel {plan_goal_id}",
        lookup=lambda family: get_object_or_404(
            PlanGoal.objects.select_related("plan__created_by"),
            plan__family=family,
            pk=plan_goal_id,
        ),
    )
    goal = access.record
    back = reverse("cases:plan_version", args=[family_id, goal.plan.number]) + f"#goal-{goal.pk}"
    return _page(request, access, target={"goal": goal}, back=back, title=_("Opmerking bij doel"))


@require_http_methods(["GET", "POST"])
def plan_comment(request: HttpRequest, family_id: int, family_plan_id: int) -> HttpResponse:
    access = _access(
        request,
        family_id,
        obj=f"opmerking bij gezinsplan {family_plan_id}",
        lookup=lambda family: get_object_or_404(
            FamilyPlan.objects.select_related("created_by"), family=family, pk=family_plan_id
        ),
    )
    plan = access.record
    back = reverse("cases:plan_version", args=[family_id, plan.number]) + "#plan-comments"
    return _page(
        request, access, target={"plan": plan}, back=back, title=_("Opmerking bij gezinsplan")
    )
