"""The family page and the contact post: query counts pinned, at a small and a large family.

The family page shows every section's panel (phase, strengths, network, reports); the
contact post is the coach's most frequent write. Both must cost the same whatever the
family's size (issue 15: the load test's two requests). In production django-otp adds one
query per request (the verified device); the test client logs in without one.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import formats
from cases.agenda import services as agenda_services
from cases.models import (
    AccessLog,
    CoachChange,
    Comment,
    Contact,
    LegalMeasure,
    MeasureKind,
    Trajectory,
)
from cases.todo import services as task_services
from reports.models import CaseReview
from tests.cases.partners.factories import PartnerContactFactory, PartnerFactory, referral
from tests.factories import ContactFactory, MemberFactory, member_of
from tests.network.factories import AgreementFactory, MeetingFactory, NetworkMemberFactory
from tests.phases.helpers import open_phase
from tests.querycounts import chain_queries
from tests.reports.helpers import scored_moment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

# session, user, the family with the user's role in its team and the page's figures (the
# gate: the contacts' totals, which are also the pager's count, the network's size and next
# evaluation, the latest review and SDM-Q-9, a pending transition, the unread reminders of the
# navigation, the involved team members' names, how many trajectories, coach changes, comments on
# contacts, legal measures and open referrals there are), the access-log row (insert plus the
# chain); the members (whether each has a krachtenanalyse), the phase history with the open
# phase's figures, the score sheets (inclusion check), overdue agreements, the agenda panel
# (the next appointments and those that passed without a contact; the open tasks), the
# user's memberships (navigation), the page of contacts with who was present.
FAMILY_PAGE = 12 + chain_queries()
# With comments on contacts, a child's legal measure and an open referral to a partner: the
# legal measures and the open referrals, a query each (none while the figures say there are
# none); the comments come with the page's contacts.
FAMILY_PAGE_WITH_COMMENTS_MEASURES_REFERRALS = FAMILY_PAGE + 2
# With a history to show: the trajectories (two or more) and the coach changes, a query
# each (none while the figures say there are none); the involved team members' names come
# with the family's figures.
FAMILY_PAGE_WITH_HISTORY = FAMILY_PAGE + 2
# session, user, the family with the user's role in its team, the access-log row (insert
# plus the chain), the contact inside its transaction (savepoint, insert, release: in
# production, with no test transaction around the request, the insert alone), the family's
# caseload figures brought up to date in the same transaction (the family's row locked, so
# two writers of its figures take turns, then one upsert: reports.figures); the redirect
# reads nothing.
CONTACT_POST = 9 + chain_queries()


def _grow(family, user, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        member = MemberFactory(family=family)
        contact = ContactFactory(
            family=family, author=user, date=TODAY - datetime.timedelta(days=i % 60)
        )
        contact.members_present.add(member)
        NetworkMemberFactory(family=family)
        # Appointments to come and passed without a contact, and an open task.
        for days in (-(i % 20) - 1, i % 20):
            agenda_services.appointment_create(
                family=family,
                by=user,
                kind="home_visit",
                date=TODAY + datetime.timedelta(days=days),
                starts_at=datetime.time(9),
                ends_at=datetime.time(10),
                coach=user,
            )
        task_services.task_create(
            family=family, by=user, title=f"bellen {i}", owner=user, due_on=TODAY
        )


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


def test_family_page_with_a_history_costs_two_queries_more(family, alice, bob, alice_client):
    """Two trajectories, a change of coach and an involved colleague: the history and the
    header show them, a query each for the history, still the same at two sizes."""
    for number in (1, 2):
        Trajectory.objects.create(family=family, number=number, referrer="gp", referral_date=TODAY)
    CoachChange.objects.create(family=family, coach=alice, changed_by=alice, kind="intake")
    family.involved.add(bob)
    url = reverse("cases:family_detail", args=[family.pk])
    alice_client.get(url)
    counts = []
    for more in (1, 30):
        _grow(family, alice, more)
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(url)
        counts.append(len(queries.captured_queries))
    assert counts == [FAMILY_PAGE_WITH_HISTORY, FAMILY_PAGE_WITH_HISTORY]
    assert [t.number for t in response.context["trajectories"]] == [1, 2]
    assert len(response.context["coach_history"]) == 1
    assert response.context["involved"] == [bob.get_full_name() or bob.username]


def test_family_page_with_comments_a_measure_and_a_referral_costs_two_queries_more(
    family, alice, alice_client
):
    """Comments on contacts, a child's legal measure and an open referral: the comments come
    with the contacts, the other lists are read in one query each, still the same at two
    sizes; without them none is read (FAMILY_PAGE)."""
    _grow(family, alice, 1)
    child = family.members.order_by("-date_of_birth").first()
    LegalMeasure.objects.create(
        family=family,
        member=child,
        kind=MeasureKind.OTS,
        starts_on=TODAY - datetime.timedelta(days=100),
        ends_on=TODAY + datetime.timedelta(days=10),
    )
    partner = PartnerFactory(team=family.team, name="Buurtteam Oost")
    referral(family, partner, alice)
    url = reverse("cases:family_detail", args=[family.pk])
    alice_client.get(url)
    # Django asks SQLite once per connection whether it has JSON (the comments' list).
    assert connection.features.supports_json_field
    counts = []
    for more in (1, 30):
        _grow(family, alice, more)
        for contact in family.contacts.order_by("-date", "-created_at")[:2]:
            Comment.objects.create(family=family, contact=contact, author=alice, text="Akkoord")
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(url)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts == [FAMILY_PAGE_WITH_COMMENTS_MEASURES_REFERRALS] * 2
    body = response.content.decode()
    assert [m.member for m in response.context["legal_measures"]] == [child]
    assert "Buurtteam Oost" in body
    assert body.count("Akkoord") == 4
    rows = response.context["page"].object_list
    assert sum(len(c.shown_comments) for c in rows) == 4


def test_family_page_without_comments_measures_or_referrals_reads_none_of_them(
    family, alice, alice_client
):
    _grow(family, alice, 3)
    with CaptureQueriesContext(connection) as queries:
        response = alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    # The figures count them in subqueries of the family's own query (tables aliased U0…);
    # no list of them is read.
    for table in ("cases_comment", "cases_legalmeasure", "cases_referral"):
        assert f'FROM "{table}" U' in sql, table
        assert not re.search(rf'FROM "{table}"(?! U\d)', sql), table
    assert response.context["legal_measures"] == []
    assert all(c.shown_comments == [] for c in response.context["page"].object_list)
    body = response.content.decode()
    assert "Geen maatregelen van de kinderrechter." in body
    assert "Geen lopende verwijzingen." in body


def test_family_page_shows_who_was_present_and_the_totals(family, alice, alice_client):
    naomi, noah = family.members.order_by("date_of_birth", "name")
    both = ContactFactory(family=family, author=alice, date=TODAY, minutes=90)
    both.members_present.add(noah, naomi)
    ContactFactory(family=family, author=alice, date=TODAY - datetime.timedelta(1), minutes=30)
    response = alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    rows = {c.pk: c.present for c in response.context["page"].object_list}
    assert rows[both.pk] == [naomi, noah]  # by birth date, as the relation orders them
    assert len(rows) == 2 and [] in rows.values()
    assert response.context["contact_count"] == 2
    assert response.context["total_hours"] == 2.0
    assert f"<td>{naomi.name}, {noah.name}</td>" in response.content.decode()


def test_family_page_shows_the_professionals_present_without_a_query_more(
    family, alice, team, alice_client
):
    """Colleagues and partners' contact people present at a contact are named in its row,
    beside the members present, from the contacts' own query."""
    naomi = family.members.order_by("date_of_birth", "name").first()
    piet = member_of(team, username="piet", first_name="", last_name="")
    zoe = member_of(team, username="zvdb", first_name="Zoë", last_name="van den Berg")
    carla = PartnerContactFactory(
        partner=PartnerFactory(team=team, name="Buurtteam Oost"), name="Carla Smit"
    )
    dirk = PartnerContactFactory(
        partner=PartnerFactory(team=team, name="GGD"), name="Dirk de Wit", role=""
    )
    both = ContactFactory(family=family, author=alice, date=TODAY)
    both.members_present.add(naomi)
    both.colleagues_present.add(zoe, piet)
    both.partner_contacts_present.add(dirk, carla)
    only = ContactFactory(family=family, author=alice, date=TODAY - datetime.timedelta(1))
    only.partner_contacts_present.add(dirk)
    nobody = ContactFactory(family=family, author=alice, date=TODAY - datetime.timedelta(2))
    url = reverse("cases:family_detail", args=[family.pk])
    alice_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = alice_client.get(url)
    assert len(queries.captured_queries) == FAMILY_PAGE
    rows = {c.pk: c for c in response.context["page"].object_list}
    # Colleagues by their full name (else the user name), then the partners' contact people
    # by their label, each alphabetically.
    assert rows[both.pk].professionals == [
        "piet",
        "Zoë van den Berg",
        "Carla Smit (regisseur, Buurtteam Oost)",
        "Dirk de Wit (GGD)",
    ]
    assert rows[both.pk].professionals[2:] == [carla.label, dirk.label]
    assert rows[only.pk].professionals == ["Dirk de Wit (GGD)"]
    assert rows[nobody.pk].professionals == []
    body = response.content.decode()
    assert (
        f'<td>{naomi.name}<div class="small text-body-secondary" data-professionals-present>'
        in body
    )
    assert (
        "piet, Zoë van den Berg, Carla Smit (regisseur, Buurtteam Oost), Dirk de Wit (GGD)" in body
    )
    # Only professionals: no dash for "nobody of the family"; nobody at all: the dash.
    assert '<td><div class="small text-body-secondary" data-professionals-present>' in body
    assert "<td>–</td>" in body


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


def test_family_page_navigation_counts_the_users_unread_reminders(family, alice, bob, alice_client):
    """The navigation's unread count comes with the family page's figures: the user's own
    unread reminders, not another's, not read ones."""
    from phases.models import Reminder, ReminderKind

    for n, (recipient, read) in enumerate(
        ((alice, None), (alice, None), (alice, timezone.now()), (bob, None))
    ):
        Reminder.objects.create(
            recipient=recipient,
            family=family,
            kind=ReminderKind.NO_CONTACT,
            subject=f"test:{n}",
            due_on=TODAY,
            read_at=read,
        )
    response = alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert response.context["unread_reminders"] == 2
    assert "2 ongelezen" in response.content.decode()


def test_the_involved_colleagues_are_named_in_order_with_the_family(family, alice_client):
    """Their names come with the family's figures: a full name, or the username without
    one, in alphabetical order, and a dash without any."""
    url = reverse("cases:family_detail", args=[family.pk])
    assert alice_client.get(url).context["involved"] == []
    family.involved.add(
        member_of(family.team, first_name="Zeynep", last_name="Kaya"),
        member_of(family.team, first_name="", last_name="", username="anoniem-collega"),
        member_of(family.team, first_name="bram", last_name="de Wit"),
    )
    response = alice_client.get(url)
    assert response.context["involved"] == ["anoniem-collega", "bram de Wit", "Zeynep Kaya"]
    assert "anoniem-collega, bram de Wit, Zeynep Kaya" in response.content.decode()


def test_comments_come_with_the_contacts_whole_in_order_and_at_their_time(
    family, alice, alice_client
):
    """Read as a JSON list with the contact: any text comes back as written (quotes, lines,
    separators, emoji), the writer by name, the oldest first, at the local time."""
    contact = ContactFactory(family=family, author=alice, date=TODAY)
    bob = member_of(family.team, first_name="", last_name="", username="bob-zonder-naam")
    written = timezone.make_aware(datetime.datetime(2026, 7, 1, 9, 5))  # summer: UTC+2
    text = 'Moeder zei: "het gaat\nbeter" \\ \x1f; €, 👍'
    later = Comment.objects.create(
        family=family, contact=contact, author=bob, text="Tweede", created_at=written
    )
    first = Comment.objects.create(
        family=family,
        contact=contact,
        author=alice,
        text=text,
        created_at=written - datetime.timedelta(hours=1),
    )
    response = alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    (row,) = [c for c in response.context["page"].object_list if c.pk == contact.pk]
    assert [(c.pk, c.text, c.created_at) for c in row.shown_comments] == [
        (first.pk, text, first.created_at),
        (later.pk, "Tweede", later.created_at),
    ]
    assert [c.author_name for c in row.shown_comments] == [
        alice.get_full_name() or alice.username,
        "bob-zonder-naam",
    ]
    body = response.content.decode()
    when = formats.short_datetime(timezone.localtime(written))
    assert "09:05" in when
    assert f"Opmerking van bob-zonder-naam, {when}:" in body
