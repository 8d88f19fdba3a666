"""Query parts built once per process and day, instead of on every request.

Building Django expressions (a page's annotations with their subqueries) is a real part of
a page's time: a few milliseconds for the family page's figures alone. Parts that depend on
nothing but the date (and, where a key says so, the user) are built once per process and
day and then shared. Sharing is safe because an expression is only ever resolved into
copies, and a QuerySet is handed out only as a clone (`.all()`), so no request's rows are
ever cached on the shared one.

The cache keeps the current day's parts only (a new date empties it), holds at most
MAX_ENTRIES of them, and forgets everything when a setting changes (the parts read
settings such as the phase rules).
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.core.signals import setting_changed
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone

T = TypeVar("T")
MAX_ENTRIES = 1024
_caches: list[DayCache[Any]] = []


class DayCache(Generic[T]):
    """`get(*key, **given)` returns `build(today, *key, **given)`, built once per process,
    day and key: what `given` holds (the request, say) must not change what is built
    beyond what the key says."""

    def __init__(self, build: Callable[..., T]) -> None:
        self.build = build
        self._day: datetime.date | None = None
        self._parts: dict[tuple[Hashable, ...], T] = {}
        self._lock = threading.Lock()
        _caches.append(self)

    def get(self, *key: Hashable, **given: Any) -> T:
        today = timezone.localdate()
        with self._lock:
            if self._day != today or len(self._parts) >= MAX_ENTRIES:
                self._day, self._parts = today, {}
            part = self._parts.get(key)
        if part is None:
            part = self.build(today, *key, **given)
            with self._lock:
                if self._day == today:
                    self._parts[key] = part
        # A clone: the shared QuerySet itself is never evaluated.
        return part.all() if isinstance(part, QuerySet) else part  # type: ignore[return-value]

    def clear(self) -> None:
        with self._lock:
            self._day, self._parts = None, {}


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    for cache in _caches:
        cache.clear()
