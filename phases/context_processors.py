from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cases.sections import kept_family_figures
from phases.models import Reminder
from phases.panels import UNREAD_FIGURE


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread reminder count for the navigation; lazy, so pages without it pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        # The family page read the count with its figures (phases.panels).
        kept = kept_family_figures(request)
        if UNREAD_FIGURE in kept:
            return kept[UNREAD_FIGURE]  # type: ignore[no-any-return]
        return Reminder.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"unread_reminders": SimpleLazyObject(count)}
