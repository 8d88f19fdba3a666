"""Staff pages answer 404 to a portal account, also the pages without a gate.

A portal session (cases.permissions.PORTAL_SESSION_KEY) reaches only the portal's own
pages (namespace `portal`) and the log-in steps; the staff landing page sends it home.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cases.permissions import is_portal_session, refuse_portal_user

# Outside the portal's namespace, what a portal account may open: logging in and out.
PORTAL_OPEN_URLS = frozenset({"login", "logout", "otp_verify", "healthz"})
# The page LOGIN_REDIRECT_URL names: a portal account lands on the portal's home instead.
STAFF_LANDING = ("cases", "caseload")


class PortalOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if not is_portal_session(request):
            return None
        match = request.resolver_match
        if match is None or match.namespace == "portal":
            return None
        if not match.namespace and match.url_name in PORTAL_OPEN_URLS:
            return None
        if (match.namespace, match.url_name) == STAFF_LANDING:
            return redirect("portal:home")
        refuse_portal_user(request, family_id=None, obj="gezinsportaal: medewerkerspagina")
        return None
