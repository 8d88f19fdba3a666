"""The research dataset: no name, case number, birth date or typed text in any of its files;
stable pseudonyms per project; a codebook of every column; small cells suppressed."""

from __future__ import annotations

import csv
import datetime
import io
import uuid
import zipfile

import pytest

from cases.models import Member, Role, Trajectory
from reports.fidelity import ELEMENTS
from reports.models import ResearchProject
from reports.research.pseudonyms import Pseudonymiser
from reports.research.services import dataset_zip, suppressed, team_overview
from tests.cases.records.test_destruction_complete import build, family_models, family_rows, plant
from tests.factories import FamilyFactory, MemberFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secret_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.RESEARCH_SECRET = "test-secret-of-the-environment"
    settings.MEDIA_ROOT = tmp_path / "media"


def project_of(team, key_id: str = "project-a") -> ResearchProject:  # type: ignore[no-untyped-def]
    project = ResearchProject.objects.create(name=f"Project {key_id}", key_id=key_id)
    project.teams.add(team)
    return project


def unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def table(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


@pytest.fixture
def full_family(team, alice, bob, coordinator):  # type: ignore[no-untyped-def]
    """A family with a row of every model that hangs from it, a unique string planted in
    every text field of every row (as the destruction test does)."""
    family = FamilyFactory(team=team, coach=alice, display_name="Gezin Oudkerk-Zwanenburg")
    token = f"PLANTED-{uuid.uuid4().hex}"
    build(family, coach=alice, colleague=bob, coordinator=coordinator, token=token)
    original = {
        "case_number": family.case_number,
        "names": list(Member.objects.filter(family=family).values_list("name", flat=True)),
        "births": [
            d
            for d in Member.objects.filter(family=family).values_list("date_of_birth", flat=True)
            if d
        ],
    }
    plant(token, family)
    rows = family_rows(family)
    # Every model of the project that hangs from the family has a row with the string.
    assert not [m._meta.label for m in family_models() if not rows.get(m)]
    family.refresh_from_db()
    return family, token, original


def _plant_in_method_tables(team, family, token):  # type: ignore[no-untyped-def]
    """The team's own text the method tables stand on: the label of a ticked working
    element, and the remarks of enough implementation questionnaires to be in the file."""
    from django.utils import timezone

    from reports import services as report_services
    from reports.models import IMPLEMENTATION_ITEMS

    element = team.working_elements.filter(contacts__family=family).first()
    element.label = f"{token}-element"
    element.save(update_fields=["label"])
    answers = {n: 4 for names in IMPLEMENTATION_ITEMS.values() for n in names}
    users = [member_of(team, Role.COACH, username=f"prof-{i}") for i in range(5)]
    for user in users:
        report_services.implementation_record(
            team=team,
            professional=user,
            date=timezone.localdate(),
            answers=answers,
            remark=f"{token}-opmerking",
        )
    return [u.get_username() for u in users]


def test_no_name_case_number_birth_date_or_typed_text_in_any_file(team, full_family):
    family, token, original = full_family
    usernames = _plant_in_method_tables(team, family, token)
    data, families = dataset_zip(project=project_of(team), team=team)
    files = unzip(data)
    assert families == 1
    assert {
        "trajectories.csv",
        "members.csv",
        "scores.csv",
        "contacts_per_week.csv",
        "questionnaires.csv",
        "working_elements_per_phase.csv",
        "implementation.csv",
        "codebook.csv",
        "README.txt",
    } <= set(files)
    forbidden = [
        token,
        *usernames,
        "alice",
        family.case_number,
        original["case_number"],
        "Oudkerk-Zwanenburg",
        *original["names"],
        "Oma Ria",
        "Naomi",
        "Noah",
    ]
    for born in original["births"]:
        forbidden += [born.isoformat(), born.strftime("%d-%m-%Y"), born.strftime("%d/%m/%Y")]
    for name, text in files.items():
        for value in forbidden:
            assert value not in text, f"{value!r} in {name}"
    # Nor in the ZIP's own bytes (file names, comments).
    for value in forbidden:
        assert value.encode() not in data
    # And the family is in it, with what the columns read.
    (row,) = table(files, "trajectories.csv")
    assert row["family"].startswith("G") and len(row["family"]) == 17
    assert row["referrals"] == "1"
    assert row["referrals_neighbourhood_team"] == "1"
    assert row["referrals_status_waiting"] == "1"
    assert row["network_family"] == "1"
    assert row["aftercare_checkins"] == "1"
    assert row["aftercare_needs_help"] == "1"
    assert row["start_hours_budget"] != ""
    assert row["plan_actions_family"] == "1"
    assert row["sdm_q9_count"] == "1"
    assert row["exit_count"] == "1"
    # The method itself (reports.research.method_columns): the professional's SDM (nine
    # times 4: 80 on 0-100), the working element ticked on a contact, and a state for every
    # element of the fidelity checklist (the file's current trajectory).
    assert (row["professional_sdm_count"], row["professional_sdm_mean"]) == ("1", "80.0")
    assert row["working_element_ticks"] == "1"
    assert 0 < float(row["contacts_with_working_element_share"]) <= 1
    states = {row[f"fidelity_{key}"] for key, _label in ELEMENTS}
    assert states and states <= {"done", "due", "late", "not_applicable"}
    # The trajectory's own referral (the file's first one is its trajectory 1).
    trajectory = Trajectory.objects.get(family=family)
    assert row["referral_month"] == f"{trajectory.referral_date:%Y-%m}"
    assert row["referrer"] == trajectory.referrer
    members = table(files, "members.csv")
    assert {m["role"] for m in members} >= {"mother"}
    child_band = [m["age_band"] for m in members if m["member"] and m["age_band"]]
    assert child_band and all("-" in b or b.endswith("+") for b in child_band)
    kinds = {q["questionnaire"] for q in table(files, "questionnaires.csv")}
    assert kinds == {"sdm_q9", "exit"}
    assert {q["filled_via"] for q in table(files, "questionnaires.csv")} == {"staff"}
    # The ticked element (its label planted) is in the long table, as a pseudonym only.
    (element,) = table(files, "working_elements_per_phase.csv")
    assert element["element"].startswith("W") and element["element_default"] == ""
    assert len(table(files, "implementation.csv")) == 5
    assert table(files, "scores.csv")
    assert table(files, "contacts_per_week.csv")


def test_the_check_would_catch_a_leak(team, full_family, settings):
    """A column that reads a name puts the planted string in the ZIP: the search sees it."""
    family, token, _original = full_family
    settings.RESEARCH_DATASET_COLUMNS = [
        *settings.RESEARCH_DATASET_COLUMNS,
        "tests.reports.research.test_research_dataset.leaking_columns",
    ]
    files = unzip(dataset_zip(project=project_of(team), team=team)[0])
    assert token in files["trajectories.csv"]
    # The codebook lists the added column too.
    assert "leak" in [r["column"] for r in table(files, "codebook.csv")]


def leaking_columns():  # type: ignore[no-untyped-def]
    from reports.research.columns import Column

    return [Column("leak", "test", "", lambda row: row.family.display_name)]


def test_pseudonyms_are_stable_within_a_project_and_differ_across_projects(team, alice):
    family = FamilyFactory(team=team, coach=alice)
    member = MemberFactory(family=family)
    first, second = project_of(team, "a"), project_of(team, "b")

    def pseudonyms(project):  # type: ignore[no-untyped-def]
        files = unzip(dataset_zip(project=project, team=team)[0])
        return (
            table(files, "trajectories.csv")[0]["family"],
            table(files, "members.csv")[0]["member"],
        )

    assert pseudonyms(first) == pseudonyms(first)
    assert pseudonyms(first)[0] == Pseudonymiser("a").family(family.pk)
    assert pseudonyms(first)[1] == Pseudonymiser("a").member(member.pk)
    assert pseudonyms(first)[0] != pseudonyms(second)[0]
    assert pseudonyms(first)[1] != pseudonyms(second)[1]
    # The secret of the environment is part of the key: another secret, other pseudonyms.
    assert Pseudonymiser("a", secret="other").family(family.pk) != pseudonyms(first)[0]
    # Family and member ids do not collide into one pseudonym.
    assert Pseudonymiser("a").family(member.pk) != Pseudonymiser("a").member(member.pk)


def test_no_dataset_without_the_secret(team, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.RESEARCH_SECRET = ""
    with pytest.raises(ImproperlyConfigured):
        dataset_zip(project=project_of(team), team=team)


def test_the_codebook_lists_every_column_of_every_csv(team, full_family):
    files = unzip(dataset_zip(project=project_of(team), team=team)[0])
    codebook = table(files, "codebook.csv")
    assert all(entry["meaning"] for entry in codebook)
    for name, text in files.items():
        if not name.endswith(".csv") or name == "codebook.csv":
            continue
        header = next(csv.reader(io.StringIO(text)))
        assert header == [e["column"] for e in codebook if e["file"] == name], name
    described = {e["file"] for e in codebook}
    assert described == {n for n in files if n.endswith(".csv") and n != "codebook.csv"}
    assert "codebook.csv" in files["README.txt"]


def test_age_bands_and_months_replace_dates(team, alice):
    family = FamilyFactory(team=team, coach=alice, referral_date=datetime.date(2026, 3, 15))
    MemberFactory(family=family, role="child", date_of_birth=datetime.date(2020, 3, 16))
    MemberFactory(family=family, role="mother", date_of_birth=datetime.date(1960, 1, 1))
    files = unzip(dataset_zip(project=project_of(team), team=team)[0])
    bands = sorted(m["age_band"] for m in table(files, "members.csv"))
    # 5 the day before the sixth birthday; 66 on the referral date.
    assert bands == ["4-11", "65+"]
    assert table(files, "trajectories.csv")[0]["referral_month"] == "2026-03"


def test_small_cells_are_suppressed_on_the_research_page(team, other_team, client):
    for _ in range(4):
        FamilyFactory(team=team, referrer="gp")
    for _ in range(5):
        FamilyFactory(team=team, referrer="okt")
    overview = team_overview(team)
    counts = dict(overview["by_referrer"])
    assert counts["Huisarts"] == "<5"
    assert counts["OKT (Ouder- en Kindteam)"] == "5"
    assert overview["total"] == "9"
    assert suppressed(0) == "<5" and suppressed(4) == "<5" and suppressed(5) == "5"
    assert team_overview(other_team)["total"] == "<5"
    researcher = member_of(team, Role.RESEARCHER, username="onderzoeker")
    client.force_login(researcher)
    page = client.get("/onderzoek/").content.decode()
    assert "&lt;5" in page
    # Four families never show as "4".
    assert ">4<" not in page


def test_one_row_per_trajectory_with_what_happened_in_its_window(team, alice):
    from tests.factories import ContactFactory

    family = FamilyFactory(team=team, coach=alice, referral_date=datetime.date(2025, 1, 10))
    for number, day, referrer in (
        (1, datetime.date(2025, 1, 10), "gp"),
        (2, datetime.date(2026, 2, 1), "okt"),
    ):
        Trajectory.objects.create(
            family=family, number=number, referrer=referrer, referral_date=day
        )
    # Typed in late, before the first referral: counts with the first trajectory.
    ContactFactory(family=family, author=alice, date=datetime.date(2025, 1, 3))
    ContactFactory(family=family, author=alice, date=datetime.date(2025, 6, 2))
    ContactFactory(family=family, author=alice, date=datetime.date(2026, 2, 1))
    rows = table(unzip(dataset_zip(project=project_of(team), team=team)[0]), "trajectories.csv")
    assert [(r["trajectory"], r["referral_month"], r["referrer"], r["contacts"]) for r in rows] == [
        ("1", "2025-01", "gp", "2"),
        ("2", "2026-02", "okt", "1"),
    ]
    assert rows[0]["family"] == rows[1]["family"]
