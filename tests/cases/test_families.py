from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, Family, FamilyStatus, Member
from tests.factories import ContactFactory, FamilyFactory, MemberFactory
from tests.querycounts import chain_queries

pytestmark = pytest.mark.django_db


def family_data(team, coach, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "case_number": "FK-2026-0100",
        "display_name": "Gezin Pinas",
        "area": "Holendrecht",
        "team": team.pk,
        "status": FamilyStatus.REFERRED,
        "referrer": "veilig_thuis",
        "referrer_detail": "",
        "referral_date": timezone.localdate().isoformat(),
        "coach": coach.pk,
    }
    data.update(overrides)
    return data


def test_coordinator_registers_a_family(team, alice, coordinator_client):
    response = coordinator_client.post(reverse("cases:family_create"), family_data(team, alice))
    family = Family.objects.get(case_number="FK-2026-0100")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:family_detail", args=[family.pk])
    assert family.coach == alice and family.team == team


def test_coach_cannot_register_families(team, alice, alice_client):
    assert alice_client.get(reverse("cases:family_create")).status_code == 403
    assert (
        alice_client.post(reverse("cases:family_create"), family_data(team, alice)).status_code
        == 403
    )
    assert not Family.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"display_name": ""}, "Dit veld is verplicht"),
        ({"referral_date": "2999-01-01"}, "toekomst"),
        ({"referrer": "other", "referrer_detail": ""}, "Licht toe wie het gezin heeft aangemeld"),
        ({"status": "lost"}, "Selecteer een geldige keuze"),
    ],
)
def test_family_bad_input_saves_nothing(team, alice, coordinator_client, overrides, message):
    response = coordinator_client.post(
        reverse("cases:family_create"), family_data(team, alice, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Family.objects.exists()


def test_coach_from_another_team_cannot_be_assigned(team, charlie, coordinator_client):
    response = coordinator_client.post(reverse("cases:family_create"), family_data(team, charlie))
    assert response.status_code == 200
    assert not Family.objects.exists()


def test_edit_family_and_concurrent_edit_conflict(family, alice, alice_client):
    url = reverse("cases:family_edit", args=[family.pk])
    data = family_data(family.team, alice, case_number=family.case_number, version=family.version)
    assert alice_client.post(url, {**data, "area": "Gaasperdam"}).status_code == 302
    family.refresh_from_db()
    assert family.area == "Gaasperdam"
    stale = alice_client.post(url, {**data, "area": "Bijlmer-Oost"})
    assert stale.status_code == 409
    assert "Bijlmer-Oost" in stale.content.decode()
    family.refresh_from_db()
    assert family.area == "Gaasperdam"


DUPLICATE_CASE_NUMBER = "Dit dossiernummer bestaat al."


def test_case_number_differing_only_in_case_is_refused(team, alice, coordinator_client):
    url = reverse("cases:family_create")
    first = coordinator_client.post(url, family_data(team, alice, case_number="ZO-2026-001"))
    assert first.status_code == 302
    response = coordinator_client.post(url, family_data(team, alice, case_number="zo-2026-001"))
    assert response.status_code == 200
    assert response.context["form"].errors["case_number"] == [DUPLICATE_CASE_NUMBER]
    assert list(Family.objects.values_list("case_number", flat=True)) == ["ZO-2026-001"]


def test_edit_refuses_another_familys_case_number_in_other_case(family, alice, alice_client):
    FamilyFactory(team=family.team, case_number="ZO-2026-001")
    url = reverse("cases:family_edit", args=[family.pk])
    data = family_data(family.team, alice, version=family.version)
    response = alice_client.post(url, {**data, "case_number": "zo-2026-001"})
    assert response.status_code == 200
    assert response.context["form"].errors["case_number"] == [DUPLICATE_CASE_NUMBER]
    old_number = family.case_number
    family.refresh_from_db()
    assert family.case_number == old_number
    # The family's own number in other case is no clash with itself.
    response = alice_client.post(url, {**data, "case_number": old_number.lower()})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.case_number == old_number.lower()


def test_database_refuses_case_numbers_differing_only_in_case(team):
    FamilyFactory(team=team, case_number="ZO-2026-001")
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyFactory(team=team, case_number="zo-2026-001")
    assert Family.objects.count() == 1


def test_two_intakes_with_one_case_number_at_once(team, alice, coordinator_client, monkeypatch):
    """Both forms passed their checks before either saved: the database decides, and the
    second coordinator sees the form message, not an error page."""
    from cases.forms import FamilyForm

    checked = FamilyForm._post_clean

    def other_intake_saves_meanwhile(form):  # type: ignore[no-untyped-def]
        checked(form)  # every check of the form, the constraint's own included, has passed
        if not Family.objects.filter(case_number="ZO-2026-7").exists():
            FamilyFactory(team=team, case_number="ZO-2026-7")

    monkeypatch.setattr(FamilyForm, "_post_clean", other_intake_saves_meanwhile)
    url = reverse("cases:family_create")
    response = coordinator_client.post(url, family_data(team, alice, case_number="zo-2026-7"))
    assert response.status_code == 200
    assert response.context["form"].errors["case_number"] == [DUPLICATE_CASE_NUMBER]
    assert list(Family.objects.values_list("case_number", flat=True)) == ["ZO-2026-7"]
    # An edit that races the same way.
    other = FamilyFactory(team=team, case_number="ZO-2026-8")
    Family.objects.filter(case_number="ZO-2026-7").delete()
    data = family_data(team, alice, version=other.version, case_number="zo-2026-7")
    response = coordinator_client.post(reverse("cases:family_edit", args=[other.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["case_number"] == [DUPLICATE_CASE_NUMBER]
    other.refresh_from_db()
    assert (other.case_number, other.version) == ("ZO-2026-8", data["version"])


def test_safety_flag_records_who_and_when(family, alice, alice_client):
    url = reverse("cases:family_safety", args=[family.pk])
    assert alice_client.get(url).status_code == 405
    alice_client.post(url, {"safety_flag": "on", "safety_note": "Zorgen over geweld thuis."})
    family.refresh_from_db()
    assert family.safety_flag and family.safety_raised_by == alice
    assert family.safety_raised_at is not None
    assert "Veiligheidssignaal" in alice_client.get(reverse("cases:caseload")).content.decode()


def test_safety_flag_needs_a_note(family, alice_client):
    alice_client.post(reverse("cases:family_safety", args=[family.pk]), {"safety_flag": "on"})
    family.refresh_from_db()
    assert not family.safety_flag


def test_member_age_and_authority_rule(family, alice_client):
    url = reverse("cases:member_create", args=[family.pk])
    ten_years_ago = timezone.localdate().replace(year=timezone.localdate().year - 10)
    response = alice_client.post(
        url,
        {
            "name": "Liam",
            "date_of_birth": ten_years_ago.isoformat(),
            "role": "child",
            "has_parental_authority": "on",
        },
    )
    assert "Alleen een volwassene (18+) kan gezag hebben" in response.content.decode()
    assert not Member.objects.filter(name="Liam").exists()
    alice_client.post(
        url, {"name": "Liam", "date_of_birth": ten_years_ago.isoformat(), "role": "child"}
    )
    liam = Member.objects.get(name="Liam")
    assert liam.age == 10
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "Liam" in page and "10 jaar" in page


def test_member_of_another_family_cannot_be_edited_here(family, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    url = reverse("cases:member_edit", args=[family.pk, stranger.pk])
    assert alice_client.get(url).status_code == 404


def test_caseload_shows_own_families_with_figures(family, alice, bob, alice_client, bob_client):
    today = timezone.localdate()
    ContactFactory(family=family, author=alice, date=today, minutes=90)
    FamilyFactory(team=family.team, coach=bob, display_name="Gezin Bakker")
    body = alice_client.get(reverse("cases:caseload")).content.decode()
    assert "Gezin Jansen" in body and "Gezin Bakker" not in body
    assert "1,5" in body  # hours this month, Dutch decimal comma
    assert "Gezin Jansen" not in bob_client.get(reverse("cases:caseload")).content.decode()


def test_caseload_of_psychologist_is_the_team(family, psychologist_client, charlie):
    FamilyFactory(team=charlie.memberships.get().team, display_name="Gezin Elders")
    body = psychologist_client.get(reverse("cases:caseload")).content.decode()
    assert "Gezin Jansen" in body and "Gezin Elders" not in body


def test_caseload_hours_are_not_multiplied_by_involved_users(
    family, alice, bob, psychologist_client
):
    family.involved.add(bob, alice)
    ContactFactory(family=family, author=alice, date=timezone.localdate(), minutes=60)
    body = psychologist_client.get(reverse("cases:caseload")).content.decode()
    assert "1,0" in body and "2,0" not in body


def _families_with_contacts(team, coach, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        fam = FamilyFactory(team=team, coach=coach)
        MemberFactory(family=fam)
        ContactFactory(
            family=fam, author=coach, date=timezone.localdate() - datetime.timedelta(days=i)
        )


def test_caseload_query_count_is_pinned(team, alice, alice_client, django_assert_num_queries):
    _families_with_contacts(team, alice, 3)
    alice_client.get(reverse("cases:caseload"))  # the session's first request loads settings
    # session, user, unread reminders, the count and the page of families with figures
    # (paged: cases.views.FAMILIES_PER_PAGE), the user's memberships (the roles of the
    # access-log rows and the navigation, one query) and one insert of all rows, whatever the
    # number of families; the review's attention flags (one query per team on the page) and
    # the unread notifications; the session is not written within a minute of its last write
    with django_assert_num_queries(9 + chain_queries()):
        alice_client.get(reverse("cases:caseload"))
    _families_with_contacts(team, alice, 10)
    with django_assert_num_queries(9 + chain_queries()):
        assert alice_client.get(reverse("cases:caseload")).status_code == 200


def test_family_page_queries_do_not_grow(family, alice, alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("cases:family_detail", args=[family.pk])
    ContactFactory(family=family, author=alice)
    alice_client.get(url)  # the session's first request loads settings
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    for _ in range(15):
        member = MemberFactory(family=family)
        contact = ContactFactory(family=family, author=alice)
        contact.members_present.add(member)
    with CaptureQueriesContext(connection) as many:
        assert alice_client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_team_wide_landing_page_is_paged_and_logs_only_the_page(
    team, alice, psychologist, psychologist_client, django_assert_num_queries
):
    from cases.views import FAMILIES_PER_PAGE

    url = reverse("cases:caseload")
    _families_with_contacts(team, alice, 5)
    psychologist_client.get(url)  # the session's first request loads settings
    with CaptureQueriesContext(connection) as small:
        psychologist_client.get(url)
    _families_with_contacts(team, alice, FAMILIES_PER_PAGE)
    # The same queries with a page and a half of families as with five.
    with django_assert_num_queries(len(small.captured_queries)):
        response = psychologist_client.get(url)
    # As the coach's page: with the review's attention flags and the unread notifications;
    # the psychologist's "Wacht op mij" adds one query per source (settings.WAITING_SOURCES).
    assert len(small.captured_queries) == 9 + len(settings.WAITING_SOURCES) + chain_queries()
    assert response.context["total"] == FAMILIES_PER_PAGE + 5
    assert len(response.context["families"]) == FAMILIES_PER_PAGE
    assert "Pagina 1 van 2" in response.content.decode()
    logged = AccessLog.objects.filter(user=psychologist, object="lijst: mijn gezinnen")
    before = logged.count()
    second = psychologist_client.get(url, {"page": 2})
    assert len(second.context["families"]) == 5
    # Only the families the page showed are in the access log (NEN 7513).
    assert logged.count() == before + 5
    shown = {f.pk for f in response.context["families"]} | {
        f.pk for f in second.context["families"]
    }
    assert len(shown) == FAMILIES_PER_PAGE + 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
def test_the_landing_pages_order_is_read_along_an_index(team, alice, psychologist_client):
    """The team-wide landing page's first page comes from walking family_landing_order, not
    from sorting every family of the team: with sequential scans ruled out the plan reads
    that index and has no sort of its own, which holds only while the index's columns and
    directions are the page's ORDER BY."""
    _families_with_contacts(team, alice, 3)
    url = reverse("cases:caseload")
    psychologist_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        psychologist_client.get(url)
    listing = next(
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "cases_family"."id"') and "LIMIT" in q["sql"]
    )
    assert listing.endswith(
        'ORDER BY "cases_family"."safety_flag" DESC, "cases_family"."display_name" ASC, '
        '"cases_family"."id" ASC LIMIT 3'
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + listing)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "family_landing_order" in plan
    assert "Sort" not in plan
