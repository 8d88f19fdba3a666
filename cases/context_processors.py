from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cases.models import NO_FAMILY_ROLES, TEAM_WIDE_ROLES, Membership


def membership(request: HttpRequest) -> dict[str, Any]:
    """The user's teams and roles, for navigation fit to the role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def load() -> list[Membership]:
        # The same list the gate read for this request (one query for both).
        from cases.permissions import user_memberships

        return user_memberships(request)

    # Lazy: pages that do not show the navigation pay no query.
    from django.utils.functional import SimpleLazyObject

    memberships = SimpleLazyObject(load)
    return {
        "my_memberships": memberships,
        "my_roles": SimpleLazyObject(lambda: {m.role for m in memberships}),
        # A researcher only: no page of the care work in the navigation.
        "works_with_families": SimpleLazyObject(
            lambda: any(m.role not in NO_FAMILY_ROLES for m in memberships)
        ),
        "is_team_wide": SimpleLazyObject(
            lambda: any(m.role in TEAM_WIDE_ROLES for m in memberships)
        ),
    }


def waiting(request: HttpRequest) -> dict[str, Any]:
    """How much waits for the psychologist's decision, for the navigation (cases.waiting).

    Lazy, and only for users who decide somewhere: others pay no query. The landing page
    leaves its list on the request, so the count costs nothing more there."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from cases.waiting import is_approver, waiting_count

        if not is_approver(request):
            return 0
        shown = getattr(request, "_fk_waiting", None)
        return len(shown) if shown is not None else waiting_count(user)

    from django.utils.functional import SimpleLazyObject

    return {"waiting_count": SimpleLazyObject(count)}
