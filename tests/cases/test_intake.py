"""Intake in one form (cases/intake/): the case number, members, duplicates, reopening."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.intake import services as intake_services
from cases.models import (
    AccessLog,
    Contact,
    Family,
    FamilyStatus,
    Member,
    Notification,
    Trajectory,
)
from tests.factories import ContactFactory, FamilyFactory, MemberFactory, TeamFactory, member_of

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def intake_data(team, coach=None, *, members=(), **overrides):  # type: ignore[no-untyped-def]
    data = {
        "case_number": "",
        "display_name": "Gezin Pinas",
        "area": "Holendrecht",
        "team": team.pk,
        "status": FamilyStatus.REFERRED,
        "referrer": "okt",
        "referrer_detail": "",
        "referral_date": timezone.localdate().isoformat(),
        "coach": coach.pk if coach else "",
        "members-TOTAL_FORMS": str(max(len(members), 2)),
        "members-INITIAL_FORMS": "0",
    }
    for i, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{i}-{key}"] = value
        data.setdefault(f"members-{i}-lives_in_household", "on")
    data.update(overrides)
    return data


MOTHER = {"name": "Sanne Pinas", "date_of_birth": "1988-02-03", "role": "mother"}
CHILD = {"name": "Milan Pinas", "date_of_birth": "2015-09-10", "role": "child"}


def test_the_case_number_is_given_with_the_teams_prefix_and_year(team, alice, coordinator_client):
    url = reverse("cases:family_create")
    first = coordinator_client.post(url, intake_data(team, alice))
    second = coordinator_client.post(url, intake_data(team, alice, display_name="Gezin Ozturk"))
    assert first.status_code == second.status_code == 302
    numbers = sorted(Family.objects.values_list("case_number", flat=True))
    # "Amsterdam Zuidoost": the initials, as long as the team has no prefix of its own.
    assert numbers == [f"AZ-{YEAR}-001", f"AZ-{YEAR}-002"]
    team.case_prefix = "ZO"
    team.save()
    coordinator_client.post(url, intake_data(team, alice, display_name="Gezin Bos"))
    # The team's own prefix from now on; the year's sequence goes on.
    assert Family.objects.get(display_name="Gezin Bos").case_number == f"ZO-{YEAR}-003"


def test_a_number_already_in_use_is_skipped(team, alice, coordinator_client):
    FamilyFactory(team=team, case_number=f"az-{YEAR}-001")
    coordinator_client.post(reverse("cases:family_create"), intake_data(team, alice))
    assert Family.objects.get(display_name="Gezin Pinas").case_number == f"AZ-{YEAR}-002"


def test_a_number_typed_by_hand_is_kept(team, alice, coordinator_client):
    data = intake_data(team, alice, case_number="OUD-1999-4")
    coordinator_client.post(reverse("cases:family_create"), data)
    assert Family.objects.get(display_name="Gezin Pinas").case_number == "OUD-1999-4"


def test_members_are_entered_in_the_same_form(team, alice, coordinator_client):
    data = intake_data(team, alice, members=[MOTHER, CHILD])
    response = coordinator_client.post(reverse("cases:family_create"), data)
    family = Family.objects.get(display_name="Gezin Pinas")
    assert response["Location"] == reverse("cases:family_detail", args=[family.pk])
    assert sorted(family.members.values_list("name", "role")) == [
        ("Milan Pinas", "child"),
        ("Sanne Pinas", "mother"),
    ]
    trajectory = family.trajectories.get()
    assert (trajectory.number, trajectory.referrer) == (1, "okt")
    # The first coach is the start of the file's coach history, and is told.
    change = family.coach_changes.get()
    assert (change.coach, change.previous_coach, change.kind) == (alice, None, "intake")
    assert Notification.objects.filter(recipient=alice, family=family).exists()


def test_another_row_keeps_what_was_typed_and_saves_nothing(team, alice, coordinator_client):
    data = intake_data(team, alice, members=[MOTHER, CHILD], add_row="1")
    response = coordinator_client.post(reverse("cases:family_create"), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 3
    body = response.content.decode()
    assert 'value="Sanne Pinas"' in body and 'value="Milan Pinas"' in body
    assert 'name="members-2-name"' in body
    assert not Family.objects.exists()


def test_a_bad_member_row_saves_nothing(team, alice, coordinator_client):
    bad = {**CHILD, "date_of_birth": "2999-01-01"}
    response = coordinator_client.post(
        reverse("cases:family_create"), intake_data(team, alice, members=[MOTHER, bad])
    )
    assert response.status_code == 200
    assert "Een datum in de toekomst kan niet" in response.content.decode()
    assert not Family.objects.exists() and not Member.objects.exists()


def test_a_member_row_without_a_name_is_refused(team, alice, coordinator_client):
    response = coordinator_client.post(
        reverse("cases:family_create"),
        intake_data(team, alice, members=[{"date_of_birth": "2015-09-10", "role": "child"}]),
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    assert not Family.objects.exists()


@pytest.fixture
def earlier(team, alice):  # type: ignore[no-untyped-def]
    """A closed file of the same household, with its history."""
    family = FamilyFactory(
        team=team, coach=alice, display_name="Gezin Pinas-de Vries", status=FamilyStatus.CLOSED
    )
    MemberFactory(family=family, name="Sanne Pinas", date_of_birth=datetime.date(1988, 2, 3))
    MemberFactory(family=family, name="Milan Pinas", date_of_birth=None)
    ContactFactory(family=family, author=alice)
    return family


def test_duplicates_are_shown_before_anything_is_saved(earlier, team, alice, coordinator_client):
    url = reverse("cases:family_create")
    response = coordinator_client.post(url, intake_data(team, alice, members=[MOTHER, CHILD]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mogelijk dubbele dossiers" in body and "Gezin Pinas-de Vries" in body
    assert "Zelfde naam en geboortedatum: Sanne Pinas (3 feb. 1988)" in body
    assert "Zelfde gezinsleden:" in body
    assert f'name="reopen" value="{earlier.pk}"' in body
    assert Family.objects.count() == 1
    # The earlier file's name was shown: its access log says so.
    assert AccessLog.objects.filter(
        family_id_ref=earlier.pk, object="aanmelding: mogelijk dubbel dossier"
    ).exists()
    # Saving a new file anyway is a choice made after seeing them.
    data = intake_data(team, alice, members=[MOTHER, CHILD], confirm_new="1")
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    assert Family.objects.count() == 2


def test_an_active_family_with_the_same_person_is_a_duplicate_but_not_reopenable(
    team, alice, coordinator_client
):
    active = FamilyFactory(team=team, status=FamilyStatus.ACTIVE, display_name="Gezin Actief")
    MemberFactory(family=active, name="sanne pinas", date_of_birth=datetime.date(1988, 2, 3))
    response = coordinator_client.post(
        reverse("cases:family_create"), intake_data(team, alice, members=[MOTHER])
    )
    body = response.content.decode()
    assert "Gezin Actief" in body and f'name="reopen" value="{active.pk}"' not in body
    assert Family.objects.count() == 1


def test_same_name_with_another_birth_date_in_an_active_file_is_no_duplicate(
    team, alice, coordinator_client
):
    active = FamilyFactory(team=team, status=FamilyStatus.ACTIVE)
    MemberFactory(family=active, name="Sanne Pinas", date_of_birth=datetime.date(1990, 1, 1))
    response = coordinator_client.post(
        reverse("cases:family_create"), intake_data(team, alice, members=[MOTHER])
    )
    assert response.status_code == 302


def test_another_teams_files_are_no_duplicates(other_team, team, alice, coordinator_client):
    theirs = FamilyFactory(team=other_team, status=FamilyStatus.CLOSED)
    MemberFactory(family=theirs, name="Sanne Pinas", date_of_birth=datetime.date(1988, 2, 3))
    MemberFactory(family=theirs, name="Milan Pinas")
    response = coordinator_client.post(
        reverse("cases:family_create"), intake_data(team, alice, members=[MOTHER, CHILD])
    )
    assert response.status_code == 302
    assert not AccessLog.objects.filter(family_id_ref=theirs.pk).exists()


def test_reopening_starts_a_new_trajectory_and_keeps_the_history(
    earlier, team, alice, coordinator_client
):
    sibling = {"name": "Lina Pinas", "date_of_birth": "2021-04-04", "role": "child"}
    data = intake_data(team, alice, members=[MOTHER, CHILD, sibling], reopen=str(earlier.pk))
    data["members-TOTAL_FORMS"] = "3"
    response = coordinator_client.post(reverse("cases:family_create"), data)
    assert response["Location"] == reverse("cases:family_detail", args=[earlier.pk])
    assert Family.objects.count() == 1
    earlier.refresh_from_db()
    assert earlier.status == FamilyStatus.REFERRED and earlier.referrer == "okt"
    assert earlier.display_name == "Gezin Pinas-de Vries"
    # The old contacts stay; Sanne (same name and birth date) is not added twice, Milan (no
    # birth date in the old file) and Lina are new members.
    assert Contact.objects.filter(family=earlier).count() == 1
    assert sorted(earlier.members.values_list("name", flat=True)) == [
        "Lina Pinas",
        "Milan Pinas",
        "Milan Pinas",
        "Sanne Pinas",
    ]
    trajectories = list(earlier.trajectories.values_list("number", "referrer", "previous_status"))
    # The file's first referral (from before trajectories were kept) is number 1.
    assert trajectories == [(1, "gp", ""), (2, "okt", FamilyStatus.CLOSED)]
    body = coordinator_client.get(reverse("cases:family_detail", args=[earlier.pk])).content
    assert "Traject 2" in body.decode()


def test_an_active_file_cannot_be_reopened(team, alice, coordinator_client):
    active = FamilyFactory(team=team, status=FamilyStatus.ACTIVE)
    MemberFactory(family=active, name="Sanne Pinas", date_of_birth=datetime.date(1988, 2, 3))
    data = intake_data(team, alice, members=[MOTHER], reopen=str(active.pk))
    response = coordinator_client.post(reverse("cases:family_create"), data)
    assert response.status_code == 200
    assert "Dat dossier kan niet worden heropend" in response.content.decode()
    assert not Trajectory.objects.filter(family=active).exists()
    assert Family.objects.count() == 1


def test_the_reopen_service_refuses_an_active_file(family, coordinator):
    with pytest.raises(intake_services.NotReopenable):
        intake_services.family_reopen(
            family=family,
            referrer="gp",
            referrer_detail="",
            referral_date=timezone.localdate(),
            by=coordinator,
        )
    assert not family.trajectories.exists()


def test_only_coaches_appear_as_vaste_hulpverlener(team, alice, psychologist, coordinator_client):
    response = coordinator_client.get(reverse("cases:family_create"))
    choices = list(response.context["form"].fields["coach"].queryset)
    assert choices == [alice]
    response = coordinator_client.post(
        reverse("cases:family_create"), intake_data(team, psychologist)
    )
    assert response.status_code == 200
    assert not Family.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_intakes_saved_at_once_get_two_numbers(monkeypatch):
    team = TeamFactory(name="Amsterdam Zuidoost")
    coordinator = member_of(team, "coordinator", username="coord")
    original = services.family_create
    start = threading.Barrier(2)

    def slow_create(**kwargs):  # type: ignore[no-untyped-def]
        # Each intake holds its number a while before the family is written: without the
        # sequence row's lock the second would be given the same number.
        time.sleep(0.5)
        return original(**kwargs)

    monkeypatch.setattr(intake_services.services, "family_create", slow_create)
    results: list[object] = []

    def save(name: str) -> None:
        try:
            start.wait()
            family = intake_services.family_intake(
                data={
                    "display_name": name,
                    "team": team,
                    "status": FamilyStatus.REFERRED,
                    "referrer": "gp",
                    "referrer_detail": "",
                    "referral_date": timezone.localdate(),
                },
                members=[],
                by=coordinator,
            )
            results.append(family.case_number)
        except Exception as error:  # noqa: BLE001 - the test reports it
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("Gezin A", "Gezin B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == [f"AZ-{YEAR}-001", f"AZ-{YEAR}-002"]


def test_a_reopened_file_starts_a_new_phase_trajectory_after_the_earlier_one(
    team, alice, coordinator
):
    from phases import services as phase_services
    from phases.models import PhaseEpisode

    family = FamilyFactory(team=team, coach=alice, status=FamilyStatus.REFERRED)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    family.referral_date = long_ago
    family.save()
    first = phase_services.trajectory_start(family=family, by=alice, started_on=long_ago)
    first.ended_on = long_ago + datetime.timedelta(days=300)
    first.save()
    Family.objects.filter(pk=family.pk).update(status=FamilyStatus.CLOSED)
    family.refresh_from_db()
    intake_services.family_reopen(
        family=family,
        referrer="gp",
        referrer_detail="",
        referral_date=long_ago + datetime.timedelta(days=200),
        by=coordinator,
    )
    family.refresh_from_db()
    # Not before the earlier trajectory's end, even with an earlier referral date.
    with pytest.raises(phase_services.PhaseError):
        phase_services.trajectory_start(
            family=family, by=alice, started_on=long_ago + datetime.timedelta(days=250)
        )
    started = phase_services.trajectory_start(
        family=family, by=alice, started_on=timezone.localdate()
    )
    assert started.kind == "start" and started.ended_on is None
    assert PhaseEpisode.objects.filter(family=family).count() == 2
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE
