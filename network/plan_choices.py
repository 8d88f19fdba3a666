"""The family's network members as the choices of a network action in the family plan
(settings.PLAN_ACTION_WHO_CHOICES; cases.plan.forms reads it, as cases imports no app)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cases.models import ActionSource, Family, PlanAction

WHO_MAX = PlanAction._meta.get_field("who_name").max_length


def who_choices(family: Family) -> list[tuple[str, str, list[str]]]:
    names = [
        f"{m.name} ({m.relation})"[:WHO_MAX]
        for m in family.network_members.order_by("name").only("name", "relation")
    ]
    return [(ActionSource.NETWORK, _("Netwerk"), names)]
