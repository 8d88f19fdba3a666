from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from phases.models import Reminder


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread reminder count for the navigation; lazy, so pages without it pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        return Reminder.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"unread_reminders": SimpleLazyObject(count)}
