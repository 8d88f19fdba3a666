from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.agenda import services
from cases.agenda.feed import feed_appointments, feed_calendar
from cases.agenda.forms import AgendaFilterForm, AppointmentForm
from cases.conflicts import save_or_merge
from cases.forms import ContactForm
from cases.models import (
    TEAM_WIDE_ROLES,
    AccessAction,
    Appointment,
    AppointmentStatus,
    CalendarFeed,
    Member,
    Membership,
)
from cases.permissions import Need, access_family, access_team, log_families_shown
from cases.sections import appointment_extensions

FEED_TOKEN_SESSION_KEY = "calendar_feed_token"
# The week view, then this many weeks after it in a short list ("the coming weeks").
COMING_WEEKS = 3
MISSED_SHOWN = 20


def _appointment_lookup(appointment_id: int):  # type: ignore[no-untyped-def]
    return lambda family: get_object_or_404(Appointment, pk=appointment_id, family=family)


def _with_people(appointments):  # type: ignore[no-untyped-def]
    # What other apps' parts of an appointment read (network: the network members expected).
    extra = [name for e in appointment_extensions() for name in getattr(e, "prefetch", ())]
    return appointments.select_related("family", "coach").prefetch_related(
        Prefetch("members", queryset=Member.objects.only("id", "name")), "colleagues", *extra
    )


@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    """The user's agenda: one week (today's by default), the weeks after it, and what passed
    without a contact. Team-wide roles also see a team's agenda, or one coach's in it."""
    form = AgendaFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    chosen = params.get("week") or today
    week_start = chosen - datetime.timedelta(days=chosen.weekday())
    week_end = week_start + datetime.timedelta(days=6)
    coming_end = week_end + datetime.timedelta(weeks=COMING_WEEKS)

    team_teams = [
        m.team
        for m in Membership.objects.filter(user=request.user, role__in=TEAM_WIDE_ROLES)
        .select_related("team")
        .order_by("team__name")
    ]
    team = coach = None
    coaches: list = []
    if params.get("team"):
        team = access_team(
            request, roles=TEAM_WIDE_ROLES, team_id=params["team"], obj="agenda van het team"
        ).team
        coaches = list(
            get_user_model()
            .objects.filter(memberships__team=team, is_active=True)
            .order_by("first_name", "username")
        )
        appointments = Appointment.objects.filter(family__team=team)
        if params.get("coach"):
            coach = next((u for u in coaches if u.pk == params["coach"]), None)
            if coach is None:
                raise Http404("No such coach in this team.")
            appointments = appointments.filter(Q(coach=coach) | Q(colleagues=coach)).distinct()
    else:
        appointments = Appointment.objects.for_user(request.user)

    shown = list(
        _with_people(appointments.filter(date__gte=week_start, date__lte=coming_end)).order_by(
            "date", "starts_at", "pk"
        )
    )
    missed = list(
        _with_people(appointments.missed(today)).order_by("-date", "-starts_at")[:MISSED_SHOWN]
    )
    days = [
        (day, [a for a in shown if a.date == day])
        for day in (week_start + datetime.timedelta(days=n) for n in range(7))
    ]
    coming = [a for a in shown if a.date > week_end and a.status != AppointmentStatus.CANCELLED]
    # Every family whose name the page shows is in its access log (NEN 7513).
    log_families_shown(
        request,
        [(a.family_id, a.family.team_id) for a in [*shown, *missed]],
        action=AccessAction.READ,
        obj="agenda",
    )
    new_token = request.session.pop(FEED_TOKEN_SESSION_KEY, None)
    return render(
        request,
        "cases/agenda.html",
        {
            "days": days,
            "today": today,
            "week_start": week_start,
            "previous_week": week_start - datetime.timedelta(weeks=1),
            "next_week": week_start + datetime.timedelta(weeks=1),
            "coming": coming,
            "missed": missed,
            "team": team,
            "coach": coach,
            "coaches": coaches,
            "team_teams": team_teams,
            "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
            "feed_url": (
                request.build_absolute_uri(reverse("cases:calendar_feed", args=[new_token]))
                if new_token
                else ""
            ),
        },
    )


@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    token = services.calendar_feed_create(user=request.user)
    # Shown once, on the next page; only its hash is kept.
    request.session[FEED_TOKEN_SESSION_KEY] = token
    messages.success(request, _("Uw agenda-adres is gemaakt. Een eerder adres werkt niet meer."))
    return redirect(reverse("cases:agenda") + "#feed")


@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Uw agenda-adres is ingetrokken; het werkt niet meer."))
    return redirect(reverse("cases:agenda") + "#feed")


@login_not_required
@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription a phone's calendar fetches: no session, the token is the key."""
    feed = CalendarFeed.objects.by_token(token)
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    appointments = feed_appointments(feed.user)
    # The families the feed names (by case number) are in their access log, as the user's.
    request.user = feed.user
    log_families_shown(
        request,
        [(a.family_id, a.family.team_id) for a in appointments],
        action=AccessAction.READ,
        obj="agenda-abonnement",
    )
    language = getattr(getattr(feed.user, "preference", None), "language", "") or "nl"
    response = HttpResponse(
        feed_calendar(appointments, language=language), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="familiekracht.ics"'
    return response


@require_http_methods(["GET", "POST"])
def appointment_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="afspraak"
    )
    family = access.family
    form = AppointmentForm(request.POST or None, family=family, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.appointment_create(family=family, by=request.user, **form.record_data())
        messages.success(request, _("Afspraak gepland."))
        return redirect("cases:family_agenda", family_id=family.pk)
    return render(
        request,
        "cases/appointment_form.html",
        {"form": form, "family": family, "access": access, "appointment": None},
    )


@require_http_methods(["GET", "POST"])
def appointment_edit(request: HttpRequest, family_id: int, appointment_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CHANGE if request.method == "POST" else AccessAction.READ,
        obj=f"afspraak {appointment_id}",
        lookup=_appointment_lookup(appointment_id),
    )
    family, appointment = access.family, access.record
    form = AppointmentForm(
        request.POST or None, instance=appointment, family=family, user=request.user
    )
    context = {"family": family, "access": access, "appointment": appointment}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.appointment_update(
                appointment=appointment,
                version=form.cleaned_data["version"],
                **form.record_data(),
            ),
            current=lambda: Appointment.objects.filter(pk=appointment.pk).first(),
            form_kwargs={"family": family, "user": request.user},
            template="cases/appointment_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Afspraak in de agenda opgeslagen."))
        return redirect("cases:family_agenda", family_id=family.pk)
    return render(request, "cases/appointment_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
def appointment_cancel(request: HttpRequest, family_id: int, appointment_id: int) -> HttpResponse:
    """Cancelling asks first (GET shows the question, POST does it)."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CHANGE if request.method == "POST" else AccessAction.READ,
        obj=f"afspraak {appointment_id}",
        lookup=_appointment_lookup(appointment_id),
    )
    family, appointment = access.family, access.record
    if request.method == "POST":
        try:
            services.appointment_cancel(appointment=appointment)
            messages.success(request, _("Afspraak afgezegd."))
        except services.AlreadyLogged:
            messages.error(request, _("Deze afspraak is al vastgelegd of afgezegd."))
        return redirect("cases:family_agenda", family_id=family.pk)
    return render(
        request,
        "cases/appointment_cancel.html",
        {"family": family, "access": access, "appointment": appointment},
    )


@require_POST
def appointment_held(request: HttpRequest, family_id: int, appointment_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"afspraak {appointment_id}",
        lookup=_appointment_lookup(appointment_id),
    )
    try:
        services.appointment_mark_held(appointment=access.record)
        messages.success(request, _("Afspraak gehouden."))
    except services.AlreadyLogged:
        messages.error(request, _("Deze afspraak is al vastgelegd of afgezegd."))
    return redirect("cases:family_agenda", family_id=access.family.pk)


@require_http_methods(["GET", "POST"])
def appointment_log(request: HttpRequest, family_id: int, appointment_id: int) -> HttpResponse:
    """After the visit, one tap: the contact form filled in from the appointment."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CREATE,
        obj=f"afspraak {appointment_id}",
        lookup=_appointment_lookup(appointment_id),
    )
    family, appointment = access.family, access.record
    if appointment.status != AppointmentStatus.PLANNED or appointment.contact_kind is None:
        messages.error(request, _("Deze afspraak is al vastgelegd of afgezegd."))
        return redirect("cases:family_agenda", family_id=family.pk)
    form = ContactForm(
        request.POST or None, family=family, initial=services.contact_initial(appointment)
    )
    if request.method == "POST" and form.is_valid():
        data = form.record_data()
        try:
            services.appointment_log_contact(appointment=appointment, author=request.user, **data)
        except services.AlreadyLogged:
            messages.error(request, _("Deze afspraak is al vastgelegd of afgezegd."))
            return redirect("cases:family_agenda", family_id=family.pk)
        messages.success(request, _("Contact vastgelegd."))
        return redirect("cases:family_detail", family_id=family.pk)
    return render(
        request,
        "cases/contact_form.html",
        {"form": form, "family": family, "access": access, "appointment": appointment},
    )


@require_GET
def family_agenda(request: HttpRequest, family_id: int) -> HttpResponse:
    """The family's appointments (coming first, then the past) and its tasks."""
    access = access_family(request, family_id, obj="afspraken en taken")
    family = access.family
    today = timezone.localdate()
    appointments = _with_people(family.appointments.all())
    coming = list(appointments.filter(date__gte=today).order_by("date", "starts_at"))
    past = list(appointments.filter(date__lt=today).order_by("-date", "-starts_at")[:50])
    # What other apps add: the network members expected, the page that records a meeting.
    extensions = appointment_extensions()
    for appointment in [*coming, *past]:
        appointment.extra_expected = [n for e in extensions for n in e.expected(appointment)]
        appointment.record_links = [
            link for e in extensions if (link := e.record_link(appointment)) is not None
        ]
    tasks = list(
        family.tasks.select_related("owner", "done_by").order_by("done_at", "due_on", "pk")[:200]
    )
    return render(
        request,
        "cases/family_agenda.html",
        {
            "family": family,
            "access": access,
            "coming": coming,
            "past": past,
            "tasks": tasks,
            "today": today,
        },
    )
