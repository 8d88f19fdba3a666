"""The team report counts the working elements ticked on the year's contacts per phase."""

from __future__ import annotations

import datetime

import pytest

from cases.elements import services
from cases.models import WorkingElement
from reports.teamreport import team_report
from tests.factories import ContactFactory, FamilyFactory
from tests.reports.test_team_report import _episode, csv_tables

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def ticks(team, other_team, alice, charlie):  # type: ignore[no-untyped-def]
    stress, practical = WorkingElement.objects.of_team(team.pk)[:2]
    old = services.working_element_create(team=team, label="Oud element")
    one = FamilyFactory(team=team, coach=alice)
    # Start 1 Feb – 1 Mar, analysis 1 Mar – 1 May, execution from 1 May (open).
    _episode(one, "start", D(2025, 2, 1), D(2025, 3, 1), ended=D(2025, 3, 1))
    _episode(one, "analysis", D(2025, 3, 1), D(2025, 5, 1), ended=D(2025, 5, 1))
    _episode(one, "execution", D(2025, 5, 1), D(2025, 12, 1))

    def contact(family, day, *elements):  # type: ignore[no-untyped-def]
        c = ContactFactory(family=family, author=family.coach, date=day)
        c.working_elements.add(*elements)
        return c

    contact(one, D(2025, 1, 20), stress)  # before the first phase
    contact(one, D(2025, 2, 1), stress, practical)  # start (first day)
    contact(one, D(2025, 2, 28), stress)  # start (last day)
    contact(one, D(2025, 3, 1), stress)  # analysis: the day the start phase ended
    contact(one, D(2025, 5, 1), practical, old)  # execution
    contact(one, D(2025, 9, 9), practical)  # execution (open phase)
    contact(one, D(2024, 12, 1), stress)  # another year: not counted
    two = FamilyFactory(team=team, coach=alice)
    _episode(two, "start", D(2025, 6, 1), D(2025, 7, 1))
    contact(two, D(2025, 6, 2), stress)  # start
    services.working_element_update(element=old, version=old.version, data={"active": False})
    # Another team's contact and element never count here.
    foreign = FamilyFactory(team=other_team, coach=charlie)
    theirs = WorkingElement.objects.of_team(other_team.pk).first()
    contact(foreign, D(2025, 3, 3), theirs)
    return stress, practical, old


def test_counts_per_phase(team, ticks):
    stress, practical, old = ticks
    rows = {r.label: r for r in team_report(team, year=2025).working_elements}
    # Phases in order: start, analysis, execution, closing.
    assert rows[stress.label].per_phase == [3, 1, 0, 0]
    assert rows[stress.label].no_phase == 1
    assert rows[stress.label].total == 5
    assert rows[practical.label].per_phase == [1, 0, 2, 0]
    assert rows[practical.label].total == 3
    assert rows["Oud element"].per_phase == [0, 0, 1, 0] and not rows["Oud element"].active
    # Never ticked in the year: left out; in the list order.
    assert list(rows) == [stress.label, practical.label, "Oud element"]


def test_page_and_csv_show_the_table(team, ticks, coordinator_client):
    stress, _practical, _old = ticks
    page = coordinator_client.get("/reports/team/", {"year": 2025}).content.decode()
    assert 'id="tr-elements"' in page and "niet meer in gebruik" in page
    text = coordinator_client.get("/reports/team/csv/", {"year": 2025}).content.decode()
    table = csv_tables(text.removeprefix("\ufeff"))[
        "Werkzame elementen per fase, contacten in 2025"
    ]
    assert table[0] == [
        "Werkzaam element",
        "Startfase",
        "Analysefase",
        "Uitvoeringsfase",
        "Afrondingsfase",
        "Voor de eerste fase",
        "Totaal",
    ]
    assert [stress.label, "3", "1", "0", "0", "1", "5"] in table
    empty = coordinator_client.get("/reports/team/", {"year": 2023}).content.decode()
    assert "Geen werkzame elementen aangevinkt in dit jaar." in empty
