"""Log-in protection, session limits, two-factor log-in, headers and the audit trail."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from base64 import b32decode
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import AccessLog, AppendOnlyError
from familiekracht.middleware import LAST_SEEN_KEY, LOGIN_AT_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory
BASE_DIR = Path(django_settings.BASE_DIR)


def _login(client: Client, username: str, password: str, address: str = "127.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


# --- Lock-out --------------------------------------------------------------------------


def test_sixth_attempt_after_five_failures_is_locked_out(alice):
    client = Client()
    for _ in range(4):
        assert _login(client, "alice", "wrong-password").status_code == 200
    # The fifth failure locks the username + address combination ...
    assert _login(client, "alice", "wrong-password").status_code == 429
    # ... so the sixth attempt is refused even with the right password.
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15 minuten geblokkeerd" in response.content.decode()
    failed = AccessLog.objects.filter(action="login_failed", username="alice")
    # Five wrong passwords and the refused sixth attempt.
    assert failed.filter(object="").count() == 6
    assert failed.filter(object__startswith="geblokkeerd").exists()


def test_lock_out_is_per_username_and_address(alice, bob):
    client = Client()
    for _ in range(5):
        _login(client, "alice", "wrong-password")
    # Same address, another user; same user, another address: both still log in.
    assert _login(Client(), "bob", PASSWORD).status_code == 302
    assert _login(Client(), "alice", PASSWORD, address="10.1.2.3").status_code == 302


def test_four_failures_then_success_resets(alice):
    client = Client()
    for _ in range(4):
        _login(client, "alice", "wrong-password")
    assert _login(client, "alice", PASSWORD).status_code == 302
    for _ in range(4):
        _login(Client(), "alice", "wrong-password")
    assert _login(Client(), "alice", PASSWORD).status_code == 302


# --- Sessions --------------------------------------------------------------------------


def _age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_session_ends_after_30_minutes_idle(alice_client):
    url = reverse("cases:caseload")
    assert alice_client.get(url).status_code == 200
    _age_session(alice_client, **{LAST_SEEN_KEY: 29 * 60})
    assert alice_client.get(url).status_code == 200
    _age_session(alice_client, **{LAST_SEEN_KEY: 31 * 60})
    response = alice_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in alice_client.session
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    # The idle clock moves at most once a minute (SESSION_TOUCH_SECONDS), not per request.
    assert django_settings.SESSION_TOUCH_SECONDS == 60


def test_the_idle_clock_is_written_at_most_once_a_minute(alice_client):
    from django.contrib.sessions.models import Session

    url = reverse("cases:caseload")
    assert alice_client.get(url).status_code == 200  # the first request stores the language
    _age_session(alice_client, **{LAST_SEEN_KEY: 30})
    stored = Session.objects.get(pk=alice_client.session.session_key).session_data
    assert alice_client.get(url).status_code == 200
    # Seen 30 seconds ago: the request leaves the stored session (and its expiry) alone.
    assert Session.objects.get(pk=alice_client.session.session_key).session_data == stored
    seen = alice_client.session[LAST_SEEN_KEY]
    _age_session(alice_client, **{LAST_SEEN_KEY: 61})
    response = alice_client.get(url)
    assert response.status_code == 200
    # A minute on: the clock moves to now and the cookie is renewed.
    assert alice_client.session[LAST_SEEN_KEY] > seen
    assert response.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_session_ends_after_10_hours_even_when_active(alice_client):
    url = reverse("cases:caseload")
    assert alice_client.get(url).status_code == 200
    _age_session(alice_client, **{LOGIN_AT_KEY: 9 * 3600 + 3500, LAST_SEEN_KEY: 60})
    assert alice_client.get(url).status_code == 200
    _age_session(alice_client, **{LOGIN_AT_KEY: 10 * 3600 + 1, LAST_SEEN_KEY: 60})
    assert alice_client.get(url).status_code == 302


def test_password_change_ends_other_sessions_only(alice):
    here, elsewhere = Client(), Client()
    here.force_login(alice)
    elsewhere.force_login(alice)
    other_user = Client()
    other_user.force_login(UserFactory(username="someone-else"))
    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "een-nieuw-wachtwoord-2026",
            "new_password2": "een-nieuw-wachtwoord-2026",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("cases:caseload")).status_code == 200
    assert elsewhere.get(reverse("cases:caseload")).status_code == 302
    assert other_user.get(reverse("cases:caseload")).status_code == 200
    alice_sessions = [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(alice.pk)
    ]
    assert len(alice_sessions) == 1


# --- Two-factor log-in -----------------------------------------------------------------


def _token(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def _reset_throttle(device: TOTPDevice) -> None:
    # Instead of waiting out the delay that django-otp imposes after a wrong code.
    device.refresh_from_db()
    device.throttle_reset()


def test_two_factor_enrolment_and_verification(alice, settings):
    from cases.accounts.services import enrolment_code_issue
    from familiekracht.auth_views import PENDING_SESSION_KEY

    settings.OTP_REQUIRED = True
    settings.OTP_DEMO_EXEMPT = False
    client = Client()
    assert _login(client, "alice", PASSWORD).status_code == 302
    # Password alone does not open a page: first enrol a device.
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_setup"))
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200
    assert b"<svg" in page.content
    # Nothing usable exists before the code is confirmed (the secret waits in the session).
    assert not TOTPDevice.objects.filter(user=alice).exists()
    secret = re.search(rb'font-monospace fs-5" translate="no">([A-Z2-7 ]+)<', page.content)
    assert secret is not None
    assert len(secret.group(1).replace(b" ", b"")) >= 32
    key = b32decode(secret.group(1).replace(b" ", b""))
    # In production a first enrolment also needs the coordinator's enrolment code.
    enrolment_code = enrolment_code_issue(user=alice, by=None)

    response = client.post(
        reverse("otp_setup"), {"token": "000000", "enrolment_code": enrolment_code}
    )
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    response = client.post(
        reverse("otp_setup"), {"token": "abcdef", "enrolment_code": enrolment_code}
    )
    assert "6 cijfers" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    # Wrong codes slow further tries down: even the right code waits.
    assert client.session[PENDING_SESSION_KEY]["failures"] == 1
    response = client.post(
        reverse("otp_setup"), {"token": _key_token(key), "enrolment_code": enrolment_code}
    )
    assert "Te veel verkeerde codes" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    _reset_pending_throttle(client)

    response = client.post(
        reverse("otp_setup"), {"token": _key_token(key), "enrolment_code": enrolment_code}
    )
    # Enrolled: the page shows the recovery codes once.
    assert response.status_code == 200
    assert "Herstelcodes" in response.content.decode()
    device = TOTPDevice.objects.get(user=alice)
    assert device.confirmed
    assert client.get(reverse("cases:caseload")).status_code == 200

    # A new log-in asks for the code; the next one from the app is accepted.
    later = Client()
    _login(later, "alice", PASSWORD)
    response = later.get(reverse("cases:family_list"))
    assert response["Location"].startswith(reverse("otp_verify"))
    assert later.post(reverse("otp_verify"), {"token": "123456"}).status_code == 200
    assert later.get(reverse("cases:family_list")).status_code == 302
    _reset_throttle(device)
    response = later.post(
        reverse("otp_verify"),
        {"token": _token(device, drift=1), "next": reverse("cases:family_list")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:family_list")
    assert later.get(reverse("cases:family_list")).status_code == 200


def _key_token(key: bytes) -> str:
    return f"{totp(key):06d}"


def _reset_pending_throttle(client: Client) -> None:
    # Instead of waiting out the delay after a wrong code during enrolment.
    from familiekracht.auth_views import PENDING_SESSION_KEY

    session = client.session
    session[PENDING_SESSION_KEY] = {**session[PENDING_SESSION_KEY], "failed_at": 0.0}
    session.save()


def test_verify_refuses_an_outside_next_url(alice, settings):
    settings.OTP_REQUIRED = True
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client = Client()
    _login(client, "alice", PASSWORD)
    response = client.post(
        reverse("otp_verify"), {"token": _token(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_demo_users_skip_two_factor_only_when_allowed(settings, team):
    from cases.models import Role
    from tests.factories import member_of

    demo_user = member_of(team, Role.COACH, username="coach-zuidoost")
    client = Client()
    client.force_login(demo_user)
    settings.OTP_REQUIRED = True
    settings.OTP_EXEMPT_USERNAMES = ["coach-zuidoost"]
    assert client.get(reverse("cases:caseload")).status_code == 200
    settings.OTP_EXEMPT_USERNAMES = []
    assert client.get(reverse("cases:caseload")).status_code == 302


def _settings_in_subprocess(env: dict[str, str], expression: str) -> str:
    code = f"import familiekracht.settings as s; print(({expression}))"
    full_env = {**os.environ, **env}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_two_factor_is_required_in_production_settings():
    production = {"DEBUG": "0"}
    production_env = {k: v for k, v in os.environ.items() if not k.startswith("OTP_")}
    production_env.update(production)
    expression = "s.OTP_REQUIRED, s.OTP_DEMO_EXEMPT"
    assert _settings_in_subprocess(production_env, expression) == "(True, False)"
    assert _settings_in_subprocess({**production_env, "DEBUG": "1"}, expression) == (
        "(False, True)"
    )


def test_only_a_demo_machine_exempts_the_demo_usernames():
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTP_")}
    expression = "'coach-zuidoost' in s.OTP_EXEMPT_USERNAMES, len(s.OTP_EXEMPT_USERNAMES)"
    # The seven staff demo users, the researcher (onderzoeker) and the family portal's two
    # (ouder-/jongere-zuidoost).
    assert _settings_in_subprocess({**env, "DEBUG": "1"}, expression) == "(True, 10)"
    assert _settings_in_subprocess({**env, "DEBUG": "0"}, expression) == "(False, 0)"
    demo_off = {**env, "DEBUG": "1", "OTP_DEMO_EXEMPT": "0"}
    assert _settings_in_subprocess(demo_off, expression) == "(False, 0)"


def test_check_deploy_passes_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FK_ACCESS_LOG_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Headers ---------------------------------------------------------------------------


def test_csp_header_forbids_inline_and_foreign_scripts(alice_client, client):
    for response in (alice_client.get(reverse("cases:caseload")), client.get(reverse("login"))):
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_templates_hold_no_inline_scripts():
    """The CSP has no 'unsafe-inline' for scripts, so an inline script would not run."""
    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            if "src=" not in tag:
                offenders.append(f"{path}: {tag}")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text, flags=re.I) or "javascript:" in text:
            offenders.append(f"{path}: inline event handler")
    assert not offenders, offenders


def test_authenticated_pages_are_not_stored(alice_client, family):
    for url in (reverse("cases:caseload"), reverse("cases:family_detail", args=[family.pk])):
        cache_control = alice_client.get(url)["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control


def test_production_cookies_and_hsts_are_secure():
    env = {k: v for k, v in os.environ.items() if k not in ("SECURE_COOKIES",)}
    env["DEBUG"] = "0"
    values = _settings_in_subprocess(
        env,
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY",
    )
    assert values == "(True, True, True, True, True)"


# --- Audit -----------------------------------------------------------------------------


def test_login_logout_and_failure_are_in_the_access_log(alice):
    client = Client()
    _login(client, "alice", "wrong-password")
    _login(client, "alice", PASSWORD)
    client.post(reverse("logout"))
    rows = list(AccessLog.objects.order_by("at", "pk").values_list("username", "action", "outcome"))
    assert rows == [
        ("alice", "login_failed", "denied"),
        ("alice", "login", "allowed"),
        ("alice", "logout", "allowed"),
    ]


def test_access_log_is_append_only_in_the_model_layer(alice_client, family):
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    entry = AccessLog.objects.filter(family_id_ref=family.pk).get()
    entry.action = "delete"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=entry.pk).action == "read"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL only")
def test_access_log_is_append_only_in_the_database(alice_client, family):
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    entry = AccessLog.objects.filter(family_id_ref=family.pk).get()
    for sql in (
        "UPDATE cases_accesslog SET action = 'delete' WHERE id = %s",
        "DELETE FROM cases_accesslog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AccessLog.objects.filter(pk=entry.pk, action="read").exists()


def test_deleting_a_user_keeps_the_log_rows(client):
    user = UserFactory(username="leaver")
    client.force_login(user)
    user.delete()
    row = AccessLog.objects.get(username="leaver", action="login")
    assert row.user is None


def test_admin_cannot_change_or_delete_the_log(alice_client, family, admin_client):
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    entry = AccessLog.objects.filter(family_id_ref=family.pk).get()
    change = reverse("admin:cases_accesslog_change", args=[entry.pk])
    delete = reverse("admin:cases_accesslog_delete", args=[entry.pk])
    assert admin_client.post(change, {"action": "delete"}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=entry.pk, action="read").exists()
