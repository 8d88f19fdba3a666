"""The portal messages' part of the family file (listed in settings.FAMILY_SECTIONS): a tab
with the messages, and on the overview the number of unread ones from the family."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from cases.models import PortalMessage
from cases.permissions import FamilyAccess
from cases.sections import Section, count_per_family, family_figures


def family_figures_of_messages(request: HttpRequest) -> dict[str, Any]:
    """How many messages from the family the team has not read (in the page's one query)."""
    return {
        "portal_unread_count": count_per_family(
            PortalMessage.objects.unread_by_staff().filter(family=OuterRef("pk"))
        ),
    }


def family_panel(request: HttpRequest, access: FamilyAccess) -> str:
    """Only when there is something to read, and only for who may answer: no query."""
    unread = family_figures(request, access.family)["portal_unread_count"]
    if not unread or not access.can_write:
        return ""
    return render_to_string(
        "portal/messages_panel.html",
        {"family": access.family, "unread": unread},
        request=request,
    )


messages = Section(
    key="portal_messages",
    label=_("Berichten"),
    url_name="cases:portal_messages",
    panel=family_panel,
    figures=family_figures_of_messages,
    # The family writes to those who work with it; a colleague who only reads gets 403.
    writers_only=True,
)
