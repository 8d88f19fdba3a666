from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from network.models import (
    Agreement,
    AgreementWho,
    Circle,
    Krachtgezin,
    MeetingKind,
    NetworkMeeting,
    NetworkMember,
)
from tests.factories import FamilyFactory, UserFactory


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    family = factory.SubFactory(FamilyFactory)
    name = factory.Sequence(lambda n: f"Netwerklid {n}")
    relation = "buurvrouw"
    circle = Circle.NEIGHBOURHOOD
    closeness = 2


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMeeting

    family = factory.SubFactory(FamilyFactory)
    kind = MeetingKind.NETWORK_MEETING
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    outcomes = "Oma haalt op woensdag."
    created_by = factory.SubFactory(UserFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    family = factory.SubFactory(FamilyFactory)
    who_kind = AgreementWho.PROFESSIONAL
    professional = "gezinscoach"
    what = factory.Sequence(lambda n: f"Afspraak {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class KrachtgezinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Krachtgezin

    supported_family = factory.SubFactory(FamilyFactory)
    team = factory.SelfAttribute("supported_family.team")
    name = factory.Sequence(lambda n: f"Familie Kracht {n}")
    contact_person = "Anja"
    hours_per_week = 10
    intro_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))
    intro_click = True
    intro_safety = True
