"""The team's caseload for the psychologist and coordinator, built from a few aggregate queries.

`caseload_rows` runs one query for every active family of the team: its open phase (a join),
the contact minutes in that phase and in the last 4 weeks, the last contact, the extra hours,
open reminders and the next case review (indexed subqueries), read as plain tuples. The flags
("attention first") are SQL annotations (`caseload_queryset`, with the phase rules of
phases.budget.with_phase_flags): the rows read them, the page filters and sorts on them, and
nothing recomputes them in Python. Every sort, the domain trend's too (`with_severity_trend`),
and every filter runs in the database, which returns one page of rows. Only the rows on the
page then get their full phase figures (phases.budget.phase_figures_for) and domain trend
(`fill_page`), so the page costs a fixed number of queries and little per family.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    Greatest,
    Least,
    Lower,
    NullIf,
    Trim,
)
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from cases.models import (
    TEAM_WIDE_ROLES,
    Family,
    FamilyStatus,
    Team,
    overdue_tasks_count,
)
from phases.budget import (
    DaysBetween,
    Figures,
    as_bool,
    hours_from_minutes,
    phase_figures_for,
    with_phase_flags,
)
from phases.models import (
    PHASE_ORDER,
    AftercareCheckin,
    ClosingOutcome,
    Reminder,
    Step,
    Transition,
    TransitionStatus,
)
from phases.reminders import phase_setting
from reports.figures import live_trend, stored_or_live, stored_or_live_trend
from reports.measures import measure_ending_flag
from reports.models import FamilyFigures
from reports.reviews import latest_review, report_setting, review_overdue_q
from reports.supervision.flags import with_sucked_in_flag
from strengths.models import PERSPECTIVE_PREFERENCE, DomainScore

ZERO = Decimal(0)
TENTH = Decimal("0.1")


@contextmanager
def without_jit() -> Iterator[None]:
    """Run the caseload queries in a transaction with PostgreSQL's JIT compiler off.

    The page query's estimated cost grows with the number of families (a dozen correlated
    subqueries per row), and from about a thousand families it passes `jit_above_cost`: the
    JIT then spends ~60 ms compiling a query that runs in ~20 ms. SET LOCAL ends with the
    transaction, so nothing else is affected.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def caseload_teams(user, *, roles: Iterable[str] = TEAM_WIDE_ROLES) -> list[Team]:  # type: ignore[no-untyped-def]
    """Teams in which the user has one of `roles` (psychologist or coordinator), by name."""
    return list(
        Team.objects.filter(memberships__user=user, memberships__role__in=list(roles)).order_by(
            "name", "pk"
        )
    )


@dataclass(slots=True)
class Row:
    family_id: int
    name: str
    case_number: str
    coach_id: int | None
    coach_name: str
    safety_flag: bool
    last_contact: datetime.date | None
    open_reminders: int
    next_review: datetime.date | None
    minutes_4w: int
    phase: str | None = None
    day: int = 0
    planned_days: int = 0
    days_late: int = 0
    used_hours: Decimal = ZERO
    budget_max: Decimal = ZERO
    band_min: Decimal = ZERO
    band_max: Decimal = ZERO
    hours_per_week_4: Decimal = ZERO
    # The flags, read from the annotations of caseload_queryset (never computed here).
    overdue: bool = False
    over_budget: bool = False
    under_band: bool = False
    above_band: bool = False
    no_recent_contact: bool = False
    review_due: bool = False
    # The planned review's date has passed without a record (reports.reviews).
    review_overdue: bool = False
    budget_issue: bool = False
    needs_attention: bool = False
    # Open tasks past their due date (cases' Task.objects.overdue rule, in SQL).
    overdue_tasks: int = 0
    tasks_overdue: bool = False
    # A child's legal measure ends within four weeks (reports.measures).
    measure_ending: bool = False
    # Long in execution or above the band, not discussed lately (reports.supervision.flags).
    sucked_in: bool = False
    # Filled for the rows on the page only (fill_page), or for all when sorting by trend.
    figures: Figures | None = None
    # Mean severity (1 acute … 5 good) at the latest moment minus the first; None with one.
    trend: Decimal | None = None

    @property
    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase) if self.phase else len(PHASE_ORDER)

    @property
    def used_share(self) -> int:
        return int(self.used_hours * 100 / self.budget_max) if self.budget_max > 0 else 0

    @property
    def attention(self) -> tuple[int, int, int, int]:
        """Sort key parts, most urgent first (DOMAIN.md: what the psychologist looks for);
        the same columns as ATTENTION_ORDER."""
        return (
            int(self.safety_flag),
            int(self.overdue),
            int(self.budget_issue),
            int(self.no_recent_contact),
        )

    @property
    def flags(self) -> tuple[str, ...]:
        return _flags(self)


FLAGS = (
    "safety",
    "overdue",
    "over_budget",
    "under_band",
    "above_band",
    "no_contact",
    "review_due",
    "tasks_overdue",
    "measure_ending",
    "sucked_in",
)


def _flags(row: Row) -> tuple[str, ...]:
    checks = (
        row.safety_flag,
        row.overdue,
        row.over_budget,
        row.under_band,
        row.above_band,
        row.no_recent_contact,
        row.review_due,
        row.tasks_overdue,
        row.measure_ending,
        row.sucked_in,
    )
    return tuple(name for name, on in zip(FLAGS, checks, strict=True) if on)


def _severity_trends(family_ids: list[int]) -> dict[int, Decimal]:
    """{family_id: latest mean severity − first}, each moment in its preferred perspective."""
    sheets = (
        DomainScore.objects.filter(sheet__moment__family_id__in=family_ids)
        .values(
            "sheet__moment__family_id",
            "sheet__moment__date",
            "sheet__moment_id",
            "sheet__perspective",
        )
        .annotate(mean=Avg("severity"))
        .order_by()
    )
    rank = {p: i for i, p in enumerate(PERSPECTIVE_PREFERENCE)}
    # family → moment (date, id) → (perspective rank, mean)
    moments: dict[int, dict[tuple[datetime.date, int], tuple[int, Decimal]]] = defaultdict(dict)
    for s in sheets:
        key = (s["sheet__moment__date"], s["sheet__moment_id"])
        candidate = (rank.get(s["sheet__perspective"], 99), Decimal(str(s["mean"])))
        per_family = moments[s["sheet__moment__family_id"]]
        if key not in per_family or candidate[0] < per_family[key][0]:
            per_family[key] = candidate
    trends = {}
    for family_id, per_moment in moments.items():
        if len(per_moment) < 2:
            continue
        ordered = [per_moment[k][1] for k in sorted(per_moment)]
        trends[family_id] = (ordered[-1] - ordered[0]).quantize(TENTH)
    return trends


def with_severity_trend(qs: QuerySet[Family], *, stored: bool = True) -> QuerySet[Family]:
    """The domain trend of `_severity_trends` as a SQL annotation `trend` on families.

    Per moment, the mean severity of its most preferred perspective (PERSPECTIVE_PREFERENCE,
    then the sheet's id) among the sheets that hold scores; the family's trend is the latest
    moment's mean minus the first one's (by date, then id), empty with fewer than two
    scored moments (reports.figures.live_trend). Read from the family's figures row where
    it holds the trend, else computed by the subqueries (`stored=False`: always computed).
    Unrounded: it is the sort key of ?sort=trend; the page shows the rounded value from
    `_severity_trends`.
    """
    return qs.annotate(trend=stored_or_live_trend() if stored else live_trend())


def _base_queryset(families: QuerySet[Family], *, today: datetime.date) -> QuerySet[Family]:
    """These families with their open phase joined and per-family figures from
    indexed subqueries (no row per contact). The contact sums (last contact, minutes in
    the open phase and in the last 4 weeks) and the phase's relapse hours are read from
    reports.FamilyFigures where its row holds for today and the open phase, else summed
    live (reports.figures)."""
    # A reminder goes to each recipient; count each reminder once, however many got it.
    open_reminders = (
        Reminder.objects.filter(family=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("family")
        .annotate(
            n=Count(Concat("kind", Value(":"), "subject", output_field=CharField()), distinct=True)
        )
        .values("n")
    )
    return (
        families
        # At most one open phase per family (a unique constraint), so the join adds no rows.
        .annotate(
            open_phase=FilteredRelation(
                "phase_episodes", condition=Q(phase_episodes__ended_on__isnull=True)
            )
        ).annotate(
            **stored_or_live(today, phase="open_phase__"),
            open_reminders=Coalesce(Subquery(open_reminders, output_field=IntegerField()), 0),
            next_review=latest_review("next_review_on"),
            overdue_tasks=Coalesce(overdue_tasks_count(), 0),
        )
    )


COLUMNS = (
    "pk",
    "display_name",
    "case_number",
    "coach_id",
    "safety_flag",
    "last_contact",
    "open_reminders",
    "next_review",
    "minutes_4w",
    "open_phase__kind",
    "open_phase__started_on",
    "phase_end",
    "open_phase__weeks_max",
    "open_phase__hours_min",
    "open_phase__hours_max",
    "used_minutes",
    "extra",
    # The flags (caseload_queryset), in the order rows_from reads them.
    "is_overdue",
    "is_over_budget",
    "is_under_band",
    "is_above_band",
    "is_no_contact",
    "is_review_due",
    "is_budget_issue",
    "needs_attention",
    "overdue_tasks",
    "extension_hours",
    "is_measure_ending",
    "is_sucked_in",
    "is_review_overdue",
)


def coach_names(team: Team) -> dict[int, str]:
    """{user id: name} of the coaches of the team's families: one small query.

    A user is a coach of the team when one active family of the team is theirs: an index
    probe per user (EXISTS), not a join with every family and a DISTINCT over the result,
    which grew with the team."""
    coaches = Family.objects.filter(coach=OuterRef("pk"), team=team, status=FamilyStatus.ACTIVE)
    return {
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in get_user_model()
        .objects.filter(Exists(coaches))
        .values_list("pk", "first_name", "last_name", "username")
    }


def rows_from(values: Iterable[tuple], *, names: dict[int, str], today: datetime.date) -> list[Row]:
    """Rows from COLUMNS tuples of caseload_queryset; the flags are its annotations."""
    rows = []
    for (
        pk,
        name,
        number,
        coach_id,
        safety,
        contact,
        reminders,
        review,
        minutes_4w,
        phase,
        started,
        planned_end,
        weeks_max,
        hours_min,
        hours_max,
        used_minutes,
        extra,
        overdue,
        over_budget,
        under_band,
        above_band,
        no_contact,
        review_due,
        budget_issue,
        attention,
        overdue_tasks,
        extension_hours,
        measure_ending,
        sucked_in,
        review_overdue,
        *_rest,
    ) in values:
        row = Row(
            family_id=pk,
            name=name,
            case_number=number,
            coach_id=coach_id,
            coach_name=names.get(coach_id, "") if coach_id else "",
            safety_flag=safety,
            last_contact=contact,
            open_reminders=reminders,
            next_review=review,
            minutes_4w=minutes_4w,
            hours_per_week_4=hours_from_minutes(minutes_4w) / 4,
            overdue=overdue,
            over_budget=over_budget,
            under_band=under_band,
            above_band=above_band,
            no_recent_contact=no_contact,
            review_due=review_due,
            review_overdue=review_overdue,
            budget_issue=budget_issue,
            needs_attention=attention,
            overdue_tasks=overdue_tasks,
            tasks_overdue=overdue_tasks > 0,
            measure_ending=measure_ending,
            sucked_in=sucked_in,
        )
        if phase is not None:
            row.phase = phase
            row.day = (today - started).days + 1
            row.planned_days = (planned_end - started).days
            row.days_late = max((today - planned_end).days, 0)
            row.used_hours = hours_from_minutes(used_minutes)
            row.budget_max = weeks_max * hours_max + extra + (extension_hours or ZERO)
            row.band_min = hours_min
            row.band_max = hours_max
        rows.append(row)
    return rows


def caseload_rows(team: Team, *, today: datetime.date) -> list[Row]:
    """Every active family of the team as a light row, unsorted (coach load, tests)."""
    values = caseload_queryset(team, today=today).order_by().values_list(*COLUMNS)
    return rows_from(values, names=coach_names(team), today=today)


# --- The flags and sort keys in SQL: the one source of the flags ---


def caseload_queryset(team: Team, *, today: datetime.date) -> QuerySet[Family]:
    """The team's active families with the attention flags and sort keys as annotations:
    the flags stored for today where the family's figures hold them, else computed
    (`with_stored_flags`). Rows, filters, sorts and the coach load read these columns."""
    families = Family.objects.filter(team=team, status=FamilyStatus.ACTIVE)
    return with_stored_flags(live_flags_queryset(families, today=today), today=today)


def live_flags_queryset(families: QuerySet[Family], *, today: datetime.date) -> QuerySet[Family]:
    """These families with the attention flags and sort keys computed as annotations.

    The phase flags come from phases.budget.with_phase_flags (the same rules as the family's
    phase figures); contact and review flags from the settings. The one place the flags
    are written: the caseload reads them stored (`with_stored_flags`), and the stored bits
    are computed by this queryset (`refresh_flags`).
    """
    no_contact_since = today - datetime.timedelta(days=phase_setting("NO_CONTACT_DAYS"))
    review_until = today + datetime.timedelta(days=report_setting("CASE_REVIEW_LEAD_DAYS"))
    threshold = Decimal(report_setting("INTENSIVE_HOURS_PER_WEEK"))
    # Intensive (`is_intensive`): the week's hours above the threshold or above the phase's
    # band (as is_above_band), in one comparison with the lower of the two, so the database
    # sums the 4 weeks' minutes once for it. week_hours is with_phase_flags' (rounded as
    # hours_from_minutes); without a phase only the threshold counts.
    intensive_limit = Least(
        Coalesce(F("open_phase__hours_max"), Value(threshold), output_field=DecimalField()),
        Value(threshold),
        output_field=DecimalField(),
    )
    queryset = (
        with_phase_flags(_base_queryset(families, today=today), today=today, phase="open_phase__")
        .annotate(
            # `phase_end`: the planned end as agreed (with_phase_flags; an extension moves it).
            planned_days=DaysBetween(F("phase_end"), F("open_phase__started_on")),
            days_late=DaysBetween(Value(today, output_field=DateField()), F("phase_end")),
        )
        .annotate(
            late=Coalesce(Greatest(F("days_late"), Value(0)), Value(0)),
            last_contact_or_never=Coalesce(
                F("last_contact"), Value(datetime.date.min), output_field=DateField()
            ),
        )
        .annotate(
            is_no_contact=as_bool(
                # Never contacted counts as longest ago; one comparison, so the database
                # reads the last contact once for it (an OR would read it twice).
                Q(last_contact_or_never__lte=no_contact_since)
            ),
            is_review_due=as_bool(Q(next_review__lte=review_until)),
            is_measure_ending=measure_ending_flag(today=today),
            # Planned and past its date without a record: late, not planned (reports.reviews).
            is_review_overdue=as_bool(review_overdue_q(today)),
            has_overdue_tasks=as_bool(Q(overdue_tasks__gt=0)),
            is_intensive=as_bool(Q(week_hours__gt=intensive_limit)),
        )
        .annotate(
            is_budget_issue=as_bool(Q(is_over_budget=True) | Q(is_under_band=True)),
            needs_attention=as_bool(
                Q(safety_flag=True)
                | Q(is_overdue=True)
                | Q(is_over_budget=True)
                | Q(is_under_band=True)
                | Q(is_no_contact=True)
                | Q(is_review_due=True)
                | Q(has_overdue_tasks=True)
                | Q(is_measure_ending=True)
            ),
        )
    )
    # The "ingezogen" check: about the coach's supervision, so not part of needs_attention.
    return with_sucked_in_flag(queryset, today=today)


# The flags reports.FamilyFigures keeps, a bit each in its `flags` column. Append only: a
# reordering or a changed rule holds for stored rows from the next refresh on (`manage.py
# refresh_family_figures` at once).
STORED_FLAGS = (
    "is_overdue",
    "is_over_budget",
    "is_under_band",
    "is_above_band",
    "is_no_contact",
    "is_review_due",
    "is_budget_issue",
    "needs_attention",
    "has_overdue_tasks",
    "is_measure_ending",
    "is_sucked_in",
    "is_review_overdue",
    "is_intensive",
)
FLAG_BITS = {name: 1 << i for i, name in enumerate(STORED_FLAGS)}


def with_stored_flags(qs: QuerySet[Family], *, today: datetime.date) -> QuerySet[Family]:
    """Each stored flag of `live_flags_queryset` (and `late`) replaced by its stored bit
    where the family's figures row holds them for `today`, the computed one otherwise.

    With the rows stored, sorting and filtering the whole team costs a bit test per family
    instead of its phase rules and subqueries, which then run only for the rows a page
    shows. The replaced annotation stays as the fallback (an annotation given again under
    its name takes the earlier expression for F(name))."""
    held = Q(figures__flags_as_of=today)
    stored: dict[str, Any] = {
        name: Case(
            When(held, then=GreaterThan(F("figures__flags").bitand(bit), 0)),
            default=F(name),
            output_field=BooleanField(),
        )
        for name, bit in FLAG_BITS.items()
    }
    stored["late"] = Case(
        When(held, then=F("figures__late")), default=F("late"), output_field=IntegerField()
    )
    return qs.annotate(**stored)


def refresh_flags(
    family_ids: Iterable[int] | None = None,
    *,
    today: datetime.date | None = None,
    stale_only: bool = False,
) -> int:
    """Compute and store the flags of these active families (None: all; `stale_only`: those
    whose stored flags do not hold for today) in one UPDATE ... FROM statement; a family
    without a figures row is left to the live expressions. Returns the rows written.

    A row is written only if its `flags_version` is still the one the SELECT read: a write
    that emptied the flags while the statement ran (and so is not in what it computed) has
    counted the version up, and PostgreSQL checks the condition again on the row as that
    write left it, so the row stays empty (read live) instead of holding old flags."""
    today = today or timezone.localdate()
    families = Family.objects.filter(status=FamilyStatus.ACTIVE)
    if family_ids is not None:
        families = families.filter(pk__in=sorted({int(pk) for pk in family_ids}))
    if stale_only:
        families = families.filter(
            Q(figures__flags_as_of__isnull=True) | ~Q(figures__flags_as_of=today)
        )
    bits = sum(
        (
            Case(When(**{name: True}, then=Value(bit)), default=Value(0))
            for name, bit in FLAG_BITS.items()
        ),
        start=Value(0),
    )
    live = (
        live_flags_queryset(families, today=today)
        .order_by()
        .annotate(flag_bits=bits, late_days=F("late"), read_version=F("figures__flags_version"))
        .values("id", "flag_bits", "late_days", "read_version")
    )
    select, params = live.query.sql_with_params()
    table = FamilyFigures._meta.db_table
    # The table name from the model and the SELECT from the ORM: no input in the text.
    sql = (
        f"UPDATE {table} SET flags = s.flag_bits, late = s.late_days, flags_as_of = %s "  # noqa: S608
        f"FROM ({select}) s WHERE {table}.family_id = s.id"
        f" AND {table}.flags_version = s.read_version"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, *params])
        return cursor.rowcount


_PHASE_RANK = Case(
    *[When(open_phase__kind=kind, then=Value(i)) for i, kind in enumerate(PHASE_ORDER)],
    default=None,
    output_field=IntegerField(),
)

# Whitelisted sort keys: ?sort=key or ?sort=-key; each maps to database expressions.
SQL_SORTS: dict[str, list] = {
    "name": [Lower("display_name")],
    # Empty for families without a coach, so they come last (as in SORT_KEYS).
    "coach": [
        NullIf(Lower(Trim(Concat("coach__first_name", Value(" "), "coach__last_name"))), Value(""))
    ],
    "phase": [_PHASE_RANK],
    "day": [
        Case(
            When(planned_days__gt=0, then=Cast("day", FloatField()) / F("planned_days")),
            default=None,
            output_field=FloatField(),
        )
    ],
    "hours": [
        Case(
            When(budget__gt=0, then=F("used_hours") / F("budget")),
            default=None,
            output_field=FloatField(),
        )
    ],
    "week": [F("minutes_4w")],
    "contact": [F("last_contact")],
    "safety": [F("safety_flag")],
    # Annotated only when asked for (with_severity_trend): the stored trend where the
    # family's figures row holds it, else the scores' subqueries.
    "trend": [F("trend")],
    "reminders": [F("open_reminders")],
    "review": [F("next_review")],
}
ATTENTION_ORDER = [
    F("safety_flag").desc(),
    F("is_overdue").desc(),
    F("is_budget_issue").desc(),
    F("is_no_contact").desc(),
    F("late").desc(),
    F("last_contact").asc(nulls_first=True),
    Lower("display_name").asc(),
    F("pk").asc(),
]


def order_queryset(qs: QuerySet[Family], sort: str) -> tuple[QuerySet[Family], str]:
    """Order by a whitelisted key; anything else is attention first. Name breaks ties."""
    key = sort.removeprefix("-")
    if key not in SQL_SORTS:
        return qs.order_by(*ATTENTION_ORDER), DEFAULT_SORT
    descending = sort.startswith("-")
    if key == "trend":
        qs = with_severity_trend(qs)
    # Empty values (no phase, no review) come last either way.
    terms = [
        e.desc(nulls_last=True)
        if descending
        # Never contacted counts as longest ago.
        else (e.asc(nulls_first=True) if key == "contact" else e.asc(nulls_last=True))
        for e in SQL_SORTS[key]
    ]
    return qs.order_by(*terms, Lower("display_name").asc(), F("pk").asc()), sort


SQL_FLAGS = {
    "safety": Q(safety_flag=True),
    "overdue": Q(is_overdue=True),
    "over_budget": Q(is_over_budget=True),
    "under_band": Q(is_under_band=True),
    "above_band": Q(is_above_band=True),
    "no_contact": Q(is_no_contact=True),
    "review_due": Q(is_review_due=True),
    "tasks_overdue": Q(has_overdue_tasks=True),
    "measure_ending": Q(is_measure_ending=True),
    "sucked_in": Q(is_sucked_in=True),
    "attention": Q(needs_attention=True),
}


def filter_queryset(
    qs: QuerySet[Family], *, coach: int | None = None, phase: str = "", flag: str = ""
) -> QuerySet[Family]:
    if coach is not None:
        qs = qs.filter(coach_id=coach)
    if phase == "none":
        qs = qs.filter(open_phase__kind__isnull=True)
    elif phase:
        qs = qs.filter(open_phase__kind=phase)
    if flag in SQL_FLAGS:
        qs = qs.filter(SQL_FLAGS[flag])
    return qs


def counted_page(
    qs: QuerySet[Family], *, columns: Iterable[str], number: str | None, per_page: int
) -> Page:
    """The page `number` of `qs` as `columns` tuples (`columns` starts with "pk").

    Two queries, whatever the team's size. The first sorts and filters the families and
    returns only the page's ids: the sort keys and filters are stored flags, so it costs a
    column per family, where selecting every column would compute the page's figures for
    every family. On the first page, the one everyone opens, it also counts the rows (a
    window over the filtered rows), so they are filtered once; any other page is
    Paginator.get_page's (a count, then the page; past the end the last page). As there,
    a page number that is not a number is the first page. The second query reads the
    columns of those ids only."""
    columns = tuple(columns)
    if columns[0] != "pk":
        raise ValueError("counted_page reads rows by their pk: the columns start with it")
    try:
        wanted = int(number or 1)
    except ValueError:
        wanted = 1
    if wanted != 1:
        page = Paginator(qs.values_list("pk", flat=True), per_page).get_page(wanted)
        ids = list(page.object_list)
    else:
        found = list(qs.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[:per_page])
        paginator = Paginator(qs.none(), per_page)
        paginator.count = found[0][1] if found else 0
        page = paginator.page(1)
        ids = [pk for pk, _total in found]
    by_pk = (
        {row[0]: row for row in qs.order_by().filter(pk__in=ids).values_list(*columns)}
        if ids
        else {}
    )
    # A family that left the list between the two queries is left out.
    page.object_list = [by_pk[pk] for pk in ids if pk in by_pk]
    return page


def fill_page(rows: Iterable[Row], *, today: datetime.date, with_trend: bool = True) -> None:
    """Full phase figures and the domain trend for these rows (the page): two queries."""
    rows = list(rows)
    ids = [r.family_id for r in rows]
    figures = phase_figures_for(ids, today=today)
    trends = _severity_trends(ids) if with_trend else {}
    for row in rows:
        row.figures = figures.get(row.family_id)
        if with_trend:
            row.trend = trends.get(row.family_id)


# Sort keys (?sort=key or ?sort=-key) over rows; None means "empty": last either way, as in
# SQL_SORTS. Never contacted counts as longest ago.
SORT_KEYS = {
    "name": lambda r: r.name.lower(),
    "coach": lambda r: r.coach_name.lower() or None,
    "phase": lambda r: PHASE_ORDER.index(r.phase) if r.phase else None,
    "day": lambda r: r.day / r.planned_days if r.phase and r.planned_days > 0 else None,
    "hours": lambda r: r.used_hours / r.budget_max if r.phase and r.budget_max > 0 else None,
    "week": lambda r: r.minutes_4w,
    "contact": lambda r: r.last_contact or datetime.date.min,
    "safety": lambda r: r.safety_flag,
    "trend": lambda r: r.trend,
    "reminders": lambda r: r.open_reminders,
    "review": lambda r: r.next_review,
}
DEFAULT_SORT = "attention"


def sort_rows(rows: list[Row], sort: str) -> tuple[list[Row], str]:
    """Sort by a whitelisted key (a leading "-" for descending); unknown keys fall back to
    attention first. Returns the rows and the sort actually used."""
    key = sort.removeprefix("-")
    # Name (then id) as the tie-breaker, so pages do not shuffle between requests.
    rows = sorted(rows, key=lambda r: (r.name.lower(), r.family_id))
    if key in SORT_KEYS:
        value = SORT_KEYS[key]
        present = [r for r in rows if value(r) is not None]
        empty = [r for r in rows if value(r) is None]
        return sorted(present, key=value, reverse=sort.startswith("-")) + empty, sort
    return (
        sorted(
            rows,
            key=lambda r: (
                tuple(-a for a in r.attention),
                -r.days_late,
                r.last_contact or datetime.date.min,
            ),
        ),
        DEFAULT_SORT,
    )


def filter_rows(
    rows: list[Row], *, coach: int | None = None, phase: str = "", flag: str = ""
) -> list[Row]:
    if coach is not None:
        rows = [r for r in rows if r.coach_id == coach]
    if phase == "none":
        rows = [r for r in rows if r.phase is None]
    elif phase:
        rows = [r for r in rows if r.phase == phase]
    if flag == "attention":
        rows = [r for r in rows if r.needs_attention]
    elif flag:
        rows = [r for r in rows if flag in r.flags]
    return rows


@dataclass(frozen=True)
class CoachLoad:
    coach_id: int | None
    coach_name: str
    families: int
    hours_per_week: Decimal
    intensive: int
    overdue: int
    no_contact: int
    # The "ingezogen" check's families and the coach's last supervision session
    # (reports.supervision.flags, reports.supervision.views.with_last_supervision).
    sucked_in: int = 0
    last_supervision: Any = None

    @property
    def intensive_share(self) -> int:
        return int(self.intensive * 100 / self.families) if self.families else 0


def is_intensive(row: Row) -> bool:
    """Intensive case: over the last 4 weeks more hours per week than the phase band's top,
    or more than REPORTS["INTENSIVE_HOURS_PER_WEEK"] (DOMAIN.md: coaches "sucked in")."""
    threshold = Decimal(report_setting("INTENSIVE_HOURS_PER_WEEK"))
    return row.hours_per_week_4 > threshold or row.above_band


# What the coach load counts per coach, and the flag each count reads.
COACH_LOAD_COUNTS = {
    "n_intensive": "is_intensive",
    "n_overdue": "is_overdue",
    "n_no_contact": "is_no_contact",
    "n_sucked_in": "is_sucked_in",
}


def coach_loads(team: Team, *, today: datetime.date) -> list[CoachLoad]:
    """`coach_load` of the team's active families, summed per coach in the database.

    A GROUP BY per coach, so only a row per coach reaches Python, not one per family. It
    counts the families and their 4 weeks' minutes, and the flags of the families whose
    flags are stored for today (reports.FamilyFigures) from their bits, which needs neither
    their open phase nor its rules. Only when some family's flags are not stored (a write
    since the last refresh) does a second GROUP BY count theirs with caseload_queryset's
    flags, the same rules as the caseload. Intensive as in `is_intensive`: the 4 weeks'
    hours (rounded half up to a tenth, as hours_from_minutes) over 4 above the threshold,
    or above the phase's band.
    """
    held = Q(figures__flags_as_of=today)
    stored_counts = {
        count: Count(
            "pk", filter=held & Q(GreaterThan(F("figures__flags").bitand(FLAG_BITS[flag]), 0))
        )
        for count, flag in COACH_LOAD_COUNTS.items()
    }
    per_coach: dict[int | None, list[int]] = {}
    stale = 0
    for coach_id, n, n_held, minutes, *flags in (
        Family.objects.filter(team=team, status=FamilyStatus.ACTIVE)
        .annotate(minutes_4w=stored_or_live(today)["minutes_4w"])
        .order_by()
        .values("coach_id")
        .annotate(
            n=Count("pk"),
            n_held=Count("pk", filter=held),
            minutes=Sum("minutes_4w"),
            **stored_counts,
        )
        .values_list("coach_id", "n", "n_held", "minutes", *COACH_LOAD_COUNTS)
    ):
        per_coach[coach_id] = [n, minutes or 0, *flags]
        stale += n - n_held
    if stale:
        live_counts = {
            count: Count("pk", filter=Q(**{flag: True}))
            for count, flag in COACH_LOAD_COUNTS.items()
        }
        for coach_id, *flags in (
            caseload_queryset(team, today=today)
            .exclude(held)
            .order_by()
            .values("coach_id")
            .annotate(**live_counts)
            .values_list("coach_id", *COACH_LOAD_COUNTS)
        ):
            totals = per_coach[coach_id]
            totals[2:] = [a + b for a, b in zip(totals[2:], flags, strict=True)]
    names = coach_names(team)
    loads = [
        CoachLoad(
            coach_id=coach_id,
            coach_name=names.get(coach_id, "") if coach_id else "",
            families=n,
            hours_per_week=(hours_from_minutes(minutes) / 4).quantize(Decimal("0.1")),
            intensive=n_intensive,
            overdue=n_overdue,
            no_contact=n_no_contact,
            sucked_in=n_sucked_in,
        )
        for coach_id, (n, minutes, n_intensive, n_overdue, n_no_contact, n_sucked_in) in (
            per_coach.items()
        )
    ]
    return sorted(loads, key=lambda c: (-c.hours_per_week, c.coach_name))


def coach_load(rows: list[Row]) -> list[CoachLoad]:
    """Per coach of these families: families, hours per week (last 4 weeks), intensive cases.

    Most hours per week first, so overload stands at the top."""
    by_coach: dict[int | None, list[Row]] = defaultdict(list)
    for row in rows:
        by_coach[row.coach_id].append(row)
    loads = [
        CoachLoad(
            coach_id=coach_id,
            coach_name=items[0].coach_name,
            families=len(items),
            hours_per_week=(hours_from_minutes(sum(r.minutes_4w for r in items)) / 4).quantize(
                Decimal("0.1")
            ),
            intensive=sum(1 for r in items if is_intensive(r)),
            overdue=sum(1 for r in items if r.overdue),
            no_contact=sum(1 for r in items if r.no_recent_contact),
            sucked_in=sum(1 for r in items if r.sucked_in),
        )
        for coach_id, items in by_coach.items()
    ]
    return sorted(loads, key=lambda c: (-c.hours_per_week, c.coach_name))


# --- Aftercare: the families whose trajectory closed into aftercare ---


@dataclass(frozen=True)
class AftercareRow:
    family_id: int
    name: str
    case_number: str
    coach_name: str
    closed_on: datetime.date | None
    outcome: str  # the closing's outcome, as its label
    next_checkin: datetime.date | None  # planned, not held
    last_held: datetime.date | None
    checkin_late: bool  # the next check-in's date has passed


def aftercare_queryset(team: Team) -> QuerySet[Family]:
    """The team's families in aftercare with their closing and check-ins (indexed
    subqueries), the next check-in first; families without a planned one come last."""
    checkins = AftercareCheckin.objects.filter(family=OuterRef("pk")).order_by()
    closing = Transition.objects.filter(
        family=OuterRef("pk"), to_step=Step.CLOSED, status=TransitionStatus.APPLIED
    ).order_by("-effective_on", "-pk")
    return (
        Family.objects.filter(team=team, status=FamilyStatus.AFTERCARE)
        .annotate(
            next_checkin=Subquery(
                checkins.filter(held_on__isnull=True)
                .order_by("planned_on")
                .values("planned_on")[:1]
            ),
            last_held=Subquery(
                checkins.filter(held_on__isnull=False).order_by("-held_on").values("held_on")[:1]
            ),
            closed_on=Subquery(closing.values("effective_on")[:1]),
            outcome=Subquery(closing.values("closing_outcome")[:1]),
        )
        .order_by(
            F("next_checkin").asc(nulls_last=True), Lower("display_name").asc(), F("pk").asc()
        )
    )


AFTERCARE_COLUMNS = (
    "pk",
    "display_name",
    "case_number",
    "coach__first_name",
    "coach__last_name",
    "coach__username",
    "closed_on",
    "outcome",
    "next_checkin",
    "last_held",
)


def aftercare_rows(values: Iterable[tuple], *, today: datetime.date) -> list[AftercareRow]:
    """Rows from AFTERCARE_COLUMNS tuples of aftercare_queryset."""
    labels = dict(ClosingOutcome.choices)
    rows = []
    for pk, name, number, first, last, username, closed, outcome, next_on, held in values:
        coach = f"{first or ''} {last or ''}".strip() or (username or "")
        rows.append(
            AftercareRow(
                family_id=pk,
                name=name,
                case_number=number,
                coach_name=coach,
                closed_on=closed,
                outcome=str(labels.get(outcome, "")) if outcome else "",
                next_checkin=next_on,
                last_held=held,
                checkin_late=next_on is not None and next_on < today,
            )
        )
    return rows
