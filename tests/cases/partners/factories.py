from __future__ import annotations

import factory
from django.utils import timezone

from cases.models import Partner, PartnerContact, PartnerKind
from cases.partners import services
from tests.factories import TeamFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerKind.NEIGHBOURHOOD_TEAM


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Contactpersoon {n}")
    role = "regisseur"


def referral(family, partner, by, *, asked_on=None, expected=None, whole_family=True):  # type: ignore[no-untyped-def]
    return services.referral_create(
        family=family,
        partner=partner,
        by=by,
        reason="Hulp bij de schulden.",
        asked_on=asked_on or timezone.localdate(),
        whole_family=whole_family,
        members=[] if whole_family else list(family.members.all()[:1]),
        expected_answer_on=expected,
    )
