"""Hours against the phase budget, computed in the database (no query per family or contact).

`phase_figures_for` is the one entry point for many families at once (family page, reminder
job, caseload dashboards); `episodes_with_hours` annotates a family's phase history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DateField,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from cases.models import Contact, Family
from phases.models import ExtraHours, PhaseEpisode

# Share of the budget at which the coach is warned (DOMAIN.md: "90% of the budget used").
WARNING_SHARE = Decimal("0.9")
_FAR_FUTURE = datetime.date(9999, 12, 31)


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
    planned_end: datetime.date
    day: int  # day x ...
    planned_days: int  # ... of planned y
    days_left: int  # negative when past the planned end
    used_hours: Decimal
    budget_min: Decimal
    budget_max: Decimal  # including extra hours
    extra_hours: Decimal
    hours_per_week_2: Decimal  # over the last 2 weeks
    hours_per_week_4: Decimal  # over the last 4 weeks
    band_min: Decimal
    band_max: Decimal

    @property
    def over_budget(self) -> bool:
        return self.used_hours > self.budget_max

    @property
    def nearly_used(self) -> bool:
        return self.budget_max > 0 and self.used_hours >= self.budget_max * WARNING_SHARE

    @property
    def under_band(self) -> bool:
        """Too little contact: the last 4 weeks below the phase's weekly band (once the phase
        is two weeks old, so a fresh phase is not flagged for the weeks before it)."""
        return self.day > 14 and self.hours_per_week_4 < self.band_min

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)

    @property
    def used_share(self) -> int:
        if self.budget_max <= 0:
            return 0
        return int(self.used_hours * 100 / self.budget_max)


def hours_from_minutes(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


def figures_from_episode(episode: PhaseEpisode, *, today: datetime.date) -> Figures:
    """Figures of an episode annotated by `open_episodes_with_figures`."""
    extra = Decimal(episode.extra or 0)
    return Figures(
        family_id=episode.family_id,
        episode_id=episode.pk,
        kind=episode.kind,
        kind_label=str(episode.get_kind_display()),
        started_on=episode.started_on,
        planned_end=episode.planned_end,
        day=(today - episode.started_on).days + 1,
        planned_days=(episode.planned_end - episode.started_on).days,
        days_left=(episode.planned_end - today).days,
        used_hours=hours_from_minutes(episode.used_minutes),
        budget_min=episode.budget_min + extra,
        budget_max=episode.budget_max + extra,
        extra_hours=extra,
        hours_per_week_2=hours_from_minutes(episode.minutes_2w) / 2,
        hours_per_week_4=hours_from_minutes(episode.minutes_4w) / 4,
        band_min=episode.hours_min,
        band_max=episode.hours_max,
    )


def open_episodes_with_figures(
    episodes: QuerySet[PhaseEpisode], *, today: datetime.date
) -> QuerySet[PhaseEpisode]:
    """Open episodes annotated with everything `figures_from_episode` needs: one query."""
    tomorrow = today + datetime.timedelta(days=1)
    return episodes_with_hours(episodes.open()).annotate(
        minutes_2w=_minutes_between(Value(today - datetime.timedelta(days=13)), Value(tomorrow)),
        minutes_4w=_minutes_between(Value(today - datetime.timedelta(days=27)), Value(tomorrow)),
    )


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
