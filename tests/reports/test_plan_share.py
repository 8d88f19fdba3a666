"""The plan as PDF for someone outside the team: recipient asked, consent checked."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, Consent
from reports.models import PlanPdf
from tests.cases.plan_factories import PlanFactory
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


def share_url(family):  # type: ignore[no-untyped-def]
    return reverse("reports:plan_pdf_share", args=[family.pk])


def consent_for(family, organisation, **fields):  # type: ignore[no-untyped-def]
    consent = Consent.objects.create(
        family=family,
        given_by_member=family.members.first(),
        organisation=organisation,
        purpose="Afstemming over de schoolgang",
        valid_from=fields.pop("valid_from", timezone.localdate() - datetime.timedelta(days=30)),
        **fields,
    )
    # The Jeugdwet: Noah is 12, so the mother with gezag and Noah himself both agree.
    consent.given_by_members.set(family.members.all())
    return consent


def test_share_page_asks_for_the_recipient(plan, alice_client):
    response = alice_client.get(share_url(plan.family))
    assert response.status_code == 200
    assert "Ontvanger (organisatie)" in response.content.decode()


def test_covered_by_consent_makes_the_pdf_for_the_recipient(
    plan, alice_client, django_capture_on_commit_callbacks
):
    consent = consent_for(plan.family, "Veilig Thuis")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            share_url(plan.family), {"plan": plan.pk, "organisation": " veilig thuis "}
        )
    assert response.status_code == 302
    export = PlanPdf.objects.get()
    assert export.recipient == "veilig thuis"
    assert export.consent == consent
    # The log names the export by id; the recipient lives on the export, with the family.
    assert AccessLog.objects.filter(
        action="export",
        object=f"gezinsplan-PDF {export.pk} gedeeld buiten het team",
        outcome="allowed",
    ).exists()


def test_without_consent_warns_and_makes_nothing(plan, alice_client):
    consent_for(
        plan.family, "Veilig Thuis", valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = alice_client.post(
        share_url(plan.family), {"plan": plan.pk, "organisation": "Veilig Thuis"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is geen geldige toestemming vastgelegd om te delen met Veilig Thuis" in body
    assert not PlanPdf.objects.exists()


def test_confirmed_without_consent_is_made_and_marked(plan, alice_client):
    response = alice_client.post(
        share_url(plan.family),
        {"plan": plan.pk, "organisation": "Jeugdarts", "share_without_consent": "on"},
    )
    assert response.status_code == 302
    export = PlanPdf.objects.get()
    assert export.recipient == "Jeugdarts" and export.consent is None
    page = alice_client.get(reverse("cases:plan_detail", args=[plan.family.pk]))
    assert "zonder vastgelegde toestemming" in page.content.decode()


def test_plan_of_another_family_is_refused(plan, alice_client, team):
    other_plan = PlanFactory(family=FamilyFactory(team=team))
    consent_for(plan.family, "Veilig Thuis")
    response = alice_client.post(
        share_url(plan.family), {"plan": other_plan.pk, "organisation": "Veilig Thuis"}
    )
    assert response.status_code == 200
    assert not PlanPdf.objects.exists()


def test_recipient_is_required(plan, alice_client):
    response = alice_client.post(share_url(plan.family), {"plan": plan.pk, "organisation": ""})
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    assert not PlanPdf.objects.exists()


def test_access_gate(plan, bob_client, charlie_client):
    url = share_url(plan.family)
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(url, {"organisation": "X"}).status_code == 404
    assert bob_client.get(url).status_code == 403
    assert bob_client.post(url, {"plan": plan.pk, "organisation": "X"}).status_code == 403
    assert not PlanPdf.objects.exists()


def test_wrong_method(plan, alice_client):
    assert alice_client.put(share_url(plan.family)).status_code == 405


# --- The access log holds what the gate decided, never the text someone typed ----------

TYPED = "Veilig Thuis (afschrift verstuurd)"


def access_log_csv(client, family):  # type: ignore[no-untyped-def]
    response = client.get(reverse("cases:access_log_export", args=[family.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_outsider_share_post_is_404_and_logs_no_typed_text(
    plan, charlie, charlie_client, coordinator_client
):
    response = charlie_client.post(share_url(plan.family), {"plan": plan.pk, "organisation": TYPED})
    assert response.status_code == 404
    assert not PlanPdf.objects.exists()
    assert not AccessLog.objects.filter(object__icontains="veilig thuis").exists()
    # The attempt itself is logged, as the gate decided: denied, with a fixed label.
    denied = AccessLog.objects.get(user=charlie, family_id_ref=plan.family.pk)
    assert (denied.outcome, denied.object) == ("denied", "gezinsplan delen")
    assert "Veilig Thuis" not in access_log_csv(coordinator_client, plan.family)


def test_invalid_share_post_is_not_logged_as_an_export(plan, coordinator, coordinator_client):
    for data in (
        {"plan": plan.pk, "organisation": ""},
        {"plan": "abc", "organisation": TYPED},
        {"plan": plan.pk, "organisation": "x" * 201},
    ):
        response = coordinator_client.post(share_url(plan.family), data)
        assert response.status_code == 200, data
    assert not PlanPdf.objects.exists()
    assert not AccessLog.objects.filter(action="export").exists()
    assert not AccessLog.objects.filter(object__icontains="veilig thuis").exists()
    # Each attempt is logged as the gate decided it: allowed to try, nothing exported.
    attempts = AccessLog.objects.filter(user=coordinator, family_id_ref=plan.family.pk)
    assert (
        list(attempts.values_list("action", "outcome", "object"))
        == [("create", "allowed", "gezinsplan delen")] * 3
    )


def test_post_without_consent_confirmation_is_no_export(plan, alice_client):
    response = alice_client.post(share_url(plan.family), {"plan": plan.pk, "organisation": TYPED})
    assert response.status_code == 200
    assert not PlanPdf.objects.exists()
    assert not AccessLog.objects.filter(action="export").exists()


def test_real_share_logs_the_export_by_id_and_keeps_the_recipient_with_the_family(
    plan, alice, alice_client, coordinator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            share_url(plan.family),
            {"plan": plan.pk, "organisation": TYPED, "share_without_consent": "on"},
        )
    assert response.status_code == 302
    export = PlanPdf.objects.get()
    assert export.recipient == TYPED
    row = AccessLog.objects.get(user=alice, action="export")
    assert (row.outcome, row.family_id_ref) == ("allowed", plan.family.pk)
    assert row.object == f"gezinsplan-PDF {export.pk} gedeeld buiten het team"
    assert not AccessLog.objects.filter(object__icontains="veilig thuis").exists()
    assert "Veilig Thuis" not in access_log_csv(coordinator_client, plan.family)


def test_nul_byte_in_the_share_form_is_refused_before_anything_is_logged(plan, alice_client):
    before = AccessLog.objects.count()
    response = alice_client.post(
        share_url(plan.family),
        {"plan": plan.pk, "organisation": "Veilig\x00Thuis", "share_without_consent": "on"},
    )
    assert response.status_code == 400
    assert "De invoer bevat een ongeldig teken (NUL)." in response.content.decode()
    assert not PlanPdf.objects.exists()
    assert AccessLog.objects.count() == before


def test_text_typed_into_a_pdf_url_is_not_kept_in_the_log(plan, charlie_client, alice_client):
    family = plan.family
    for client in (charlie_client, alice_client):
        url = f"/families/{family.pk}/reports/plan-pdf/1/Veilig%20Thuis%20afschrift.pdf"
        assert client.get(url).status_code == 404
    rows = AccessLog.objects.filter(family_id_ref=family.pk)
    assert rows.count() == 2
    assert not rows.filter(path__icontains="veilig").exists()
    assert set(rows.values_list("path", flat=True)) == {
        f"/families/{family.pk}/reports/plan-pdf/1/-"
    }


def test_the_shared_plan_leaves_nothing_typed_behind_after_destruction(
    plan, alice_client, coordinator_client, django_capture_on_commit_callbacks
):
    from cases.models import DestructionRecord

    family = plan.family
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            share_url(family),
            {"plan": plan.pk, "organisation": TYPED, "share_without_consent": "on"},
        )
    assert PlanPdf.objects.filter(recipient=TYPED).exists()
    response = coordinator_client.post(
        reverse("cases:family_destroy", args=[family.pk]),
        {
            "reason": "client_request",
            "requested_by": "parent",
            "requested_on": timezone.localdate().isoformat(),
            "confirm_case_number": family.case_number,
        },
    )
    assert response.status_code == 302
    assert not PlanPdf.objects.exists()
    kept = [str(v) for row in AccessLog.objects.values() for v in row.values()]
    kept += [str(v) for row in DestructionRecord.objects.values() for v in row.values()]
    assert not any("veilig thuis" in value.lower() for value in kept)


def test_the_sharer_ticks_what_goes_to_the_partner(plan, alice_client):
    page = alice_client.get(share_url(plan.family)).content.decode()
    # Nothing beyond the plan is ticked for an outside partner unless asked for.
    assert 'name="include_strengths"' in page and 'name="include_timeline"' in page
    assert "checked" not in page.split('name="include_timeline"')[1].split(">")[0]
    consent_for(plan.family, "Buurtteam")
    alice_client.post(
        share_url(plan.family),
        {"plan": plan.pk, "organisation": "Buurtteam", "include_timeline": "on"},
    )
    export = PlanPdf.objects.get()
    assert export.include_timeline and not export.include_strengths
    assert export.parts == ["tijdlijn"]
