"""Hours against the phase budget, computed in the database (no query per family or contact).

`phase_figures_for` is the one entry point for many families at once (family page, reminder
job, caseload dashboards); `episodes_with_hours` annotates a family's phase history.

The flags (over budget, 90% used, under or above the weekly band, past the planned end) are
written once, as SQL annotations in `with_phase_flags`: the family's phase figures, the
reminder job (phases.reminders) and the team caseload (reports.caseload) all annotate with it
and read the results, so they can never disagree and a list can filter and sort on a flag in
the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Round

from cases.models import Contact, Family
from phases.models import ExtraHours, PhaseEpisode

# Share of the budget at which the coach is warned (DOMAIN.md: "90% of the budget used").
WARNING_SHARE = Decimal("0.9")
# A phase is judged on its weekly hours once it is this many days old, so a fresh phase is
# not flagged for the weeks before it began.
BAND_GRACE_DAYS = 14
_FAR_FUTURE = datetime.date(9999, 12, 31)


class DaysBetween(Func):
    """`later - earlier` in whole days (PostgreSQL subtracts dates to an integer)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class HoursFromMinutes(Func):
    """Minutes as hours rounded to a tenth, half up, as `hours_from_minutes` does."""

    template = "ROUND(CAST(%(expressions)s AS numeric(9, 2)) / 60, 1)"
    output_field = DecimalField(max_digits=9, decimal_places=1)

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        # SQLite divides integers as integers (1944 / 60 is 32) and has no exact decimals:
        # count whole tenths of an hour first, half up, then divide.
        return self.as_sql(
            compiler, connection, template="((%(expressions)s) + 3) / 6 / 10.0", **extra_context
        )


def as_bool(q: Q) -> Coalesce:
    """A condition as a boolean column; a comparison with a missing phase is NULL in SQL,
    and here it means "no"."""
    return Coalesce(
        ExpressionWrapper(q, output_field=BooleanField()),
        Value(False),
        output_field=BooleanField(),
    )


def agreed_end(phase: str = "") -> Coalesce:
    """The phase's planned end as it stands: an approved extension's new end (the episode's
    `extended_end`), else the end planned when it began. `phase` as in with_phase_flags."""
    return Coalesce(F(f"{phase}extended_end"), F(f"{phase}planned_end"), output_field=DateField())


def extension_budget(days: int, hours_per_week: Decimal) -> Decimal:
    """The hours an extension of `days` adds to a budget of `hours_per_week`, to a tenth
    (half up), as the SQL of with_phase_flags computes them."""
    return (Decimal(days) * hours_per_week / 7).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class DaysPerWeek(Value):
    """7 as a divisor: numeric in PostgreSQL, a real number in SQLite, which keeps whole
    hours as integers and would divide them as integers (24 days x 6 h / 7 = 20, not 20.6)."""

    def __init__(self) -> None:
        super().__init__(Decimal(7), output_field=DecimalField(max_digits=2, decimal_places=0))

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        return "7.0", []


def with_phase_flags(qs: QuerySet, *, today: datetime.date, phase: str = "") -> QuerySet:
    """Annotate the phase's hours and its flags: the one place these rules are written.

    `qs` already has `used_minutes` (contacts in the phase), `minutes_4w` (the last 4 weeks)
    and `extra` (relapse hours) annotated; `phase` is the path to the episode's fields ("" on
    PhaseEpisode, "open_phase__" on Family). Hours are rounded to a tenth first, half up, as
    `hours_from_minutes` does for the figures shown next to the flags.

    An approved extension moves the phase's end (`phase_end`, see `agreed_end`) and adds
    its days at the phase's top weekly hours to the budget (`extension_hours`).
    """
    field = lambda name: f"{phase}{name}"  # noqa: E731
    today_value = Value(today, output_field=DateField())
    return (
        qs.annotate(
            day=DaysBetween(today_value, F(field("started_on"))) + 1,
            used_hours=HoursFromMinutes("used_minutes"),
            week_hours=HoursFromMinutes("minutes_4w") / 4,
            phase_end=agreed_end(phase),
        )
        .annotate(
            extension_hours=Coalesce(
                Round(
                    DaysBetween(F("phase_end"), F(field("planned_end")))
                    * F(field("hours_max"))
                    / DaysPerWeek(),
                    precision=1,
                ),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=7, decimal_places=1),
            ),
        )
        .annotate(
            budget=F(field("weeks_max")) * F(field("hours_max"))
            + F("extra")
            + F("extension_hours"),
        )
        .annotate(
            is_overdue=as_bool(Q(phase_end__lt=today)),
            is_over_budget=as_bool(Q(used_hours__gt=F("budget"))),
            # The budget and the share have a tenth each, so 90% of the budget has at most two
            # decimals: rounding to two is exact in PostgreSQL and, in SQLite, takes away the
            # float noise that would tip the edge (37 h × 0.9 is 33.300000000000004 there).
            is_nearly_used=as_bool(
                Q(
                    budget__gt=0,
                    used_hours__gte=Round(F("budget") * Value(WARNING_SHARE), precision=2),
                )
            ),
            is_under_band=as_bool(Q(day__gt=BAND_GRACE_DAYS, week_hours__lt=F(field("hours_min")))),
            is_above_band=as_bool(Q(week_hours__gt=F(field("hours_max")))),
        )
    )


def _minutes_between(start, end):  # type: ignore[no-untyped-def]
    """Subquery: a family's contact minutes with start <= date < end (expressions allowed)."""
    return Coalesce(
        Subquery(
            Contact.objects.filter(family=OuterRef("family_id"), date__gte=start, date__lt=end)
            .order_by()
            .values("family")
            .annotate(total=Sum("minutes"))
            .values("total"),
            output_field=IntegerField(),
        ),
        0,
    )


def episodes_with_hours(episodes: QuerySet[PhaseEpisode]) -> QuerySet[PhaseEpisode]:
    """Annotate `used_minutes` (contacts inside the episode's dates) and `extra` (relapse hours)."""
    end = Coalesce(OuterRef("ended_on"), Value(_FAR_FUTURE), output_field=DateField())
    extra = Subquery(
        ExtraHours.objects.filter(episode=OuterRef("pk"))
        .order_by()
        .values("episode")
        .annotate(total=Sum("hours"))
        .values("total"),
        output_field=DecimalField(max_digits=7, decimal_places=1),
    )
    return episodes.annotate(
        used_minutes=_minutes_between(OuterRef("started_on"), end),
        extra=Coalesce(extra, Value(Decimal(0)), output_field=DecimalField()),
    )


@dataclass(frozen=True)
class Figures:
    """Where one family stands in its current phase on `today`."""

    family_id: int
    episode_id: int
    kind: str
    kind_label: str
    started_on: datetime.date
    planned_end: datetime.date  # as agreed: an approved extension's end, else the original
    original_end: datetime.date  # planned when the phase began
    day: int  # day x ...
    planned_days: int  # ... of planned y
    days_left: int  # negative when past the planned end
    used_hours: Decimal
    budget_min: Decimal
    budget_max: Decimal  # including extra hours and an extension's hours
    extra_hours: Decimal
    extension_hours: Decimal  # the budget an approved extension added
    hours_per_week_2: Decimal  # over the last 2 weeks
    hours_per_week_4: Decimal  # over the last 4 weeks
    band_min: Decimal
    band_max: Decimal
    # The flags, as annotated by `with_phase_flags`.
    over_budget: bool
    nearly_used: bool
    under_band: bool
    overdue: bool

    @property
    def extended(self) -> bool:
        return self.planned_end != self.original_end

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)

    @property
    def used_share(self) -> int:
        if self.budget_max <= 0:
            return 0
        return int(self.used_hours * 100 / self.budget_max)


def hours_from_minutes(minutes: int) -> Decimal:
    # Half up, as SQL's ROUND does in `with_phase_flags`: 20.05 hours is 20.1 in both.
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figures_from_episode(episode: PhaseEpisode, *, today: datetime.date) -> Figures:
    """Figures of an episode annotated by `open_episodes_with_figures`."""
    extra = Decimal(episode.extra or 0)
    end = episode.phase_end
    extension_days = (end - episode.planned_end).days
    return Figures(
        family_id=episode.family_id,
        episode_id=episode.pk,
        kind=episode.kind,
        kind_label=str(episode.get_kind_display()),
        started_on=episode.started_on,
        planned_end=end,
        original_end=episode.planned_end,
        day=(today - episode.started_on).days + 1,
        planned_days=(end - episode.started_on).days,
        days_left=(end - today).days,
        used_hours=hours_from_minutes(episode.used_minutes),
        budget_min=episode.budget_min + extra + extension_budget(extension_days, episode.hours_min),
        budget_max=episode.budget_max + extra + Decimal(episode.extension_hours),
        extra_hours=extra,
        extension_hours=Decimal(episode.extension_hours),
        hours_per_week_2=hours_from_minutes(episode.minutes_2w) / 2,
        hours_per_week_4=hours_from_minutes(episode.minutes_4w) / 4,
        band_min=episode.hours_min,
        band_max=episode.hours_max,
        over_budget=episode.is_over_budget,
        nearly_used=episode.is_nearly_used,
        under_band=episode.is_under_band,
        overdue=episode.is_overdue,
    )


def open_episodes_with_figures(
    episodes: QuerySet[PhaseEpisode], *, today: datetime.date
) -> QuerySet[PhaseEpisode]:
    """Open episodes annotated with everything `figures_from_episode` needs: one query."""
    return episodes_with_figures(episodes.open(), today=today)


def episodes_with_figures(
    episodes: QuerySet[PhaseEpisode], *, today: datetime.date
) -> QuerySet[PhaseEpisode]:
    """Episodes with their hours (`episodes_with_hours`) and what `figures_from_episode`
    needs, so a family's history and its open phase's figures come from one query."""
    tomorrow = today + datetime.timedelta(days=1)
    episodes = episodes_with_hours(episodes).annotate(
        minutes_2w=_minutes_between(Value(today - datetime.timedelta(days=13)), Value(tomorrow)),
        minutes_4w=_minutes_between(Value(today - datetime.timedelta(days=27)), Value(tomorrow)),
    )
    return with_phase_flags(episodes, today=today)


def phase_figures_for(
    families: QuerySet[Family] | Iterable[int], *, today: datetime.date
) -> dict[int, Figures]:
    """Current-phase figures for many families in one query: {family_id: Figures}.

    Families without an open phase (referred, closed, aftercare) are absent from the result.
    """
    if isinstance(families, QuerySet):
        family_filter = Q(family__in=families.order_by().values("pk"))
    else:
        family_filter = Q(family_id__in=list(families))
    episodes = open_episodes_with_figures(PhaseEpisode.objects.filter(family_filter), today=today)
    return {e.family_id: figures_from_episode(e, today=today) for e in episodes}
