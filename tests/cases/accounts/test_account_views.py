"""The coordinator's "Teamleden en inloggen" page: enrolment codes and the two-factor reset."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import AccessLog, Role
from tests.factories import UserFactory, member_of
from tests.familiekracht.two_factor_helpers import (
    enrol,
    enrolled_with_recovery_codes,
    logged_in,
    shown_secret,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):  # type: ignore[no-untyped-def]
    settings.OTP_REQUIRED = True
    settings.OTP_DEMO_EXEMPT = False
    return settings


@pytest.fixture
def other_coordinator(other_team):  # type: ignore[no-untyped-def]
    return member_of(other_team, Role.COORDINATOR, username="coord-b")


def test_coordinator_sees_team_members_and_their_state(coordinator_client, alice, bob, charlie):
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    response = coordinator_client.get(reverse("cases:account_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "alice" in page and "bob" in page
    assert "charlie" not in page  # another team
    assert "Inschrijfcode maken" in page
    assert "Tweestapsverificatie resetten" in page
    assert reverse("cases:account_list") in page  # the navigation link


def test_only_coordinators_and_superusers_see_the_page(alice_client, psychologist_client):
    assert alice_client.get(reverse("cases:account_list")).status_code == 403
    assert psychologist_client.get(reverse("cases:account_list")).status_code == 403
    assert (
        reverse("cases:account_list")
        not in alice_client.get(reverse("cases:caseload")).content.decode()
    )


def test_coordinator_makes_an_enrolment_code_shown_once(coordinator_client, coordinator, bob):
    from cases.models import EnrolmentCode

    url = reverse("cases:account_enrolment_code", args=[bob.pk])
    assert coordinator_client.get(url).status_code == 405
    response = coordinator_client.post(url)
    assert response.status_code == 200
    code = re.search(r'fs-3" translate="no">([A-Z0-9-]+)<', response.content.decode()).group(1)
    row = EnrolmentCode.objects.get(user=bob)
    assert row.created_by == coordinator
    assert code not in row.code_hash
    assert AccessLog.objects.filter(
        user=coordinator, action="create", object="inschrijfcode gemaakt voor bob"
    ).exists()
    # The list shows that a code is waiting, never the code itself.
    page = coordinator_client.get(reverse("cases:account_list")).content.decode()
    assert "inschrijfcode geldig tot" in page
    assert code not in page


def test_staff_reset_removes_the_second_factor_and_is_logged(
    coordinator_client, coordinator, alice, production
):
    from cases.models import EnrolmentCode, RecoveryCodeDevice

    alice_session, _key, codes = enrolled_with_recovery_codes(alice)
    assert alice_session.get(reverse("cases:caseload")).status_code == 200
    # The coordinator's own session passes the second factor too.
    coord_device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    from django_otp import DEVICE_ID_SESSION_KEY

    session = coordinator_client.session
    session[DEVICE_ID_SESSION_KEY] = coord_device.persistent_id
    session.save()

    url = reverse("cases:account_two_factor_reset", args=[alice.pk])
    # A GET asks first, naming whose app and codes go; it resets nothing.
    confirm = coordinator_client.get(url)
    assert confirm.status_code == 200
    assert "herstelcodes van alice" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=alice).exists()
    assert coordinator_client.put(url).status_code == 405
    response = coordinator_client.post(url)
    assert response.status_code == 200
    assert "gereset" in response.content.decode()
    code = re.search(r'fs-3" translate="no">([A-Z0-9-]+)<', response.content.decode()).group(1)
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not RecoveryCodeDevice.objects.filter(user=alice).exists()
    assert EnrolmentCode.objects.filter(user=alice).usable().count() == 1
    entry = AccessLog.objects.get(object="tweestapsverificatie gereset voor alice")
    assert entry.user == coordinator
    assert entry.username == "coord"
    assert entry.role == Role.COORDINATOR
    assert entry.action == "change"
    assert entry.outcome == "allowed"
    assert entry.family_id_ref is None
    # Alice's open session lost its second factor, and her recovery codes are gone.
    response = alice_session.get(reverse("cases:caseload"))
    assert response["Location"].startswith(reverse("otp_setup"))
    fresh = logged_in("alice")
    response = fresh.post(reverse("otp_verify"), {"token": codes[0]})
    assert response["Location"].startswith(reverse("otp_setup"))
    assert fresh.get(reverse("cases:caseload"))["Location"].startswith(reverse("otp_setup"))
    # With the new code from the reset she enrols again.
    assert enrol(fresh, shown_secret(fresh), code).status_code == 200
    assert fresh.get(reverse("cases:caseload")).status_code == 200


def test_another_teams_coordinator_gets_404(other_coordinator, alice):
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client = Client()
    client.force_login(other_coordinator)
    for name in ("cases:account_two_factor_reset", "cases:account_enrolment_code"):
        assert client.post(reverse(name, args=[alice.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=alice).exists()
    assert not AccessLog.objects.filter(object__contains="gereset").exists()
    denied = AccessLog.objects.filter(user=other_coordinator, outcome="denied")
    assert denied.count() == 2


def test_coach_and_coordinator_limits(alice_client, coordinator_client, bob, coordinator):
    # A coach cannot reset a colleague; a coordinator not a superuser nor themselves.
    TOTPDevice.objects.create(user=bob, name="app", confirmed=True)
    assert (
        alice_client.post(reverse("cases:account_two_factor_reset", args=[bob.pk])).status_code
        == 404
    )
    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    from tests.factories import MembershipFactory

    MembershipFactory(user=admin, team=coordinator.memberships.get().team, role=Role.COACH)
    TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    for target in (admin, coordinator):
        url = reverse("cases:account_two_factor_reset", args=[target.pk])
        assert coordinator_client.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=bob).exists()
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_a_superuser_may_reset_anyone(charlie, alice):
    TOTPDevice.objects.create(user=charlie, name="app", confirmed=True)
    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("cases:account_list")).status_code == 200
    response = client.post(reverse("cases:account_two_factor_reset", args=[charlie.pk]))
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=charlie).exists()
    entry = AccessLog.objects.get(object="tweestapsverificatie gereset voor charlie")
    assert (entry.user, entry.role) == (admin, "superuser")


def test_enrolment_code_command_for_the_first_admin(capsys):
    from cases.models import EnrolmentCode

    admin = UserFactory(username="eerste-beheerder", is_superuser=True)
    call_command("enrolment_code", "eerste-beheerder")
    out = capsys.readouterr().out
    code = out.strip().rsplit(" ", 1)[-1]
    row = EnrolmentCode.objects.get(user=admin)
    assert row.created_by is None
    assert code not in row.code_hash
