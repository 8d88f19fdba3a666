"""The team's partners (a team page) and a family's referrals (the "Partners" tab).

Every team member reads the team's partners (their phone numbers and e-mail addresses are
what coaches look up); the coordinator adds, edits and archives them. A partner of another
team answers 404, as a family of another team does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.conflicts import save_or_merge
from cases.models import (
    FAMILY_WORK_ROLES,
    PARTNER_NAME_TAKEN,
    AccessAction,
    AccessOutcome,
    Partner,
    PartnerContact,
    Referral,
    ReferralStatusChange,
    Role,
)
from cases.partners import services
from cases.partners.forms import (
    PartnerContactForm,
    PartnerForm,
    ReferralForm,
    ReferralStatusForm,
)
from cases.permissions import (
    FamilyAccess,
    Need,
    TeamAccess,
    access_family,
    access_team,
    id_in_range,
    log_access,
)

FORM_TEMPLATE = "cases/partner_form.html"
ALL_ROLES = FAMILY_WORK_ROLES


def _team_from_query(request: HttpRequest, *, roles: frozenset[str], obj: str) -> TeamAccess:
    raw = request.GET.get("team") or request.POST.get("team")
    team_id = None
    if raw:
        if not raw.isdecimal() or not id_in_range(int(raw)):
            raise Http404
        team_id = int(raw)
    return access_team(request, roles=roles, team_id=team_id, obj=obj)


def _partner(request: HttpRequest, partner_id: int) -> Partner:
    """A partner of a team the user coordinates, or 404 (logged): another team's partner
    is not found, as its families are not."""
    obj = f"partner {partner_id}"
    teams = access_team(request, roles={Role.COORDINATOR}, obj=obj).teams
    partner = (
        Partner.objects.filter(pk=partner_id, team__in=teams).select_related("team").first()
        if id_in_range(partner_id)
        else None
    )
    if partner is None:
        log_access(
            request,
            family_id=None,
            action=AccessAction.READ if request.method == "GET" else AccessAction.CHANGE,
            outcome=AccessOutcome.DENIED,
            role=Role.COORDINATOR,
            obj=obj,
        )
        raise Http404("No partner matches the given query.")
    return partner


def _contact(request: HttpRequest, partner: Partner, partner_contact_id: int) -> PartnerContact:
    if not id_in_range(partner_contact_id):
        raise Http404
    return get_object_or_404(PartnerContact, pk=partner_contact_id, partner=partner)


def _list_url(partner: Partner) -> str:
    return f"{reverse('cases:partner_list')}?team={partner.team_id}"


@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    access = _team_from_query(request, roles=ALL_ROLES, obj="partners van het team")
    team = access.team
    show_archived = request.GET.get("archived") == "1"
    partners = Partner.objects.filter(team=team).prefetch_related(
        Prefetch("contacts", queryset=PartnerContact.objects.order_by("archived_at", "name"))
    )
    if not show_archived:
        partners = partners.active()
    return render(
        request,
        "cases/partner_list.html",
        {
            "team": team,
            "teams": access.teams,
            "partners": list(partners.order_by("archived_at", "name")),
            "show_archived": show_archived,
            "can_edit": access.role == Role.COORDINATOR,
        },
    )


@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    team = _team_from_query(
        request, roles=frozenset({Role.COORDINATOR}), obj="partner toevoegen"
    ).team
    form = PartnerForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(team=team, data=form.record_data())
        except services.PartnerNameTaken:
            form.add_error("name", PARTNER_NAME_TAKEN)
        else:
            messages.success(request, _("Partner toegevoegd."))
            return redirect(_list_url(partner))
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": _("Partner toevoegen"),
            "team": team,
            "cancel_url": f"{reverse('cases:partner_list')}?team={team.pk}",
        },
    )


@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = _partner(request, partner_id)
    form = PartnerForm(request.POST or None, instance=partner, team=partner.team)
    context = {
        "title": _("Partner wijzigen"),
        "team": partner.team,
        "cancel_url": _list_url(partner),
    }
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_or_merge(
                request,
                form=form,
                save=lambda form: services.partner_update(
                    partner=partner,
                    version=form.cleaned_data["version"],
                    data=form.record_data(),
                ),
                current=lambda: Partner.objects.filter(pk=partner.pk).first(),
                form_kwargs={"team": partner.team},
                template=FORM_TEMPLATE,
                context=context,
            )
        except services.PartnerNameTaken:
            form.add_error("name", PARTNER_NAME_TAKEN)
            return render(request, FORM_TEMPLATE, {**context, "form": form})
        if conflict is not None:
            return conflict
        messages.success(request, _("Partner opgeslagen."))
        return redirect(_list_url(partner))
    return render(request, FORM_TEMPLATE, {**context, "form": form})


@require_POST
def partner_archive(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = _partner(request, partner_id)
    archived = request.POST.get("archived") != "0"
    services.partner_archive(partner=partner, archived=archived)
    messages.success(
        request,
        _("Partner gearchiveerd; op dossiers blijft hij staan.")
        if archived
        else _("Partner is weer actief."),
    )
    return redirect(_list_url(partner))


@require_http_methods(["GET", "POST"])
def partner_contact_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = _partner(request, partner_id)
    form = PartnerContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.partner_contact_create(partner=partner, data=form.record_data())
        messages.success(request, _("Contactpersoon toegevoegd."))
        return redirect(_list_url(partner))
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": _("Contactpersoon toevoegen bij %(partner)s") % {"partner": partner.name},
            "team": partner.team,
            "cancel_url": _list_url(partner),
        },
    )


@require_http_methods(["GET", "POST"])
def partner_contact_edit(
    request: HttpRequest, partner_id: int, partner_contact_id: int
) -> HttpResponse:
    partner = _partner(request, partner_id)
    contact = _contact(request, partner, partner_contact_id)
    form = PartnerContactForm(request.POST or None, instance=contact)
    context = {
        "title": _("Contactpersoon wijzigen bij %(partner)s") % {"partner": partner.name},
        "team": partner.team,
        "cancel_url": _list_url(partner),
    }
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.partner_contact_update(
                contact=contact, version=form.cleaned_data["version"], data=form.record_data()
            ),
            current=lambda: PartnerContact.objects.filter(pk=contact.pk).first(),
            template=FORM_TEMPLATE,
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Contactpersoon opgeslagen."))
        return redirect(_list_url(partner))
    return render(request, FORM_TEMPLATE, {**context, "form": form})


@require_POST
def partner_contact_archive(
    request: HttpRequest, partner_id: int, partner_contact_id: int
) -> HttpResponse:
    partner = _partner(request, partner_id)
    contact = _contact(request, partner, partner_contact_id)
    archived = request.POST.get("archived") != "0"
    services.partner_contact_archive(contact=contact, archived=archived)
    messages.success(
        request,
        _("Contactpersoon gearchiveerd.") if archived else _("Contactpersoon is weer actief."),
    )
    return redirect(_list_url(partner))


# --- The family's referrals ---------------------------------------------------------------


def family_referrals(family: Any) -> list[Referral]:
    """The family's referrals, newest first, with partner, members and history: 4 queries."""
    return list(
        family.referrals.select_related("partner")
        .prefetch_related(
            "members",
            Prefetch("history", queryset=ReferralStatusChange.objects.select_related("by")),
        )
        .order_by("-asked_on", "-pk")
    )


@require_GET
def family_partners(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="verwijzingen")
    family = access.family
    today = timezone.localdate()
    referrals = family_referrals(family)
    for referral in referrals:
        referral.answer_overdue = referral.answer_overdue_on(today)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/family_partners.html",
        {
            "family": family,
            "access": access,
            "referrals": referrals,
        },
    )


def _referral_page(
    request: HttpRequest, access: FamilyAccess, form: Any, *, title: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "cases/referral_form.html",
        {"family": access.family, "access": access, "form": form, "title": title},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="verwijzing"
    )
    family = access.family
    form = ReferralForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        data = form.record_data()
        try:
            services.referral_create(family=family, by=request.user, **data)
        except services.ReferralError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Verwijzing vastgelegd."))
            return redirect("cases:family_partners", family_id=family.pk)
    return _referral_page(request, access, form, title=_("Verwijzing naar een partner"))


@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, family_id: int, referral_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"verwijzing {referral_id}",
        lookup=lambda family: get_object_or_404(
            Referral.objects.select_related("partner", "family"), pk=referral_id, family=family
        ),
    )
    family, referral = access.family, access.record
    form = ReferralForm(request.POST or None, instance=referral, family=family)
    title = _("Verwijzing naar %(partner)s wijzigen") % {"partner": referral.partner.name}
    context = {"family": family, "access": access, "title": title}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_or_merge(
                request,
                form=form,
                save=lambda form: services.referral_update(
                    referral=referral, version=form.cleaned_data["version"], **form.record_data()
                ),
                current=lambda: Referral.objects.filter(pk=referral.pk).first(),
                form_kwargs={"family": family},
                template="cases/referral_form.html",
                context=context,
            )
        except services.ReferralError as error:
            form.add_error(None, error.message)
            return _referral_page(request, access, form, title=title)
        if conflict is not None:
            return conflict
        messages.success(request, _("Verwijzing opgeslagen."))
        return redirect("cases:family_partners", family_id=family.pk)
    return _referral_page(request, access, form, title=title)


@require_http_methods(["GET", "POST"])
def referral_status(request: HttpRequest, family_id: int, referral_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"verwijzing {referral_id}",
        lookup=lambda family: get_object_or_404(
            Referral.objects.select_related("partner"), pk=referral_id, family=family
        ),
    )
    family, referral = access.family, access.record
    title = _("Status van de verwijzing naar %(partner)s") % {"partner": referral.partner.name}
    if not services.NEXT_STATUSES[referral.status]:
        messages.info(request, _("Deze verwijzing is afgesloten; de status verandert niet meer."))
        return redirect("cases:family_partners", family_id=family.pk)
    form = ReferralStatusForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_status_change(referral=referral, by=request.user, **form.cleaned_data)
        except services.ReferralError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Status van de verwijzing bijgewerkt."))
            return redirect("cases:family_partners", family_id=family.pk)
    return render(
        request,
        "cases/referral_status_form.html",
        {"family": family, "access": access, "form": form, "title": title, "referral": referral},
    )
