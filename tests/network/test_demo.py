from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Family
from network.models import (
    Agreement,
    AgreementEvaluation,
    Krachtgezin,
    KrachtgezinMatch,
    NetworkMeeting,
    NetworkMember,
    RespiteStay,
    SpecialRole,
)

pytestmark = pytest.mark.django_db


def test_demo_network(client):
    call_command("seed_demo", verbosity=0)
    demo = Family.objects.filter(case_number__startswith="DEMO-")
    counts = [f.network_members.count() for f in demo]
    assert min(counts) >= 6 and max(counts) <= 17  # 6-15 people, plus the JIM and a Krachtgezin
    assert NetworkMember.objects.filter(safety_risk=True).exists()
    assert NetworkMember.objects.filter(special_role=SpecialRole.JIM).exists()
    assert len({m.circle for m in NetworkMember.objects.all()}) == 6
    assert len({m.quality for m in NetworkMember.objects.all()}) == 4
    assert Agreement.objects.overdue().exists()
    assert NetworkMeeting.objects.exists() and AgreementEvaluation.objects.exists()
    # One or two Krachtgezinnen support a family; per team the pool also has a free one and
    # one free again after its matching ended.
    supporting = Krachtgezin.objects.filter(
        pk__in=KrachtgezinMatch.objects.open().values("krachtgezin")
    )
    assert 1 <= supporting.count() <= 2 and RespiteStay.objects.exists()
    teams = {f.team_id for f in demo}
    free = [k for k in Krachtgezin.objects.all() if k.is_free]
    assert {k.team_id for k in free} == teams and len(free) == 2 * len(teams)
    assert KrachtgezinMatch.objects.filter(ended_on__isnull=False).count() == len(teams)
    matched = KrachtgezinMatch.objects.open().get(krachtgezin__name="Familie Veldhuis")
    assert matched.is_matched and matched.intro_third_person and matched.goals
    # Every JIM is linked to the young person of the same family who chose them.
    jims = NetworkMember.objects.filter(special_role=SpecialRole.JIM).select_related("chosen_by")
    assert jims and all(j.chosen_by and j.chosen_by.family_id == j.family_id for j in jims)
    assert NetworkMember.contacts.through.objects.exists()
    # The demo coach can open the network page of a family with a Krachtgezin.
    krachtgezin = supporting.first()
    family = krachtgezin.supported_family
    client.force_login(family.coach)
    family_id = family.pk
    assert client.get(reverse("network:overview", args=[family_id])).status_code == 200
    assert client.get(reverse("cases:family_detail", args=[family_id])).status_code == 200


def test_bulk_demo_is_light():
    call_command("seed_demo", "--families", "5", verbosity=0)
    bulk = Family.objects.order_by("-pk")[:5]
    assert all(f.network_members.count() == 6 for f in bulk)
