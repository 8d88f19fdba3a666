"""The family file, composed at the top: which parts it has comes from settings.

`cases` is the ground floor and imports no other app. Each app describes its own part of
the family file in `<app>/sections.py`; the project's settings list them in the method's
order (FAMILY_SECTIONS), and the family pages loop over that list: the tabs, the panels of
the overview and the main navigation. The same holds for what other apps add to the plan
page (FAMILY_PLAN_SLOTS), to the contact form (CONTACT_FORM_EXTENSIONS) and to planned
appointments (APPOINTMENT_EXTENSIONS).

Adding a section to the family file: define a `Section` in your app's `sections.py` and
add its dotted path to FAMILY_SECTIONS; nothing in `cases` changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cases.compiled import MARKER, CompiledQuery
from cases.daycache import DayCache

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest
    from django.utils.functional import Promise

    from cases.models import Appointment, Contact, Family, FamilyPlan
    from cases.permissions import FamilyAccess


@dataclass(frozen=True)
class Section:
    """One part of the family file: a tab, and optionally a panel and navigation entries.

    `key` is the page's `active_tab`; `url_name` is reversed with the family's id. `panel`
    renders the part's summary on the overview from the gate's result (escaped HTML, ""
    for nothing to show); `nav_template` holds the app's entries in the main navigation.
    """

    key: str
    label: str | Promise
    url_name: str
    panel: Callable[[HttpRequest, FamilyAccess], str] | None = None
    nav_template: str = ""
    # What the panel reads as one value per family (a count, the latest date): expressions
    # on the family's row by name, given the request. The family page reads every section's
    # figures in one query (family_figures) instead of a query per panel. They may depend
    # on the date and the request's user only: they are built once per process, day and
    # user (family_figure_columns).
    figures: Callable[[HttpRequest], Mapping[str, Any]] | None = None
    # The same for each of the family's members (family_members), e.g. whether they have
    # a krachtenanalyse.
    member_figures: Callable[[], Mapping[str, Any]] | None = None
    # A part only those who may write in the file open (its tab is not shown to readers).
    writers_only: bool = False


@dataclass(frozen=True)
class PlanSlot:
    """What another app shows on the family plan page (reports: the plan's PDFs).

    `context(family, plan)` gives the names its templates use; `actions_template` renders
    among the plan's buttons, `template` under the plan's heading. Both render in the plan
    page's own context, so they see `family`, `plan` and the request.
    """

    context: Callable[[Family, FamilyPlan | None], dict[str, Any]]
    template: str = ""
    actions_template: str = ""


class ContactFormExtension(Protocol):
    """Fields another app adds to the contact form, and how they are kept.

    The contact services call `save` inside their transaction and `snapshot` for the
    revision's before and after; `values` are the extension's cleaned form fields, and
    `created` says the contact is new (nothing of the extension's is stored for it yet).
    """

    def add_fields(
        self, form: forms.BaseForm, *, family: Family, contact: Contact | None
    ) -> None: ...

    def field_names(self) -> tuple[str, ...]: ...

    def save(
        self, *, contact: Contact, values: Mapping[str, Any], created: bool = False
    ) -> None: ...

    def snapshot(self, contact: Contact) -> dict[str, Any]: ...


class AppointmentExtension(Protocol):
    """What another app adds to planned appointments (network: the network members
    expected, and recording a planned network meeting; reports: a planned case review).

    `add_fields`/`field_names`/`save` as for the contact form; `expected(appointment)` the
    names it adds to "who is expected"; `record_link(appointment)` the (label, url) of the
    page that records the meeting once it was held, or None. An optional `prefetch` tuple
    names the relations those read, for the agenda's lists to prefetch.
    """

    def add_fields(
        self, form: forms.BaseForm, *, family: Family, appointment: Appointment | None
    ) -> None: ...

    def field_names(self) -> tuple[str, ...]: ...

    def save(self, *, appointment: Appointment, values: Mapping[str, Any]) -> None: ...

    def expected(self, appointment: Appointment) -> list[str]: ...

    def record_link(self, appointment: Appointment) -> tuple[str, str] | None: ...


def count_per_family(queryset: Any) -> Any:
    """A figure: how many rows of `queryset` (filtered on family=OuterRef("pk")) there are."""
    from django.db.models import Count, Subquery
    from django.db.models.functions import Coalesce

    counted = queryset.order_by().values("family").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _overview_figures(request: HttpRequest) -> dict[str, Any]:
    """The contacts' totals (also the pager's count), the involved team members' names, and
    how many trajectories, coach changes, comments on contacts and legal measures of the
    children the file has (their lists are read only when there is something to show)."""
    from django.db.models import CharField, OuterRef, Subquery, Sum
    from django.db.models.functions import Coalesce

    from cases.aggregates import JoinedText, name_or_username
    from cases.models import CoachChange, Comment, Contact, Family, LegalMeasure, Trajectory

    minutes = (
        Contact.objects.filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    # Each involved colleague's full name, or username without one (as get_full_name|default).
    involved = (
        Family.involved.through.objects.filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(names=JoinedText(name_or_username("user")))
        .values("names")
    )
    return {
        "contact_minutes": Coalesce(Subquery(minutes), 0),
        "contact_count": count_per_family(Contact.objects.filter(family=OuterRef("pk"))),
        "trajectory_count": count_per_family(Trajectory.objects.filter(family=OuterRef("pk"))),
        "coach_change_count": count_per_family(CoachChange.objects.filter(family=OuterRef("pk"))),
        "involved_names": Subquery(involved, output_field=CharField()),
        "contact_comment_count": count_per_family(
            Comment.objects.filter(family=OuterRef("pk"), contact__isnull=False)
        ),
        "legal_measure_count": count_per_family(LegalMeasure.objects.filter(family=OuterRef("pk"))),
    }


# cases' own parts of the family file; the plan and the records each have their own tab.
overview = Section(key="overview", label=_("Overzicht"), url_name="cases:family_detail")
plan = Section(key="plan", label=_("Gezinsplan"), url_name="cases:plan_detail")
records = Section(key="records", label=_("Dossier en privacy"), url_name="cases:records")


@cache
def _load(setting: str) -> tuple[Any, ...]:
    return tuple(import_string(path) for path in getattr(settings, setting))


def family_sections() -> tuple[Section, ...]:
    """The family file's sections, in the order of settings.FAMILY_SECTIONS."""
    return _load("FAMILY_SECTIONS")


def plan_slots() -> tuple[PlanSlot, ...]:
    return _load("FAMILY_PLAN_SLOTS")


def contact_form_extensions() -> tuple[ContactFormExtension, ...]:
    return _load("CONTACT_FORM_EXTENSIONS")


def appointment_extensions() -> tuple[AppointmentExtension, ...]:
    return _load("APPOINTMENT_EXTENSIONS")


def caseload_attention(families: list[tuple[int, int]]) -> dict[int, tuple[str, ...]]:
    """The caseload review's attention flags ("overdue", "over_budget", "no_contact") for
    (family id, team id) pairs, from settings.CASELOAD_ATTENTION (the review's own rules,
    in reports); no setting or no families, no flags."""
    path = getattr(settings, "CASELOAD_ATTENTION", "")
    if not path or not families:
        return {}
    return import_string(path)(families, today=timezone.localdate())  # type: ignore[no-any-return]


def family_figure_columns(request: HttpRequest) -> dict[str, Any]:
    """The family page's own figures and every section's `figures`: expressions by name.

    Built once per process, day and user (cases.daycache: building the expressions is a
    real part of a page's time): the gate annotates the family with them and
    family_figures reads their names."""
    return dict(_figure_columns.get(getattr(request.user, "pk", None), request=request))


def _build_figure_columns(
    today: datetime.date, user_id: int | None, *, request: HttpRequest
) -> dict[str, Any]:
    columns = _overview_figures(request)
    for section in family_sections():
        if section.figures is not None:
            columns.update(section.figures(request))
    return columns


_figure_columns = DayCache(_build_figure_columns)


def family_figures(request: HttpRequest, family: Family) -> dict[str, Any]:
    """The values of family_figure_columns for the family, kept for the request: read with
    the family itself when the gate annotated it with them (the family page), else in one
    query."""
    kept = getattr(request, "_fk_family_figures", None)
    if kept is not None and kept[0] == family.pk:
        return kept[1]  # type: ignore[no-any-return]
    from cases.models import Family

    columns = family_figure_columns(request)
    if all(hasattr(family, name) for name in columns):
        row = {name: getattr(family, name) for name in columns}
    else:
        row = Family.objects.filter(pk=family.pk).values(**columns).get()
    request._fk_family_figures = (family.pk, row)  # type: ignore[attr-defined]
    return row


def kept_family_figures(request: HttpRequest) -> Mapping[str, Any]:
    """The family figures this request has read already (family_figures), else nothing:
    for what the page shows around the family (the navigation) to spare its own query."""
    kept = getattr(request, "_fk_family_figures", None)
    return kept[1] if kept is not None else {}


def _build_members(
    today: datetime.date, *, request: HttpRequest, columns: dict[str, Any]
) -> CompiledQuery[Any]:
    from cases.models import Member

    return CompiledQuery(Member.objects.filter(family_id=MARKER).annotate(**columns), family=MARKER)


# A family's members with the sections' member figures (the same for every user),
# compiled once per process and day.
_members = DayCache(_build_members)


def family_members(request: HttpRequest, family: Family) -> list[Any]:
    """The family's members (by birth date, as the model orders them), each with every
    section's `member_figures` as attributes: one query, kept for the request."""
    kept = getattr(request, "_fk_family_members", None)
    if kept is not None and kept[0] == family.pk:
        return kept[1]  # type: ignore[no-any-return]
    columns: dict[str, Any] = {}
    for section in family_sections():
        if section.member_figures is not None:
            columns.update(section.member_figures())
    members = _members.get(request=request, columns=columns).run(family=family.pk)
    for member in members:
        member.family = family  # as the family's related manager would have set it
    request._fk_family_members = (family.pk, members)  # type: ignore[attr-defined]
    return members


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    """Forget the loaded lists when a test overrides one of them."""
    if setting in (
        "FAMILY_SECTIONS",
        "FAMILY_PLAN_SLOTS",
        "CONTACT_FORM_EXTENSIONS",
        "APPOINTMENT_EXTENSIONS",
    ):
        _load.cache_clear()
