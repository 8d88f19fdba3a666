"""The portal's home card "Vragenlijst voor u" and the menu item (settings.PORTAL_SECTIONS)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.portal.extensions import PortalCard, PortalNav
from reports.portal import services

NAV = [PortalNav(key="questionnaires", url_name="portal:questionnaires", label=_("Vragenlijsten"))]


def card(request: HttpRequest, access: Any) -> PortalCard | None:
    found = services.questionnaires_for(access.family, access.member)
    if not found.waiting:
        return None
    return PortalCard(template="reports/portal/card.html", context={"found": found}, order=10)
