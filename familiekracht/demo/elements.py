"""The demo's working elements on contacts and the professionals' questionnaires.

Working elements are ticked on most contacts (one to three each; some contacts have none),
and one element of each team is no longer in use but stays on its contacts. The coach
records their own SDM for some families. In Zuidoost every professional filled in the
implementation questionnaire this half year and three did the previous one (shown); in Den
Haag only two did (too few: suppressed). All through the services the views call.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from cases.elements import services as element_services
from cases.models import FAMILY_WORK_ROLES, Contact, Family, Membership, Team, WorkingElement
from reports import services as report_services
from reports.models import IMPLEMENTATION_ITEMS, QuestionnaireMoment, half_of

REMARKS = [
    "De tijd voor het netwerkberaad schiet er vaak bij in.",
    "De krachtenanalyse met de kinderen helpt om het gesprek te openen.",
    "Wachttijden bij de ggz maken het moeilijk om vaart te houden.",
    "",
]


def seed(families: Sequence[Family], *, team: Team, rng: random.Random) -> None:
    elements = list(WorkingElement.objects.of_team(team.pk).active())
    if not elements:
        return
    for n, contact in enumerate(Contact.objects.filter(family__in=families).order_by("date", "pk")):
        if n % 5 == 4:
            continue  # an untouched contact now and then
        contact.working_elements.add(*rng.sample(elements, rng.randint(1, 3)))
    # One element no longer in use: it stays on the contacts that have it.
    retired = elements[-1]
    element_services.working_element_update(
        element=retired, version=retired.version, data={"active": False}
    )
    for i, family in enumerate(families):
        if family.coach is None or i % 3:
            continue
        for moment, base in (
            (QuestionnaireMoment.START, 2),
            (QuestionnaireMoment.AFTER_ANALYSIS, 4),
        ):
            if moment == QuestionnaireMoment.AFTER_ANALYSIS and i % 2:
                continue
            report_services.professional_sdm_record(
                family=family,
                professional=family.coach,
                moment=moment,
                date=timezone.localdate() - datetime.timedelta(days=rng.randint(5, 90)),
                items=[min(5, max(0, base + rng.choice([-1, 0, 1]))) for _ in range(9)],
            )
    _implementation(team, rng)


def _implementation(team: Team, rng: random.Random) -> None:
    users = [
        m.user
        # The professionals (not a researcher, who is a member of several teams).
        for m in Membership.objects.filter(team=team, role__in=FAMILY_WORK_ROLES)
        .select_related("user")
        .order_by("user__username")
    ]
    today = timezone.localdate()
    previous = (
        today.replace(month=1, day=15)
        if half_of(today) == 2
        else today.replace(year=today.year - 1, month=9, day=15)
    )
    # A team of four and more shows its results; a smaller team answers too few.
    now_count = len(users) if len(users) >= 4 else 2
    for when, people in (
        (today, users[:now_count]),
        (previous, users[:3] if len(users) >= 4 else []),
    ):
        for user in people:
            report_services.implementation_record(
                team=team,
                professional=user,
                date=when,
                answers=_answers(rng),
                remark=rng.choice(REMARKS),
            )


def _answers(rng: random.Random) -> dict[str, Any]:
    return {name: rng.randint(2, 5) for names in IMPLEMENTATION_ITEMS.values() for name in names}
