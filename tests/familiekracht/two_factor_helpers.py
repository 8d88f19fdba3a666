"""Steps shared by the two-factor tests: log in with the password, read the secret off the
enrolment page, enrol with an enrolment code."""

from __future__ import annotations

import re
from base64 import b32decode

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory
SECRET_RE = re.compile(rb'font-monospace fs-5" translate="no">([A-Z2-7 ]+)<')
RECOVERY_RE = re.compile(r"<li>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</li>")


def logged_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def shown_secret(client: Client) -> bytes:
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200
    match = SECRET_RE.search(page.content)
    assert match is not None
    return b32decode(match.group(1).replace(b" ", b""))


def code_for(key: bytes, drift: int = 0) -> str:
    return f"{totp(key, drift=drift):06d}"


def issue_code(user, by=None) -> str:  # type: ignore[no-untyped-def]
    from cases.accounts.services import enrolment_code_issue

    return enrolment_code_issue(user=user, by=by)


def enrol(client: Client, key: bytes, enrolment_code: str | None = None):  # type: ignore[no-untyped-def]
    data = {"token": code_for(key)}
    if enrolment_code is not None:
        data["enrolment_code"] = enrolment_code
    return client.post(reverse("otp_setup"), data)


def enrolled_with_recovery_codes(user) -> tuple[Client, bytes, list[str]]:  # type: ignore[no-untyped-def]
    client = logged_in(user.username)
    key = shown_secret(client)
    response = enrol(client, key, issue_code(user))
    codes = RECOVERY_RE.findall(response.content.decode())
    return client, key, codes
