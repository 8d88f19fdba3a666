"""The one access gate for family records.

Every family-scoped view, in every app, starts with `access_family(...)`. It decides who
may read and who may change a family, and writes the NEN 7513 access-log record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse

from cases.models import (
    TEAM_WIDE_ROLES,
    AccessAction,
    AccessLog,
    AccessOutcome,
    Family,
    Membership,
)

# Keys are BigAutoField ids, and AccessLog.family_id_ref is a BigIntegerField: an id from a
# URL outside 1..BIGINT_MAX names no record and cannot be stored in the log.
BIGINT_MAX = 9_223_372_036_854_775_807
OUT_OF_RANGE_LABEL = "gezin-id buiten bereik"


def id_in_range(value: int) -> bool:
    """Whether `value` can be a database id (SQLite cannot even compare a larger one)."""
    return 1 <= value <= BIGINT_MAX


@dataclass(frozen=True)
class FamilyAccess:
    role: str
    can_write: bool


def log_access(
    request: HttpRequest,
    *,
    family_id: int | None,
    action: str,
    outcome: str,
    role: str = "",
    obj: str = "",
) -> None:
    """Write one access-log row.

    `obj` is a fixed label with ids only (e.g. "contact 12"), never text a user typed: the
    log outlives the family's file (destruction keeps it) and is shown to the family.
    """
    user = request.user if request.user.is_authenticated else None
    if family_id is not None and not id_in_range(family_id):
        # Logged as the attempt it is, without the id the column cannot hold.
        family_id, obj = None, OUT_OF_RANGE_LABEL
    AccessLog.objects.create(
        user=user,
        username=user.get_username() if user else "",
        role=role,
        family_id_ref=family_id,
        action=action,
        object=obj[:200],
        outcome=outcome,
        path=_logged_path(request),
    )


def _logged_path(request: HttpRequest) -> str:
    """The page, with any text from the URL (e.g. a PDF's file name) left out: ids only."""
    match = request.resolver_match
    if match is None or all(isinstance(value, int) for value in match.kwargs.values()):
        return request.path[:300]
    kwargs = {k: v if isinstance(v, int) else "-" for k, v in match.kwargs.items()}
    return reverse(match.view_name, kwargs=kwargs)[:300]


def family_access_for(user, family: Family) -> FamilyAccess | None:  # type: ignore[no-untyped-def]
    """What `user` may do with `family`, or None when they are outside its team."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, team_id=family.team_id).only("role").first()
    if membership is None:
        return None
    can_write = (
        membership.role in TEAM_WIDE_ROLES
        or family.coach_id == user.pk
        or family.involved.filter(pk=user.pk).exists()
    )
    return FamilyAccess(role=membership.role, can_write=can_write)


def access_family(
    request: HttpRequest,
    family_id: int,
    *,
    write: bool = False,
    action: str | None = None,
    obj: str = "",
) -> Family:
    """Return the family if the user may use it, and log the access.

    Outsiders (another team, or no such family) get 404 so they cannot learn that a
    family exists; a team member without write access who tries to change gets 403.
    `action` defaults to read, or change when `write` is set; `obj` names the part
    of the record (e.g. "contact 12") for the log: a fixed label with ids, never typed text.
    """
    action = action or (AccessAction.CHANGE if write else AccessAction.READ)
    family = (
        Family.objects.select_related("team", "coach").filter(pk=family_id).first()
        if id_in_range(family_id)
        else None
    )
    access = family_access_for(request.user, family) if family is not None else None
    if family is None or access is None:
        log_access(
            request,
            family_id=family_id,
            action=action,
            outcome=AccessOutcome.DENIED,
            obj=obj,
        )
        raise Http404("No family matches the given query.")
    if write and not access.can_write:
        log_access(
            request,
            family_id=family.pk,
            action=action,
            outcome=AccessOutcome.DENIED,
            role=access.role,
            obj=obj,
        )
        raise PermissionDenied
    log_access(
        request,
        family_id=family.pk,
        action=action,
        outcome=AccessOutcome.ALLOWED,
        role=access.role,
        obj=obj,
    )
    family.access = access  # type: ignore[attr-defined]  # read by templates for edit links
    return family


def team_role(user, team_id: int) -> str | None:  # type: ignore[no-untyped-def]
    """The user's role in a team, or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, team_id=team_id).values_list("role", flat=True).first()
    )


def log_families_shown(
    request: HttpRequest,
    families: Iterable[tuple[int, int]],
    *,
    action: str,
    obj: str,
) -> None:
    """Log one row per family a list or search page showed by name (NEN 7513).

    `families` holds a (family id, team id) pair per family on the page; a family shown
    twice gets one row. `obj` is a fixed label naming the page ("lijst: mijn gezinnen",
    "zoekresultaat"), never the search term or other user text. The family's own access-log
    page and CSV then answer "who saw this family's name". One query for the user's roles
    and one insert, whatever the number of families, so list pages keep a fixed query count.
    """
    user = request.user
    shown = list(dict.fromkeys(families))
    if not shown or not user.is_authenticated:
        return
    roles = dict(Membership.objects.filter(user=user).values_list("team_id", "role"))
    username = user.get_username()
    path = request.path[:300]
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user,
                username=username,
                # Empty only when the user has left the family's team (an old reminder).
                role=roles.get(team_id, ""),
                family_id_ref=family_id,
                action=action,
                object=obj[:200],
                outcome=AccessOutcome.ALLOWED,
                path=path,
            )
            for family_id, team_id in shown
        ]
    )
