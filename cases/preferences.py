"""The user's interface language, kept in the session (the project's middleware reads it).

Here, in `cases`, beside UserPreference, so the language switch (cases.views.language_set)
and the middleware share one key without an app importing the project package.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cases.models import UserPreference

LANGUAGE_SESSION_KEY = "fk_language"


def remember_language(request: HttpRequest, user: Any) -> None:
    """Put the user's chosen language in the session (at log-in and when they change it)."""
    language = (
        UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
        or settings.LANGUAGE_CODE
    )
    request.session[LANGUAGE_SESSION_KEY] = language
