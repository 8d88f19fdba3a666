from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import (
    Contact,
    ContactKind,
    Family,
    FamilyRole,
    FamilyStatus,
    Member,
    Membership,
    Referrer,
    Role,
    Team,
)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password("secret-pass-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.COACH


def member_of(team: Team, role: str = Role.COACH, **user_fields):  # type: ignore[no-untyped-def]
    """A user with a membership of `team` in `role`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, team=team, role=role)
    return user


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    case_number = factory.Sequence(lambda n: f"FK-{n:05d}")
    display_name = factory.Sequence(lambda n: f"Gezin {n}")
    area = "Bijlmer-Centrum"
    team = factory.SubFactory(TeamFactory)
    status = FamilyStatus.ACTIVE
    referrer = Referrer.GP
    referral_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    family = factory.SubFactory(FamilyFactory)
    name = factory.Faker("name", locale="nl_NL")
    date_of_birth = datetime.date(2014, 3, 1)
    role = FamilyRole.CHILD


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    family = factory.SubFactory(FamilyFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    minutes = 60
    kind = ContactKind.HOME_VISIT
    domains = factory.LazyFunction(lambda: ["child"])
    note = "Huisbezoek"
    author = factory.SubFactory(UserFactory)
