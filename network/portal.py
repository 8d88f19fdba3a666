"""The network's card on the family portal's home page (settings.PORTAL_SECTIONS).

Who in the family's network does what, and the agreements the network made: names,
relations, special roles and the agreements' what/when. Never a note, a safety note, a
phone number, the quality of a relationship or an evaluation: only what the family
agreed to with its network. Names are fine: it is the family's own portal.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from cases.portal.extensions import PortalCard
from network.models import Agreement, AgreementStatus, NetworkMember


def card(request: HttpRequest, access: Any) -> PortalCard | None:
    family = access.family
    agreements = list(
        Agreement.objects.filter(family=family)
        .exclude(status=AgreementStatus.STOPPED)
        .select_related("network_member", "family_member")
        .only(
            "id",
            "who_kind",
            "professional",
            "what",
            "due_date",
            "frequency",
            "status",
            "network_member__id",
            "network_member__name",
            "family_member__id",
            "family_member__name",
        )
        .order_by("status", "due_date", "pk")
    )
    helpers = list(
        NetworkMember.objects.filter(family=family)
        .filter(Q(willing_to_contribute=True) | ~Q(special_role=""))
        .only("id", "name", "relation", "special_role")
        .order_by("name", "pk")
    )
    if not agreements and not helpers:
        return None
    return PortalCard(
        template="network/portal_card.html",
        context={"agreements": agreements, "helpers": helpers},
        order=50,
    )
