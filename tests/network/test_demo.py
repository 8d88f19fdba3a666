from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Family
from network.models import (
    Agreement,
    AgreementEvaluation,
    Krachtgezin,
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
    assert 1 <= Krachtgezin.objects.count() <= 2 and RespiteStay.objects.exists()
    assert NetworkMember.contacts.through.objects.exists()
    # The demo coach can open the network page of a family with a Krachtgezin.
    krachtgezin = Krachtgezin.objects.select_related("supported_family__coach").first()
    client.force_login(krachtgezin.supported_family.coach)
    family_id = krachtgezin.supported_family_id
    assert client.get(reverse("network:overview", args=[family_id])).status_code == 200
    assert client.get(reverse("cases:family_detail", args=[family_id])).status_code == 200


def test_bulk_demo_is_light():
    call_command("seed_demo", "--families", "5", verbosity=0)
    bulk = Family.objects.order_by("-pk")[:5]
    assert all(f.network_members.count() == 6 for f in bulk)
