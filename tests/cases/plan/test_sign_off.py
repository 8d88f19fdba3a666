"""Signing off a plan version: the psychologist's review (a team setting, on by default) and
the family's agreement (members with gezag or aged 12+, date, how). A coach cannot fix a
plan alone; a plan asked for review waits in the psychologists' "Wacht op mij" at once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import PlanStatus, Role
from cases.plan import services as plan_services
from cases.waiting import waiting_count, waiting_for
from reports import pdf
from tests.cases.plan_factories import PlanFactory
from tests.factories import FamilyFactory, MemberFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft(family, alice):  # type: ignore[no-untyped-def]
    return PlanFactory(family=family, number=1, created_by=alice)


@pytest.fixture
def naomi(family):  # type: ignore[no-untyped-def]
    return family.members.get(name="Naomi Jansen")


def url(name, family):  # type: ignore[no-untyped-def]
    return reverse(f"cases:{name}", args=[family.pk])


def agree(client, family, *members, how="meeting"):  # type: ignore[no-untyped-def]
    return client.post(
        url("plan_agreement", family),
        {
            "members": [m.pk for m in members],
            "agreed_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "agreed_how": how,
        },
    )


def fix(client, family, plan):  # type: ignore[no-untyped-def]
    plan.refresh_from_db()
    return client.post(url("plan_fix", family), {"version": plan.version}, follow=True)


def test_coach_cannot_fix_alone_with_the_setting_on(family, draft, naomi, alice_client):
    assert family.team.plan_review_required  # on by default
    # Without anything: refused, with what is missing.
    page = fix(alice_client, family, draft).content.decode()
    assert "nog niet goedgekeurd door de gedragswetenschapper" in page
    # With the family's agreement, still no approval: refused.
    assert agree(alice_client, family, naomi).status_code == 302
    page = fix(alice_client, family, draft).content.decode()
    assert "nog niet goedgekeurd door de gedragswetenschapper" in page
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT and draft.fixed_by is None
    # The coach cannot approve or send back herself.
    assert alice_client.post(url("plan_review", family)).status_code == 403
    assert alice_client.post(url("plan_return", family), {"reason": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.reviewed_by is None


def test_ask_approve_agree_fix(
    family,
    draft,
    naomi,
    alice,
    alice_client,
    psychologist,
    psychologist_client,
    team,
    client,
    django_capture_on_commit_callbacks,
):
    psychologist.email = "psy@example.org"
    psychologist.save(update_fields=["email"])
    other = member_of(team, Role.PSYCHOLOGIST, username="psy2", email="psy2@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post(url("plan_review_request", family)).status_code == 302
    # Waiting for both psychologists at once, with a mail by case number only.
    for user in (psychologist, other):
        (item,) = waiting_for(user)
        assert item.case_number == family.case_number and item.kind == "Gezinsplan beoordelen"
        assert item.url == url("plan_detail", family)
        assert item.asked_by == (alice.get_full_name() or alice.username)
    assert sorted(m.to[0] for m in mail.outbox) == ["psy2@example.org", "psy@example.org"]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert family.case_number in text and "Jansen" not in text
    landing = psychologist_client.get("/").content.decode()
    assert "Gezinsplan beoordelen" in landing[landing.index('id="waiting-heading"') :]
    page = alice_client.get(url("plan_detail", family)).content.decode()
    assert "wacht op beoordeling" in page

    # The other psychologist approves: gone for both.
    client.force_login(other)
    assert client.post(url("plan_review", family)).status_code == 302
    assert waiting_for(psychologist) == [] and waiting_count(psychologist) == 0
    draft.refresh_from_db()
    assert draft.reviewed_by == other and draft.review_requested_at is None

    # Approved but no agreement yet: still refused.
    page = fix(alice_client, family, draft).content.decode()
    assert "Het akkoord van het gezin is nog niet vastgelegd" in page
    agree(alice_client, family, naomi, how="paper")
    response = fix(alice_client, family, draft)
    assert "Versie 1 van het gezinsplan is vastgesteld." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PlanStatus.FIXED and draft.fixed_by == alice
    page = alice_client.get(url("plan_detail", family)).content.decode()
    assert "goedgekeurd door" in page and "op papier" in page


def test_psychologist_sends_back_with_a_reason(
    family, draft, alice_client, psychologist, psychologist_client
):
    alice_client.post(url("plan_review_request", family))
    # Without a reason: a Dutch sentence, nothing saved.
    response = psychologist_client.post(url("plan_return", family), {"reason": "  "})
    assert response.status_code == 200
    assert "Schrijf op wat er nog moet gebeuren." in response.content.decode()
    draft.refresh_from_db()
    assert draft.review_pending and draft.returned_at is None

    assert psychologist_client.get(url("plan_return", family)).status_code == 200
    response = psychologist_client.post(
        url("plan_return", family), {"reason": "Veiligheid eerst met het netwerk bespreken."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.returned_by == psychologist and not draft.review_pending
    assert draft.reviewed_at is None
    assert waiting_for(psychologist) == []
    page = alice_client.get(url("plan_detail", family)).content.decode()
    assert "teruggestuurd" in page and "Veiligheid eerst met het netwerk bespreken." in page
    # Asking again puts it back in the list.
    alice_client.post(url("plan_review_request", family))
    assert len(waiting_for(psychologist)) == 1


def test_with_the_setting_off_the_coach_fixes_with_the_agreement_only(
    family, draft, naomi, alice_client
):
    team = family.team
    team.plan_review_required = False
    team.save(update_fields=["plan_review_required"])
    page = fix(alice_client, family, draft).content.decode()
    assert "Het akkoord van het gezin is nog niet vastgelegd" in page
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    page = alice_client.get(url("plan_detail", family)).content.decode()
    assert "Beoordeling vragen" not in page

    agree(alice_client, family, naomi)
    fix(alice_client, family, draft)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.FIXED and draft.reviewed_by is None


def test_agreement_members_must_have_gezag_or_be_12_or_older(family, draft, alice_client):
    today = timezone.localdate()
    twelve_today = today.replace(year=today.year - 12)
    twelve_tomorrow = twelve_today + datetime.timedelta(days=1)
    turns_12 = MemberFactory(family=family, name="Lisa", date_of_birth=twelve_today)
    still_11 = MemberFactory(family=family, name="Sem", date_of_birth=twelve_tomorrow)
    no_birth_date = MemberFactory(family=family, name="Onbekend", date_of_birth=None)

    form = alice_client.get(url("plan_agreement", family)).content.decode()
    assert "Naomi Jansen (gezag)" in form and "Lisa (12 jaar)" in form
    assert "Sem" not in form and "Onbekend" not in form

    for refused in (still_11, no_birth_date):
        response = agree(alice_client, family, refused)
        assert response.status_code == 200
        assert "Selecteer een geldige keuze" in response.content.decode()
        draft.refresh_from_db()
        assert not draft.agreed_members.exists()

    assert agree(alice_client, family, turns_12).status_code == 302
    draft.refresh_from_db()
    assert list(draft.agreed_members.all()) == [turns_12]


def test_agreement_date_cannot_be_in_the_future(family, draft, naomi, alice_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = alice_client.post(
        url("plan_agreement", family),
        {"members": [naomi.pk], "agreed_on": tomorrow.isoformat(), "agreed_how": "meeting"},
    )
    assert response.status_code == 200
    assert "Een datum in de toekomst kan niet" in response.content.decode()


def test_service_refuses_members_who_may_not_agree(family, draft, team):
    stranger = MemberFactory(family=FamilyFactory(team=team), has_parental_authority=True)
    child = MemberFactory(family=family, date_of_birth=datetime.date.today().replace(year=2020))
    for members in ([stranger], [child], []):
        with pytest.raises(ValueError):
            plan_services.plan_agree(
                plan=draft,
                members=members,
                agreed_on=datetime.date(2024, 1, 10),
                agreed_how="meeting",
            )
    assert not draft.agreed_members.exists()


def test_reader_and_outsider_cannot_sign_off(family, draft, bob_client, charlie_client):
    for name in ("plan_review_request", "plan_review", "plan_return", "plan_agreement"):
        assert bob_client.post(url(name, family)).status_code == 403, name
        assert charlie_client.post(url(name, family)).status_code == 404, name
    assert bob_client.get(url("plan_agreement", family)).status_code == 403
    assert charlie_client.get(url("plan_return", family)).status_code == 404
    draft.refresh_from_db()
    assert draft.review_requested_at is None and draft.agreed_on is None


def test_the_plan_pdf_shows_approval_and_agreement(family, draft, naomi, psychologist):
    before = pdf.plan_html(draft)
    assert "Nog niet goedgekeurd door de gedragswetenschapper." in before
    assert "Nog geen akkoord van het gezin." in before
    plan_services.plan_review(plan=draft, by=psychologist)
    plan_services.plan_agree(
        plan=draft, members=[naomi], agreed_on=datetime.date(2026, 3, 2), agreed_how="paper"
    )
    draft.refresh_from_db()
    html = pdf.plan_html(draft)
    # As the HTML writes it: a generated name may hold an apostrophe ('s Gravensande).
    who = escape(psychologist.get_full_name() or psychologist.username)
    assert f"Goedgekeurd door de gedragswetenschapper {who} op" in html
    assert "Akkoord namens het gezin: Naomi Jansen, op 2 maart 2026 (op papier)." in html
    from tests.reports.test_plan_pdf_contents import pages_text

    text = " ".join(pages_text(pdf.render_plan_pdf(draft)))
    assert "Goedgekeurd door de gedragswetenschapper" in text
    assert "Naomi Jansen, op 2 maart 2026 (op papier)" in text
