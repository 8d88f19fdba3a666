"""The parent's and the young person's journey in the portal at phone width (360 px), by
keyboard, with axe on every portal page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import AgreementWay, FamilyPlan
from cases.plan import services as plan_services
from cases.portal import services
from tests.cases.plan_factories import ActionFactory, GoalFactory, PlanFactory
from tests.conftest import browser_login
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-42"


def _account(member, by):  # type: ignore[no-untyped-def]
    token = services.portal_invitation_create(member=member, by=by)
    account, _device, _codes = services.portal_account_create(
        invitation=services.invitation_for_token(token), password=PASSWORD, totp=None
    )
    return account


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


def test_parent_and_young_person_agree_on_a_phone(browser_page, family, alice):  # type: ignore[no-untyped-def]
    from tests.quality import assert_accessible

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    plan = PlanFactory(family=family, created_by=alice)
    goal = GoalFactory(plan=plan, text="Samen rustig ontbijten")
    ActionFactory(plan=plan, goal=goal, who_name="oma Ria", what="Haalt de kinderen op.")
    plan_services.plan_review_request(plan=plan, by=alice)
    plan_services.plan_share(plan=plan, by=alice)
    parent = _account(family.members.get(has_parental_authority=True), alice)
    today = timezone.localdate()
    young = MemberFactory(
        family=family, name="Sem Jansen", date_of_birth=today.replace(year=today.year - 15)
    )
    young_account = _account(young, alice)

    for account, member in ((parent, parent.member), (young_account, young)):
        browser_login(page, account.user.username, PASSWORD)
        page.get_by_role("heading", name=f"Welkom, {member.name}").wait_for()
        assert page.get_by_text("Samen rustig ontbijten").first.is_visible()
        _no_sideways_scroll(page)
        assert_accessible(page)
        # By keyboard: focus the agree button and press Enter.
        button = page.get_by_role("button", name="Ik ga akkoord met dit plan")
        button.focus()
        page.keyboard.press("Enter")
        page.get_by_text("Uw akkoord met het plan is opgeslagen.").wait_for()
        page.get_by_role("link", name="Wie keek in ons dossier").click()
        page.get_by_role("heading", name="Wie keek in ons dossier").wait_for()
        _no_sideways_scroll(page)
        assert_accessible(page)
        page.get_by_role("button", name="Uitloggen").click()
        page.get_by_label("Gebruikersnaam").wait_for()

    plan = FamilyPlan.objects.get(pk=plan.pk)
    assert plan.agreed_how == AgreementWay.PORTAL
    assert set(plan.agreed_members.all()) == {parent.member, young}


def test_documents_and_messages_on_a_phone(browser_page, family, alice):  # type: ignore[no-untyped-def]
    from cases.documents import services as document_services
    from cases.models import PortalMessage
    from tests.cases.documents.helpers import PDF
    from tests.quality import assert_accessible, assert_valid_html

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    document = document_services.document_upload(
        family=family,
        by=alice,
        content=PDF,
        original_name="afspraken-met-school.pdf",
        kind="letter",
        date=timezone.localdate(),
        description="Brief aan school",
    )
    document_services.document_share(document=document, by=alice)
    services.staff_message_write(family=family, by=alice, text="Hoe ging het op school?")
    parent = _account(family.members.get(has_parental_authority=True), alice)
    browser_login(page, parent.user.username, PASSWORD)
    page.get_by_role("heading", name=f"Welkom, {parent.member.name}").wait_for()

    page.get_by_role("link", name="Documenten").click()
    page.get_by_role("heading", name="Documenten").wait_for()
    assert page.get_by_text("Brief aan school").is_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    pages = {"portal documents": page.content()}

    page.get_by_role("link", name="Berichten").click()
    page.get_by_role("heading", name="Berichten", exact=True).wait_for()
    assert page.get_by_text("Hoe ging het op school?").is_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    # By keyboard: type the answer and send it.
    page.get_by_role("textbox", name="Uw bericht").fill("Goed, dank u.")
    button = page.get_by_role("button", name="Versturen")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Uw bericht is verstuurd naar uw coach.").wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    pages["portal messages"] = page.content()
    assert_valid_html(pages)
    assert PortalMessage.objects.filter(member=parent.member, text="Goed, dank u.").exists()


def test_the_coachs_sharing_and_messages_pages_are_accessible(browser_page, family, alice):  # type: ignore[no-untyped-def]
    from cases.documents import services as document_services
    from tests.cases.documents.helpers import PDF
    from tests.quality import assert_accessible, assert_valid_html

    page = browser_page
    PlanFactory(family=family, created_by=alice)
    for name in ("gedeeld.pdf", "intern.pdf"):
        document = document_services.document_upload(
            family=family,
            by=alice,
            content=PDF,
            original_name=name,
            kind="letter",
            date=timezone.localdate(),
        )
    document_services.document_share(document=document, by=alice)
    parent = _account(family.members.get(has_parental_authority=True), alice)
    services.portal_message_write(
        family=family, member=parent.member, by=parent.user, text="Een vraag van ons"
    )
    browser_login(page, "alice")
    pages: dict[str, str] = {}
    for path in (
        f"/families/{family.pk}/",
        f"/families/{family.pk}/documents/",
        f"/families/{family.pk}/plan/",
        f"/families/{family.pk}/portal/messages/",
    ):
        page.goto(path)
        assert_accessible(page)
        pages[path] = page.content()
    assert "Een vraag van ons" in pages[f"/families/{family.pk}/portal/messages/"]
    assert_valid_html(pages)


def test_parent_reacts_states_and_asks_for_a_copy_on_a_phone(  # type: ignore[no-untyped-def]
    browser_page, family, alice, psychologist
):
    from cases.models import ClientStatement, CopyRequest, GoalReaction
    from tests.cases.plan_factories import sign_off
    from tests.quality import assert_accessible

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    plan = PlanFactory(family=family, created_by=alice)
    GoalFactory(plan=plan, text="Samen rustig ontbijten")
    plan = sign_off(plan, approver=psychologist)
    plan_services.plan_fix(plan=plan, by=alice, version=plan.version)
    parent = _account(family.members.get(has_parental_authority=True), alice)
    browser_login(page, parent.user.username, PASSWORD)
    page.get_by_role("link", name="Onze doelen").click()
    page.get_by_role("heading", name="Onze doelen", exact=True).wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label("Uw reactie op dit doel").fill("Het lukt bijna elke dag.")
    page.get_by_role("button", name="Reactie opslaan").click()
    page.get_by_text("Uw reactie is opgeslagen.").wait_for()
    page.get_by_role("link", name="Eigen verklaring").click()
    page.get_by_role("heading", name="Eigen verklaring", exact=True).wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label("Uw verklaring").fill("Ik had toen geen vervoer.")
    page.get_by_role("button", name="Verklaring toevoegen aan het dossier").click()
    page.get_by_text("Uw verklaring is bij het dossier gevoegd.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Afschrift vragen").click()
    page.get_by_role("heading", name="Afschrift van het dossier vragen").wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    button = page.get_by_role("button", name="Ik vraag een afschrift")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Uw vraag is verstuurd.").wait_for()
    assert_accessible(page)
    assert GoalReaction.objects.get().text == "Het lukt bijna elke dag."
    assert ClientStatement.objects.get().member == parent.member
    assert CopyRequest.objects.get().member == parent.member


def test_young_person_asks_for_what_concerns_them_on_a_phone(browser_page, family, alice):  # type: ignore[no-untyped-def]
    from cases.models import CopyRequest, CopyScope
    from tests.quality import assert_accessible

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    today = timezone.localdate()
    young = MemberFactory(
        family=family, name="Sem Jansen", date_of_birth=today.replace(year=today.year - 16)
    )
    account = _account(young, alice)
    browser_login(page, account.user.username, PASSWORD)
    page.get_by_role("link", name="Onze doelen").click()
    page.get_by_text("Er is nog geen plan met doelen.").wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Afschrift vragen").click()
    page.get_by_text("U krijgt een afschrift van alles in het dossier dat over u gaat.").wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Ik vraag een afschrift").click()
    page.get_by_text("Uw vraag is verstuurd.").wait_for()
    assert CopyRequest.objects.get().scope == CopyScope.OWN
