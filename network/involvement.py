"""Keeping the network involved, and the hours a Krachtgezin gives: read-only figures."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from network.models import NetworkMember, Quality, RespiteStay


def stale_weeks() -> int:
    return int(settings.NETWORK_STALE_WEEKS)


def stale_members(
    members: Iterable[NetworkMember], today: datetime.date | None = None
) -> list[NetworkMember]:
    """Members (annotated `with_last_contact()`) not seen for NETWORK_STALE_WEEKS weeks.

    A broken relation is left out: there is nobody to keep involved. Never-contacted
    members come first, then the longest ago.
    """
    today = today or timezone.localdate()
    since = today - datetime.timedelta(weeks=stale_weeks())
    result = [
        m
        for m in members
        if m.quality != Quality.BROKEN and (m.last_seen is None or m.last_seen < since)
    ]
    return sorted(result, key=lambda m: (m.last_seen is not None, m.last_seen or today, m.name))


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekHours:
    start: datetime.date
    used: float
    available: int

    @property
    def over(self) -> bool:
        return self.used > self.available


def week_bounds(start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    return begin, begin + datetime.timedelta(days=7)


def hours_in_week(stays: Iterable[RespiteStay], start: datetime.date) -> float:
    """Hours of the stays that fall in the week starting on `start` (Monday, local time)."""
    begin, end = week_bounds(start)
    seconds = 0.0
    for stay in stays:
        overlap = min(stay.end, end) - max(stay.start, begin)
        seconds += max(overlap.total_seconds(), 0)
    return round(seconds / 3600, 1)


def weekly_hours(
    stays: Sequence[RespiteStay], available: int, today: datetime.date | None = None
) -> list[WeekHours]:
    """This week and every other week with a stay, newest first: hours used against available."""
    today = today or timezone.localdate()
    weeks = {week_start(today)}
    for stay in stays:
        day = timezone.localtime(stay.start).date()
        last = timezone.localtime(stay.end).date()
        while day <= last:
            weeks.add(week_start(day))
            day += datetime.timedelta(days=7)
        weeks.add(week_start(last))
    return [
        WeekHours(start=w, used=hours_in_week(stays, w), available=available)
        for w in sorted(weeks, reverse=True)
    ]
