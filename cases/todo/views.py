from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import AccessAction, Task, TaskSource
from cases.permissions import Need, access_family, log_families_shown
from cases.todo import services
from cases.todo.forms import TaskForm

# "Mijn taken" shows what was finished this many days back, so a wrong tick can be undone.
DONE_SHOWN_DAYS = 14


@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    """Mijn taken: the user's open tasks (overdue first, by due date) and the recently done."""
    today = timezone.localdate()
    mine = Task.objects.filter(owner=request.user).select_related("family", "owner", "done_by")
    open_tasks = list(mine.open().order_by("due_on", "pk"))
    done = list(
        mine.filter(
            done_at__gte=timezone.now() - datetime.timedelta(days=DONE_SHOWN_DAYS)
        ).order_by("-done_at")
    )
    log_families_shown(
        request,
        [(t.family_id, t.family.team_id) for t in [*open_tasks, *done]],
        action=AccessAction.READ,
        obj="lijst: mijn taken",
    )
    return render(
        request,
        "cases/task_list.html",
        {
            "open_tasks": open_tasks,
            "overdue_count": sum(1 for t in open_tasks if t.due_on < today),
            "done": done,
        },
    )


@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="taak"
    )
    family = access.family
    form = TaskForm(request.POST or None, family=family, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.task_create(
            family=family,
            by=request.user,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            plan_action=data["plan_action"],
            source=TaskSource.PLAN_ACTION if data["plan_action"] else TaskSource.MANUAL,
        )
        messages.success(request, _("Taak toegevoegd."))
        return redirect("cases:family_agenda", family_id=family.pk)
    return render(
        request,
        "cases/task_form.html",
        {"form": form, "family": family, "access": access, "title": _("Taak toevoegen")},
    )


@require_POST
def task_toggle(request: HttpRequest, family_id: int, task_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"taak {task_id}",
        lookup=lambda family: get_object_or_404(Task, pk=task_id, family=family),
    )
    done = request.POST.get("done") == "1"
    services.task_set_done(task=access.record, by=request.user, done=done)
    messages.success(request, _("Taak afgerond.") if done else _("Taak staat weer open."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("cases:family_agenda", family_id=access.family.pk)
    return redirect(target)
