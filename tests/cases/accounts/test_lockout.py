"""Lock-out by address (username spraying) and log-in input that must not break the page."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import audit
from cases.accounts.login import ADDRESS, USERNAME
from cases.models import AccessLog

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory
OFFICE = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def _login(client: Client, username: str, password: str, address: str = OFFICE, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def _spray(count: int, address: str = OFFICE, **extra: str) -> list[int]:
    """One wrong password each for `count` different usernames; the status codes."""
    return [
        _login(Client(), f"user{i}", "wrong-password", address, **extra).status_code
        for i in range(count)
    ]


# --- Lock by address ------------------------------------------------------------------


def test_spraying_usernames_from_one_address_locks_the_address(alice):
    # The tenth failure from the address, over any usernames, locks it (default limit 10).
    assert _spray(12) == [200] * 9 + [429] * 3
    # The real user's right password from that address is refused with the lock-out page ...
    client = Client()
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Inloggen vanaf dit adres is 15 minuten geblokkeerd" in response.content.decode()
    # ... and works from another address.
    assert _login(Client(), "alice", PASSWORD, ELSEWHERE).status_code == 302


def test_address_lock_and_username_lock_are_in_the_access_log(alice, bob):
    _spray(10)
    _login(Client(), "alice", PASSWORD)
    locked = AccessLog.objects.filter(action="login_failed", outcome="denied").exclude(object="")
    # The tenth spray attempt and alice's refused log-in, each with the attempted username.
    assert list(locked.order_by("at", "pk").values_list("username", "object")) == [
        ("user9", audit.LOCKED_OUT[ADDRESS]),
        ("alice", audit.LOCKED_OUT[ADDRESS]),
    ]
    for _ in range(5):
        _login(Client(), "bob", "wrong-password", ELSEWHERE)
    assert locked.get(username="bob").object == audit.LOCKED_OUT[USERNAME]


def test_one_persons_typos_do_not_lock_the_office(alice, bob):
    for _ in range(5):
        _login(Client(), "alice", "wrong-password")
    response = _login(Client(), "alice", PASSWORD)
    assert response.status_code == 429
    assert "met deze gebruikersnaam vanaf dit adres" in response.content.decode()
    # Five failures are below the address limit: a colleague at the same address logs in.
    assert _login(Client(), "bob", PASSWORD).status_code == 302


def test_a_successful_log_in_does_not_clear_the_address_count(alice):
    _spray(9)
    # One valid account must not reset the address's failures for other usernames.
    assert _login(Client(), "alice", PASSWORD).status_code == 302
    assert _spray(1) == [429]


def test_address_limit_is_a_setting(alice, settings):
    settings.LOCKOUT_ADDRESS_FAILURE_LIMIT = 3
    assert _spray(3) == [200, 200, 429]
    assert _login(Client(), "alice", PASSWORD).status_code == 429


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_lock(alice):
    # Without TRUSTED_PROXY_COUNT the header is ignored: only REMOTE_ADDR counts.
    statuses = [
        _login(
            Client(), f"user{i}", "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"
        ).status_code
        for i in range(10)
    ]
    assert statuses[-1] == 429
    assert _login(Client(), "alice", PASSWORD).status_code == 429


# --- Overlong and NUL input -------------------------------------------------------------


@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_overlong_username_gets_a_form_error(alice, length):
    # Past 255 characters this was a server error on PostgreSQL (axes' column overflowed).
    response = _login(Client(raise_request_exception=False), "x" * length, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "Een gebruikersnaam heeft hoogstens 150 tekens."
    ]
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(
    ("username", "password", "next_url"),
    [
        ("alice", "x" * 10_000, ""),
        ("x" * 10_000, "wrong-password", "/" + "x" * 10_000),
    ],
)
def test_odd_log_in_input_is_a_form_error_not_a_server_error(alice, username, password, next_url):
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("login"),
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=OFFICE,
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("username", "password", "next_url"),
    [
        ("al\x00ice", PASSWORD, ""),
        ("alice", "secret\x00pass", ""),
        ("alice", "wrong-password", "/\x00" + "x" * 10_000),
    ],
)
def test_a_nul_byte_in_the_log_in_is_refused_with_a_message(alice, username, password, next_url):
    # Refused before any view runs (familiekracht.middleware.RefuseNulMiddleware).
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("login"),
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=OFFICE,
    )
    assert response.status_code == 400
    assert "ongeldig teken (NUL)" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_log_in_with_an_overlong_username_is_no_server_error(alice):
    # The admin has its own log-in form; axes gets the username cut to a username's length.
    response = Client(raise_request_exception=False).post(
        reverse("admin:login"), {"username": "x" * 10_000, "password": "x"}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150
    assert AccessLog.objects.get(action="login_failed").username == "x" * 150


@pytest.mark.parametrize(
    "data",
    [
        {"token": "1\x0023456"},
        {"token": "1" * 10_000},
        {"token": "123456", "next": "/\x00" + "x" * 10_000},
    ],
)
def test_odd_input_to_the_second_factor_is_no_server_error(alice, settings, data):
    settings.OTP_REQUIRED = True
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client = Client(raise_request_exception=False)
    assert _login(client, "alice", PASSWORD).status_code == 302
    response = client.post(reverse("otp_verify"), data)
    # A NUL byte is refused before the view (400, with a message); the rest is a form error.
    if any("\x00" in value for value in data.values()):
        assert response.status_code == 400
        assert "ongeldig teken (NUL)" in response.content.decode()
    else:
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not client.session.get("otp_device_id")


def test_failed_log_in_rows_cannot_overflow(rf):
    request = rf.post("/login/" + "p" * 500)
    audit.on_login_failed(None, credentials={"username": "a\x00" + "b" * 10_000}, request=request)
    row = AccessLog.objects.get()
    assert row.username == "a" + "b" * 149
    assert len(row.path) == 300
