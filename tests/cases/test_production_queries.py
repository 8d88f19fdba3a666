"""The family page and the contact post as production runs them: query counts pinned.

Production (issue 15, the load test) differs from the other pins in two ways: two-factor
log-in is required, so django-otp reads the verifying device on every request, and no test
transaction wraps the request, so a service's `transaction.atomic` is a transaction of its
own (no savepoint queries). These tests run outside a test transaction, with OTP_REQUIRED
on and a session verified by a TOTP device, as the load test's clients are.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import AccessLog, Contact
from tests.cases.test_page_queries import FAMILY_PAGE, _grow
from tests.querycounts import chain_queries

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()

# The family page in production: the session, the verified device with its user (one
# query), and then what the page reads (FAMILY_PAGE: the family with its figures, the
# access-log row and its chain, the members, the contacts, the panels, the navigation).
PRODUCTION_FAMILY_PAGE = FAMILY_PAGE
# The contact post in production: the session, the device with its user, the family with
# the user's role, the access-log row (insert plus the chain), the contact's insert, and the
# family's figures kept in the same transaction (reports.figures: the family's row locked,
# then one statement).
PRODUCTION_CONTACT_POST = 7 + chain_queries()


@pytest.fixture
def verified_client(alice, settings):  # type: ignore[no-untyped-def]
    """alice's session after password and TOTP, with two-factor log-in required."""
    settings.OTP_REQUIRED = True
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client = Client()
    client.force_login(alice)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")


def _count(client, method, url, data=None):  # type: ignore[no-untyped-def]
    """The response, its queries, and apart from them the transaction control statements
    (BEGIN, COMMIT) the database connection sends around each transaction."""
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    queries = [q for q in captured.captured_queries if q["sql"] not in TRANSACTION_CONTROL]
    control = [q["sql"] for q in captured.captured_queries if q["sql"] in TRANSACTION_CONTROL]
    return response, queries, control


def test_family_page_in_production_stays_under_fifteen_queries(family, alice, verified_client):
    _grow(family, alice, 3)
    url = reverse("cases:family_detail", args=[family.pk])
    verified_client.get(url)  # the session's first request
    counts = []
    for more in (0, 20):
        _grow(family, alice, more)
        response, queries, control = _count(verified_client, "get", url)
        assert response.status_code == 200
        counts.append(len(queries))
        # One transaction: the access-log row with its chain (on SQLite none is logged).
        assert control in (["BEGIN", "COMMIT"], [])
    assert response.wsgi_request.user.is_verified()
    assert counts == [PRODUCTION_FAMILY_PAGE, PRODUCTION_FAMILY_PAGE]
    assert PRODUCTION_FAMILY_PAGE < 15
    sql = [q["sql"] for q in queries]
    # The device and its user in one query, the user read nowhere else before the page.
    device_queries = [s for s in sql if "otp_totp_totpdevice" in s]
    assert len(device_queries) == 1
    assert '"auth_user"' in device_queries[0]
    assert not any(s.startswith("SAVEPOINT") for s in sql)


def test_contact_post_in_production_stays_under_ten_queries(family, alice, verified_client):
    url = reverse("cases:contact_create", args=[family.pk])
    verified_client.get(reverse("cases:family_detail", args=[family.pk]))
    counts = []
    for n, more in enumerate((0, 20)):
        _grow(family, alice, more)
        data = {"date": TODAY.isoformat(), "minutes": 45, "kind": "home_visit", "note": f"G{n}"}
        response, queries, control = _count(verified_client, "post", url, data)
        assert response.status_code == 302
        counts.append(len(queries))
        # Two transactions: the access-log row, then the contact.
        assert control in (["BEGIN", "COMMIT"] * 2, [])
    assert counts == [PRODUCTION_CONTACT_POST, PRODUCTION_CONTACT_POST]
    assert PRODUCTION_CONTACT_POST < 10
    assert set(
        Contact.objects.filter(family=family, note__in=["G0", "G1"]).values_list("note", flat=True)
    ) == {"G0", "G1"}
    assert AccessLog.objects.filter(family_id_ref=family.pk, object="contact").count() == 2


def test_a_device_of_another_user_does_not_verify_the_session(family, alice, bob, verified_client):
    """The session names bob's device: alice is not verified, and is sent to the TOTP step."""
    other = TOTPDevice.objects.create(user=bob, name="app", confirmed=True)
    session = verified_client.session
    session[DEVICE_ID_SESSION_KEY] = other.persistent_id
    session.save()
    response = verified_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert response.status_code == 302
    assert reverse("otp_verify") in response["Location"]
    assert response.wsgi_request.user == alice
    assert DEVICE_ID_SESSION_KEY not in verified_client.session


def test_an_unconfirmed_device_does_not_verify_the_session(family, alice, verified_client):
    TOTPDevice.objects.filter(user=alice).update(confirmed=False)
    response = verified_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert response.status_code == 302
    assert response.wsgi_request.user == alice
    assert not response.wsgi_request.user.is_verified()


def test_a_deactivated_user_with_a_device_is_logged_out(family, alice, verified_client):
    alice.is_active = False
    alice.save()
    response = verified_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not response.wsgi_request.user.is_authenticated


def test_a_changed_password_ends_the_verified_session(family, alice, verified_client):
    """The session's auth hash no longer matches: logged out, as Django's get_user does."""
    session = verified_client.session
    assert session[HASH_SESSION_KEY]
    alice.set_password("een-heel-nieuw-wachtwoord")
    alice.save()
    response = verified_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not response.wsgi_request.user.is_authenticated


def test_a_verified_session_reads_the_family_with_the_right_user(family, alice, verified_client):
    response = verified_client.get(reverse("cases:family_detail", args=[family.pk]))
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert user.pk == alice.pk and user.is_verified()
    assert user.otp_device.user_id == alice.pk
    row = AccessLog.objects.filter(family_id_ref=family.pk).order_by("-pk").first()
    assert row.username == "alice" and row.outcome == "allowed"
