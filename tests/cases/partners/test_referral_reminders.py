"""The reminder when a referral's expected answer date has passed: not on the date, from
the day after; once; not for a referral that got its answer."""

from __future__ import annotations

import datetime

import pytest

from cases.models import FamilyStatus, ReferralStatus
from cases.partners import services
from phases.models import Reminder, ReminderKind
from phases.reminders import reminders_run
from tests.cases.partners.factories import PartnerFactory, referral

pytestmark = pytest.mark.django_db

ANSWER = datetime.date(2026, 3, 10)


@pytest.fixture
def waiting(family, team, alice):  # type: ignore[no-untyped-def]
    return referral(
        family,
        PartnerFactory(team=team),
        alice,
        asked_on=datetime.date(2026, 3, 1),
        expected=ANSWER,
    )


def _reminders():  # type: ignore[no-untyped-def]
    return list(Reminder.objects.filter(kind=ReminderKind.REFERRAL_ANSWER_DUE))


def test_nothing_on_the_answer_date_itself(waiting):
    reminders_run(today=ANSWER, send_email=False)
    assert _reminders() == []


def test_the_day_after_the_coach_is_reminded_once(waiting, alice):
    reminders_run(today=ANSWER + datetime.timedelta(days=1), send_email=False)
    [reminder] = _reminders()
    assert reminder.recipient == alice and reminder.family == waiting.family
    assert reminder.subject == f"referral:{waiting.pk}" and reminder.due_on == ANSWER
    reminders_run(today=ANSWER + datetime.timedelta(days=2), send_email=False)
    assert len(_reminders()) == 1


def test_a_moved_answer_date_is_reminded_again_when_it_passes(waiting, alice):
    reminders_run(today=ANSWER + datetime.timedelta(days=1), send_email=False)
    later = ANSWER + datetime.timedelta(days=14)
    services.referral_status_change(
        referral=waiting,
        by=alice,
        status=ReferralStatus.WAITING,
        on=ANSWER,
        expected_answer_on=later,
    )
    reminders_run(today=later, send_email=False)
    assert len(_reminders()) == 1
    reminders_run(today=later + datetime.timedelta(days=1), send_email=False)
    assert sorted(r.due_on for r in _reminders()) == [ANSWER, later]


@pytest.mark.parametrize("status", [ReferralStatus.STARTED, ReferralStatus.REFUSED])
def test_an_answered_referral_is_not_reminded(waiting, alice, status):
    services.referral_status_change(referral=waiting, by=alice, status=status, on=ANSWER)
    reminders_run(today=ANSWER + datetime.timedelta(days=5), send_email=False)
    assert _reminders() == []


def test_a_closed_family_is_not_reminded(waiting):
    waiting.family.status = FamilyStatus.CLOSED
    waiting.family.save(update_fields=["status"])
    reminders_run(today=ANSWER + datetime.timedelta(days=5), send_email=False)
    assert _reminders() == []
