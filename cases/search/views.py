from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cases.models import AccessAction, AccessOutcome, Membership
from cases.permissions import log_access, log_families_shown
from cases.search.forms import SearchForm
from cases.search.query import search_families

SEARCH_LABEL = "zoekresultaat"


@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """The navigation's search box posts here; the results are the POST's response.

    The term is free text that may hold a client's name, so it travels in the POST body only
    (no URL, browser history or server log holds it) and is written nowhere: the access log
    keeps that a search was done, how many families it showed, and one row per family shown
    (NEN 7513), never the term. The log outlives the file and is shown to each family, so a
    term naming someone else must not end up in it.
    """
    form = SearchForm(request.POST if request.method == "POST" else None)
    hits, more = [], False
    if form.is_valid():
        hits, more = search_families(request.user, form.cleaned_data["q"])
        roles = set(Membership.objects.filter(user=request.user).values_list("role", flat=True))
        log_access(
            request,
            family_id=None,
            action=AccessAction.SEARCH,
            outcome=AccessOutcome.ALLOWED,
            role=next(iter(roles)) if len(roles) == 1 else "",
            obj=f"zoekopdracht: {len(hits)}{'+' if more else ''} gezinnen",
        )
        log_families_shown(
            request,
            [(hit.family.pk, hit.family.team_id) for hit in hits],
            action=AccessAction.SEARCH,
            obj=SEARCH_LABEL,
        )
    return render(
        request,
        "cases/search_results.html",
        {"form": form, "hits": hits, "more": more, "searched": form.is_bound and form.is_valid()},
    )
