"""The team's caseload for the psychologist and coordinator, built from a few aggregate queries.

`caseload_rows` runs a fixed number of queries however many families the team has: the
families with their last contact, open reminders and next case review (one query), their
phase figures (phases.budget.phase_figures_for, one query) and the domain severity at the
first and latest moment (one query). Filtering and sorting happen in Python over light
rows; a thousand families take a few milliseconds.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    CharField,
    Count,
    DateField,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Concat

from cases.models import TEAM_WIDE_ROLES, Contact, Family, FamilyStatus, Team
from phases.budget import Figures, hours_from_minutes, phase_figures_for
from phases.models import PHASE_ORDER, Reminder
from phases.reminders import phase_setting
from reports.reviews import latest_review, report_setting
from strengths.models import PERSPECTIVE_PREFERENCE, DomainScore


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
    figures: Figures | None = None
    # Mean severity (1 acute … 5 good) at the latest moment minus the first; None with one.
    trend: Decimal | None = None
    no_recent_contact: bool = False
    review_due: bool = False
    flags: list[str] = field(default_factory=list)

    @property
    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.figures.kind) if self.figures else len(PHASE_ORDER)

    @property
    def hours_per_week_4(self) -> Decimal:
        return (hours_from_minutes(self.minutes_4w) / 4).quantize(Decimal("0.1"))

    @property
    def overdue(self) -> bool:
        return bool(self.figures and self.figures.overdue)

    @property
    def over_budget(self) -> bool:
        return bool(self.figures and self.figures.over_budget)

    @property
    def under_band(self) -> bool:
        return bool(self.figures and self.figures.under_band)

    @property
    def above_band(self) -> bool:
        return bool(self.figures and self.hours_per_week_4 > self.figures.band_max)

    @property
    def attention(self) -> tuple[int, int, int, int]:
        """Sort key parts, most urgent first (DOMAIN.md: what the psychologist looks for)."""
        return (
            int(self.safety_flag),
            int(self.overdue),
            int(self.over_budget or self.under_band),
            int(self.no_recent_contact),
        )

    @property
    def needs_attention(self) -> bool:
        return any(self.attention) or self.review_due


FLAGS = ("safety", "overdue", "over_budget", "under_band", "above_band", "no_contact", "review_due")


def _flags(row: Row) -> list[str]:
    checks = {
        "safety": row.safety_flag,
        "overdue": row.overdue,
        "over_budget": row.over_budget,
        "under_band": row.under_band,
        "above_band": row.above_band,
        "no_contact": row.no_recent_contact,
        "review_due": row.review_due,
    }
    return [name for name in FLAGS if checks[name]]


def _severity_trends(families) -> dict[int, Decimal]:  # type: ignore[no-untyped-def]
    """{family_id: latest mean severity − first}, each moment in its preferred perspective."""
    sheets = (
        DomainScore.objects.filter(sheet__moment__family__in=families)
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
        trends[family_id] = (ordered[-1] - ordered[0]).quantize(Decimal("0.1"))
    return trends


def caseload_rows(team: Team, *, today: datetime.date) -> list[Row]:
    """Every active family of the team as a light row, unsorted."""
    families = Family.objects.filter(team=team, status=FamilyStatus.ACTIVE)
    four_weeks_ago = today - datetime.timedelta(days=27)
    last_contact = (
        Contact.objects.filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(last=Max("date"))
        .values("last")
    )
    minutes_4w = (
        Contact.objects.filter(family=OuterRef("pk"), date__gte=four_weeks_ago, date__lte=today)
        .order_by()
        .values("family")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
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
    data = families.annotate(
        last_contact=Subquery(last_contact, output_field=DateField()),
        minutes_4w=Coalesce(Subquery(minutes_4w, output_field=IntegerField()), 0),
        open_reminders=Coalesce(Subquery(open_reminders, output_field=IntegerField()), 0),
        next_review=latest_review("next_review_on"),
    ).values_list(
        "pk",
        "display_name",
        "case_number",
        "coach_id",
        "coach__first_name",
        "coach__last_name",
        "coach__username",
        "safety_flag",
        "last_contact",
        "open_reminders",
        "next_review",
        "minutes_4w",
    )
    figures = phase_figures_for(families, today=today)
    trends = _severity_trends(families)
    no_contact_days = phase_setting("NO_CONTACT_DAYS")
    review_lead = datetime.timedelta(days=report_setting("CASE_REVIEW_LEAD_DAYS"))
    rows = []
    for pk, name, number, coach_id, first, last, username, safety, contact, rem, review, m4 in data:
        row = Row(
            family_id=pk,
            name=name,
            case_number=number,
            coach_id=coach_id,
            coach_name=(f"{first} {last}".strip() or username) if coach_id else "",
            safety_flag=safety,
            last_contact=contact,
            open_reminders=rem,
            next_review=review,
            minutes_4w=m4,
            figures=figures.get(pk),
            trend=trends.get(pk),
        )
        row.no_recent_contact = contact is None or (today - contact).days >= no_contact_days
        row.review_due = review is not None and review <= today + review_lead
        row.flags = _flags(row)
        rows.append(row)
    return rows


_LAST = datetime.date.max
# Sort keys the page accepts (?sort=key or ?sort=-key); each maps a row to a comparable value.
SORT_KEYS = {
    "name": lambda r: r.name.lower(),
    "coach": lambda r: r.coach_name.lower() or "\uffff",
    "phase": lambda r: r.phase_index,
    "day": lambda r: (r.figures.day / max(r.figures.planned_days, 1)) if r.figures else -1,
    "hours": lambda r: r.figures.used_share if r.figures else -1,
    "week": lambda r: r.hours_per_week_4,
    "contact": lambda r: r.last_contact or datetime.date.min,
    "safety": lambda r: r.safety_flag,
    "trend": lambda r: r.trend if r.trend is not None else Decimal(-99),
    "reminders": lambda r: r.open_reminders,
    "review": lambda r: r.next_review or _LAST,
}
DEFAULT_SORT = "attention"


def sort_rows(rows: list[Row], sort: str) -> tuple[list[Row], str]:
    """Sort by a whitelisted key (a leading "-" for descending); unknown keys fall back to
    attention first. Returns the rows and the sort actually used."""
    key = sort.removeprefix("-")
    if key in SORT_KEYS:
        # Name as the stable tie-breaker, so pages do not shuffle between requests.
        rows = sorted(rows, key=lambda r: r.name.lower())
        return sorted(rows, key=SORT_KEYS[key], reverse=sort.startswith("-")), sort
    return (
        sorted(
            rows,
            key=lambda r: (
                tuple(-a for a in r.attention),
                -(r.figures.days_late if r.figures else 0),
                r.last_contact or datetime.date.min,
                r.name.lower(),
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
        rows = [r for r in rows if r.figures is None]
    elif phase:
        rows = [r for r in rows if r.figures and r.figures.kind == phase]
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

    @property
    def intensive_share(self) -> int:
        return int(self.intensive * 100 / self.families) if self.families else 0


def is_intensive(row: Row) -> bool:
    """Intensive case: over the last 4 weeks more hours per week than the phase band's top,
    or more than REPORTS["INTENSIVE_HOURS_PER_WEEK"] (DOMAIN.md: coaches "sucked in")."""
    threshold = Decimal(report_setting("INTENSIVE_HOURS_PER_WEEK"))
    return row.hours_per_week_4 > threshold or row.above_band


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
        )
        for coach_id, items in by_coach.items()
    ]
    return sorted(loads, key=lambda c: (-c.hours_per_week, c.coach_name))
