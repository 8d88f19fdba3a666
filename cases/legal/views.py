"""Legal measures of a family's children: record one, change one (behind Need.WRITE)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.conflicts import save_or_merge
from cases.legal import services
from cases.legal.forms import LegalMeasureForm
from cases.models import AccessAction, LegalMeasure
from cases.permissions import Need, access_family

TEMPLATE = "cases/legal_measure_form.html"


@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="maatregel"
    )
    family = access.family
    form = LegalMeasureForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        services.legal_measure_add(family=family, by=request.user, data=form.record_data())
        messages.success(request, _("Maatregel vastgelegd."))
        return redirect("cases:family_detail", family_id=family.pk)
    return render(request, TEMPLATE, {"form": form, "family": family, "access": access})


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, family_id: int, legal_measure_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"maatregel {legal_measure_id}",
        lookup=lambda family: get_object_or_404(LegalMeasure, pk=legal_measure_id, family=family),
    )
    family, measure = access.family, access.record
    form = LegalMeasureForm(request.POST or None, instance=measure, family=family)
    context = {"family": family, "access": access, "measure": measure}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.legal_measure_update(
                measure=measure, version=form.cleaned_data["version"], data=form.record_data()
            ),
            current=lambda: LegalMeasure.objects.filter(pk=measure.pk).first(),
            template=TEMPLATE,
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Maatregel opgeslagen."))
        return redirect("cases:family_detail", family_id=family.pk)
    return render(request, TEMPLATE, {**context, "form": form})
