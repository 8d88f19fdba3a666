"""The portal's pages and home-page cards that live in other apps.

`cases` imports no other domain app, so the portal asks settings what the other apps add:

    PORTAL_URLCONFS   modules with `urlpatterns`, included under /gezin/ in the `portal`
                      namespace (their views start with `cases.portal.gate.portal_access`);
    PORTAL_SECTIONS   modules that may define
                          card(request, access) -> PortalCard | None   a card on the home page
                          NAV: list[PortalNav]                         items in the portal menu

A card is rendered with its own template and context, below the plan and the appointments,
in the order of PORTAL_SECTIONS, then of `PortalCard.order`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import include, path


@dataclass(frozen=True)
class PortalCard:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class PortalNav:
    key: str  # the page's `active` value
    url_name: str  # e.g. "portal:questionnaires"
    label: Any  # a lazy translation


@cache
def _modules() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(name) for name in settings.PORTAL_SECTIONS)


def cards(request: HttpRequest, access: Any) -> list[PortalCard]:
    found = []
    for module in _modules():
        make = getattr(module, "card", None)
        card = make(request, access) if make else None
        if card is not None:
            found.append(card)
    return sorted(found, key=lambda c: c.order)


def nav_items() -> list[PortalNav]:
    return [item for module in _modules() for item in getattr(module, "NAV", [])]


def urlpatterns() -> list[Any]:
    return [path("", include(name)) for name in settings.PORTAL_URLCONFS]
