from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.handover import services
from cases.handover.forms import BulkHandoverForm, HandoverForm, ReplacementForm, coaches_of
from cases.models import (
    AccessAction,
    CoachReplacement,
    Family,
    FamilyStatus,
    Notification,
    Role,
)
from cases.permissions import Need, access_family, access_team, id_in_range, log_families_shown

NOTIFICATIONS_SHOWN = 50


@require_http_methods(["GET", "POST"])
def family_handover(request: HttpRequest, family_id: int) -> HttpResponse:
    """Another vaste hulpverlener for one family: who, why, and a note for the new coach."""
    access = access_family(
        request,
        family_id,
        need=Need.COORDINATE,
        action=AccessAction.CHANGE if request.method == "POST" else AccessAction.READ,
        obj="vaste hulpverlener",
    )
    family = access.family
    form = HandoverForm(request.POST or None, team=family.team, current=family.coach)
    if request.method == "POST" and form.is_valid():
        try:
            services.coach_change(family=family, by=request.user, **form.cleaned_data)
        except services.SameCoach:
            form.add_error("coach", _("Dit is al de vaste hulpverlener van het gezin."))
        else:
            messages.success(
                request, _("Vaste hulpverlener gewijzigd; de nieuwe coach krijgt een melding.")
            )
            return redirect("cases:family_detail", family_id=family.pk)
    return render(
        request, "cases/handover_form.html", {"form": form, "family": family, "access": access}
    )


def _team_from(request: HttpRequest, *, obj: str, action: str = AccessAction.READ) -> Any:
    """The coordinator's team the page is about (?team=id, else the first by name)."""
    raw = request.GET.get("team", "")
    team_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
    return access_team(
        request, roles={Role.COORDINATOR}, team_id=team_id, action=action, obj=obj
    ).team


@require_http_methods(["GET", "POST"])
def team_handover(request: HttpRequest) -> HttpResponse:
    """All (or chosen) families of one coach to another coach or spread over several, shown
    first and then done in one confirmed step; each family gets its own history row."""
    team = _team_from(request, obj="overdracht van gezinnen")
    coaches = list(coaches_of(team))
    raw = request.GET.get("coach", "")
    from_coach = next((c for c in coaches if str(c.pk) == raw), None)
    context: dict[str, Any] = {"team": team, "coaches": coaches, "from_coach": from_coach}
    if from_coach is None:
        return render(request, "cases/handover_team.html", context)
    families = list(
        Family.objects.filter(team=team, coach=from_coach)
        .exclude(status=FamilyStatus.CLOSED)
        .order_by("display_name", "pk")
    )
    form = BulkHandoverForm(
        request.POST or None, team=team, from_coach=from_coach, families=families
    )
    context["form"] = form
    # The page names the coach's families: each one's access log hears of it.
    log_families_shown(
        request,
        [(f.pk, f.team_id) for f in families],
        action=AccessAction.READ,
        obj="overdracht: gezinnen van een coach",
    )
    if request.method == "POST" and form.is_valid():
        to_coaches = list(form.cleaned_data["to_coaches"])
        plan = services.spread(
            form.chosen_families(), to_coaches, load=services.coach_loads(to_coaches)
        )
        signature = ",".join(f"{f.pk}:{c.pk}" for f, c in plan)
        if request.POST.get("confirm") and request.POST.get("plan") == signature:
            services.coach_handover_bulk(
                plan=plan,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
            log_families_shown(
                request,
                [(f.pk, f.team_id) for f, _c in plan],
                action=AccessAction.CHANGE,
                obj="vaste hulpverlener: overdracht",
            )
            messages.success(
                request,
                _("%(n)s gezinnen overgedragen; de nieuwe coaches krijgen een melding.")
                % {"n": len(plan)},
            )
            return redirect(f"{reverse('cases:team_handover')}?team={team.pk}")
        if request.POST.get("confirm"):
            messages.warning(
                request, _("De verdeling is intussen veranderd. Controleer haar opnieuw.")
            )
        context.update(plan=plan, signature=signature)
    return render(request, "cases/handover_team.html", context)


@require_http_methods(["GET", "POST"])
def replacements(request: HttpRequest) -> HttpResponse:
    """Waarneming: a colleague writes in a coach's families from a first to a last day."""
    team = _team_from(
        request,
        obj="waarneming",
        action=AccessAction.CHANGE if request.method == "POST" else AccessAction.READ,
    )
    form = ReplacementForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        services.replacement_create(team=team, by=request.user, **form.cleaned_data)
        messages.success(request, _("Waarneming vastgelegd; de waarnemer krijgt een melding."))
        return redirect(f"{reverse('cases:replacements')}?team={team.pk}")
    today = timezone.localdate()
    listed = CoachReplacement.objects.filter(
        team=team, ends_on__gte=today - datetime.timedelta(days=30)
    ).select_related("coach", "replacement")
    return render(
        request,
        "cases/replacement_list.html",
        {"team": team, "form": form, "replacements": listed, "today": today},
    )


@require_POST
def replacement_end(request: HttpRequest, replacement_id: int) -> HttpResponse:
    """End a replacement early (the coach is back)."""
    teams = access_team(
        request,
        roles={Role.COORDINATOR},
        action=AccessAction.CHANGE,
        obj=f"waarneming {replacement_id}",
    ).teams
    if not id_in_range(replacement_id):
        raise Http404
    replacement = get_object_or_404(CoachReplacement, pk=replacement_id, team__in=teams)
    services.replacement_end(replacement=replacement)
    messages.success(request, _("Waarneming beëindigd."))
    return redirect(f"{reverse('cases:replacements')}?team={replacement.team_id}")


@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications (handovers, replacements); POST marks them read."""
    if request.method == "POST":
        services.notifications_read(user=request.user)
        return redirect("cases:notification_list")
    notes = list(
        Notification.objects.filter(recipient=request.user)
        .select_related(
            "family",
            "coach_change__previous_coach",
            "coach_change__changed_by",
            "replacement__coach",
            "comment__author",
        )
        .order_by("read_at", "-created_at", "-pk")[:NOTIFICATIONS_SHOWN]
    )
    log_families_shown(
        request,
        [(n.family_id, n.family.team_id) for n in notes if n.family_id],
        action=AccessAction.READ,
        obj="lijst: meldingen",
    )
    return render(request, "cases/notification_list.html", {"notifications": notes})
