"""Records rules: statements, consent, export, retention, destruction, access overview."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AccessLog,
    ClientStatement,
    Consent,
    Contact,
    DestructionRecord,
    Family,
    FamilyStatus,
    Member,
    RecordsExport,
    TaskState,
)
from cases.records.services import (
    case_pseudonym,
    consent_covering,
    families_due_for_destruction,
    retention_until,
)
from tests.factories import ContactFactory, FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
TODAY = datetime.date.today


def url(name: str, family: Family, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"cases:{name}", kwargs={"family_id": family.pk, **kwargs})


# --- The records page ------------------------------------------------------------------


def test_records_page(family, alice_client, bob_client, charlie_client, client):
    assert alice_client.get(url("records", family)).status_code == 200
    assert bob_client.get(url("records", family)).status_code == 200
    assert charlie_client.get(url("records", family)).status_code == 404
    assert client.get(url("records", family)).status_code == 302
    assert alice_client.post(url("records", family)).status_code == 405


def test_records_page_shows_retention_date(family, alice_client):
    response = alice_client.get(url("records", family))
    expected = retention_until(family)
    assert expected.year == timezone.localdate().year + 20
    assert str(expected.year) in response.content.decode()


# --- Statements ------------------------------------------------------------------------


def statement_data(**overrides):  # type: ignore[no-untyped-def]
    return {
        "statement_date": timezone.localdate().isoformat(),
        "given_by": "moeder",
        "text": "Wij zijn het niet eens met de beschrijving van het huisbezoek.",
        **overrides,
    }


def test_statement_is_added_and_shown_as_harmless_text(family, alice, alice_client):
    response = alice_client.post(
        url("statement_create", family), statement_data(text=SCRIPT, given_by=SCRIPT)
    )
    assert response.status_code == 302
    statement = ClientStatement.objects.get(family=family)
    assert statement.recorded_by == alice
    page = alice_client.get(url("records", family)).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert AccessLog.objects.filter(action="create", object="eigen verklaring").exists()


def test_statement_permissions(family, bob_client, charlie_client, alice_client):
    assert bob_client.post(url("statement_create", family), statement_data()).status_code == 403
    assert charlie_client.post(url("statement_create", family), statement_data()).status_code == 404
    assert charlie_client.get(url("statement_create", family)).status_code == 404
    assert alice_client.put(url("statement_create", family)).status_code == 405
    assert not ClientStatement.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"text": "x" * 10_001}, "niet meer dan 10.000 tekens"),
        ({"given_by": "x" * 201}, "niet meer dan 200 tekens"),
        ({"text": ""}, "Dit veld is verplicht"),
        ({"statement_date": "morgen"}, "Voer een geldige datum in"),
        ({"statement_date": "2999-01-01"}, "toekomst"),
    ],
)
def test_statement_bad_input(family, alice_client, overrides, message):
    response = alice_client.post(url("statement_create", family), statement_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClientStatement.objects.exists()


# --- Consent ---------------------------------------------------------------------------


def consent_data(family, **overrides):  # type: ignore[no-untyped-def]
    return {
        "given_by_member": family.members.get(name="Naomi Jansen").pk,
        "given_by_name": "",
        "organisation": "Veilig Thuis",
        "purpose": "Gezinsplan delen voor de veiligheidsafspraken",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
        **overrides,
    }


def test_consent_is_recorded(family, alice_client):
    response = alice_client.post(url("consent_create", family), consent_data(family))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.given_by_member.name == "Naomi Jansen"
    assert consent.valid_until is None


def test_consent_rejects_a_member_of_another_family(family, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team), name="Iemand Anders")
    response = alice_client.post(
        url("consent_create", family), consent_data(family, given_by_member=stranger.pk)
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"given_by_member": ""}, "Kies wie toestemming gaf"),
        ({"given_by_name": "Voogd"}, "niet beide"),
        ({"valid_from": "2025-05-01", "valid_until": "2025-04-01"}, "vóór de begindatum"),
        ({"organisation": "x" * 201}, "niet meer dan 200 tekens"),
        ({"purpose": "x" * 501}, "niet meer dan 500 tekens"),
        ({"given_by_member": "abc"}, "Selecteer een geldige keuze"),
        ({"valid_until": "31-31-2025"}, "Voer een geldige datum in"),
    ],
)
def test_consent_bad_input(family, alice_client, overrides, message):
    response = alice_client.post(url("consent_create", family), consent_data(family, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()


def test_consent_permissions(family, bob_client, charlie_client):
    assert bob_client.post(url("consent_create", family), consent_data(family)).status_code == 403
    assert (
        charlie_client.post(url("consent_create", family), consent_data(family)).status_code == 404
    )
    assert not Consent.objects.exists()


def test_consent_covering(family):
    today = timezone.localdate()
    consent = Consent.objects.create(
        family=family,
        given_by_name="",
        organisation="Veilig Thuis",
        purpose="plan",
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=10),
    )
    # Naomi (mother with gezag) and Noah (12): both have to agree (Jeugdwet).
    consent.given_by_members.set(family.members.all())
    assert consent_covering(family, "  veilig thuis ", today) is not None
    assert consent_covering(family, "Huisarts", today) is None
    assert consent_covering(family, "Veilig Thuis", today + datetime.timedelta(days=11)) is None
    assert consent_covering(family, "Veilig Thuis", today - datetime.timedelta(days=11)) is None
    other = FamilyFactory(team=family.team)
    assert consent_covering(other, "Veilig Thuis", today) is None


def test_share_page_warns_without_consent(family, bob_client, charlie_client):
    response = bob_client.post(url("share_check", family), {"organisation": "Veilig Thuis"})
    assert response.status_code == 200
    assert "geen geldige toestemming" in response.content.decode()
    consent = Consent.objects.create(
        family=family,
        given_by_name="",
        organisation="Veilig Thuis",
        purpose="plan",
        valid_from=timezone.localdate(),
    )
    consent.given_by_members.set(family.members.all())
    response = bob_client.post(url("share_check", family), {"organisation": "Veilig Thuis"})
    assert "Er is toestemming" in response.content.decode()
    assert "geen geldige toestemming" not in response.content.decode()
    assert charlie_client.get(url("share_check", family)).status_code == 404
    response = bob_client.post(url("share_check", family), {"organisation": "x" * 201})
    assert "niet meer dan 200 tekens" in response.content.decode()


# --- Export (inzage/afschrift) ---------------------------------------------------------


@pytest.fixture
def full_family(family, alice):  # type: ignore[no-untyped-def]
    contact = ContactFactory(family=family, author=alice, note="Gesprek over school")
    contact.members_present.set(family.members.all())
    ClientStatement.objects.create(family=family, given_by="moeder", text="Eigen woorden")
    Consent.objects.create(
        family=family,
        given_by_name="Naomi",
        organisation="Huisarts",
        purpose="plan",
        valid_from=timezone.localdate(),
    )
    return family


def _exported(client, family, name, capture) -> bytes:  # type: ignore[no-untyped-def]
    """Ask for the export (POST), let the task build it (in-process), download volume 1."""
    with capture(execute=True):
        response = client.post(url(name, family))
    assert response.status_code == 302
    export = RecordsExport.objects.filter(family=family).latest("pk")
    assert export.state == TaskState.DONE, export.error
    response = client.get(reverse("cases:records_export_download", args=[family.pk, export.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def test_export_json_holds_everything(
    full_family, coordinator_client, django_capture_on_commit_callbacks
):
    data = json.loads(
        _exported(
            coordinator_client,
            full_family,
            "records_export_json",
            django_capture_on_commit_callbacks,
        )
    )
    records = data["records"]
    assert {"cases.Family", "cases.Member", "cases.Contact", "cases.ClientStatement"} <= set(
        records
    )
    assert len(records["cases.Member"]) == 2
    assert records["cases.Contact"][0]["fields"]["note"] == "Gesprek over school"
    assert AccessLog.objects.filter(
        family_id_ref=full_family.pk, action="export", object="inzage/afschrift (JSON)"
    ).exists()


def test_export_pdf_is_readable(
    full_family, coordinator_client, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    content = _exported(
        coordinator_client, full_family, "records_export_pdf", django_capture_on_commit_callbacks
    )
    assert content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Naomi Jansen" in text
    assert "Eigen woorden" in text
    assert AccessLog.objects.filter(action="export", object="inzage/afschrift (PDF)").exists()


def test_export_is_for_the_coordinator(family, alice_client, charlie_client):
    for name in ("records_export_json", "records_export_pdf", "access_log_export"):
        assert alice_client.get(url(name, family)).status_code == 403
        assert charlie_client.get(url(name, family)).status_code == 404


def test_access_overview_export(family, alice, alice_client, coordinator_client):
    alice.first_name, alice.last_name = "Alice", "de Coach"
    alice.save()
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    page = coordinator_client.get(url("access_log", family)).content.decode()
    assert "Alice de Coach" in page
    assert "Gezinscoach" in page
    response = coordinator_client.get(url("access_log_export", family))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Alice de Coach;alice;Gezinscoach;Inzien" in text
    assert AccessLog.objects.filter(
        family_id_ref=family.pk, action="export", object="toegangslog"
    ).exists()


# --- Retention and destruction ---------------------------------------------------------


def _age(family: Family, years: int) -> None:
    Family.objects.filter(pk=family.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=365 * years + 10)
    )


def test_destruction_list(team, other_team, coordinator_client):
    old_closed = FamilyFactory(team=team, status=FamilyStatus.CLOSED, display_name="Oud Dicht")
    _age(old_closed, 21)
    recent_closed = FamilyFactory(team=team, status=FamilyStatus.CLOSED, display_name="Recent")
    _age(recent_closed, 19)
    old_active = FamilyFactory(team=team, status=FamilyStatus.ACTIVE, display_name="Oud Actief")
    _age(old_active, 21)
    old_but_touched = FamilyFactory(team=team, status=FamilyStatus.CLOSED, display_name="Geraakt")
    _age(old_but_touched, 21)
    ContactFactory(family=old_but_touched)  # a recent change restarts the period
    old_with_statement = FamilyFactory(
        team=team, status=FamilyStatus.CLOSED, display_name="Met Verklaring"
    )
    _age(old_with_statement, 21)
    ClientStatement.objects.create(family=old_with_statement, given_by="vader", text="Later")
    foreign = FamilyFactory(team=other_team, status=FamilyStatus.CLOSED, display_name="Ander")
    _age(foreign, 21)

    assert [f.pk for f in families_due_for_destruction([team])] == [old_closed.pk]
    response = coordinator_client.get(reverse("cases:destruction_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Oud Dicht" in content
    for name in ("Recent", "Oud Actief", "Geraakt", "Met Verklaring", "Ander"):
        assert name not in content


def test_destruction_pages_are_for_coordinators(alice_client, psychologist_client):
    for client in (alice_client, psychologist_client):
        assert client.get(reverse("cases:destruction_list")).status_code == 403
        assert client.get(reverse("cases:destruction_register")).status_code == 403


def destroy_data(family, **overrides):  # type: ignore[no-untyped-def]
    return {
        "reason": "client_request",
        "requested_by": "parent",
        "requested_on": timezone.localdate().isoformat(),
        "confirm_case_number": family.case_number,
        **overrides,
    }


def test_destruction_removes_data_and_files_and_keeps_a_register_entry(
    full_family,
    coordinator,
    coordinator_client,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "families" / str(full_family.pk)
    folder.mkdir(parents=True)
    (folder / "gezinsplan.pdf").write_bytes(b"%PDF-1.7 plan")
    keep = tmp_path / "families" / "999999"
    keep.mkdir()
    family_pk, case_number = full_family.pk, full_family.case_number
    coordinator_client.get(url("family_detail", full_family))
    log_rows = AccessLog.objects.filter(family_id_ref=family_pk).count()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url("family_destroy", full_family), destroy_data(full_family)
        )
    assert response.status_code == 302
    assert not Family.objects.filter(pk=family_pk).exists()
    assert not Member.objects.filter(family_id=family_pk).exists()
    assert not Contact.objects.filter(family_id=family_pk).exists()
    assert not ClientStatement.objects.exists()
    assert not Consent.objects.exists()
    assert not folder.exists()
    assert keep.exists()

    record = DestructionRecord.objects.get()
    assert record.case_ref == case_pseudonym(case_number)
    assert case_number not in record.case_ref
    assert record.carried_out_by == coordinator
    assert record.reason == "client_request"
    assert record.requested_by == "parent"
    values = " ".join(str(v) for v in DestructionRecord.objects.values().get().values())
    for personal in (case_number, "Jansen", "Naomi"):
        assert personal not in values
    # The access log outlives the file, and the destruction itself is in it.
    assert AccessLog.objects.filter(family_id_ref=family_pk).count() == log_rows + 1
    assert AccessLog.objects.filter(
        family_id_ref=family_pk, action="delete", outcome="allowed"
    ).exists()
    register = coordinator_client.get(reverse("cases:destruction_register")).content.decode()
    assert record.case_ref[:16] in register
    assert "Jansen" not in register


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"confirm_case_number": "FK-NIET"}, "niet het dossiernummer"),
        ({"reason": "whim"}, "Selecteer een geldige keuze"),
        ({"requested_on": "2999-01-01"}, "toekomst"),
        ({"requested_on": "gisteren"}, "Voer een geldige datum in"),
        ({"confirm_case_number": "x" * 33}, "niet meer dan 32 tekens"),
    ],
)
def test_destruction_bad_input_keeps_everything(family, coordinator_client, overrides, message):
    response = coordinator_client.post(
        url("family_destroy", family), destroy_data(family, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Family.objects.filter(pk=family.pk).exists()
    assert not DestructionRecord.objects.exists()


def test_destruction_permissions(family, alice_client, bob_client, charlie_client):
    assert alice_client.post(url("family_destroy", family), destroy_data(family)).status_code == 403
    assert bob_client.post(url("family_destroy", family), destroy_data(family)).status_code == 403
    assert (
        charlie_client.post(url("family_destroy", family), destroy_data(family)).status_code == 404
    )
    assert alice_client.put(url("family_destroy", family)).status_code == 405
    assert Family.objects.filter(pk=family.pk).exists()
