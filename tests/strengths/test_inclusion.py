from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cases.models import LifeDomain
from cases.permissions import family_access_for
from strengths.models import Moment, MomentKind, inclusion_check
from strengths.panels import family_panel
from tests.factories import MemberFactory
from tests.strengths.conftest import make_sheet

pytestmark = pytest.mark.django_db

SIX = LifeDomain.values[:6]


def add_moment(family, user, kind, day):  # type: ignore[no-untyped-def]
    return Moment.objects.create(family=family, kind=kind, date=day, created_by=user)


def test_no_scores_no_check(family):
    assert inclusion_check(family) is None


@pytest.mark.parametrize(("lasting", "meets"), [(7, True), (6, True), (5, False), (0, False)])
def test_count_against_default_threshold(family, moment, alice, lasting, meets):
    make_sheet(moment, alice, lasting=LifeDomain.values[:lasting])
    check = inclusion_check(family)
    assert check.lasting == lasting
    assert check.threshold == 6
    assert check.meets is meets


def test_present_but_not_lasting_does_not_count(family, moment, alice):
    sheet = make_sheet(moment, alice, lasting=SIX)
    sheet.scores.filter(domain=SIX[0]).update(long_lasting=False)
    assert inclusion_check(family).lasting == 5


def test_threshold_is_the_team_setting(family, moment, alice):
    make_sheet(moment, alice, lasting=LifeDomain.values[:5])
    assert not inclusion_check(family).meets
    family.team.inclusion_threshold = 5
    family.team.save()
    assert inclusion_check(family).meets


def test_latest_inclusion_moment_and_joint_perspective_count(family, moment, alice):
    make_sheet(moment, alice, lasting=LifeDomain.values[:3])
    end = add_moment(family, alice, MomentKind.ANALYSIS_END, datetime.date(2026, 2, 20))
    make_sheet(end, alice, perspective="professional", lasting=LifeDomain.values[:4])
    make_sheet(end, alice, perspective="joint", lasting=SIX)
    make_sheet(end, alice, perspective="parent", lasting=())
    # Later interim and closing moments do not undo the inclusion.
    closing = add_moment(family, alice, MomentKind.CLOSING, datetime.date(2026, 9, 1))
    make_sheet(closing, alice, lasting=())
    check = inclusion_check(family)
    assert check.sheet.moment == end
    assert check.sheet.perspective == "joint"
    assert check.lasting == 6


def test_family_page_shows_the_check(family, moment, alice, alice_client):
    make_sheet(moment, alice, lasting=SIX)
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "6 van 7 levensgebieden met langdurige problemen (drempel 6):" in page
    assert ">voldoet<" in page


def test_family_page_says_when_not_met(family, moment, alice, alice_client):
    make_sheet(moment, alice, lasting=LifeDomain.values[:2])
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "2 van 7 levensgebieden met langdurige problemen (drempel 6):" in page
    assert ">voldoet niet<" in page


def test_panel_uses_a_fixed_number_of_queries(family, moment, alice, django_assert_num_queries):
    make_sheet(moment, alice, lasting=SIX)
    for _ in range(5):
        MemberFactory(family=family)
    request = RequestFactory().get("/")
    request.user = alice
    access = family_access_for(alice, family)
    with django_assert_num_queries(2):
        html = family_panel(request, access)
    assert "7 gezinsleden" in html
