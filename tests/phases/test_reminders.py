from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Family, FamilyStatus, Role
from phases import services
from phases.budget import phase_figures_for
from phases.models import (
    PhaseEpisode,
    Reminder,
    ReminderKind,
    Step,
    Transition,
    TransitionStatus,
)
from phases.reminders import add_months, reminders_run
from tests.factories import ContactFactory, FamilyFactory, member_of
from tests.phases.helpers import open_phase

pytestmark = pytest.mark.django_db

PLANNED_END = datetime.date(2026, 6, 15)


def kinds(**filters):  # type: ignore[no-untyped-def]
    return sorted(Reminder.objects.filter(**filters).values_list("kind", flat=True))


@pytest.fixture
def phase(family, alice):  # type: ignore[no-untyped-def]
    episode = open_phase(
        family,
        kind="analysis",
        started_on=PLANNED_END - datetime.timedelta(weeks=6),
        planned_end=PLANNED_END,
    )
    return episode


def _contact_recently(family, alice, today):  # type: ignore[no-untyped-def]
    # Keep the "no contact" reminder out of tests about other kinds.
    ContactFactory(family=family, author=alice, date=today - datetime.timedelta(days=1), minutes=5)


@pytest.mark.parametrize(
    ("days_from_end", "expected"),
    [
        (-8, []),
        (-7, ["phase_ends_soon"]),
        (-1, ["phase_ends_soon"]),  # the day before the planned end
        (0, ["phase_ends_soon"]),  # the day of the planned end
        (1, ["phase_overdue"]),  # the day after
    ],
)
def test_planned_end_boundaries(family, alice, phase, days_from_end, expected):
    today = PLANNED_END + datetime.timedelta(days=days_from_end)
    _contact_recently(family, alice, today)
    reminders_run(today=today)
    assert kinds(recipient=alice) == expected
    assert set(Reminder.objects.values_list("due_on", flat=True)) <= {PLANNED_END}


def test_overdue_reaches_coach_and_psychologist_once(family, alice, bob, psychologist, phase):
    for offset in (1, 2, 30):
        today = PLANNED_END + datetime.timedelta(days=offset)
        _contact_recently(family, alice, today)
        reminders_run(today=today)
    assert kinds(recipient=alice) == ["phase_overdue"]
    assert kinds(recipient=psychologist) == ["phase_overdue"]
    assert kinds(recipient=bob) == []


def test_job_is_idempotent(family, alice, psychologist, phase):
    today = PLANNED_END + datetime.timedelta(days=20)  # overdue and no contact for 14 days
    first = reminders_run(today=today)
    assert first == 3  # overdue ×2 (coach, psychologist), no contact ×1
    assert reminders_run(today=today) == 0
    assert Reminder.objects.count() == 3
    out = io.StringIO()
    call_command("run_reminders", stdout=out)
    call_command("run_reminders", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "0 herinneringen aangemaakt"


def test_command_reports_the_number_first(family, alice, phase):
    out = io.StringIO()
    call_command("run_reminders", stdout=out)
    created = Reminder.objects.count()
    assert created > 0
    assert out.getvalue().strip().splitlines()[-1] == f"{created} herinneringen aangemaakt"


def test_no_contact_for_14_days(family, alice, phase):
    today = PLANNED_END - datetime.timedelta(days=20)
    ContactFactory(family=family, author=alice, date=today - datetime.timedelta(days=13))
    reminders_run(today=today)
    assert kinds() == []
    reminders_run(today=today + datetime.timedelta(days=1))
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.recipient, reminder.due_on) == (
        ReminderKind.NO_CONTACT,
        alice,
        today + datetime.timedelta(days=1),
    )


def test_no_contact_only_for_active_families(team, alice):
    FamilyFactory(team=team, coach=alice, status=FamilyStatus.REFERRED)
    FamilyFactory(team=team, coach=alice, status=FamilyStatus.CLOSED)
    assert reminders_run(today=timezone.localdate()) == 0


def test_ninety_percent_of_the_budget(family, alice, phase):
    today = PLANNED_END - datetime.timedelta(days=20)
    # Analysis: 6 weeks × 6 h = 36 h; 32 h is 89%, 32.5 h is 90%.
    for day in range(16):
        ContactFactory(
            family=family, author=alice, date=today - datetime.timedelta(days=day), minutes=120
        )
    reminders_run(today=today)
    assert kinds() == []
    ContactFactory(family=family, author=alice, date=today, minutes=30)
    reminders_run(today=today)
    assert kinds() == ["budget_nearly_used"]
    # Extra hours on relapse lift the budget: no new warning for the same phase.
    services.extra_hours_add(family=family, by=alice, hours=Decimal(20), reason="Terugval")
    assert reminders_run(today=today) == 0


def test_reminders_agree_with_the_phase_flags(team, alice):
    """The job and the family page/caseload read one rule: for episodes on the edges, the
    overdue and 90% reminders are exactly the flags `with_phase_flags` gives."""
    today = PLANNED_END
    started_on = today - datetime.timedelta(weeks=4)
    yesterday, later = today - datetime.timedelta(days=1), today + datetime.timedelta(weeks=2)
    # Analysis: 6 weeks × 6 h = 36 h, of which 90% is 32.4 h = 1944 minutes. 1941 minutes
    # (32.35 h) rounds half up to 32.4 h; 1940 minutes (32.33 h) rounds to 32.3 h.
    edges = {
        # name: (planned end, contact minutes, extra hours, weeks_max if not the definition's)
        "ended yesterday": (yesterday, 0, 0, None),
        "ends today": (today, 0, 0, None),
        "exactly 90%": (later, 1944, 0, None),
        "rounds up to 90%": (later, 1941, 0, None),
        "just under 90%": (later, 1940, 0, None),
        "90% before extra hours": (later, 1944, 1, None),
        "90% with extra hours": (later, 1998, 1, None),  # 33.3 h of 37 h
        "overdue and 90%": (yesterday, 1944, 0, None),
        "no budget": (later, 0, 0, 0),
    }
    families = {}
    for name, (planned_end, minutes, extra, weeks_max) in edges.items():
        family = FamilyFactory(team=team, coach=alice, display_name=name)
        episode = open_phase(
            family, kind="analysis", started_on=started_on, planned_end=planned_end
        )
        assert episode.budget_max == 36
        if weeks_max is not None:
            PhaseEpisode.objects.filter(pk=episode.pk).update(weeks_min=0, weeks_max=weeks_max)
        # Contacts of two hours a day, the remainder on the last day.
        for day, start in enumerate(range(0, minutes, 120)):
            ContactFactory(
                family=family,
                author=alice,
                date=started_on + datetime.timedelta(days=day),
                minutes=min(120, minutes - start),
            )
        if extra:
            services.extra_hours_add(
                family=family, by=alice, hours=Decimal(extra), reason="Terugval"
            )
        families[family.pk] = name

    reminders_run(today=today)

    flags = phase_figures_for(list(families), today=today)
    from_reminders, from_flags = {}, {}
    for family_id, name in families.items():
        reminded = set(Reminder.objects.filter(family_id=family_id).values_list("kind", flat=True))
        from_reminders[name] = (
            ReminderKind.PHASE_OVERDUE in reminded,
            ReminderKind.BUDGET_NEARLY_USED in reminded,
        )
        from_flags[name] = (flags[family_id].overdue, flags[family_id].nearly_used)
    assert from_reminders == from_flags
    # The edges fall on both sides of both rules, so the agreement is not a vacuous one.
    assert from_flags == {
        "ended yesterday": (True, False),
        "ends today": (False, False),
        "exactly 90%": (False, True),
        "rounds up to 90%": (False, True),
        "just under 90%": (False, False),
        "90% before extra hours": (False, False),
        "90% with extra hours": (False, True),
        "overdue and 90%": (True, True),
        "no budget": (False, False),
    }


def test_transition_awaiting_approval(family, alice, psychologist, phase):
    today = PLANNED_END - datetime.timedelta(days=20)
    _contact_recently(family, alice, today)
    services.transition_propose(
        family=family, by=alice, role=Role.COACH, effective_on=today, today=today
    )
    reminders_run(today=today)
    assert kinds(recipient=psychologist) == ["approval_pending"]
    assert kinds(recipient=alice) == ["approval_pending"]


def _closed(family, alice, closed_on):  # type: ignore[no-untyped-def]
    family.status = FamilyStatus.AFTERCARE
    family.save()
    Transition.objects.create(
        family=family,
        from_step="closing",
        to_step=Step.CLOSED,
        status=TransitionStatus.APPLIED,
        effective_on=closed_on,
        proposed_by=alice,
    )
    # Going into aftercare plans the check-ins (the records the reminder reads).
    services.aftercare_plan(family=family, closed_on=closed_on)


def test_aftercare_checkins_at_3_and_6_months(family, alice):
    closed_on = datetime.date(2026, 1, 31)
    _closed(family, alice, closed_on)
    assert reminders_run(today=datetime.date(2026, 4, 22)) == 0  # 8 days before 3 months
    assert reminders_run(today=datetime.date(2026, 4, 23)) == 1
    assert Reminder.objects.get().due_on == datetime.date(2026, 4, 30)  # clamped to month end
    assert reminders_run(today=datetime.date(2026, 4, 30)) == 0
    assert reminders_run(today=datetime.date(2026, 7, 31)) == 1
    assert list(Reminder.objects.order_by("due_on").values_list("due_on", flat=True)) == [
        datetime.date(2026, 4, 30),
        datetime.date(2026, 7, 31),
    ]


def test_aftercare_months_are_a_setting(family, alice, settings):
    settings.PHASES = {**settings.PHASES, "AFTERCARE_CHECKIN_MONTHS": [1]}
    _closed(family, alice, datetime.date(2026, 1, 10))
    assert reminders_run(today=datetime.date(2026, 2, 10)) == 1
    assert reminders_run(today=datetime.date(2026, 4, 10)) == 0


@pytest.mark.parametrize(
    ("planned_end", "utc_instant"),
    [
        # Last Sunday of March 2026: clocks go 02:00 → 03:00. 23:30 UTC on Saturday is
        # already Sunday 00:30 in Amsterdam (CET, +1).
        (datetime.date(2026, 3, 29), datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC)),
        # Last Sunday of October 2026: 03:00 → 02:00. 22:30 UTC on Saturday is Sunday
        # 00:30 in Amsterdam (CEST, +2).
        (
            datetime.date(2026, 10, 25),
            datetime.datetime(2026, 10, 24, 22, 30, tzinfo=datetime.UTC),
        ),
    ],
)
def test_dst_change_uses_the_amsterdam_date(family, alice, planned_end, utc_instant):
    open_phase(
        family,
        kind="closing",
        started_on=planned_end - datetime.timedelta(weeks=6),
        planned_end=planned_end,
    )
    today = timezone.localdate(utc_instant)
    assert today == planned_end  # the UTC date would still be the Saturday
    _contact_recently(family, alice, today)
    reminders_run(today=today)
    assert kinds() == ["phase_ends_soon"]
    # 07:00 Amsterdam the day after, across the change, is the first overdue day.
    next_morning = timezone.localdate(utc_instant + datetime.timedelta(hours=30))
    assert next_morning == planned_end + datetime.timedelta(days=1)
    reminders_run(today=next_morning)
    assert kinds() == ["phase_ends_soon", "phase_overdue"]


def test_mail_once_per_person_and_only_for_new_reminders(family, alice, psychologist, phase):
    alice.email = "alice@example.org"
    alice.save()
    psychologist.email = "psy@example.org"
    psychologist.save()
    today = PLANNED_END + datetime.timedelta(days=20)
    reminders_run(today=today)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "psy@example.org"]
    to_alice = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    # E-mail is not a safe channel: families by case number, never by name.
    family = Family.objects.get(display_name="Gezin Jansen")
    assert family.case_number in to_alice.body
    assert "Gezin Jansen" not in to_alice.body
    assert "Geen contact in 14 dagen" in to_alice.body
    reminders_run(today=today)
    assert len(mail.outbox) == 2


def test_mail_speaks_the_recipients_language(family, alice, psychologist, phase):
    from cases.models import UserPreference

    alice.email = "alice@example.org"
    alice.save()
    psychologist.email = "psy@example.org"
    psychologist.save()
    UserPreference.objects.create(user=alice, language="en")
    reminders_run(today=PLANNED_END + datetime.timedelta(days=20))
    to_alice = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    to_psy = next(m for m in mail.outbox if m.to == ["psy@example.org"])
    assert "new reminders" in to_alice.subject
    assert "nieuwe herinneringen" in to_psy.subject


def _families_in_every_state(team, coach, n):  # type: ignore[no-untyped-def]
    today = PLANNED_END
    for i in range(n):
        family = FamilyFactory(team=team, coach=coach)
        open_phase(
            family,
            kind="analysis",
            started_on=today - datetime.timedelta(days=60 + i),
            planned_end=today - datetime.timedelta(days=i % 3),
        )
        if i % 2:
            ContactFactory(family=family, author=coach, date=today - datetime.timedelta(days=1))
        if i % 3 == 0:
            Transition.objects.create(
                family=family,
                from_step="analysis",
                to_step="execution",
                effective_on=today,
                proposed_by=coach,
            )
        closed = FamilyFactory(team=team, coach=coach, status=FamilyStatus.CLOSED)
        Transition.objects.create(
            family=closed,
            from_step="closing",
            to_step=Step.CLOSED,
            status=TransitionStatus.APPLIED,
            effective_on=add_months(today, -3),
            proposed_by=coach,
        )


def _queries_for(n, team):  # type: ignore[no-untyped-def]
    Reminder.objects.all().delete()
    Transition.objects.all().delete()
    Family.objects.all().delete()
    coach = member_of(team, Role.COACH, username=f"coach{n}", email=f"c{n}@example.org")
    _families_in_every_state(team, coach, n)
    with CaptureQueriesContext(connection) as context:
        created = reminders_run(today=PLANNED_END)
    with CaptureQueriesContext(connection) as again:
        assert reminders_run(today=PLANNED_END) == 0
    # A run that creates nothing makes the same queries.
    assert len(again.captured_queries) == len(context.captured_queries)
    return len(context.captured_queries), created


def test_query_count_does_not_grow_with_families(team, psychologist):
    few, created_few = _queries_for(3, team)
    many, created_many = _queries_for(30, team)
    assert created_many > created_few > 0
    # 12: the savepoint and its release (the test's transaction), one INSERT ... SELECT
    # per source query (phase_dues has two: nine in all) and one read of what the run
    # made, with the recipients' languages, for the e-mails; on PostgreSQL one more
    # switches JIT off for the job (phases.reminders.reminders_run).
    assert many == few <= (13 if connection.vendor == "postgresql" else 12)


def test_demo_database_gets_reminders_once():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = reminders_run()
    assert first > 0
    assert reminders_run() == 0
    present = set(Reminder.objects.values_list("kind", flat=True))
    assert {"phase_overdue", "phase_ends_soon", "approval_pending"} <= present
    # Every active demo family is in exactly one open phase.
    active = Family.objects.filter(status=FamilyStatus.ACTIVE)
    from phases.models import PhaseEpisode

    assert PhaseEpisode.objects.open().filter(family__in=active).count() == active.count()
    assert Transition.objects.filter(status=TransitionStatus.PENDING).count() == 1
    from phases.budget import phase_figures_for

    figures = phase_figures_for(active, today=timezone.localdate()).values()
    assert {f.kind for f in figures} == {"start", "analysis", "execution", "closing"}
    assert any(f.over_budget for f in figures)
    assert any(f.under_band for f in figures)
    assert any(f.overdue for f in figures)
    assert any(not f.overdue for f in figures)


def test_demo_history_agrees_with_referrals_and_contacts():
    # Only contacts outside the trajectory go: every coach keeps contacts.
    from django.db.models import Max, Min

    from cases.models import Contact
    from phases.models import PhaseEpisode

    call_command("seed_demo", stdout=io.StringIO())
    for family in Family.objects.filter(phase_episodes__isnull=False).distinct():
        first = PhaseEpisode.objects.filter(family=family).aggregate(d=Min("started_on"))["d"]
        # A reopened file keeps its first referral in its first trajectory.
        first_referral = (
            family.trajectories.aggregate(d=Min("referral_date"))["d"] or family.referral_date
        )
        assert first_referral == first - datetime.timedelta(days=7)
        contacts = Contact.objects.filter(family=family).aggregate(lo=Min("date"), hi=Max("date"))
        if contacts["lo"] is not None:
            assert contacts["lo"] >= first, family
        if family.status == FamilyStatus.CLOSED and contacts["hi"] is not None:
            closed = PhaseEpisode.objects.filter(family=family).aggregate(d=Max("ended_on"))["d"]
            assert contacts["hi"] <= closed, family
    assert Contact.objects.filter(author__username="coach-zuidoost").count() > 20


def test_long_mail_is_cut_short(team, alice):
    alice.email = "alice@example.org"
    alice.save()
    for _ in range(30):
        FamilyFactory(team=team, coach=alice, referral_date=PLANNED_END - datetime.timedelta(60))
    assert reminders_run(today=PLANNED_END) == 30
    (message,) = mail.outbox
    assert message.body.count("Geen contact in 14 dagen") == 25
    assert "… en nog 5." in message.body
    # The subject counts them all, not only the lines the mail lists.
    assert "30 nieuwe herinneringen" in message.subject


def test_mails_go_out_once_list_the_earliest_and_name_no_family(team, family, alice, psychologist):
    alice.email = "alice@example.org"
    alice.save()
    psychologist.email = "psy@example.org"
    psychologist.save()
    # Gezin Jansen (Naomi Jansen) is past its phase's end: the coach and the psychologist.
    open_phase(
        family,
        kind="analysis",
        started_on=PLANNED_END - datetime.timedelta(weeks=10),
        planned_end=PLANNED_END - datetime.timedelta(days=3),
    )
    # And 30 families without contact for the coach, the oldest referred first.
    for days in range(30):
        FamilyFactory(
            team=team, coach=alice, referral_date=PLANNED_END - datetime.timedelta(40 + days)
        )
    with CaptureQueriesContext(connection) as context:
        created = reminders_run(today=PLANNED_END)
    assert created == Reminder.objects.count() == 33
    # The job never reads a family's or a member's name.
    assert not any("display_name" in q["sql"] for q in context.captured_queries)
    assert not any('"cases_member"' in q["sql"] for q in context.captured_queries)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "psy@example.org"]
    to_alice = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    assert "32 nieuwe herinneringen" in to_alice.subject
    assert "… en nog 7." in to_alice.body
    # The earliest dates first: the mail lists reminders due on or before this one only.
    from cases.formats import short_date

    by_date = list(Reminder.objects.filter(recipient=alice).order_by("due_on", "pk"))
    lines = [
        f"- {r.get_kind_display()}: {r.family.case_number} ({short_date(r.due_on)})"
        for r in by_date
    ]
    assert all(line in to_alice.body for line in lines[:25])
    assert not any(line in to_alice.body for line in lines[25:])
    for message in mail.outbox:
        for text in (message.subject, message.body):
            assert "Gezin" not in text
            assert "Jansen" not in text
    # Once: the next run, and the next day's, make and mail nothing new.
    assert reminders_run(today=PLANNED_END) == 0
    assert reminders_run(today=PLANNED_END + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 2
