"""The clock for tests that move their time on."""

from __future__ import annotations

import datetime

from django.utils import timezone


def now_with_time_left_today(minutes: int = 60) -> datetime.datetime:
    """Now, or `minutes` before local midnight when less of the day is left: a test that
    moves its clock on by less than that stays within today, where a snapshot of another
    day would count as stale whatever its age."""
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    last = midnight + datetime.timedelta(days=1) - datetime.timedelta(minutes=minutes)
    return min(now, last)
