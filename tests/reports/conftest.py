from __future__ import annotations

import pytest

from cases.models import ActionSource
from tests.cases.plan_factories import ActionFactory, GoalFactory, PlanFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    # The user factories hash passwords; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(family, alice):  # type: ignore[no-untyped-def]
    plan = PlanFactory(family=family, number=1, created_by=alice)
    naomi = family.members.get(name="Naomi Jansen")
    GoalFactory(plan=plan, owner=naomi, text="Ik wil weer goed slapen")
    GoalFactory(plan=plan, owner=naomi, text="Noah gaat elke dag naar school")
    GoalFactory(plan=plan, owner=naomi, text="We betalen de huur op tijd")
    ActionFactory(plan=plan, source=ActionSource.PROFESSIONAL, who_name="huisarts", what="PROHULP")
    ActionFactory(plan=plan, source=ActionSource.NETWORK, who_name="oma Ria", what="NETWERKHULP")
    return plan
