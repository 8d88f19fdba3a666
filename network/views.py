from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.agenda.services import held_if_planned, planned_to_record
from cases.conflicts import save_or_merge
from cases.models import AccessAction, AppointmentKind, Family, Membership, Role
from cases.permissions import (
    FamilyAccess,
    Need,
    access_family,
    access_team,
    id_in_range,
    log_families_shown,
    user_memberships,
)
from network import services
from network.ecomap import legend_groups, map_members, network_map_svg
from network.forms import (
    AgreementForm,
    EvaluationForm,
    KrachtgezinForm,
    KrachtgezinMatchCreateForm,
    KrachtgezinMatchEndForm,
    KrachtgezinMatchForm,
    KrachtgezinPoolForm,
    MeetingForm,
    NetworkMemberForm,
    QuickAddForm,
    RespiteStayForm,
)
from network.involvement import (
    WeekHours,
    hours_in_week,
    stale_members,
    stale_weeks,
    week_bounds,
    week_start,
    weekly_hours,
)
from network.models import (
    Agreement,
    AgreementEvaluation,
    AgreementStatus,
    Krachtgezin,
    KrachtgezinMatch,
    NetworkMeeting,
    NetworkMember,
    RespiteStay,
)


def _agreements(family: Family) -> Any:
    last_outcome = (
        AgreementEvaluation.objects.filter(agreement=OuterRef("pk"))
        .order_by("-evaluation__date", "-pk")
        .values("outcome")[:1]
    )
    return (
        family.agreements.select_related("family_member", "network_member", "meeting", "goal")
        .annotate(last_outcome=Subquery(last_outcome))
        .order_by("status", "due_date", "pk")
    )


def _overview(
    request: HttpRequest, access: FamilyAccess, quick_form: QuickAddForm, status: int = 200
) -> HttpResponse:
    family = access.family
    members = map_members(family)
    agreements = list(_agreements(family))
    meetings = list(
        family.network_meetings.annotate(
            n_network=Count("network_members", distinct=True),
            n_evaluations=Count("evaluations", distinct=True),
        ).order_by("-date")
    )
    return render(
        request,
        "network/network_overview.html",
        {
            "family": family,
            "access": access,
            "members": members,
            "map_svg": network_map_svg(family, members),
            "legend": legend_groups(),
            "quick_form": quick_form,
            "agreements": agreements,
            "meetings": meetings,
            "stale": stale_members(members),
            "stale_weeks": stale_weeks(),
            "krachtgezin_matches": list(
                family.krachtgezin_matches.select_related("krachtgezin").order_by(
                    "ended_on", "-started_on"
                )
            ),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
def network_overview(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="netwerk")
    return _overview(request, access, QuickAddForm())


@require_POST
def member_quick_add(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="netwerklid"
    )
    family = access.family
    form = QuickAddForm(request.POST)
    if not form.is_valid():
        return _overview(request, access, form)
    member = services.network_member_create(family=family, data=form.cleaned_data)
    messages.success(
        request,
        _("%(name)s toegevoegd. Vul de gegevens aan wanneer u ze weet.") % {"name": member.name},
    )
    return redirect("network:overview", family_id=family.pk)


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, family_id: int, member_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"netwerklid {member_id}",
        lookup=lambda family: get_object_or_404(NetworkMember, pk=member_id, family=family),
    )
    family, member = access.family, access.record
    form = NetworkMemberForm(request.POST or None, instance=member)
    context = {"family": family, "access": access, "member": member}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.network_member_update(
                member=member, version=form.cleaned_data["version"], data=form.record_data()
            ),
            current=lambda: NetworkMember.objects.filter(pk=member.pk).first(),
            template="network/networkmember_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Netwerklid opgeslagen."))
        return redirect("network:overview", family_id=family.pk)
    return render(request, "network/networkmember_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="afspraak"
    )
    family = access.family
    initial = {}
    # isdecimal, not isdigit: int() refuses digits such as "²".
    if (meeting_id := request.GET.get("meeting", "").strip()) and meeting_id.isdecimal():
        initial["meeting"] = family.network_meetings.filter(pk=meeting_id).first()
    form = AgreementForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        agreement = services.agreement_create(family=family, data=form.record_data())
        messages.success(request, _("Afspraak vastgelegd."))
        if agreement.meeting_id:
            return redirect(
                "network:meeting_detail", family_id=family.pk, meeting_id=agreement.meeting_id
            )
        return redirect("network:overview", family_id=family.pk)
    return render(
        request, "network/agreement_form.html", {"form": form, "family": family, "access": access}
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, family_id: int, agreement_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"afspraak {agreement_id}",
        lookup=lambda family: get_object_or_404(Agreement, pk=agreement_id, family=family),
    )
    family, agreement = access.family, access.record
    form = AgreementForm(request.POST or None, instance=agreement, family=family)
    context = {"family": family, "access": access, "agreement": agreement}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.agreement_update(
                agreement=agreement, version=form.cleaned_data["version"], data=form.record_data()
            ),
            current=lambda: Agreement.objects.filter(pk=agreement.pk).first(),
            form_kwargs={"family": family},
            template="network/agreement_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Afspraak opgeslagen."))
        return redirect("network:overview", family_id=family.pk)
    return render(request, "network/agreement_form.html", {**context, "form": form})


def _meeting_fields(form: MeetingForm) -> tuple[dict[str, Any], Any, Any]:
    data = {
        k: v
        for k, v in form.record_data().items()
        if k not in ("family_members", "network_members")
    }
    return data, form.cleaned_data["family_members"], form.cleaned_data["network_members"]


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="netwerkbijeenkomst"
    )
    family = access.family
    # Recording a planned network meeting (the agenda's link): it starts from the plan.
    planned = planned_to_record(
        family=family,
        raw_id=request.GET.get("appointment"),
        kind=AppointmentKind.NETWORK_MEETING,
    )
    initial = (
        {
            "date": planned.date,
            "family_members": list(planned.members.all()),
            "network_members": list(planned.network_members_expected.all()),
        }
        if planned
        else None
    )
    form = MeetingForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, family_members, network_members = _meeting_fields(form)
        with transaction.atomic():
            meeting = services.meeting_create(
                family=family,
                by=request.user,
                data=data,
                family_members=family_members,
                network_members=network_members,
            )
            held_if_planned(planned)
        messages.success(request, _("Bijeenkomst vastgelegd. Leg nu de afspraken vast."))
        return redirect("network:meeting_detail", family_id=family.pk, meeting_id=meeting.pk)
    return render(
        request, "network/meeting_form.html", {"form": form, "family": family, "access": access}
    )


@require_GET
def meeting_detail(request: HttpRequest, family_id: int, meeting_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        obj=f"netwerkbijeenkomst {meeting_id}",
        lookup=lambda family: get_object_or_404(
            NetworkMeeting.objects.prefetch_related(
                "family_members",
                "network_members",
                Prefetch(
                    "evaluations__items",
                    queryset=AgreementEvaluation.objects.select_related(
                        "agreement__family_member", "agreement__network_member"
                    ),
                ),
                "evaluations__created_by",
            ),
            pk=meeting_id,
            family=family,
        ),
    )
    family, meeting = access.family, access.record
    agreements = list(_agreements(family).filter(meeting=meeting))
    return render(
        request,
        "network/meeting_detail.html",
        {"family": family, "access": access, "meeting": meeting, "agreements": agreements},
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, family_id: int, meeting_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"netwerkbijeenkomst {meeting_id}",
        lookup=lambda family: get_object_or_404(NetworkMeeting, pk=meeting_id, family=family),
    )
    family, meeting = access.family, access.record
    form = MeetingForm(request.POST or None, instance=meeting, family=family)
    context = {"family": family, "access": access, "meeting": meeting}
    if request.method == "POST" and form.is_valid():

        def save(form: MeetingForm) -> None:
            data, family_members, network_members = _meeting_fields(form)
            services.meeting_update(
                meeting=meeting,
                version=form.cleaned_data["version"],
                data=data,
                family_members=family_members,
                network_members=network_members,
            )

        conflict = save_or_merge(
            request,
            form=form,
            save=save,
            current=lambda: NetworkMeeting.objects.filter(pk=meeting.pk).first(),
            form_kwargs={"family": family},
            template="network/meeting_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Bijeenkomst opgeslagen."))
        return redirect("network:meeting_detail", family_id=family.pk, meeting_id=meeting.pk)
    return render(request, "network/meeting_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
def meeting_evaluate(request: HttpRequest, family_id: int, meeting_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CREATE,
        obj=f"evaluatie {meeting_id}",
        lookup=lambda family: get_object_or_404(NetworkMeeting, pk=meeting_id, family=family),
    )
    family, meeting = access.family, access.record
    # The meeting's own agreements and every other one still running.
    agreements = [
        a
        for a in _agreements(family)
        if a.meeting_id == meeting.pk or a.status == AgreementStatus.OPEN
    ]
    form = EvaluationForm(request.POST or None, agreements=agreements)
    if request.method == "POST" and form.is_valid():
        services.evaluation_create(
            meeting=meeting,
            by=request.user,
            date=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
            outcomes=form.outcomes(),
            next_evaluation=form.cleaned_data["next_evaluation"],
        )
        messages.success(request, _("Evaluatie vastgelegd."))
        return redirect("network:meeting_detail", family_id=family.pk, meeting_id=meeting.pk)
    return render(
        request,
        "network/evaluation_form.html",
        {"form": form, "family": family, "access": access, "meeting": meeting},
    )


@require_http_methods(["GET", "POST"])
def krachtgezin_create(request: HttpRequest, family_id: int) -> HttpResponse:
    """Koppelen: a free Krachtgezin of the team's pool, and the kennismakingsgesprek."""
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="krachtgezin"
    )
    family = access.family
    form = KrachtgezinMatchCreateForm(request.POST or None, family=family)
    context = {"family": family, "access": access, "match": None}
    if request.method == "POST" and form.is_valid():
        data = form.record_data()
        krachtgezin = data.pop("krachtgezin")
        try:
            services.krachtgezin_match(krachtgezin=krachtgezin, family=family, data=data)
        except services.KrachtgezinBusy as busy:
            form.add_error("krachtgezin", busy)
        else:
            messages.success(request, _("Krachtgezin gekoppeld."))
            return redirect(
                "network:krachtgezin_detail", family_id=family.pk, krachtgezin_id=krachtgezin.pk
            )
    return render(request, "network/krachtgezin_match_form.html", {**context, "form": form})


def _krachtgezin_of(family: Family, krachtgezin_id: int) -> Krachtgezin:
    """A Krachtgezin that supports or supported `family` (its record stays readable)."""
    return get_object_or_404(
        Krachtgezin.objects.filter(matches__family=family).distinct(), pk=krachtgezin_id
    )


def _supporting(family: Family, krachtgezin_id: int) -> Krachtgezin:
    """A Krachtgezin that supports `family` now: only then can its support be changed."""
    return get_object_or_404(
        Krachtgezin.objects.filter(matches__family=family, matches__ended_on__isnull=True),
        pk=krachtgezin_id,
    )


def _open_match(family: Family, krachtgezin_id: int) -> KrachtgezinMatch:
    # A foreign key's lookup does not check the id's range (SQLite cannot compare it).
    if not id_in_range(krachtgezin_id):
        raise Http404("No match.")
    return get_object_or_404(
        KrachtgezinMatch.objects.open().select_related("krachtgezin"),
        family=family,
        krachtgezin_id=krachtgezin_id,
    )


@require_GET
def krachtgezin_detail(request: HttpRequest, family_id: int, krachtgezin_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        obj=f"krachtgezin {krachtgezin_id}",
        lookup=lambda family: _krachtgezin_of(family, krachtgezin_id),
    )
    family, krachtgezin = access.family, access.record
    # This family's matchings with it, the running one first; only its own children's stays.
    matches = list(krachtgezin.matches.filter(family=family).order_by("ended_on", "-started_on"))
    stays = list(krachtgezin.stays.filter(child__family=family).select_related("child"))
    match = matches[0]
    return render(
        request,
        "network/krachtgezin_detail.html",
        {
            "family": family,
            "access": access,
            "krachtgezin": krachtgezin,
            "match": match,
            "earlier": matches[1:],
            "supporting": match.is_open,
            "stays": stays,
            "weeks": weekly_hours(stays, krachtgezin.hours_per_week),
        },
    )


@require_http_methods(["GET", "POST"])
def krachtgezin_edit(request: HttpRequest, family_id: int, krachtgezin_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"krachtgezin {krachtgezin_id}",
        lookup=lambda family: _supporting(family, krachtgezin_id),
    )
    family, krachtgezin = access.family, access.record
    form = KrachtgezinForm(request.POST or None, instance=krachtgezin)
    context = {"family": family, "access": access, "krachtgezin": krachtgezin}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.krachtgezin_update(
                krachtgezin=krachtgezin,
                version=form.cleaned_data["version"],
                data=form.record_data(),
            ),
            current=lambda: Krachtgezin.objects.filter(pk=krachtgezin.pk).first(),
            template="network/krachtgezin_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Krachtgezin opgeslagen."))
        return redirect(
            "network:krachtgezin_detail", family_id=family.pk, krachtgezin_id=krachtgezin.pk
        )
    return render(request, "network/krachtgezin_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
def krachtgezin_match_edit(
    request: HttpRequest, family_id: int, krachtgezin_id: int
) -> HttpResponse:
    """The matching record: kennismakingsgesprek, klik from both sides, safety, goals."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"koppeling krachtgezin {krachtgezin_id}",
        lookup=lambda family: _open_match(family, krachtgezin_id),
    )
    family, match = access.family, access.record
    form = KrachtgezinMatchForm(request.POST or None, instance=match)
    context = {"family": family, "access": access, "match": match}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.krachtgezin_match_update(
                match=match, version=form.cleaned_data["version"], data=form.record_data()
            ),
            current=lambda: KrachtgezinMatch.objects.filter(pk=match.pk).first(),
            template="network/krachtgezin_match_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Kennismaking opgeslagen."))
        return redirect(
            "network:krachtgezin_detail", family_id=family.pk, krachtgezin_id=krachtgezin_id
        )
    return render(request, "network/krachtgezin_match_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
def krachtgezin_match_end(
    request: HttpRequest, family_id: int, krachtgezin_id: int
) -> HttpResponse:
    """End the support: the Krachtgezin is free for another family, the record stays."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"koppeling krachtgezin {krachtgezin_id}",
        lookup=lambda family: _open_match(family, krachtgezin_id),
    )
    family, match = access.family, access.record
    form = KrachtgezinMatchEndForm(request.POST or None, match=match)
    if request.method == "POST" and form.is_valid():
        services.krachtgezin_match_end(match=match, ended_on=form.cleaned_data["ended_on"])
        messages.success(request, _("Koppeling beëindigd; het krachtgezin is weer vrij."))
        return redirect(
            "network:krachtgezin_detail", family_id=family.pk, krachtgezin_id=krachtgezin_id
        )
    return render(
        request,
        "network/krachtgezin_end.html",
        {"form": form, "family": family, "access": access, "match": match},
    )


@require_http_methods(["GET", "POST"])
def stay_create(request: HttpRequest, family_id: int, krachtgezin_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CREATE,
        obj="opvang krachtgezin",
        lookup=lambda family: _supporting(family, krachtgezin_id),
    )
    family, krachtgezin = access.family, access.record
    form = RespiteStayForm(request.POST or None, krachtgezin=krachtgezin, family=family)
    if request.method == "POST" and form.is_valid():
        stay = services.stay_create(krachtgezin=krachtgezin, data=form.cleaned_data)
        weeks = weekly_hours(list(krachtgezin.stays.all()), krachtgezin.hours_per_week)
        messages.success(request, _("Opvang vastgelegd."))
        if any(w.over and hours_in_week([stay], w.start) > 0 for w in weeks):
            messages.warning(
                request,
                _(
                    "Let op: in deze week zijn meer uren gebruikt dan het krachtgezin "
                    "beschikbaar heeft."
                ),
            )
        return redirect(
            "network:krachtgezin_detail", family_id=family.pk, krachtgezin_id=krachtgezin.pk
        )
    return render(
        request,
        "network/stay_form.html",
        {"form": form, "family": family, "access": access, "krachtgezin": krachtgezin},
    )


@require_GET
def krachtgezin_list(request: HttpRequest) -> HttpResponse:
    """Every Krachtgezin of the user's teams, with this week's hours."""
    teams = Membership.objects.filter(user=request.user).values("team")
    today = timezone.localdate()
    this_week = week_start(today)
    begin, end = week_bounds(this_week)
    krachtgezinnen = list(
        Krachtgezin.objects.filter(team__in=teams)
        .select_related("team")
        .prefetch_related(
            Prefetch(
                "stays",
                queryset=RespiteStay.objects.filter(start__lt=end, end__gt=begin),
                to_attr="stays_this_week",
            ),
            Prefetch(
                "matches",
                queryset=KrachtgezinMatch.objects.open().select_related("family"),
                to_attr="open_matches",
            ),
        )
        .order_by("-active", "name")
    )
    rows = [
        (
            k,
            WeekHours(
                start=this_week,
                used=hours_in_week(k.stays_this_week, this_week),
                available=k.hours_per_week,
            ),
        )
        for k in krachtgezinnen
    ]
    # The page names the family each Krachtgezin supports: that family's access log has it.
    log_families_shown(
        request,
        [(m.family_id, m.family.team_id) for k in krachtgezinnen for m in k.open_matches],
        action=AccessAction.READ,
        obj="lijst: krachtgezinnen",
    )
    can_add = any(m.role == Role.COORDINATOR for m in user_memberships(request))
    return render(request, "network/krachtgezin_list.html", {"rows": rows, "can_add": can_add})


@require_http_methods(["GET", "POST"])
def krachtgezin_pool_create(request: HttpRequest) -> HttpResponse:
    """The coordinator adds a Krachtgezin to the team's pool; coaches then match it."""
    teams = access_team(
        request, roles={Role.COORDINATOR}, action=AccessAction.CREATE, obj="krachtgezin pool"
    ).teams
    form = KrachtgezinPoolForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.record_data()
        team = data.pop("team", None) or teams[0]
        services.krachtgezin_create(team=team, data=data)
        messages.success(request, _("Krachtgezin aan de pool toegevoegd."))
        return redirect("network:krachtgezin_list")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Krachtgezin toevoegen aan de pool"),
            "intro": _(
                "Een krachtgezin is een stevig gezin met een ouder die geregistreerd "
                "jeugdzorgprofessional is; het is ongeveer 10 uur per week beschikbaar. "
                "Een coach koppelt het daarna aan één gezin tegelijk."
            ),
        },
    )
