"""The permission matrix over every URL of the project.

Generic on purpose: it walks the URL resolver, so pages that other apps add later are
covered without a change here. Each family-scoped URL is filled with a family of team A;
any other integer argument with the id of a matching object of that family (or an id that
does not exist: the gate runs first). Then, for every role of team A and team B and for
an anonymous visitor, GET and POST:

- team B never gets a 200 (or any 2xx/3xx) on a page of team A's family;
- anonymous is sent to the log-in page (or gets 404/405), never a 200;
- nobody gets a 500;
- team-wide pages shown to team B never show team A's family;
- the access log tells the truth: on a family page every 403/404 leaves a `denied` row for
  that request (and no `allowed` one) and every 200 an `allowed` row (and no `denied` one);
  a 403 on a team page leaves a `denied` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import AccessLog, AccessOutcome, Role
from tests.cases.partners.factories import PartnerContactFactory, PartnerFactory, referral
from tests.factories import ContactFactory, FamilyFactory, MemberFactory, member_of

pytestmark = pytest.mark.django_db

# Public by design; everything else must require a log-in.
PUBLIC_URL_NAMES = {"login", "healthz"}
# The admin is staff-only behind its own log-in and has no family pages of its own;
# logout would end the test client's session halfway through the walk.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_URL_NAMES = {"logout"}
MISSING_ID = 987_654_321
MARKER = "Gezin Zzyzx-Geheim"


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, for reverse()
    converters: dict[str, Any]


def _walk(
    patterns: list[Any], namespace: str = "", converters: dict[str, Any] | None = None
) -> list[Route]:
    routes: list[Route] = []
    for entry in patterns:
        inherited = dict(converters or {})
        inherited.update(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += _walk(entry.url_patterns, ns, inherited)
        elif isinstance(entry, URLPattern) and entry.name:
            routes.append(Route(name=f"{namespace}{entry.name}", converters=inherited))
    return routes


def all_routes() -> list[Route]:
    routes = _walk(get_resolver().url_patterns)
    return [
        r
        for r in routes
        if r.name.split(":")[-1] not in SKIPPED_URL_NAMES and not r.name.startswith("djdt")
    ]


def _object_id(kwarg: str, family: Any) -> int:
    """An id for `<name>_id`: an object of `family` of the model named so, if there is one."""
    wanted = kwarg.removesuffix("_id").replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name != wanted:
            continue
        field_names = {f.name for f in model._meta.get_fields()}
        qs = model._default_manager.all()
        if "family" in field_names:
            qs = qs.filter(family=family)
        obj = qs.order_by("pk").first()
        if obj is not None:
            return obj.pk
    return MISSING_ID


def _kwargs(route: Route, family: Any) -> dict[str, Any] | None:
    kwargs: dict[str, Any] = {}
    for name, converter in route.converters.items():
        if name == "family_id":
            kwargs[name] = family.pk
        elif converter.regex == "[0-9]+":
            kwargs[name] = _object_id(name, family)
        else:
            return None  # a non-integer argument: not a family page of ours
    return kwargs


@pytest.fixture
def world(team, other_team, family, alice, bob, psychologist, coordinator):  # type: ignore[no-untyped-def]
    family.display_name = MARKER
    family.save(update_fields=["display_name"])
    ContactFactory(family=family, author=alice)
    # Team A's partner with a contact person and a referral of the family, so the walk
    # reaches the partner pages and the referral pages with real ids.
    partner = PartnerContactFactory(partner=PartnerFactory(team=team)).partner
    referral(family, partner, alice)
    # Team B has its own family with objects, so an id of theirs exists too.
    b_coach = member_of(other_team, Role.COACH, username="b-coach")
    b_family = FamilyFactory(team=other_team, coach=b_coach)
    MemberFactory(family=b_family)
    ContactFactory(family=b_family, author=b_coach)
    PartnerContactFactory(partner=PartnerFactory(team=other_team))
    users = {
        "a-coach": alice,
        "a-colleague": bob,
        "a-psychologist": psychologist,
        "a-coordinator": coordinator,
        "b-coach": b_coach,
        "b-colleague": member_of(other_team, Role.COACH, username="b-colleague"),
        "b-psychologist": member_of(other_team, Role.PSYCHOLOGIST, username="b-psy"),
        "b-coordinator": member_of(other_team, Role.COORDINATOR, username="b-coord"),
    }
    return family, users


def _client(user: Any | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_the_walk_finds_the_family_pages():
    names = {r.name for r in all_routes()}
    assert {"cases:family_detail", "cases:contact_edit", "cases:records"} <= names
    assert "login" in names


def _log_failure(route: Route, kwargs: dict[str, Any], status: int, rows: list[Any]) -> str:
    """What is wrong with the rows one request wrote, given its status ("" if nothing)."""
    outcomes = {row.outcome for row in rows}
    if "family_id" in kwargs:
        family_id = kwargs["family_id"]
        if any(row.family_id_ref != family_id for row in rows):
            return f"rows for another family: {[r.family_id_ref for r in rows]}"
        if status in (403, 404) and outcomes != {AccessOutcome.DENIED}:
            return f"{status} logged {sorted(outcomes) or 'nothing'}"
        if status == 200 and outcomes != {AccessOutcome.ALLOWED}:
            return f"200 logged {sorted(outcomes) or 'nothing'}"
    elif status == 403 and AccessOutcome.DENIED not in outcomes:
        return f"team page 403 logged {sorted(outcomes) or 'nothing'}"
    return ""


def test_permission_matrix(world):  # type: ignore[no-untyped-def]
    family, users = world
    routes = [(r, _kwargs(r, family)) for r in all_routes()]
    routes = [(r, kw) for r, kw in routes if kw is not None]
    family_routes = [(r, kw) for r, kw in routes if "family_id" in kw]
    assert len(family_routes) >= 10
    failures: list[str] = []
    clients = {role: _client(user) for role, user in users.items()}
    anonymous = _client(None)

    for route, kwargs in routes:
        url = reverse(route.name, kwargs=kwargs)
        public = route.name in PUBLIC_URL_NAMES
        for method in ("get", "post"):
            # Anonymous: the log-in page, 404 or 405; never the page itself.
            response = getattr(anonymous, method)(url)
            if not public:
                status = response.status_code
                to_login = status == 302 and response["Location"].startswith(reverse("login"))
                if not (to_login or status in (404, 405)):
                    failures.append(f"anonymous {method.upper()} {url} -> {status}")
            for role, client in clients.items():
                last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()
                response = getattr(client, method)(url)
                status = response.status_code
                if status >= 500:
                    failures.append(f"{role} {method.upper()} {url} -> {status}")
                # The rows this one request wrote (the test client runs it synchronously).
                rows = list(AccessLog.objects.filter(pk__gt=last or 0))
                wrong = _log_failure(route, kwargs, status, rows)
                if wrong and not public:
                    failures.append(f"{role} {method.upper()} {url}: {wrong}")
                if not role.startswith("b-"):
                    continue
                if "family_id" in kwargs:
                    # Team B learns nothing: not found (403/405 only if refused even earlier).
                    if status not in (403, 404, 405):
                        failures.append(f"{role} {method.upper()} {url} -> {status}")
                elif method == "get" and status == 200 and MARKER.encode() in response.content:
                    failures.append(f"{role} GET {url} shows team A's family")
    assert not failures, "\n".join(failures)


def test_matrix_would_catch_a_leak(world, settings):  # type: ignore[no-untyped-def]
    """The walk reaches a page that leaks, and the check flags it (the test can fail)."""
    family, users = world
    response = _client(users["b-coach"]).get(
        reverse("cases:family_detail", kwargs={"family_id": family.pk})
    )
    assert response.status_code == 404
    # And the same URL answers 200 to the family's own coach, so 404 is not an accident.
    response = _client(users["a-coach"]).get(
        reverse("cases:family_detail", kwargs={"family_id": family.pk})
    )
    assert response.status_code == 200
    assert MARKER.encode() in response.content
