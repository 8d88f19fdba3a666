"""System checks for a production configuration (run with `manage.py check --deploy`).

Registered from CasesConfig.ready(). Django's own deploy checks do not know that these
records need a second factor; without it a guessed or phished password opens them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


def two_factor_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Two-factor log-in must be required for everyone when DEBUG is off."""
    if settings.DEBUG:
        return []
    errors = []
    if not settings.OTP_REQUIRED:
        errors.append(
            Error(
                "Two-factor log-in is off (OTP_REQUIRED) while DEBUG is off.",
                hint="Set OTP_REQUIRED=1 (the default when DEBUG is off).",
                id="cases.E001",
            )
        )
    # The list is what the middleware reads; the flag is what fills it.
    if settings.OTP_DEMO_EXEMPT or settings.OTP_EXEMPT_USERNAMES:
        errors.append(
            Error(
                "The demo users may log in without a second factor (OTP_DEMO_EXEMPT, "
                "OTP_EXEMPT_USERNAMES) while DEBUG is off.",
                hint="Set OTP_DEMO_EXEMPT=0 and leave OTP_EXEMPT_USERNAMES empty; the demo "
                "users are for development only.",
                id="cases.E002",
            )
        )
    return errors


def register_checks() -> None:
    # deploy=True: only `check --deploy` runs it; a plain `check` (make test) is about code.
    register(two_factor_in_production, Tags.security, deploy=True)
