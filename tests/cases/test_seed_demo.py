from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F

from cases.models import Contact, Family, Member, Membership
from familiekracht.demo.users import DEMO_PASSWORD, DEMO_USERS
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_teams_users_and_families(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for username, *_ in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
        assert username in out
    # Each team also has the researcher (onderzoeker), a member of both.
    assert Membership.objects.filter(team__name="Amsterdam Zuidoost").count() == 5
    assert Membership.objects.filter(team__name="Den Haag").count() == 4
    for team in ("Amsterdam Zuidoost", "Den Haag"):
        families = Family.objects.filter(team__name=team)
        assert 10 <= families.count() <= 15
        assert all(f.members.count() >= 3 for f in families)
    assert Contact.objects.count() > 100
    # Every contact is authored by the family's own coach.
    assert not Contact.objects.exclude(author_id=F("family__coach_id")).exists()
    # Contacts in the evening and on a Saturday (outside office hours), in office hours, and
    # older ones without a start time.
    timed = list(Contact.objects.filter(start_time__isnull=False))
    assert any(c.date.isoweekday() == 6 and c.outside_office_hours for c in timed)
    assert any(c.start_time.hour >= 18 and c.date.isoweekday() <= 5 for c in timed)
    assert any(c.outside_office_hours is False for c in timed)
    assert Contact.objects.filter(start_time__isnull=True).exists()


def test_seed_demo_twice_adds_nothing(capsys):
    call_command("seed_demo")
    counts = (Family.objects.count(), Member.objects.count(), Contact.objects.count())
    call_command("seed_demo")
    assert (Family.objects.count(), Member.objects.count(), Contact.objects.count()) == counts


def test_seed_demo_refuses_a_database_with_real_families():
    FamilyFactory(case_number="FK-2026-0001")
    with pytest.raises(CommandError, match="echte gezinnen"):
        call_command("seed_demo")
    assert Family.objects.count() == 1


def test_if_empty_leaves_a_used_database_alone(capsys):
    FamilyFactory(case_number="FK-2026-0001")
    call_command("seed_demo", "--if-empty")
    assert Family.objects.count() == 1


def test_load_families_spread_over_zuidoost_coaches():
    call_command("seed_demo", "--families", "60")
    zuidoost = Family.objects.filter(team__name="Amsterdam Zuidoost")
    # 12 base families and one reopened file (familiekracht/demo/intake.py), and the 60.
    assert zuidoost.count() == 13 + 60
    coaches = set(zuidoost.values_list("coach__username", flat=True))
    assert coaches == {"coach-zuidoost", "coach2-zuidoost"}
    assert Contact.objects.filter(family__in=zuidoost).count() > 60 * 3
