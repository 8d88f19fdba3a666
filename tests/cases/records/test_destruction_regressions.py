"""Destruction on request: families with questionnaires, and the plan PDFs on disk."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import DestructionRecord, Family
from reports import services as report_services
from reports.models import ExitQuestionnaire, PlanPdf, SdmResponse
from tests.cases.plan_factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def destroy(client, family, capture):  # type: ignore[no-untyped-def]
    data = {
        "reason": "client_request",
        "requested_by": "parent",
        "requested_on": timezone.localdate().isoformat(),
        "confirm_case_number": family.case_number,
    }
    # The files go after commit: run the on_commit callbacks here.
    with capture(execute=True):
        return client.post(reverse("cases:family_destroy", args=[family.pk]), data)


def test_family_with_questionnaires_is_destroyed(
    family, alice, coordinator_client, django_capture_on_commit_callbacks
):
    mother = family.members.get(name="Naomi Jansen")
    report_services.sdm_record(
        family=family,
        member=mother,
        moment="closing",
        date=datetime.date.today(),
        items=[4] * 9,
        by=alice,
    )
    report_services.exit_record(
        family=family,
        member=mother,
        date=datetime.date.today(),
        answers={"result": 4, "coach_rating": 5, "network_role": 3, "own_control": 4},
        comments="Het gaat beter thuis",
        by=alice,
    )

    response = destroy(coordinator_client, family, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:destruction_register")
    assert not Family.objects.filter(pk=family.pk).exists()
    assert not SdmResponse.objects.exists()
    assert not ExitQuestionnaire.objects.exists()
    assert DestructionRecord.objects.count() == 1


def test_plan_pdfs_on_disk_are_gone_after_destruction(
    family, team, alice, coordinator_client, settings, django_capture_on_commit_callbacks
):
    plan = PlanFactory(family=family, number=1, created_by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        export = report_services.plan_pdf_request(family=family, plan=plan, by=alice)
    export.refresh_from_db()
    assert export.state == "done"
    media = settings.MEDIA_ROOT
    pdf_files = [p for p in media.rglob("*") if p.is_file()]
    assert len(pdf_files) == 1
    assert pdf_files[0].read_bytes().startswith(b"%PDF-")
    # Another family's PDF stays.
    from tests.factories import FamilyFactory

    other = FamilyFactory(team=team, coach=alice)
    other_plan = PlanFactory(family=other, number=1, created_by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        other_export = report_services.plan_pdf_request(family=other, plan=other_plan, by=alice)
    other_export.refresh_from_db()
    other_files = {p for p in media.rglob("*") if p.is_file()} - set(pdf_files)
    assert len(other_files) == 1

    response = destroy(coordinator_client, family, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert not PlanPdf.objects.filter(family_id=family.pk).exists()
    assert not pdf_files[0].exists()
    # No folder of the destroyed family is left behind, not even an empty one.
    assert not (media / "plans" / str(family.pk)).exists()
    assert {p for p in media.rglob("*") if p.is_file()} == other_files


def test_admin_history_of_the_family_goes_with_it(
    family, alice, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    # Rows from when family records were still in the admin keep the member's name.
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    member = family.members.get(name="Naomi Jansen")
    for obj in (family, member):
        LogEntry.objects.create(
            user=coordinator,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
        )
    team_entry = LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(family.team),
        object_id=str(family.team.pk),
        object_repr=str(family.team),
        action_flag=CHANGE,
    )
    response = destroy(coordinator_client, family, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert list(LogEntry.objects.all()) == [team_entry]
    assert not LogEntry.objects.filter(object_repr__contains="Jansen").exists()
