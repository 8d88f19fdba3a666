"""The daily reminder job against 10,000 active families, each in an open phase."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable

FAMILIES = 10_000


def _populate(today: datetime.date) -> None:
    from django.contrib.auth import get_user_model

    from cases.models import Contact, ContactKind, Family, FamilyStatus, Membership, Role, Team
    from phases.models import PHASE_ORDER, PhaseEpisode, Transition, planned_end_for
    from phases.services import definitions_for

    rng = random.Random(FAMILIES)  # noqa: S311 - reproducible fictitious data
    team = Team.objects.create(name="Bench")
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"bench-{i}", email=f"bench-{i}@example.org") for i in range(21)]
    )
    coaches, psychologist = users[:20], users[20]
    Membership.objects.bulk_create(
        [Membership(user=u, team=team, role=Role.COACH) for u in coaches]
        + [Membership(user=psychologist, team=team, role=Role.PSYCHOLOGIST)]
    )
    families = Family.objects.bulk_create(
        [
            Family(
                case_number=f"BENCH-{i:05d}",
                display_name=f"Gezin {i}",
                team=team,
                status=FamilyStatus.ACTIVE,
                referrer="gp",
                referral_date=today - datetime.timedelta(days=400),
                coach=coaches[i % len(coaches)],
            )
            for i in range(FAMILIES)
        ],
        batch_size=2000,
    )
    definitions = definitions_for(team)
    episodes, contacts, transitions = [], [], []
    for i, family in enumerate(families):
        definition = definitions[PHASE_ORDER[i % 4]]
        started = today - datetime.timedelta(days=rng.randint(1, definition.weeks_max * 7 + 30))
        episodes.append(
            PhaseEpisode(
                family=family,
                kind=definition.kind,
                started_on=started,
                planned_end=planned_end_for(started, definition.weeks_max),
                weeks_min=definition.weeks_min,
                weeks_max=definition.weeks_max,
                hours_min=definition.hours_min,
                hours_max=definition.hours_max,
            )
        )
        for _ in range(rng.randint(0, 6)):
            contacts.append(
                Contact(
                    family=family,
                    date=today - datetime.timedelta(days=rng.randint(0, 60)),
                    minutes=rng.choice([30, 60, 90, 120, 240]),
                    kind=ContactKind.HOME_VISIT,
                    author_id=family.coach_id,
                )
            )
        if i % 50 == 0:
            transitions.append(
                Transition(
                    family=family,
                    from_step=definition.kind,
                    to_step=PHASE_ORDER[(i % 4) + 1] if i % 4 < 3 else "closed",
                    effective_on=today,
                    proposed_by_id=family.coach_id,
                )
            )
    PhaseEpisode.objects.bulk_create(episodes, batch_size=5000)
    Contact.objects.bulk_create(contacts, batch_size=5000)
    Transition.objects.bulk_create(transitions, batch_size=5000)


def main(report: Callable[[str, float, str, str], None]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from phases.models import Reminder
    from phases.reminders import reminders_run

    today = timezone.localdate()
    started = time.perf_counter()
    _populate(today)
    report("phases: seed 10,000 active families", time.perf_counter() - started, "s", "-")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            created = reminders_run(today=today)
            seconds = time.perf_counter() - started
        report("reminder job, 10,000 active families", seconds, "s", "< 5 s")
        report("reminder job, queries", len(queries.captured_queries), "queries", "fixed")
        report("reminder job, reminders created", created, "reminders", "-")
        started = time.perf_counter()
        again = reminders_run(today=today)
        report(
            "reminder job, second run (creates nothing)",
            time.perf_counter() - started,
            "s",
            "< 5 s",
        )
    assert again == 0 and Reminder.objects.count() == created
