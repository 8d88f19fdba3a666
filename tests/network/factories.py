from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from network.models import (
    Agreement,
    AgreementWho,
    Answer,
    Circle,
    Krachtgezin,
    KrachtgezinMatch,
    MeetingKind,
    NetworkMeeting,
    NetworkMember,
)
from tests.factories import FamilyFactory, TeamFactory, UserFactory


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


ANSWER = {True: Answer.YES, False: Answer.NO, None: ""}


class KrachtgezinMatchFactory(factory.django.DjangoModelFactory):
    """A matching with a kennismaking held: klik from both sides and safety."""

    class Meta:
        model = KrachtgezinMatch

    family = factory.SubFactory(FamilyFactory)
    krachtgezin = factory.SubFactory(
        "tests.network.factories.KrachtgezinFactory",
        team=factory.SelfAttribute("..family.team"),
        supported_family=None,
    )
    intro_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))
    intro_third_person = "gezinscoach"
    click_family = Answer.YES
    click_krachtgezin = Answer.YES
    safety = Answer.YES
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class KrachtgezinFactory(factory.django.DjangoModelFactory):
    """A Krachtgezin of the pool; with `supported_family` (the default makes one) it is
    matched with that family, the kennismaking held (`intro_*` say how it went)."""

    class Meta:
        model = Krachtgezin
        skip_postgeneration_save = True

    class Params:
        supported_family = factory.SubFactory(FamilyFactory)
        intro_date = factory.LazyFunction(
            lambda: timezone.localdate() - datetime.timedelta(days=20)
        )
        intro_click = True
        intro_safety = True
        intro_note = ""

    team = factory.LazyAttribute(
        lambda o: o.supported_family.team if o.supported_family else TeamFactory()
    )
    name = factory.Sequence(lambda n: f"Familie Kracht {n}")
    contact_person = "Anja"
    hours_per_week = 10
    match = factory.Maybe(
        "supported_family",
        yes_declaration=factory.RelatedFactory(
            KrachtgezinMatchFactory,
            factory_related_name="krachtgezin",
            family=factory.SelfAttribute("..supported_family"),
            intro_date=factory.SelfAttribute("..intro_date"),
            click_family=factory.LazyAttribute(lambda o: ANSWER[o.factory_parent.intro_click]),
            click_krachtgezin=factory.LazyAttribute(lambda o: ANSWER[o.factory_parent.intro_click]),
            safety=factory.LazyAttribute(lambda o: ANSWER[o.factory_parent.intro_safety]),
            intro_note=factory.SelfAttribute("..intro_note"),
        ),
        no_declaration=None,
    )
