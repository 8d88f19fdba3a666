"""The one access gate for family records and team pages.

Every family-scoped view, in every app, starts with `access_family(request, family_id,
need=...)`; every team-wide page with `access_team(request, roles=...)`. The gate decides
once, from the one rule table below, and writes the NEN 7513 access-log row with the outcome
it decided: a view never checks a role after the gate, so the log never says `allowed` for
a page that was refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse

from cases.compiled import MARKER, CompiledQuery
from cases.daycache import DayCache
from cases.models import (
    NO_FAMILY_ROLES,
    TEAM_WIDE_ROLES,
    AccessAction,
    AccessLog,
    AccessOutcome,
    CoachReplacement,
    Family,
    Membership,
    Role,
    Team,
)

# Keys are BigAutoField ids, and AccessLog.family_id_ref is a BigIntegerField: an id from a
# URL outside 1..BIGINT_MAX names no record and cannot be stored in the log.
BIGINT_MAX = 9_223_372_036_854_775_807
OUT_OF_RANGE_LABEL = "gezin-id buiten bereik"


def id_in_range(value: int) -> bool:
    """Whether `value` can be a database id (SQLite cannot even compare a larger one)."""
    return 1 <= value <= BIGINT_MAX


class Need(Enum):
    """What a view needs to do with a family; `_rules` below says who may."""

    READ = "read"  # see the file: every member of the family's team
    WRITE = "write"  # change the record: the coach, involved members, team-wide roles
    CARE = "care"  # the care work (phase proposals, step back, extra hours): writers but
    # the coordinator, whose write access is for intake and administration
    APPROVE = "approve"  # decide on a phase transition: the psychologist
    COORDINATE = "coordinate"  # the file's administration (destruction, access log)
    EXPORT = "export"  # inzage/afschrift and the access-log export for the family
    CORRECT = "correct"  # correct one's own account (a contact): a writer who wrote it
    # (the gate checks the author on the record its `lookup` fetched)
    COMMENT = "comment"  # add a comment to a contact, goal or plan: every team member who
    # reads the file (issue: the psychologist and other members with read access)


# What a team member who may not change the family can still do with it.
READER_NEEDS = frozenset({Need.READ, Need.COMMENT})


# Who approves a phase transition; phases.services reads it for the transition rule.
APPROVER_ROLES = frozenset({Role.PSYCHOLOGIST})


def _rules(role: str, writer: bool) -> frozenset[Need]:
    """The one rule table: the needs a team member with `role` satisfies. `writer` is
    whether they may change this family (team-wide role, its coach, or involved).
    A role without families (the researcher) satisfies nothing: the gate answers 404."""
    if role in NO_FAMILY_ROLES:
        return frozenset()
    needs = set(READER_NEEDS)
    if writer:
        needs |= {Need.WRITE, Need.CORRECT}
        if role != Role.COORDINATOR:
            needs.add(Need.CARE)
    if role in APPROVER_ROLES and writer:
        needs.add(Need.APPROVE)
    if role == Role.COORDINATOR and writer:
        needs |= {Need.COORDINATE, Need.EXPORT}
    return frozenset(needs)


@dataclass(frozen=True)
class FamilyAccess:
    """What the gate decided: the family, the user's role in its team, and what they may do.

    Views pass it to templates as `access` (`access.can_write`, `access.can_care` …)."""

    family: Family
    role: str
    can_write: bool
    needs: frozenset[Need]
    # The record the URL names inside the family, fetched by the gate's `lookup`.
    record: Any = None

    def may(self, need: Need) -> bool:
        return need in self.needs

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def can_care(self) -> bool:
        return Need.CARE in self.needs

    @property
    def can_approve(self) -> bool:
        return Need.APPROVE in self.needs

    @property
    def can_export(self) -> bool:
        return Need.EXPORT in self.needs


@dataclass(frozen=True)
class TeamAccess:
    """The teams a team page may show, by name, and the user's role in each."""

    teams: tuple[Team, ...]
    roles: Mapping[int, str]

    @property
    def team(self) -> Team:
        """The chosen team (the one asked for, or the first by name)."""
        return self.teams[0]

    @property
    def role(self) -> str:
        return self.roles[self.team.pk]


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


# Set in the session of a family member's portal log-in (cases.portal.gate.on_logged_in).
# A portal user gets 404 on every staff page: the gates below refuse them before anything
# else, and cases.portal.middleware does the same for pages without a gate.
PORTAL_SESSION_KEY = "fk_portal_account"


def is_portal_session(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(PORTAL_SESSION_KEY) is not None


def refuse_portal_user(request: HttpRequest, *, family_id: int | None, obj: str) -> None:
    """404 (logged) for a portal user on a staff page; nothing for anyone else."""
    if is_portal_session(request):
        log_access(
            request,
            family_id=family_id,
            action=AccessAction.READ if request.method in ("GET", "HEAD") else AccessAction.CHANGE,
            outcome=AccessOutcome.DENIED,
            obj=obj or "gezinsportaal: medewerkerspagina",
        )
        raise Http404("No page for a portal account.")


# A user's memberships with their teams, compiled once per process (cases.compiled).
_memberships = DayCache(
    lambda today: CompiledQuery(
        Membership.objects.filter(user_id=MARKER)
        .select_related("team")
        .order_by("team__name", "team__pk"),
        user=MARKER,
    )
)


def user_memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships with their teams, by team name: one query per request.

    The gate, the team pages, the access log of lists and the navigation all read them, so
    the request keeps the list (a view that changes memberships redirects afterwards)."""
    cached = getattr(request, "_fk_memberships", None)
    if cached is None:
        cached = (
            _memberships.get().run(user=request.user.pk) if request.user.is_authenticated else []
        )
        request._fk_memberships = cached  # type: ignore[attr-defined]
    return cached


def family_access_for(  # type: ignore[no-untyped-def]
    user, family: Family, *, memberships: Iterable[Membership] | None = None
) -> FamilyAccess | None:
    """What `user` may do with `family`, or None when they are outside its team.

    `memberships` are the user's memberships when the caller has them (user_memberships)."""
    if not user.is_authenticated:
        return None
    if memberships is not None:
        role = next((m.role for m in memberships if m.team_id == family.team_id), None)
    elif hasattr(family, VIEWER_ROLE):
        # Read with the family (access_family): the role in its team, None outside it.
        role = getattr(family, VIEWER_ROLE)
    else:
        role = (
            Membership.objects.filter(user=user, team_id=family.team_id)
            .values_list("role", flat=True)
            .first()
        )
    if role is None or role in NO_FAMILY_ROLES:
        # Not even the family's existence: the same 404 as for another team.
        return None
    can_write = (
        role in TEAM_WIDE_ROLES
        or family.coach_id == user.pk
        or family.involved.filter(pk=user.pk).exists()
        # Waarneming: the coach's replacement during leave, on the days it runs only.
        or (
            family.coach_id is not None
            and CoachReplacement.objects.active_on()
            .filter(team_id=family.team_id, coach_id=family.coach_id, replacement=user)
            .exists()
        )
    )
    return FamilyAccess(
        family=family, role=role, can_write=can_write, needs=_rules(role, can_write)
    )


# The annotation access_family reads the family with: the user's role in its team.
VIEWER_ROLE = "viewer_role"


def _families_with_viewer_role(request: HttpRequest, annotate: Mapping[str, Any]) -> Any:
    # The regisseur's relations too: the family header names them on every tab.
    families = Family.objects.select_related(
        "team", "coach", "regisseur_user", "regisseur_contact__partner"
    ).annotate(**annotate)
    if not request.user.is_authenticated:
        return families
    role = Membership.objects.filter(user_id=request.user.pk, team_id=OuterRef("team_id"))
    return families.annotate(**{VIEWER_ROLE: Subquery(role.values("role")[:1])})


def _build_family_query(
    today: datetime.date,
    user_id: int | None,
    annotate_key: Hashable,
    *,
    request: HttpRequest,
    annotate: Mapping[str, Any],
) -> CompiledQuery[Family]:
    families = _families_with_viewer_role(request, annotate).filter(pk=MARKER)
    return CompiledQuery((families if families.ordered else families.order_by("pk"))[:1], pk=MARKER)


# The gate's query of the family (with the user's role, and a page's figures where the page
# names them), compiled once per process, day, user and kind of page (cases.compiled).
_family_queries = DayCache(_build_family_query)


def _read_family(
    request: HttpRequest,
    family_id: int,
    annotate: Mapping[str, Any] | None,
    annotate_key: Hashable | None,
) -> Family | None:
    if not id_in_range(family_id):
        return None
    if annotate and annotate_key is None:
        return _families_with_viewer_role(request, annotate).filter(pk=family_id).first()  # type: ignore[no-any-return]
    user_id = request.user.pk if request.user.is_authenticated else None
    query = _family_queries.get(user_id, annotate_key, request=request, annotate=annotate or {})
    rows = query.run(pk=family_id)
    return rows[0] if rows else None


def access_family(
    request: HttpRequest,
    family_id: int,
    *,
    need: Need = Need.READ,
    action: str | None = None,
    obj: str = "",
    lookup: Callable[[Family], Any] | None = None,
    annotate: Mapping[str, Any] | None = None,
    annotate_key: Hashable | None = None,
) -> FamilyAccess:
    """Decide whether the user may do `need` with the family, log it, and say what they may.

    Outsiders (another team, or no such family) get 404 so they cannot learn that a
    family exists; a team member whose role or relation does not satisfy `need` gets 403.
    `lookup(family)` fetches the record the URL names inside the family (raising Http404
    when there is none); it runs once the user may change the family at all, so a missing
    record is 404 for them and 403 still for a reader, and its result is `access.record`.
    Whatever the answer, the gate writes one row: `denied` (with the role once the user is
    known to be in the team) or `allowed`. `action` defaults to what the request does:
    read for a GET (whatever the page's need: opening an edit form or the access log
    changes nothing), change for a POST; `obj` names the part of the record (e.g.
    "contact 12") for the log: a fixed label with ids, never typed text. `annotate` adds
    expressions the page reads to the family's query (the family page's figures), so they
    cost no query of their own; `annotate_key` names them when they are the same for the
    user all day (cases.daycache), so the query is compiled once (cases.compiled).
    """
    refuse_portal_user(request, family_id=family_id, obj=obj)
    action = action or (
        AccessAction.READ if request.method in ("GET", "HEAD") else AccessAction.CHANGE
    )
    family = _read_family(request, family_id, annotate, annotate_key)
    # The user's role in the family's team came with the family (one query less for a
    # page that shows no navigation, such as a form's redirect), unless the request has
    # read the user's memberships already.
    access = (
        family_access_for(
            request.user, family, memberships=getattr(request, "_fk_memberships", None)
        )
        if family is not None
        else None
    )
    if family is None or access is None:
        log_access(
            request,
            family_id=family_id,
            action=action,
            outcome=AccessOutcome.DENIED,
            obj=obj,
        )
        raise Http404("No family matches the given query.")

    def deny(error: Exception) -> NoReturn:
        log_access(
            request,
            family_id=family.pk,
            action=action,
            outcome=AccessOutcome.DENIED,
            role=access.role,
            obj=obj,
        )
        raise error

    if need not in READER_NEEDS and not access.can_write:
        deny(PermissionDenied())
    if lookup is not None:
        try:
            access = replace(access, record=lookup(family))
        except Http404 as missing:
            deny(missing)
    # Only its author corrects their own account (a contact): the record says who that is.
    not_author = need is Need.CORRECT and getattr(access.record, "author_id", None) != (
        request.user.pk
    )
    if not access.may(need) or not_author:
        deny(PermissionDenied())
    log_access(
        request,
        family_id=family.pk,
        action=action,
        outcome=AccessOutcome.ALLOWED,
        role=access.role,
        obj=obj,
    )
    return access


def access_team(
    request: HttpRequest,
    *,
    roles: Iterable[str],
    team_id: int | None = None,
    action: str = AccessAction.READ,
    obj: str,
) -> TeamAccess:
    """The gate of a team-wide page: the user's teams in which they hold one of `roles`.

    With `team_id`, only that team; without, every team where they hold the role, by name.
    No such team gets 403 (with the role the user has there, if any): unlike a family, a
    team's existence is no secret, and the pages have always answered 403. A refusal writes
    one `denied` row (no family); the page itself logs the families it shows
    (`log_families_shown`). One query.
    """
    refuse_portal_user(request, family_id=None, obj=obj)
    wanted = frozenset(roles)
    memberships = user_memberships(request)
    if team_id is not None:
        memberships = [m for m in memberships if m.team_id == team_id]
    held = [m for m in memberships if m.role in wanted]
    if not held:
        log_access(
            request,
            family_id=None,
            action=action,
            outcome=AccessOutcome.DENIED,
            role=memberships[0].role if memberships else "",
            obj=obj,
        )
        raise PermissionDenied
    return TeamAccess(teams=tuple(m.team for m in held), roles={m.team_id: m.role for m in held})


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
    roles = {m.team_id: m.role for m in user_memberships(request)}
    username = user.get_username()
    path = _logged_path(request)
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
