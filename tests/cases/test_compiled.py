"""Queries compiled once and run with the request's values (cases.compiled) read exactly
what the QuerySet itself reads, for every value, and never compile again."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, Prefetch
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils import timezone

from cases.compiled import MARKER, SECOND_MARKER, CompiledQuery
from cases.models import Contact, Family, Member
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiles(monkeypatch):  # type: ignore[no-untyped-def]
    """How many times a query was compiled to SQL (not counting its subqueries)."""
    calls: list[int] = []
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return calls


def _families(team, alice):  # type: ignore[no-untyped-def]
    one = FamilyFactory(team=team, coach=alice, display_name="Gezin Een")
    two = FamilyFactory(team=team, coach=alice, display_name="Gezin Twee")
    for name in ("Anna", "Bram", "Cas"):
        MemberFactory(family=one, name=f"{name} Een")
    MemberFactory(family=two, name="Dirk Twee")
    return one, two


def test_each_value_reads_what_the_queryset_reads(team, alice, compiles):  # type: ignore[no-untyped-def]
    one, two = _families(team, alice)
    shape = (
        Family.objects.filter(pk=MARKER)
        .select_related("coach", "team")
        .annotate(members_n=Count("members"))
        .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("name")))
    )
    query = CompiledQuery(shape, pk=MARKER)
    per_run = []
    for family in (one, two, one):
        plain = Family.objects.filter(pk=family.pk).annotate(members_n=Count("members")).get()
        compiles.clear()
        (row,) = query.run(pk=family.pk)
        per_run.append(len(compiles))
        assert row == family and row.display_name == family.display_name
        assert row.members_n == plain.members_n
        # The related rows came with it, the prefetch in its own query.
        assert row.coach == alice and row.team == team
        assert [m.name for m in row.members.all()] == sorted(m.name for m in family.members.all())
    # Compiled on the first run only: later runs compiled nothing but the prefetch.
    assert per_run == [2, 1, 1]
    assert query.run(pk=two.pk + one.pk + 10_000) == []
    # The shape itself was never evaluated, so it holds nobody's rows.
    assert shape._result_cache is None


def test_a_marker_in_subqueries_and_a_second_marker(team, alice):  # type: ignore[no-untyped-def]
    one, two = _families(team, alice)
    shape = Member.objects.filter(family_id=MARKER).exclude(
        pk__in=Member.objects.filter(family_id=MARKER, name__startswith=SECOND_MARKER)
    )
    # The name filter is text: only the family marker stands among the parameters.
    with pytest.raises(ValueError, match="marker is missing"):
        CompiledQuery(shape, family=MARKER, skip=SECOND_MARKER).run(family=one.pk, skip=1)
    shape = Member.objects.filter(family_id=MARKER).exclude(
        pk__in=Member.objects.filter(family_id=MARKER, pk__lt=SECOND_MARKER).values("pk")
    )
    query = CompiledQuery(shape.order_by("name"), family=MARKER, below=SECOND_MARKER)
    below = one.members.order_by("pk")[1].pk
    names = [m.name for m in query.run(family=one.pk, below=below)]
    assert names == [m.name for m in one.members.filter(pk__gte=below).order_by("name")]
    assert [m.name for m in query.run(family=two.pk, below=below)] == ["Dirk Twee"]


def test_an_empty_slice_asks_nothing(family, django_assert_num_queries):  # type: ignore[no-untyped-def]
    query = CompiledQuery(Contact.objects.filter(family_id=MARKER)[0:0], family=MARKER)
    with django_assert_num_queries(0):
        assert query.run(family=family.pk) == []


def test_a_32_bit_id_column_takes_the_markers(alice, bob, compiles):  # type: ignore[no-untyped-def]
    """auth's and django-otp's ids are 32-bit columns: the markers are within their range, so
    the query is compiled with them (a value out of range compiles to "no rows")."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = {user: TOTPDevice.objects.create(user=user, name="app") for user in (alice, bob)}
    shape = TOTPDevice.objects.select_related("user").filter(id=MARKER, user_id=SECOND_MARKER)
    query = CompiledQuery(shape.order_by("pk")[:1], device=MARKER, user=SECOND_MARKER)
    for user, device in devices.items():
        (row,) = query.run(device=device.pk, user=user.pk)
        assert row == device and row.user == user
    # Another user's device: no row.
    assert query.run(device=devices[alice].pk, user=bob.pk) == []
    assert len(compiles) == 1


def test_a_shape_that_compiles_to_nothing_is_refused(family):  # type: ignore[no-untyped-def]
    # Not an empty slice: it would answer "no rows" for every value, the marker unused.
    query = CompiledQuery(Family.objects.filter(pk=MARKER, team_id__in=[]), pk=MARKER)
    with pytest.raises(ValueError, match="no rows"):
        query.run(pk=family.pk)


def test_values_must_match_the_markers(family):  # type: ignore[no-untyped-def]
    query = CompiledQuery(Family.objects.filter(pk=MARKER), pk=MARKER)
    with pytest.raises(TypeError):
        query.run(id=family.pk)
    with pytest.raises(ValueError):
        CompiledQuery(Family.objects.all())
    with pytest.raises(ValueError):
        CompiledQuery(Family.objects.filter(pk=MARKER), a=MARKER, b=MARKER)


def test_the_family_page_shows_each_familys_own_contacts_and_role(  # type: ignore[no-untyped-def]
    team, alice, alice_client, psychologist_client, charlie_client
):
    """The gate's and the contacts' compiled queries, run for one family after another
    and for two users, show each family's own record."""
    from cases import services

    one, two = _families(team, alice)
    today = timezone.localdate()
    for family, note in ((one, "bezoek bij Een"), (two, "bezoek bij Twee")):
        services.contact_create(
            family=family,
            author=alice,
            date=today - datetime.timedelta(days=1),
            minutes=30,
            kind="home_visit",
            note=note,
        )
    for client, family, shown, hidden in (
        (alice_client, one, "bezoek bij Een", "bezoek bij Twee"),
        (alice_client, two, "bezoek bij Twee", "bezoek bij Een"),
        (psychologist_client, one, "bezoek bij Een", "bezoek bij Twee"),
    ):
        response = client.get(reverse("cases:family_detail", args=[family.pk]))
        assert response.status_code == 200
        assert response.context["family"] == family
        assert [c.note for c in response.context["page"].object_list] == [shown]
        assert hidden not in response.content.decode()
        # The rows' links, made from one reverse per page, are the contacts' own.
        (contact,) = response.context["page"].object_list
        for name, url in (
            ("cases:contact_edit", contact.edit_url),
            ("cases:contact_comment", contact.comment_url),
        ):
            assert url == reverse(name, args=[family.pk, contact.pk])
            # Only its author corrects a contact: the others get no link to do so.
            shown_link = name == "cases:contact_comment" or client is alice_client
            assert (f'href="{url}"' in response.content.decode()) is shown_link
    assert (
        alice_client.get(reverse("cases:family_detail", args=[one.pk])).context["access"].can_write
    )
    assert not psychologist_client.get(reverse("cases:family_detail", args=[one.pk])).context[
        "is_coordinator"
    ]
    # Someone of another team still gets 404 for the same, compiled, query.
    assert charlie_client.get(reverse("cases:family_detail", args=[one.pk])).status_code == 404
