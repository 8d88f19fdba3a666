"""The two-factor pages in a real browser, in production mode: the coordinator hands out an
enrolment code, the new team member enrols and gets recovery codes. Every page passes
axe-core, the keyboard check and the Nu HTML checker."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Role
from tests.factories import member_of
from tests.journeys.helpers import PASSWORD, PageChecks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(key: bytes) -> str:
    return f"{totp(key):06d}"


def _password_step(page, checks: PageChecks, username: str, lands_on: str) -> None:  # type: ignore[no-untyped-def]
    # Not journeys.helpers.login: the password leads to /login/verify/, still under /login/.
    page.goto("/login/")
    checks.check(f"login ({username})")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(re.escape(lands_on)))


def test_enrolment_with_a_code_from_the_coordinator(browser_page, settings, team):
    settings.OTP_REQUIRED = True
    settings.OTP_DEMO_EXEMPT = False
    coordinator = member_of(team, Role.COORDINATOR, username="coord")
    member_of(team, Role.COACH, username="nieuw", first_name="Nina", last_name="Nieuw")
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    page = browser_page
    checks = PageChecks(page)

    _password_step(page, checks, "coord", "/login/verify/")
    checks.check("verify")
    page.get_by_label("Code uit uw authenticator-app of een herstelcode").fill(
        _code(device.bin_key)
    )
    page.get_by_role("button", name="Bevestigen").click()
    # In the user menu, beside the user's own two-factor settings.
    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_role("link", name="Teamleden en inloggen").click()
    checks.check("team accounts")
    page.get_by_role("button", name="Inschrijfcode maken voor nieuw").click()
    checks.check("enrolment code")
    enrolment_code = page.locator("main .fs-3").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", enrolment_code)

    page.context.clear_cookies()
    _password_step(page, checks, "nieuw", "/account/two-factor/")
    checks.check("setup")
    secret = page.locator("main .font-monospace").inner_text()
    key = b32decode(secret.replace(" ", ""))
    page.get_by_label("Inschrijfcode van uw coördinator").fill(enrolment_code.lower())
    page.get_by_label("Code uit uw authenticator-app").fill(_code(key))
    page.get_by_role("button", name="Bevestigen").click()
    checks.check("recovery codes shown")
    assert page.locator("main .fk-recovery-codes li").count() == 10
    page.get_by_role("link", name="Ik heb de codes bewaard").click()
    page.goto("/account/two-factor/recovery-codes/")
    checks.check("recovery codes page")
    checks.assert_clean()
