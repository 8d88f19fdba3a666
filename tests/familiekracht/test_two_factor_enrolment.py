"""Two-factor enrolment: bound to one session, a coordinator's enrolment code in production,
and single-use recovery codes."""

from __future__ import annotations

import datetime
from base64 import b32decode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import AccessLog
from tests.familiekracht.two_factor_helpers import (
    RECOVERY_RE,
    SECRET_RE,
    code_for,
    enrol,
    enrolled_with_recovery_codes,
    issue_code,
    logged_in,
    shown_secret,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):  # type: ignore[no-untyped-def]
    settings.OTP_REQUIRED = True
    settings.OTP_DEMO_EXEMPT = False
    return settings


# --- The hijack (defect 3) -------------------------------------------------------------


def test_a_second_session_with_the_password_cannot_hijack_the_enrolment(alice, production):
    attacker = logged_in("alice")
    attacker_key = shown_secret(attacker)
    victim = logged_in("alice")
    victim_key = shown_secret(victim)
    assert victim_key != attacker_key
    # Opening the page leaves nothing reusable in the database.
    assert not TOTPDevice.objects.filter(user=alice).exists()
    response = enrol(victim, victim_key, issue_code(alice))
    assert response.status_code == 200
    assert b"Herstelcodes" in response.content
    assert victim.get(reverse("cases:caseload")).status_code == 200
    device = TOTPDevice.objects.get(user=alice)
    assert device.confirmed
    assert device.bin_key == victim_key

    # The attacker's secret opens nothing: not the enrolment, not the verification.
    response = enrol(attacker, attacker_key, "ABCDE-FGHJK")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
    assert TOTPDevice.objects.get(user=alice).bin_key == victim_key
    later = logged_in("alice")
    response = later.post(reverse("otp_verify"), {"token": code_for(attacker_key)})
    assert response.status_code == 200
    assert later.get(reverse("cases:caseload")).status_code == 302


def test_without_an_enrolment_code_a_password_cannot_enrol(alice, production):
    attacker = logged_in("alice")
    key = shown_secret(attacker)
    response = enrol(attacker, key)
    assert response.status_code == 200
    assert "Inschrijfcode" in response.content.decode()
    response = enrol(attacker, key, "ABCDE-FGHJK")
    assert response.status_code == 200
    assert "inschrijfcode klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert attacker.get(reverse("cases:caseload")).status_code == 302
    logged = AccessLog.objects.filter(
        username="alice", action="login_failed", object__contains="inschrijfcode"
    )
    assert logged.count() == 1


def test_the_secret_is_new_each_time_the_page_opens(alice, production):
    client = logged_in("alice")
    first = shown_secret(client)
    second = shown_secret(client)
    assert first != second
    code = issue_code(alice)
    # Only the secret shown last can be confirmed.
    response = enrol(client, first, code)
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_enrolment_removes_stale_unconfirmed_devices(alice, production):
    stale = TOTPDevice.objects.create(user=alice, name="old", confirmed=False)
    client = logged_in("alice")
    key = shown_secret(client)
    assert enrol(client, key, issue_code(alice)).status_code == 200
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()
    assert list(TOTPDevice.objects.filter(user=alice).values_list("confirmed", flat=True)) == [True]


def test_no_enrolment_code_is_needed_when_two_factor_is_off(alice, settings):
    settings.OTP_REQUIRED = False
    client = logged_in("alice")
    page = client.get(reverse("otp_setup"))
    assert "Inschrijfcode" not in page.content.decode()
    key = b32decode(SECRET_RE.search(page.content).group(1).replace(b" ", b""))
    assert enrol(client, key).status_code == 200
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


# --- Enrolment codes -------------------------------------------------------------------


def test_enrolment_code_is_single_use_and_stored_only_as_a_hash(alice, production):
    from cases.models import EnrolmentCode

    code = issue_code(alice)
    row = EnrolmentCode.objects.get(user=alice)
    plain = code.replace("-", "")
    assert plain not in row.code_hash
    assert code not in row.code_hash
    assert row.expires_at - row.created_at == datetime.timedelta(hours=72)

    client = logged_in("alice")
    # Typed in lower case and without the dash: still the same code.
    assert enrol(client, shown_secret(client), plain.lower()).status_code == 200
    row.refresh_from_db()
    assert row.used_at is not None
    # Reset the app (no recovery codes either) by hand: the used code does not work again.
    TOTPDevice.objects.filter(user=alice).delete()
    from cases.models import RecoveryCodeDevice

    RecoveryCodeDevice.objects.filter(user=alice).delete()
    again = logged_in("alice")
    response = enrol(again, shown_secret(again), code)
    assert "inschrijfcode klopt niet" in response.content.decode()


def test_a_newer_enrolment_code_replaces_the_older(alice, production):
    old = issue_code(alice)
    new = issue_code(alice)
    client = logged_in("alice")
    response = enrol(client, shown_secret(client), old)
    assert "inschrijfcode klopt niet" in response.content.decode()
    client = logged_in("alice")
    assert enrol(client, shown_secret(client), new).status_code == 200


def test_an_expired_enrolment_code_does_not_work(alice, production):
    from cases.models import EnrolmentCode

    code = issue_code(alice)
    EnrolmentCode.objects.filter(user=alice).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client = logged_in("alice")
    response = enrol(client, shown_secret(client), code)
    assert "inschrijfcode klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_wrong_enrolment_codes_wear_the_code_out(alice, production):
    code = issue_code(alice)
    client = logged_in("alice")
    key = shown_secret(client)
    for _ in range(production.ENROLMENT_CODE_MAX_ATTEMPTS):
        assert "inschrijfcode klopt niet" in enrol(client, key, "ABCDE-FGHJK").content.decode()
    # Now even the right code is refused: only a new code from the coordinator helps.
    assert "inschrijfcode klopt niet" in enrol(client, key, code).content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert (
        AccessLog.objects.filter(username="alice", object__contains="inschrijfcode").count()
        == production.ENROLMENT_CODE_MAX_ATTEMPTS + 1
    )


def test_an_enrolment_code_badly_typed_is_a_form_error_not_a_try(alice, production):
    from cases.models import EnrolmentCode

    issue_code(alice)
    client = logged_in("alice")
    response = enrol(client, shown_secret(client), "abc")
    assert "10 letters en cijfers" in response.content.decode()
    assert EnrolmentCode.objects.get(user=alice).failed_attempts == 0


# --- Recovery codes --------------------------------------------------------------------


def test_enrolment_gives_recovery_codes_stored_only_as_hashes(alice, production):
    from cases.models import RecoveryCodeDevice

    _client, _key, codes = enrolled_with_recovery_codes(alice)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = str(list(RecoveryCodeDevice.objects.filter(user=alice).values()))
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored


def test_a_recovery_code_logs_in_once(alice, production):
    _client, _key, codes = enrolled_with_recovery_codes(alice)
    lost_phone = logged_in("alice")
    response = lost_phone.post(
        reverse("otp_verify"), {"token": codes[3].lower(), "next": reverse("cases:family_list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:family_list")
    assert lost_phone.get(reverse("cases:family_list")).status_code == 200

    again = logged_in("alice")
    response = again.post(reverse("otp_verify"), {"token": codes[3]})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    assert again.get(reverse("cases:caseload")).status_code == 302
    # A recovery code is not offered to the app's device (it would slow the next log-in).
    assert TOTPDevice.objects.get(user=alice).throttling_failure_count == 0


def test_verify_form_explains_the_two_formats(alice, production):
    enrolled_with_recovery_codes(alice)
    client = logged_in("alice")
    response = client.post(reverse("otp_verify"), {"token": "12-34"})
    assert response.status_code == 200
    assert "herstelcode van 12 tekens" in response.content.decode()


def test_new_recovery_codes_invalidate_the_old(alice, production):
    from cases.models import RecoveryCodeDevice

    client, _key, old_codes = enrolled_with_recovery_codes(alice)
    page = client.get(reverse("otp_recovery_codes"))
    assert "nog 10 herstelcodes" in page.content.decode()
    response = client.post(reverse("otp_recovery_codes"))
    new_codes = RECOVERY_RE.findall(response.content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    # The session that made them stays verified.
    assert client.get(reverse("cases:caseload")).status_code == 200

    other = logged_in("alice")
    assert other.post(reverse("otp_verify"), {"token": old_codes[0]}).status_code == 200
    # A wrong recovery code slows the next try down; wait that out instead of sleeping.
    device = RecoveryCodeDevice.objects.get(user=alice)
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    assert other.post(reverse("otp_verify"), {"token": new_codes[0]}).status_code == 302


def test_recovery_codes_page_needs_the_second_factor(alice, production):
    enrolled_with_recovery_codes(alice)
    password_only = logged_in("alice")
    for method in ("get", "post"):
        response = getattr(password_only, method)(reverse("otp_recovery_codes"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("otp_verify"))


def test_a_verified_user_may_replace_the_app_without_a_code(alice, production):
    client, old_key, _codes = enrolled_with_recovery_codes(alice)
    new_key = shown_secret(client)
    response = enrol(client, new_key)
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=alice).bin_key == new_key


def test_a_password_only_session_reaches_only_the_log_in_steps(alice, bob, production):
    from familiekracht.middleware import TWO_FACTOR_OPEN_URLS

    assert frozenset({"login", "logout", "otp_verify", "otp_setup", "healthz"}) == (
        TWO_FACTOR_OPEN_URLS
    )
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client = logged_in("alice")
    for method, url in [
        ("get", reverse("otp_recovery_codes")),
        ("post", reverse("otp_recovery_codes")),
        ("get", reverse("cases:account_list")),
        ("post", reverse("cases:account_enrolment_code", args=[bob.pk])),
        ("post", reverse("cases:account_two_factor_reset", args=[bob.pk])),
        # The enrolment page itself sends an enrolled user to the second factor first.
        ("get", reverse("otp_setup")),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("otp_verify")), url
