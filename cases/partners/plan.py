"""Who a professional's plan action can be chosen from: the team's colleagues and the
partners' contact people (settings.PLAN_ACTION_WHO_CHOICES; the network app gives the
network's)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cases.models import ActionSource, Family, PlanAction
from cases.partners.contact_form import colleagues, partner_contacts

WHO_MAX = PlanAction._meta.get_field("who_name").max_length


def who_choices(family: Family) -> list[tuple[str, str, list[str]]]:
    """(action source, group label, names) for the plan action form's chooser."""
    team = [(user.get_full_name() or user.get_username())[:WHO_MAX] for user in colleagues(family)]
    partners = [contact.label[:WHO_MAX] for contact in partner_contacts(family)]
    return [
        (ActionSource.PROFESSIONAL, _("Collega's"), team),
        (ActionSource.PROFESSIONAL, _("Partners"), partners),
    ]
