"""The daily reminder job at 50,000 active families: the first run of the day and a run
that creates nothing (targets: under 10 s and under 2 s, the same number of queries), and
the mails they send (once, naming no family).

The database is seeded in bulk (bench_phases' families in an open phase, with contacts and
pending transitions), plus rows for every other source of settings.REMINDER_SOURCES: case
reviews, planned appointments that passed, legal measures that end, referrals past their
answer date and families in aftercare with a check-in planned, so each source's query has
work to do.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable

BASELINE = False  # sizes itself: 50,000 families, no demo data needed
FAMILIES = 50_000
# Families in aftercare, next to the active ones, each with a planned check-in.
AFTERCARE_FAMILIES = 2_500


def _populate_sources(today: datetime.date) -> None:
    """Rows for the sources bench_phases does not seed, in bulk (a few seconds)."""
    from cases.models import (
        Appointment,
        Family,
        FamilyStatus,
        LegalMeasure,
        Member,
        Partner,
        Referral,
        Team,
    )
    from phases.models import AftercareCheckin
    from reports.models import CaseReview

    day = datetime.timedelta(days=1)
    rng = random.Random(FAMILIES + 1)  # noqa: S311 - reproducible fictitious data
    team = Team.objects.get(name="Bench")
    families = list(Family.objects.filter(team=team).order_by("pk").values_list("pk", "coach_id"))
    reviews, appointments, children, referrals = [], [], [], []
    partner = Partner.objects.create(team=team, name="Bench partner", kind="other")
    for i, (family_id, coach_id) in enumerate(families):
        if i % 3 == 0:
            reviews.append(
                CaseReview(
                    family_id=family_id,
                    date=today - 80 * day,
                    next_review_on=today + rng.randint(-10, 40) * day,
                    created_by_id=coach_id,
                )
            )
        if i % 5 == 0:
            appointments.append(
                Appointment(
                    family_id=family_id,
                    kind="home_visit",
                    date=today + rng.randint(-40, 10) * day,
                    starts_at=datetime.time(10),
                    ends_at=datetime.time(11),
                    coach_id=coach_id,
                    created_by_id=coach_id,
                )
            )
        if i % 10 == 0:
            referrals.append(
                Referral(
                    family_id=family_id,
                    partner=partner,
                    reason="Bench",
                    asked_on=today - 60 * day,
                    expected_answer_on=today + rng.randint(-30, 10) * day,
                    created_by_id=coach_id,
                )
            )
        if i % 20 == 0:
            children.append(Member(family_id=family_id, name=f"Kind {i}", role="child"))
    CaseReview.objects.bulk_create(reviews, batch_size=5000)
    Appointment.objects.bulk_create(appointments, batch_size=5000)
    Referral.objects.bulk_create(referrals, batch_size=5000)
    Member.objects.bulk_create(children, batch_size=5000)
    LegalMeasure.objects.bulk_create(
        [
            LegalMeasure(
                family_id=child.family_id,
                member=child,
                kind="ots",
                starts_on=today - 300 * day,
                ends_on=today + rng.randint(0, 70) * day,
            )
            for child in children
        ],
        batch_size=5000,
    )
    coaches = sorted({coach_id for _, coach_id in families})
    aftercare = Family.objects.bulk_create(
        [
            Family(
                case_number=f"BENCH-A{i:05d}",
                display_name=f"Gezin A{i}",
                team=team,
                status=FamilyStatus.AFTERCARE,
                referrer="gp",
                referral_date=today - 400 * day,
                coach_id=coaches[i % len(coaches)],
            )
            for i in range(AFTERCARE_FAMILIES)
        ],
        batch_size=5000,
    )
    AftercareCheckin.objects.bulk_create(
        [
            AftercareCheckin(family=family, planned_on=today + rng.randint(-40, 20) * day)
            for family in aftercare
        ],
        batch_size=5000,
    )


def main(report: Callable[[str, float, str, str], None]) -> None:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from phases.models import Reminder
    from phases.reminders import reminders_run
    from tests.benchmarks import bench_phases

    today = timezone.localdate()
    started = time.perf_counter()
    bench_phases.FAMILIES = FAMILIES
    bench_phases._populate(today)
    _populate_sources(today)
    report(
        f"reminders: seed {FAMILIES:,} active families (bulk, every source)",
        time.perf_counter() - started,
        "s",
        "-",
    )
    if connection.vendor == "postgresql":
        # Planner statistics as a live database has them (autovacuum would run ANALYZE
        # soon after a bulk load).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        with CaptureQueriesContext(connection) as first_queries:
            started = time.perf_counter()
            created = reminders_run(today=today)
            first = time.perf_counter() - started
        first_mails = list(mail.outbox)
        with CaptureQueriesContext(connection) as again_queries:
            started = time.perf_counter()
            again = reminders_run(today=today)
            second = time.perf_counter() - started
        second_mails = list(mail.outbox[len(first_mails) :])
    report(f"reminder job at {FAMILIES:,}: first run of the day", first, "s", "< 10 s")
    report(f"reminder job at {FAMILIES:,}: reminders created", created, "reminders", "-")
    report(f"reminder job at {FAMILIES:,}: run that creates nothing", second, "s", "< 2 s")
    report(
        f"reminder job at {FAMILIES:,}: queries (first run / second run)",
        f"{len(first_queries)} / {len(again_queries)}",  # type: ignore[arg-type]
        "queries",
        "equal, fixed",
    )
    report(
        f"reminder job at {FAMILIES:,}: mails (first run / second run)",
        f"{len(first_mails)} / {len(second_mails)}",  # type: ignore[arg-type]
        "mails",
        "one per recipient / 0",
    )
    kinds = set(Reminder.objects.values_list("kind", flat=True).distinct())
    report(f"reminder job at {FAMILIES:,}: kinds of reminder made", len(kinds), "kinds", "all 10")
    assert again == 0 and Reminder.objects.count() == created
    assert len(first_queries) == len(again_queries)
    recipients = set(Reminder.objects.values_list("recipient_id", flat=True).distinct())
    assert len(first_mails) == len(recipients) and not second_mails
    # Mails name families by case number only.
    assert not any("Gezin" in m.subject or "Gezin" in m.body for m in first_mails)
