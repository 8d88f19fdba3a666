"""The coach's own landing page shows the review's attention badges and a contact button."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.handover import services as handover_services
from phases.models import PhaseEpisode
from reports.caseload import caseload_rows
from tests.factories import ContactFactory, FamilyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def phase(family, *, started_ago: int, planned_days: int, hours_max: str = "10"):  # type: ignore[no-untyped-def]
    return PhaseEpisode.objects.create(
        family=family,
        kind="execution",
        started_on=TODAY() - started_ago * DAY,
        planned_end=TODAY() - started_ago * DAY + planned_days * DAY,
        weeks_min=1,
        weeks_max=1,
        hours_min=Decimal("0"),
        hours_max=Decimal(hours_max),
    )


@pytest.fixture
def three(team, alice):  # type: ignore[no-untyped-def]
    """Late with no recent contact; over budget; all well."""
    late = FamilyFactory(team=team, coach=alice, display_name="Gezin Laat")
    phase(late, started_ago=60, planned_days=30)
    ContactFactory(family=late, author=alice, date=TODAY() - 40 * DAY, minutes=30)
    over = FamilyFactory(team=team, coach=alice, display_name="Gezin Over")
    phase(over, started_ago=3, planned_days=60, hours_max="1")
    ContactFactory(family=over, author=alice, date=TODAY() - DAY, minutes=120)
    well = FamilyFactory(team=team, coach=alice, display_name="Gezin Goed")
    phase(well, started_ago=3, planned_days=60)
    ContactFactory(family=well, author=alice, date=TODAY(), minutes=60)
    return late, over, well


def row_of(body: str, name: str) -> str:
    start = body.index(name)
    return body[start : body.index("</tr>", start)]


def test_the_coachs_caseload_shows_the_reviews_badges(three, alice_client):
    late, over, well = three
    body = alice_client.get(reverse("cases:caseload")).content.decode()
    assert "fase over tijd" in row_of(body, "Gezin Laat")
    assert "geen recent contact" in row_of(body, "Gezin Laat")
    assert "over budget" not in row_of(body, "Gezin Laat")
    assert "over budget" in row_of(body, "Gezin Over")
    assert "geen recent contact" not in row_of(body, "Gezin Over")
    for badge in ("fase over tijd", "over budget", "geen recent contact"):
        assert badge not in row_of(body, "Gezin Goed")


def test_the_badges_are_the_reviews_flags(team, three, alice_client):
    response = alice_client.get(reverse("cases:caseload"))
    shown = {f.pk: set(f.attention) for f in response.context["families"]}
    names = {"overdue": "overdue", "over_budget": "over_budget", "no_contact": "no_contact"}
    review = {
        row.family_id: {names[f] for f in row.flags if f in names}
        for row in caseload_rows(team, today=TODAY())
    }
    assert shown == review
    assert shown[three[0].pk] == {"overdue", "no_contact"}


def test_each_row_has_a_contact_button(three, alice_client):
    body = alice_client.get(reverse("cases:caseload")).content.decode()
    for family in three:
        url = reverse("cases:contact_create", args=[family.pk])
        assert f'href="{url}"' in row_of(body, family.display_name)
        assert "Contact vastleggen" in row_of(body, family.display_name)
    # The family list (another page with the same rows) has no such button.
    body = alice_client.get(reverse("cases:family_list")).content.decode()
    assert reverse("cases:contact_create", args=[three[0].pk]) not in body


def test_new_notifications_show_on_the_landing_page(family, bob, coordinator, bob_client):
    assert "nieuwe melding" not in bob_client.get(reverse("cases:caseload")).content.decode()
    handover_services.coach_change(family=family, coach=bob, by=coordinator, reason="Verlof")
    body = bob_client.get(reverse("cases:caseload")).content.decode()
    assert "1 nieuwe melding" in body and reverse("cases:notification_list") in body
    assert "Contact vastleggen" in row_of(body, family.display_name)
