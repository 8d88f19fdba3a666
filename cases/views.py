from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Aggregate, CharField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, JSONObject, LPad
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import formats, services
from cases.aggregates import JoinedText, JSONList, json_list, name_or_username, split_joined
from cases.compiled import MARKER, CompiledQuery
from cases.conflicts import save_or_merge
from cases.daycache import DayCache
from cases.forms import ContactForm, FamilyFilterForm, FamilyForm, MemberForm, SafetyForm
from cases.legal.panel import family_measures
from cases.models import (
    CASE_NUMBER_TAKEN,
    NO_FAMILY_ROLES,
    TEAM_WIDE_ROLES,
    AccessAction,
    Comment,
    Contact,
    ContactKind,
    Family,
    LifeDomain,
    Member,
    Notification,
    Team,
    UserPreference,
    WorkingElement,
    last_contact_date,
    overdue_tasks_count,
)
from cases.partners.contact_form import professionals_present_column, professionals_present_names
from cases.permissions import (
    FamilyAccess,
    Need,
    access_family,
    log_families_shown,
    user_memberships,
)
from cases.sections import (
    caseload_attention,
    family_figure_columns,
    family_figures,
    family_members,
)
from cases.waiting import is_approver, waiting_for

CONTACTS_PER_PAGE = 20
FAMILIES_PER_PAGE = 50


def _with_contact_figures(families):  # type: ignore[no-untyped-def]
    """Annotate last contact, this month's minutes and the overdue tasks with subqueries
    (no row per contact)."""
    month_start = timezone.localdate().replace(day=1)
    month_minutes = (
        Contact.objects.filter(family=OuterRef("pk"), date__gte=month_start)
        .order_by()
        .values("family")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    return families.select_related("coach", "team").annotate(
        last_contact=last_contact_date(),
        minutes_this_month=Coalesce(Subquery(month_minutes), 0),
        # Overdue tasks make a family "need attention" (the psychologist's review too).
        overdue_tasks=Coalesce(overdue_tasks_count(), 0),
    )


def caseload(request: HttpRequest) -> HttpResponse:
    """The landing page: the user's own families, or the team's for psychologist and coordinator.

    Paged in the database (safety signal first, then by name), so a team-wide landing page
    with thousands of families costs one page of rows, whatever the team's size.
    A researcher, who holds no family, lands on the research page instead.
    """
    memberships = user_memberships(request)
    if memberships and all(m.role in NO_FAMILY_ROLES for m in memberships):
        return redirect("reports:research")
    families = _with_contact_figures(Family.objects.caseload_of(request.user)).order_by(
        "-safety_flag", "display_name", "pk"
    )
    page = Paginator(families, FAMILIES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    shown = [(f.pk, f.team_id) for f in page.object_list]
    # The psychologist's review's badges, by its own rules (settings.CASELOAD_ATTENTION):
    # one query per team on the page.
    attention = caseload_attention(shown)
    for family in page.object_list:
        family.attention = attention.get(family.pk, ())
    # Every family whose name the page shows is in its access log (NEN 7513).
    log_families_shown(request, shown, action=AccessAction.READ, obj="lijst: mijn gezinnen")
    # "Wacht op mij": what waits for the psychologist's decision (cases.waiting), read from
    # the pending objects at once; kept on the request so the navigation's count is free.
    waiting = waiting_for(request.user) if is_approver(request) else None
    request._fk_waiting = waiting  # type: ignore[attr-defined]
    # The heading's "team" wording comes from the navigation's membership data (is_team_wide).
    return render(
        request,
        "cases/caseload.html",
        {
            "families": page.object_list,
            "page": page,
            "total": page.paginator.count,
            "contact_button": True,
            "waiting": waiting,
            "unread_notifications": Notification.objects.filter(
                recipient=request.user, read_at__isnull=True
            ).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def family_list(request: HttpRequest) -> HttpResponse:
    """The families of the user's teams; the search is a POST, filters and paging a GET.

    The search term is free text about clients, so it travels in the POST body only and the
    results are rendered in the POST response: no URL, browser history or server log holds
    it. A ?q= on a GET (an old bookmark) is ignored and searches nothing.
    """
    if request.method == "POST":
        params = request.POST
    else:
        params = request.GET.copy()
        params.pop("q", None)
    form = FamilyFilterForm(params or None)
    families = _with_contact_figures(Family.objects.visible_to(request.user))
    query = ""
    if form.is_valid():
        if query := form.cleaned_data["q"]:
            families = families.filter(
                Q(display_name__icontains=query)
                | Q(case_number__icontains=query)
                | Q(area__icontains=query)
            )
        if status := form.cleaned_data["status"]:
            families = families.filter(status=status)
    page = Paginator(families.order_by("display_name"), FAMILIES_PER_PAGE).get_page(
        params.get("page")
    )
    page.object_list = list(page.object_list)
    # A search over client records is logged as such (NEN 7513): one row per family shown,
    # never the term itself.
    log_families_shown(
        request,
        [(f.pk, f.team_id) for f in page.object_list],
        action=AccessAction.SEARCH if query else AccessAction.READ,
        obj="zoekresultaat" if query else "lijst: alle gezinnen",
    )
    return render(
        request,
        "cases/family_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "status": form.cleaned_data["status"] if form.is_valid() else "",
            "can_create": bool(_intake_teams(request.user)),
        },
    )


def _intake_teams(user):  # type: ignore[no-untyped-def]
    """Teams in which the user takes referrals (coordinator or psychologist)."""
    return list(Team.objects.filter(memberships__user=user, memberships__role__in=TEAM_WIDE_ROLES))


def family_detail(request: HttpRequest, family_id: int) -> HttpResponse:
    # The page's figures (totals, the panels' counts and dates) come with the family.
    access = access_family(
        request, family_id, annotate=family_figure_columns(request), annotate_key="family-page"
    )
    return _family_page(request, access)


class _JoinedIds(Aggregate):
    """A group's ids as one comma-separated text (PostgreSQL string_agg, SQLite
    group_concat)."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def _contact_url(name: str, family_id: int) -> Callable[[int], str]:
    """The URL `name` of a contact of the family, for each contact of a page: reversed
    once (a reverse per row costs more than the rest of the row's figures)."""
    head, zero, tail = reverse(name, args=[family_id, 0]).rpartition("/0/")
    if not zero:  # the contact's id is not a path segment of its own
        return lambda contact_id: reverse(name, args=[family_id, contact_id])
    return lambda contact_id: f"{head}/{contact_id}/{tail}"


def _build_contact_page(
    today: datetime.date, has_comments: bool, start: int, stop: int
) -> CompiledQuery[Contact]:
    """Rows start..stop of a family's contacts, newest first, as the family page shows
    them."""
    # Who was present comes as the member ids of each contact; the names are the members'.
    present_ids = (
        Contact.members_present.through.objects.filter(contact=OuterRef("pk"))
        .order_by()
        .values("contact")
        .annotate(ids=_JoinedIds("member_id"))
        .values("ids")
    )
    # The working elements ticked, as their labels in the team's order (cases.elements).
    element_labels = (
        WorkingElement.contacts.through.objects.filter(contact=OuterRef("pk"))
        .order_by()
        .values("contact")
        .annotate(
            labels=JoinedText(
                Concat(
                    LPad(Cast("workingelement__order", CharField()), 6, Value("0")),
                    Value(":"),
                    "workingelement__label",
                )
            )
        )
        .values("labels")
    )
    contacts = (
        Contact.objects.filter(family_id=MARKER)
        .select_related("author")
        # The professionals present (colleagues, partners' contact people) by name, and the
        # working elements ticked (cases.elements).
        .annotate(
            present_ids=Subquery(present_ids),
            element_labels=Subquery(element_labels),
            **professionals_present_column(),
        )
        .order_by("-date", "-created_at")
    )
    if has_comments:
        # Comments on the file, shown under each contact (cases.comments): with the contact,
        # as a JSON list of who wrote them, when and what, only when the figures say the
        # file's contacts have any.
        comments = (
            Comment.objects.filter(contact=OuterRef("pk"))
            .order_by()
            .values("contact")
            .annotate(
                items=JSONList(
                    JSONObject(
                        pk="pk", who=name_or_username("author"), at="created_at", text="text"
                    )
                )
            )
            .values("items")
        )
        contacts = contacts.annotate(comments_json=Subquery(comments))
    return CompiledQuery(contacts[start:stop], family=MARKER)


@dataclass(frozen=True)
class ShownComment:
    """A comment under a contact on the family page, as cases/comment_list.html shows it."""

    pk: int
    author_name: str
    created_at: datetime.datetime
    text: str


def _shown_comments(items: str | None) -> list[ShownComment]:
    """The comments of a contact's JSON list, oldest first (Comment's own order)."""
    shown = []
    for item in json_list(items):
        at = parse_datetime(item["at"])
        if at is not None and timezone.is_naive(at):  # SQLite keeps UTC without its offset
            at = timezone.make_aware(at, datetime.UTC)
        shown.append(ShownComment(item["pk"], item["who"], at, item["text"]))
    return sorted(shown, key=lambda c: (c.created_at, c.pk))


_contact_pages = DayCache(_build_contact_page)


def _family_page(
    request: HttpRequest, access: FamilyAccess, *, safety_form: SafetyForm | None = None
) -> HttpResponse:
    """The family's page; with the safety form as sent when it was refused, so the note
    typed into it is shown again with the message."""
    family = access.family
    # The contacts' totals, the panels' counts and dates: one query for the whole page (none
    # when the gate read them with the family).
    figures = family_figures(request, family)
    members = family_members(request, family)
    has_comments = figures["contact_comment_count"] > 0
    # The figures already counted the contacts: the paginator need not count them again,
    # and the page's rows come from the contacts' query compiled once (cases.compiled).
    paginator = Paginator(range(figures["contact_count"]), CONTACTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    shown = page.object_list
    page.object_list = _contact_pages.get(has_comments, shown.start, shown.stop).run(
        family=family.pk
    )
    # The rows' labels once per page rather than per row in the template (a choice's
    # display or a translated sentence costs tens of microseconds there).
    kinds = {value: str(label) for value, label in ContactKind.choices}
    domains = {value: str(label) for value, label in LifeDomain.choices}
    edit_url = _contact_url("cases:contact_edit", family.pk)
    comment_url = _contact_url("cases:contact_comment", family.pk)
    for contact in page.object_list:
        contact.family = family  # as the family's related manager would have set it
        contact.kind_label = kinds.get(contact.kind, contact.kind)
        contact.domain_labels = [domains.get(code, code) for code in contact.domains]
        shown_date = formats.short_date(contact.date)
        contact.shown_date = shown_date
        contact.correct_label = _("Contact van %(d)s corrigeren") % {"d": shown_date}
        contact.comment_label = _("Opmerking bij contact van %(d)s") % {"d": shown_date}
        contact.edit_url, contact.comment_url = edit_url(contact.pk), comment_url(contact.pk)
        ids = {int(i) for i in (contact.present_ids or "").split(",") if i}
        # In the members' order (birth date, name), as the relation orders them.
        contact.present = [m for m in members if m.pk in ids]
        contact.professionals = professionals_present_names(contact)
        contact.shown_comments = _shown_comments(contact.comments_json) if has_comments else []
        # "0003:label": sorted, the team's order then the label; shown without the order.
        contact.elements = [
            part.split(":", 1)[1] for part in sorted(split_joined(contact.element_labels))
        ]
    panels = _app_panels(request, access)
    return render(
        request,
        "cases/family_detail.html",
        {
            "family": family,
            "access": access,
            "members": members,
            "page": page,
            "total_hours": round(figures["contact_minutes"] / 60, 1),
            "contact_count": figures["contact_count"],
            # The lists the history and the header show, read only when there is something.
            # The involved colleagues' names, read with the family (cases.sections).
            "involved": sorted(split_joined(figures["involved_names"]), key=str.lower),
            "safety_form": safety_form
            or SafetyForm(
                initial={"safety_flag": family.safety_flag, "safety_note": family.safety_note}
            ),
            "panels": panels,
            "is_coordinator": access.is_coordinator,
            # The history shows the trajectories once there are two or more.
            "trajectories": (
                list(family.trajectories.select_related("created_by"))
                if figures["trajectory_count"] > 1
                else []
            ),
            "coach_history": (
                list(family.coach_changes.select_related("coach", "previous_coach", "changed_by"))
                if figures["coach_change_count"]
                else []
            ),
            # The children's legal measures (cases/legal/): one query, none without any.
            "legal_measures": (
                family_measures(family, today=timezone.localdate())
                if figures["legal_measure_count"]
                else []
            ),
        },
    )


def _app_panels(request: HttpRequest, access: FamilyAccess) -> str:
    """The sections' panels on the family page, in the order of settings.FAMILY_SECTIONS."""
    from cases.sections import family_sections

    parts = [section.panel(request, access) for section in family_sections() if section.panel]
    # Each panel renders through a template, so its output is already escaped.
    return mark_safe(format_html_join("\n", "{}", ((mark_safe(p),) for p in parts if p)))  # noqa: S308


@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CHANGE if request.method == "POST" else AccessAction.READ,
        obj="gezin",
    )
    family = access.family
    form = FamilyForm(request.POST or None, instance=family, teams=[family.team])
    context = {"family": family, "access": access}
    if request.method == "POST" and form.is_valid():

        def save(form: FamilyForm) -> None:
            data = form.record_data()
            for name in ("involved", "team"):
                data.pop(name, None)
            services.family_update(
                family=family,
                data=data,
                involved=form.cleaned_data["involved"],
                version=form.cleaned_data["version"],
                by=request.user,
            )

        try:
            conflict = save_or_merge(
                request,
                form=form,
                save=save,
                current=lambda: Family.objects.filter(pk=family.pk).first(),
                form_kwargs={"teams": [family.team]},
                template="cases/family_form.html",
                context=context,
            )
        except services.CaseNumberTaken:
            form.add_error("case_number", CASE_NUMBER_TAKEN)
            return render(request, "cases/family_form.html", {**context, "form": form})
        if conflict is not None:
            return conflict
        messages.success(request, _("Gegevens van het gezin opgeslagen."))
        return redirect("cases:family_detail", family_id=family.pk)
    return render(request, "cases/family_form.html", {**context, "form": form})


@require_POST
def family_safety(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, need=Need.WRITE, obj="veiligheidssignaal")
    family = access.family
    form = SafetyForm(request.POST)
    if form.is_valid():
        services.family_set_safety(
            family=family,
            by=request.user,
            flag=form.cleaned_data["safety_flag"],
            note=form.cleaned_data["safety_note"],
        )
        messages.success(request, _("Veiligheidssignaal bijgewerkt."))
        return redirect("cases:family_detail", family_id=family.pk)
    # The page again, not a redirect: a redirect would lose the note that was typed.
    return _family_page(request, access, safety_form=form)


@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="gezinslid"
    )
    family = access.family
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.family = family
        services.member_save(member=member)
        messages.success(request, _("Gezinslid toegevoegd."))
        return redirect("cases:family_detail", family_id=family.pk)
    return render(
        request, "cases/member_form.html", {"form": form, "family": family, "access": access}
    )


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, family_id: int, member_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"gezinslid {member_id}",
        lookup=lambda family: get_object_or_404(Member, pk=member_id, family=family),
    )
    family, member = access.family, access.record
    form = MemberForm(request.POST or None, instance=member)
    context = {"family": family, "access": access, "member": member}
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.member_update(
                member=member, version=form.cleaned_data["version"], data=form.record_data()
            ),
            current=lambda: Member.objects.filter(pk=member.pk).first(),
            template="cases/member_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Gezinslid opgeslagen."))
        return redirect("cases:family_detail", family_id=family.pk)
    return render(request, "cases/member_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="contact"
    )
    family = access.family
    form = ContactForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        data = form.record_data()
        services.contact_create(family=family, author=request.user, **data)
        messages.success(request, _("Contact vastgelegd."))
        return redirect("cases:family_detail", family_id=family.pk)
    return render(
        request, "cases/contact_form.html", {"form": form, "family": family, "access": access}
    )


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, family_id: int, contact_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.CORRECT,
        obj=f"contact {contact_id}",
        lookup=lambda family: get_object_or_404(Contact, pk=contact_id, family=family),
    )
    family, contact = access.family, access.record
    form = ContactForm(request.POST or None, instance=contact, family=family)
    context = {
        "family": family,
        "access": access,
        "contact": contact,
        "revisions": contact.revisions.select_related("changed_by"),
    }
    if request.method == "POST" and form.is_valid():
        conflict = save_or_merge(
            request,
            form=form,
            save=lambda form: services.contact_update(
                contact=contact,
                by=request.user,
                version=form.cleaned_data["version"],
                **form.record_data(),
            ),
            current=lambda: Contact.objects.filter(pk=contact.pk).first(),
            form_kwargs={"family": family},
            template="cases/contact_form.html",
            context=context,
        )
        if conflict is not None:
            return conflict
        messages.success(request, _("Contact gecorrigeerd."))
        return redirect("cases:family_detail", family_id=family.pk)
    return render(request, "cases/contact_form.html", {**context, "form": form, "current": None})


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Save the user's interface language and go back to the page they were on."""
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    from cases.preferences import LANGUAGE_SESSION_KEY

    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[LANGUAGE_SESSION_KEY] = language
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
