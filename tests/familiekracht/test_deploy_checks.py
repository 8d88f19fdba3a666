"""`check --deploy` refuses a production configuration without two-factor log-in."""

from __future__ import annotations

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from cases.checks import two_factor_in_production


@pytest.mark.parametrize(
    ("otp_required", "demo_exempt", "expected_ids"),
    [
        (False, False, ["cases.E001"]),
        (True, True, ["cases.E002"]),
        (False, True, ["cases.E001", "cases.E002"]),
        (True, False, []),
    ],
)
def test_deploy_check_refuses_production_without_two_factor(
    otp_required, demo_exempt, expected_ids
):
    with override_settings(DEBUG=False, OTP_REQUIRED=otp_required, OTP_DEMO_EXEMPT=demo_exempt):
        problems = two_factor_in_production()
    assert [p.id for p in problems] == expected_ids
    assert all(isinstance(p, Error) for p in problems)


def test_deploy_check_refuses_an_exempt_username_list_in_production():
    with override_settings(
        DEBUG=False, OTP_REQUIRED=True, OTP_DEMO_EXEMPT=False, OTP_EXEMPT_USERNAMES=["x"]
    ):
        problems = two_factor_in_production()
    assert [p.id for p in problems] == ["cases.E002"]


def test_deploy_check_leaves_development_alone():
    with override_settings(DEBUG=True, OTP_REQUIRED=False, OTP_DEMO_EXEMPT=True):
        assert two_factor_in_production() == []


def test_check_deploy_command_fails_with_two_factor_off():
    bad = [({"OTP_REQUIRED": False, "OTP_DEMO_EXEMPT": False}, "OTP_REQUIRED")]
    bad.append(({"OTP_REQUIRED": True, "OTP_DEMO_EXEMPT": True}, "OTP_DEMO_EXEMPT"))
    for values, named in bad:
        with (
            override_settings(DEBUG=False, **values),
            pytest.raises(SystemCheckError, match=named),
        ):
            call_command("check", "--deploy", "--tag", "security")
    with override_settings(DEBUG=False, OTP_REQUIRED=True, OTP_DEMO_EXEMPT=False):
        # No error; Django's own warnings about this test configuration may remain. Only the
        # security checks: other tests leave DJANGO_ALLOW_ASYNC_UNSAFE set (async.E001).
        call_command("check", "--deploy", "--tag", "security")
