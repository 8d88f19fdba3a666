"""The family page and the contact post: query counts pinned, at a small and a large family.

The family page shows every section's panel (phase, strengths, network, reports); the
contact post is the coach's most frequent write. Both must cost the same whatever the
family's size (issue 15: the load test's two requests). In production django-otp adds one
query per request (the verified device); the test client logs in without one.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, Contact
from reports.models import CaseReview
from tests.factories import ContactFactory, MemberFactory
from tests.network.factories import AgreementFactory, MeetingFactory, NetworkMemberFactory
from tests.phases.helpers import open_phase
from tests.querycounts import chain_queries
from tests.reports.helpers import scored_moment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

# session, user, the family (the gate), the user's memberships (gate and navigation), the
# access-log row (insert plus the chain); members, the contacts' totals (also the pager's
# count), the phase history with the open phase's figures, a pending transition, members
# without a krachtenanalyse, the score sheets (inclusion check), the network's counts,
# overdue agreements, the latest review and SDM-Q-9, the open referrals to partners (their
# panel; the regisseur comes with the family in the gate's query), the agenda panel (the next
# appointments, those that passed without a contact, the open tasks), involved team members,
# the file's trajectories and its coaches over time, the children's legal measures, the open
# referrals to partners, unread reminders (navigation), the page of contacts, who was
# present, and the comments on those contacts (cases.comments: one prefetch for the page's
# contacts).
FAMILY_PAGE = 26 + chain_queries()
# session, user, the family, the user's memberships, the access-log row (insert plus the
# chain), the contact inside its transaction (savepoint, insert, release: in production, with
# no test transaction around the request, the insert alone); the redirect reads nothing.
CONTACT_POST = 8 + chain_queries()


def _grow(family, user, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        member = MemberFactory(family=family)
        contact = ContactFactory(
            family=family, author=user, date=TODAY - datetime.timedelta(days=i % 60)
        )
        contact.members_present.add(member)
        NetworkMemberFactory(family=family)


def test_family_page_costs_the_same_queries_small_and_large(family, alice, alice_client):
    open_phase(family, kind="analysis", started_on=TODAY - datetime.timedelta(days=20))
    scored_moment(family, alice, kind="start", date=TODAY - datetime.timedelta(10), severity=2)
    MeetingFactory(family=family, next_evaluation=TODAY + datetime.timedelta(days=9))
    AgreementFactory(family=family, due_date=TODAY - datetime.timedelta(days=2))
    CaseReview.objects.create(family=family, date=TODAY, created_by=alice)
    _grow(family, alice, 2)
    url = reverse("cases:family_detail", args=[family.pk])
    alice_client.get(url)  # the session's first request
    counts = []
    for more in (0, 40):
        _grow(family, alice, more)
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(url)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    body = response.content.decode()
    # Every panel is on the page (so every panel's queries are counted).
    for heading in (
        "phases-heading",
        "strengths-heading",
        "network-panel-heading",
        "reports-heading",
    ):
        assert heading in body, heading
    assert counts == [FAMILY_PAGE, FAMILY_PAGE]


def test_contact_post_costs_the_same_queries_small_and_large(family, alice, alice_client):
    url = reverse("cases:contact_create", args=[family.pk])
    data = {"date": TODAY.isoformat(), "minutes": 45, "kind": "home_visit", "note": "Gesprek"}
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    counts = []
    for more in (0, 40):
        _grow(family, alice, more)
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.post(url, data)
        assert response.status_code == 302
        counts.append(len(queries.captured_queries))
    assert counts == [CONTACT_POST, CONTACT_POST]
    assert Contact.objects.filter(family=family, note="Gesprek").count() == 2
    assert AccessLog.objects.filter(family_id_ref=family.pk, object="contact").count() == 2


def test_contact_minutes_out_of_range_are_refused_without_a_query_and_save_nothing(
    family, alice_client
):
    url = reverse("cases:contact_create", args=[family.pk])
    before = Contact.objects.count()
    for minutes in (4, 721):
        response = alice_client.post(
            url, {"date": TODAY.isoformat(), "minutes": minutes, "kind": "home_visit"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["minutes"]
    assert Contact.objects.count() == before


def test_the_model_still_validates_the_minutes_range(family, alice):
    from django.core.exceptions import ValidationError

    contact = Contact(family=family, author=alice, date=TODAY, minutes=800, kind="phone")
    with pytest.raises(ValidationError) as error:
        contact.validate_constraints()
    assert error.value.messages
    contact.minutes = 60
    contact.validate_constraints()
    contact.validate_constraints(exclude={"minutes"})
