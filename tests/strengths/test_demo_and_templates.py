from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from django.conf import settings

from cases.models import Family, FamilyStatus
from familiekracht.demo import families as demo_families
from familiekracht.demo import seed
from familiekracht.demo import strengths as demo
from familiekracht.demo.users import create_teams_and_users
from strengths.models import MemberAnalysis, Moment, ScoreSheet, TimelineEvent, inclusion_check

pytestmark = pytest.mark.django_db


def _families(count, rng_seed=1):  # type: ignore[no-untyped-def]
    made = create_teams_and_users()
    team = made.teams["Amsterdam Zuidoost"]
    return demo_families.create_families(
        team=team,
        coaches=[made.users["coach-zuidoost"]],
        count=count,
        start_number=1,
        rng=random.Random(rng_seed),
        contacts_per_family=(1, 2),
        with_attendance=False,
    )


def test_base_seed():
    seed.seed_base()
    families = list(Family.objects.filter(team__name="Amsterdam Zuidoost").order_by("pk")[:6])
    active = [f for f in families if f.status != FamilyStatus.REFERRED]
    assert active
    missing_somewhere = False
    for family in families:
        members = family.members.count()
        analysed = MemberAnalysis.objects.filter(family=family).count()
        assert 0 < analysed <= members
        missing_somewhere |= analysed < members
        assert 4 <= TimelineEvent.objects.filter(family=family).count() <= 8
    assert missing_somewhere
    for family in active:
        moments = Moment.objects.filter(family=family)
        assert 2 <= moments.count() <= 3
        assert inclusion_check(family) is not None
        # The profile changes between the first and the last moment.
        first, last = moments.order_by("date")[0], moments.order_by("date").last()
        sheets = [ScoreSheet.objects.get(moment=m, perspective="joint") for m in (first, last)]
        severities = [sorted(s.severity for s in sheet.scores.all()) for sheet in sheets]
        assert severities[0] != severities[1]


def test_bulk_seed_is_light():
    families = _families(5, rng_seed=2)
    demo.seed(families)
    active = [f for f in families if f.status != FamilyStatus.REFERRED]
    assert Moment.objects.count() == len(active)
    assert not MemberAnalysis.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_templates_have_no_inline_script_or_event_handlers():
    folder = Path(settings.BASE_DIR) / "templates" / "strengths"
    for template in folder.glob("*.html"):
        text = template.read_text()
        assert "<script" not in text, template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "style=" not in text, template
