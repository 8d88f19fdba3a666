"""The research dataset's tables on the method: working elements per element per phase,
the implementation questionnaire per professional pseudonym and half year (small half
years left out), and who filled each family questionnaire (staff or portal, role band)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import Role
from phases.models import PhaseKind
from reports import services as report_services
from reports.models import (
    IMPLEMENTATION_ITEMS,
    FilledVia,
    QuestionnaireMoment,
    ResearchProject,
)
from reports.research.pseudonyms import Pseudonymiser
from reports.research.services import dataset_zip
from tests.factories import ContactFactory, FamilyFactory, MemberFactory, member_of
from tests.reports.portal.helpers import episode
from tests.reports.research.test_research_dataset import project_of, table, unzip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secret(settings):  # type: ignore[no-untyped-def]
    settings.RESEARCH_SECRET = "test-secret-of-the-environment"


def test_working_elements_are_counted_per_element_per_phase(team, alice, settings):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=alice)
    today = timezone.localdate()
    start = episode(family, PhaseKind.START, days_ago=40)
    start.ended_on = today - datetime.timedelta(days=20)
    start.save(update_fields=["ended_on"])
    episode(family, PhaseKind.ANALYSIS, days_ago=20)
    elements = list(team.working_elements.order_by("order", "pk"))
    stress, practical = elements[0], elements[1]
    own = team.working_elements.create(label="Samen koken op dinsdag", order=99)

    def contact(days_ago: int, *ticked):  # type: ignore[no-untyped-def]
        made = ContactFactory(
            family=family, author=alice, date=today - datetime.timedelta(days=days_ago)
        )
        made.working_elements.add(*ticked)

    contact(35, stress)
    contact(30, stress, practical)
    contact(10, stress, own)
    contact(60, practical)  # before any phase
    files = unzip(dataset_zip(project=project_of(team), team=team)[0])
    rows = table(files, "working_elements_per_phase.csv")
    pseudonyms = Pseudonymiser("project-a")
    got = {(r["element"], r["phase"]): r["contacts"] for r in rows}
    assert got == {
        (pseudonyms.element(stress.pk), "start"): "2",
        (pseudonyms.element(stress.pk), "analysis"): "1",
        (pseudonyms.element(practical.pk), "start"): "1",
        (pseudonyms.element(practical.pk), "none"): "1",
        (pseudonyms.element(own.pk), "analysis"): "1",
    }
    defaults = {r["element"]: r["element_default"] for r in rows}
    number = settings.WORKING_ELEMENT_DEFAULTS.index(stress.label) + 1
    assert defaults[pseudonyms.element(stress.pk)] == str(number)
    assert defaults[pseudonyms.element(own.pk)] == ""
    assert all("Samen koken" not in text for text in files.values())
    # The trajectory table's total agrees with the long table.
    (trajectory,) = table(files, "trajectories.csv")
    assert trajectory["working_element_ticks"] == str(sum(int(n) for n in got.values()))


def _answer(team, user, day, value=3, remark=""):  # type: ignore[no-untyped-def]
    answers = {n: value for names in IMPLEMENTATION_ITEMS.values() for n in names}
    report_services.implementation_record(
        team=team, professional=user, date=day, answers=answers, remark=remark
    )


def test_implementation_per_professional_and_half_year_small_halves_left_out(team, settings):  # type: ignore[no-untyped-def]
    settings.IMPLEMENTATION_MIN_RESPONDENTS = 5
    users = [member_of(team, Role.COACH, username=f"coach-{i}") for i in range(5)]
    first_half, second_half = datetime.date(2026, 3, 1), datetime.date(2026, 9, 1)
    for i, user in enumerate(users):
        _answer(team, user, first_half, value=1 + i, remark="Te weinig tijd voor het netwerk")
    for user in users[:4]:  # four in the second half: a small cell
        _answer(team, user, second_half)
    files = unzip(dataset_zip(project=project_of(team), team=team)[0])
    rows = table(files, "implementation.csv")
    assert {r["half_year"] for r in rows} == {"2026-H1"}
    pseudonyms = Pseudonymiser("project-a")
    assert sorted(r["professional"] for r in rows) == sorted(
        pseudonyms.professional(u.pk) for u in users
    )
    assert sorted(r["method_1"] for r in rows) == ["1", "2", "3", "4", "5"]
    everything = "".join(files.values())
    assert "Te weinig tijd" not in everything
    assert not [u.get_username() for u in users if u.get_username() in everything]
    # A fifth answer in the second half: now it is in.
    _answer(team, member_of(team, Role.COACH, username="coach-5"), second_half)
    project = ResearchProject.objects.get(key_id="project-a")
    rows = table(unzip(dataset_zip(project=project, team=team)[0]), "implementation.csv")
    assert sum(1 for r in rows if r["half_year"] == "2026-H2") == 5


def test_questionnaires_say_how_they_came_in_and_who_filled_them(team, alice):  # type: ignore[no-untyped-def]
    family = FamilyFactory(team=team, coach=alice)
    parent = MemberFactory(family=family, has_parental_authority=True, role="mother")
    today = timezone.localdate()
    young = MemberFactory(
        family=family, role="child", date_of_birth=today.replace(year=today.year - 15)
    )
    report_services.sdm_record(
        family=family,
        member=parent,
        moment=QuestionnaireMoment.START,
        date=today,
        items=[3] * 9,
        by=alice,
    )
    report_services.sdm_record(
        family=family,
        member=young,
        moment=QuestionnaireMoment.START,
        date=today,
        items=[4] * 9,
        by=alice,
        via=FilledVia.PORTAL,
    )
    files = unzip(dataset_zip(project=project_of(team), team=team)[0])
    rows = table(files, "questionnaires.csv")
    pseudonyms = Pseudonymiser("project-a")
    got = {r["member"]: (r["filled_via"], r["filled_by"]) for r in rows}
    assert got == {
        pseudonyms.member(parent.pk): ("staff", "gezag"),
        pseudonyms.member(young.pk): ("portal", "young_person"),
    }
    (trajectory,) = table(files, "trajectories.csv")
    assert trajectory["sdm_q9_count"] == "2"
