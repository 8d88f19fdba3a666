"""What the team shares with the family in its portal: documents, messages, a draft plan,
the network's card, and how long the account lives (aftercare)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.documents import services as document_services
from cases.models import (
    PORTAL_MESSAGE_MAX,
    AccessAction,
    AccessLog,
    FamilyStatus,
    PortalMessage,
)
from cases.plan import services as plan_services
from cases.portal import services
from cases.records.services import family_records
from network.models import AgreementStatus, AgreementWho
from phases.models import Step, Transition, TransitionStatus
from tests.cases.documents.helpers import PDF
from tests.cases.plan_factories import PlanFactory
from tests.cases.portal.helpers import parent_of, portal_account, portal_client
from tests.factories import FamilyFactory, MemberFactory
from tests.network.factories import AgreementFactory, NetworkMemberFactory


def _document(family, by, *, name="verslag-oktober.pdf", description="Verslag"):  # type: ignore[no-untyped-def]
    return document_services.document_upload(
        family=family,
        by=by,
        content=PDF,
        original_name=name,
        kind="report",
        date=timezone.localdate(),
        description=description,
    )


def _other_parent_client(team, alice):  # type: ignore[no-untyped-def]
    other = FamilyFactory(team=team, coach=alice)
    parent = MemberFactory(family=other, has_parental_authority=True, name="Ouder B")
    return other, portal_client(portal_account(parent, alice))


# Documents


def test_the_coach_shares_a_document_and_can_undo_it(family, alice, alice_client):
    document = _document(family, alice)
    url = reverse("cases:document_share", args=[family.pk, document.pk])
    assert alice_client.post(url).status_code == 302
    document.refresh_from_db()
    assert document.shared_by == alice
    assert document.shared_at is not None
    page = alice_client.get(reverse("cases:document_list", args=[family.pk])).content.decode()
    assert "gedeeld met het gezin" in page
    assert alice_client.post(url, {"shared": "0"}).status_code == 302
    document.refresh_from_db()
    assert document.shared_at is None and document.shared_by is None


def test_a_reader_cannot_share_a_document(family, alice, bob_client):
    document = _document(family, alice)
    url = reverse("cases:document_share", args=[family.pk, document.pk])
    assert bob_client.post(url).status_code == 403
    assert bob_client.get(url).status_code == 405
    document.refresh_from_db()
    assert document.shared_at is None


def test_the_portal_lists_shared_documents_only(family, alice, parent_client):
    shared = _document(family, alice, name="gedeeld-plan.pdf", description="Voor het gezin")
    _document(family, alice, name="intern-verslag.pdf", description="GEHEIMDOCUMENT")
    document_services.document_share(document=shared, by=alice)
    document_services.document_replace(
        document=shared, by=alice, content=PDF, original_name="gedeeld-plan-v2.pdf"
    )
    page = parent_client.get(reverse("portal:documents")).content.decode()
    assert "gedeeld-plan-v2.pdf" in page  # the current version
    assert "Voor het gezin" in page
    assert "intern-verslag" not in page
    assert "GEHEIMDOCUMENT" not in page


def test_the_family_downloads_a_shared_document_through_the_gate(
    family, alice, parent_account, parent_client
):
    document = _document(family, alice)
    document_services.document_share(document=document, by=alice)
    response = parent_client.get(reverse("portal:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    row = AccessLog.objects.filter(user=parent_account.user, action=AccessAction.EXPORT).get()
    assert row.object == (
        f"gezinsportaal: document {document.pk}, namens gezinslid {parent_account.member_id}"
    )


def test_an_unshared_or_unshared_again_document_is_404(family, alice, parent_client):
    document = _document(family, alice)
    url = reverse("portal:document_download", args=[document.pk])
    assert parent_client.get(url).status_code == 404
    document_services.document_share(document=document, by=alice)
    assert parent_client.get(url).status_code == 200
    document_services.document_share(document=document, by=alice, shared=False)
    assert parent_client.get(url).status_code == 404


def test_another_familys_shared_document_is_404(family, alice, team):
    document = _document(family, alice, description="DOCUMENT-VAN-A")
    document_services.document_share(document=document, by=alice)
    _other, client = _other_parent_client(team, alice)
    assert client.get(reverse("portal:document_download", args=[document.pk])).status_code == 404
    assert "DOCUMENT-VAN-A" not in client.get(reverse("portal:documents")).content.decode()


@pytest.mark.parametrize("name", ["portal:documents", "portal:messages"])
def test_staff_get_404_on_the_new_portal_pages(alice_client, name):
    assert alice_client.get(reverse(name)).status_code == 404


def test_staff_get_404_on_a_portal_download(family, alice, alice_client):
    document = _document(family, alice)
    document_services.document_share(document=document, by=alice)
    url = reverse("portal:document_download", args=[document.pk])
    assert alice_client.get(url).status_code == 404


# Messages


def test_the_family_writes_and_the_coach_gets_a_mail_without_names(
    family, alice, parent_account, parent_client, django_capture_on_commit_callbacks
):
    alice.email = "alice@example.org"
    alice.save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = parent_client.post(
            reverse("portal:messages"), {"text": "Kunnen we woensdag praten?"}
        )
    assert response.status_code == 302
    message = PortalMessage.objects.get()
    assert message.member == parent_account.member
    assert message.author == parent_account.user
    assert message.read_at is None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["alice@example.org"]
    assert family.case_number in sent.subject
    text = sent.subject + sent.body
    for name in (family.display_name, "Naomi", "Jansen", "woensdag"):
        assert name not in text
    assert AccessLog.objects.filter(
        user=parent_account.user, action=AccessAction.CREATE, object__contains="berichten"
    ).exists()
    # A staff answer sends no mail: a member's account holds no address.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_message_write(family=family, by=alice, text="Ja, om tien uur")
    assert mail.outbox == []


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_message_is_refused(parent_client, text):
    response = parent_client.post(reverse("portal:messages"), {"text": text})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert not PortalMessage.objects.exists()


def test_a_too_long_message_is_refused_and_kept(parent_client):
    text = "a" * (PORTAL_MESSAGE_MAX + 1)
    response = parent_client.post(reverse("portal:messages"), {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2.001" in str(response.context["form"].errors["text"])
    assert text in page  # nothing typed is lost
    assert not PortalMessage.objects.exists()
    # The limit is shown on the empty form.
    blank = parent_client.get(reverse("portal:messages")).content.decode()
    assert f'data-limit="{PORTAL_MESSAGE_MAX}"' in blank


def test_the_service_refuses_bad_text(family, alice):
    member = parent_of(family)
    with pytest.raises(services.MessageRefused):
        services.staff_message_write(family=family, by=alice, text=" ")
    with pytest.raises(services.MessageRefused):
        services.portal_message_write(
            family=family, member=member, by=alice, text="x" * (PORTAL_MESSAGE_MAX + 1)
        )
    assert not PortalMessage.objects.exists()


def test_the_coach_reads_and_answers_and_unread_counts_follow(
    family, alice, alice_client, parent_account, parent_client
):
    services.portal_message_write(
        family=family, member=parent_account.member, by=parent_account.user, text="Vraag A"
    )
    staff_url = reverse("cases:portal_messages", args=[family.pk])
    detail = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "1 nieuw bericht uit het gezinsportaal" in detail
    page = alice_client.get(staff_url).content.decode()
    assert "Vraag A" in page
    assert PortalMessage.objects.filter(family=family).unread_by_staff().count() == 0
    detail = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "nieuw bericht uit het gezinsportaal" not in detail

    assert alice_client.post(staff_url, {"text": "Antwoord B"}).status_code == 302
    answer = PortalMessage.objects.get(text="Antwoord B")
    assert answer.member is None and answer.author == alice
    home = parent_client.get(reverse("portal:home")).content.decode()
    assert "U heeft 1 nieuw bericht van uw coach." in home
    portal_page = parent_client.get(reverse("portal:messages")).content.decode()
    assert "Antwoord B" in portal_page and "Vraag A" in portal_page
    answer.refresh_from_db()
    assert answer.read_at is not None
    home = parent_client.get(reverse("portal:home")).content.decode()
    assert "nieuw bericht van uw coach" not in home


def test_a_reader_may_not_read_or_answer_messages(family, bob_client):
    url = reverse("cases:portal_messages", args=[family.pk])
    assert bob_client.get(url).status_code == 403
    assert bob_client.post(url, {"text": "Hallo"}).status_code == 403
    assert not PortalMessage.objects.exists()


def test_an_outsider_gets_404_on_the_messages(family, charlie_client):
    url = reverse("cases:portal_messages", args=[family.pk])
    assert charlie_client.get(url).status_code == 404


def test_another_familys_member_sees_none_of_the_messages(family, alice, team):
    services.staff_message_write(family=family, by=alice, text="BERICHT-VAN-A")
    _other, client = _other_parent_client(team, alice)
    assert "BERICHT-VAN-A" not in client.get(reverse("portal:messages")).content.decode()
    assert PortalMessage.objects.get().read_at is None


def test_messages_are_family_records(family, alice, parent_account):
    message = services.staff_message_write(family=family, by=alice, text="In het dossier")
    assert message in family_records(family)


# The draft plan, shared on purpose


def test_the_coach_shares_the_draft_from_the_plan_page(family, alice, alice_client, bob_client):
    plan = PlanFactory(family=family, created_by=alice)
    url = reverse("cases:plan_share", args=[family.pk])
    assert bob_client.post(url).status_code == 403
    page = alice_client.get(reverse("cases:plan_detail", args=[family.pk])).content.decode()
    assert "Delen met het gezin in het portaal" in page
    assert alice_client.post(url).status_code == 302
    plan.refresh_from_db()
    assert plan.shared_by == alice and plan.shared_at is not None
    assert alice_client.post(url, {"shared": "0"}).status_code == 302
    plan.refresh_from_db()
    assert plan.shared_at is None


def test_no_agreement_to_a_draft_that_is_not_shared(family, alice, parent_client):
    plan = PlanFactory(family=family, created_by=alice)
    plan_services.plan_review_request(plan=plan, by=alice)
    assert parent_client.post(reverse("portal:plan_agree", args=[plan.pk])).status_code == 404
    plan.refresh_from_db()
    assert plan.agreed_on is None


# The network's card


def test_the_home_page_shows_who_in_the_network_helps_and_the_agreements(
    family, alice, parent_client
):
    oma = NetworkMemberFactory(
        family=family,
        name="Oma Ria",
        relation="oma",
        willing_to_contribute=True,
        special_role="safety_net",
        note="GEHEIMNETWERKNOTITIE",
        safety_note="GEHEIMNETWERKVEILIG",
        phone="0612345678",
    )
    NetworkMemberFactory(family=family, name="Buurman Kees", willing_to_contribute=False)
    AgreementFactory(
        family=family,
        who_kind=AgreementWho.NETWORK_MEMBER,
        network_member=oma,
        professional="",
        what="Haalt de kinderen op",
        frequency="elke woensdag",
    )
    AgreementFactory(family=family, what="GESTOPTEAFSPRAAK", status=AgreementStatus.STOPPED)
    page = parent_client.get(reverse("portal:home")).content.decode()
    assert "Oma Ria" in page
    assert "Vangnetpersoon" in page
    assert "Haalt de kinderen op" in page and "elke woensdag" in page
    for hidden in (
        "Buurman Kees",
        "GEHEIMNETWERKNOTITIE",
        "GEHEIMNETWERKVEILIG",
        "0612345678",
        "GESTOPTEAFSPRAAK",
    ):
        assert hidden not in page


# The account's life: aftercare counts


def _close_with_aftercare(family, alice, closed_on):  # type: ignore[no-untyped-def]
    Transition.objects.create(
        family=family,
        to_step=Step.CLOSED,
        status=TransitionStatus.APPLIED,
        effective_on=closed_on,
        proposed_by=alice,
    )
    family.status = FamilyStatus.AFTERCARE
    family.save(update_fields=["status"])


@pytest.mark.parametrize(("days_after_end", "open_"), [(-1, True), (0, True), (1, False)])
def test_aftercare_keeps_the_portal_through_its_last_day(
    family, alice, parent_account, settings, days_after_end, open_
):
    from phases.reminders import add_months

    settings.PHASES = {**settings.PHASES, "AFTERCARE_CHECKIN_MONTHS": [3, 6]}
    closed_on = datetime.date(2026, 1, 31)
    _close_with_aftercare(family, alice, closed_on)
    last_day = add_months(closed_on, 6)
    assert last_day == datetime.date(2026, 7, 31)
    today = last_day + datetime.timedelta(days=days_after_end)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *a, **k: today)
        account = type(parent_account).objects.select_related("family").get(pk=parent_account.pk)
        assert account.is_open is open_


def test_after_aftercare_the_portal_answers_404(family, alice, parent_client):
    _close_with_aftercare(family, alice, timezone.localdate() - datetime.timedelta(days=400))
    assert parent_client.get(reverse("portal:home")).status_code == 404


def test_in_aftercare_the_portal_stays_open(family, alice, parent_client):
    _close_with_aftercare(family, alice, timezone.localdate() - datetime.timedelta(days=10))
    assert parent_client.get(reverse("portal:home")).status_code == 200


def test_a_closed_file_without_aftercare_ends_at_once(family, alice, parent_account):
    family.status = FamilyStatus.CLOSED
    family.save(update_fields=["status"])
    parent_account.refresh_from_db()
    assert not parent_account.is_open


# Query counts of the new pages


def _count(client, url) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_documents_page_does_not_grow(family, alice, parent_client):
    url = reverse("portal:documents")
    document_services.document_share(document=_document(family, alice), by=alice)
    parent_client.get(url)
    few = _count(parent_client, url)
    for i in range(4):
        document = _document(family, alice, name=f"brief-{i}.pdf")
        document_services.document_share(document=document, by=alice)
        document_services.document_replace(
            document=document, by=alice, content=PDF, original_name=f"brief-{i}-b.pdf"
        )
    assert _count(parent_client, url) == few
    # Session, user, the account, the log row, the documents and their versions.
    assert few <= 8


def test_the_messages_pages_do_not_grow(family, alice, alice_client, parent_account, parent_client):
    portal_url = reverse("portal:messages")
    staff_url = reverse("cases:portal_messages", args=[family.pk])

    def add(n: int) -> None:
        for i in range(n):
            services.portal_message_write(
                family=family, member=parent_account.member, by=parent_account.user, text=f"V{i}"
            )
            services.staff_message_write(family=family, by=alice, text=f"A{i}")

    add(1)
    parent_client.get(portal_url)
    alice_client.get(staff_url)
    few_portal = _count(parent_client, portal_url)
    few_staff = _count(alice_client, staff_url)
    add(5)
    # With unread messages the page marks them read: one query more, whatever their number.
    assert _count(parent_client, portal_url) == few_portal + 1
    assert _count(alice_client, staff_url) == few_staff + 1
    assert _count(parent_client, portal_url) == few_portal
    assert _count(alice_client, staff_url) == few_staff


def test_a_new_version_is_not_shared_until_the_coach_shares_it(family, alice, psychologist):
    from tests.cases.plan_factories import sign_off

    plan = PlanFactory(family=family, created_by=alice)
    plan_services.plan_share(plan=plan, by=alice)
    plan = sign_off(plan, approver=psychologist)
    plan_services.plan_fix(plan=plan, by=alice, version=plan.version)
    draft = plan_services.plan_start_draft(family=family, by=alice)
    assert draft.pk != plan.pk
    assert draft.shared_at is None and draft.shared_by is None
