"""The gate decides by need, once, and the access log says what it decided."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from cases.models import AccessLog, AccessOutcome, Role
from cases.permissions import Need, family_access_for
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _rows_of(client, method, url):  # type: ignore[no-untyped-def]
    last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = getattr(client, method)(url)
    return response.status_code, list(AccessLog.objects.filter(pk__gt=last).order_by("pk"))


@pytest.mark.parametrize(
    "name",
    [
        "cases:records_export_json",
        "cases:records_export_pdf",
        "cases:access_log_export",
        "cases:access_log",
    ],
)
def test_a_coach_refused_an_export_is_logged_denied_with_her_role(name, family, alice_client):
    status, rows = _rows_of(alice_client, "get", reverse(name, args=[family.pk]))
    assert status == 403
    assert [(r.outcome, r.role, r.family_id_ref) for r in rows] == [
        (AccessOutcome.DENIED, Role.COACH, family.pk)
    ]


def test_the_coordinator_export_is_one_allowed_row(family, coordinator_client):
    status, rows = _rows_of(
        coordinator_client, "get", reverse("cases:access_log_export", args=[family.pk])
    )
    assert status == 200
    assert [(r.outcome, r.role, r.action) for r in rows] == [
        (AccessOutcome.ALLOWED, Role.COORDINATOR, "export")
    ]


def test_the_destruction_page_refused_to_the_psychologist_is_logged_denied(
    family, psychologist_client
):
    status, rows = _rows_of(
        psychologist_client, "get", reverse("cases:family_destroy", args=[family.pk])
    )
    assert status == 403
    assert [(r.outcome, r.role) for r in rows] == [(AccessOutcome.DENIED, Role.PSYCHOLOGIST)]


def test_care_work_refused_to_the_coordinator_is_logged_denied(family, coordinator_client):
    status, rows = _rows_of(
        coordinator_client, "post", reverse("phases:extra_hours", args=[family.pk])
    )
    assert status == 403
    assert [(r.outcome, r.role) for r in rows] == [(AccessOutcome.DENIED, Role.COORDINATOR)]


def test_a_contact_of_someone_else_is_refused_and_logged_denied(family, bob, psychologist_client):
    contact = ContactFactory(family=family, author=bob)
    url = reverse("cases:contact_edit", args=[family.pk, contact.pk])
    status, rows = _rows_of(psychologist_client, "get", url)
    assert status == 403
    assert [(r.outcome, r.role) for r in rows] == [(AccessOutcome.DENIED, Role.PSYCHOLOGIST)]


def test_a_missing_record_in_the_family_is_one_denied_row(family, alice_client):
    url = reverse("network:agreement_edit", args=[family.pk, 987_654_321])
    status, rows = _rows_of(alice_client, "get", url)
    assert status == 404
    assert [(r.outcome, r.role) for r in rows] == [(AccessOutcome.DENIED, Role.COACH)]


def test_a_reader_asking_to_change_a_missing_record_still_gets_403(family, bob_client):
    url = reverse("network:agreement_edit", args=[family.pk, 987_654_321])
    status, rows = _rows_of(bob_client, "get", url)
    assert status == 403
    assert [r.outcome for r in rows] == [AccessOutcome.DENIED]


def test_a_team_page_refusal_is_logged_denied(alice_client):
    status, rows = _rows_of(alice_client, "get", reverse("cases:destruction_list"))
    assert status == 403
    assert [(r.outcome, r.role, r.family_id_ref) for r in rows] == [
        (AccessOutcome.DENIED, Role.COACH, None)
    ]


def test_access_is_a_frozen_result_and_the_family_is_not_patched(family, alice, coordinator):
    access = family_access_for(alice, family)
    assert access is not None and access.family == family and access.role == Role.COACH
    assert access.may(Need.WRITE) and access.may(Need.CARE)
    assert not access.may(Need.EXPORT) and not access.may(Need.APPROVE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        access.role = Role.COORDINATOR  # type: ignore[misc]
    assert not hasattr(family, "access")
    coordinating = family_access_for(coordinator, family)
    assert coordinating is not None
    assert coordinating.may(Need.COORDINATE) and not coordinating.may(Need.CARE)


@pytest.mark.parametrize(
    ("method", "name", "expected"),
    [
        ("get", "cases:access_log", "read"),  # a coordinator's page, and only read
        ("get", "cases:family_edit", "read"),  # opening an edit form changes nothing
        ("post", "cases:family_edit", "change"),  # sending it is a change (refused or not)
    ],
)
def test_the_log_says_what_the_request_did(method, name, expected, family, coordinator_client):
    status, rows = _rows_of(coordinator_client, method, reverse(name, args=[family.pk]))
    assert status in (200, 400, 409)
    assert [r.action for r in rows if r.family_id_ref == family.pk][:1] == [expected]
