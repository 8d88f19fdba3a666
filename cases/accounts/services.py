"""Two-factor log-in accounts: enrolment codes, enrolment, recovery codes and staff reset.

The views are familiekracht/auth_views.py (the user's own enrolment and verification) and
cases/accounts/views.py (the coordinator's "Teamleden en inloggen" page).
"""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import (
    CODE_ALPHABET,
    RECOVERY_CODE_LENGTH,
    AccessAction,
    AccessLog,
    AccessOutcome,
    EnrolmentCode,
    RecoveryCodeDevice,
    code_matches,
    hash_code,
    normalise_code,
)

logger = logging.getLogger(__name__)

ENROLMENT_CODE_LENGTH = 10


class EnrolmentCodeRefused(Exception):
    """The enrolment code was used or replaced while this enrolment was under way."""


def _random_code(length: int, group: int) -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return "-".join(code[i : i + group] for i in range(0, length, group))


def looks_like_enrolment_code(raw: str) -> bool:
    code = normalise_code(raw)
    return len(code) == ENROLMENT_CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def _log(*, by: Any, role: str, action: str, outcome: str, obj: str, path: str) -> None:
    AccessLog.objects.create(
        user=by,
        username=by.get_username(),
        role=role,
        action=action,
        object=obj[:200],
        outcome=outcome,
        path=path[:300],
    )


def _issue(*, user: Any, by: Any | None) -> str:
    now = timezone.now()
    # A newer code replaces the older ones: only the last code handed out works.
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = _random_code(ENROLMENT_CODE_LENGTH, 5)
    EnrolmentCode.objects.create(
        user=user,
        code_hash=hash_code(code),
        created_by=by,
        created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.ENROLMENT_CODE_HOURS),
    )
    return code


@transaction.atomic
def enrolment_code_issue(*, user: Any, by: Any | None, role: str = "", path: str = "") -> str:
    """Make a new enrolment code for `user` and return it in plain text (shown once).

    `by` is None only from the command line (`manage.py enrolment_code`).
    """
    code = _issue(user=user, by=by)
    if by is not None:
        _log(
            by=by,
            role=role,
            action=AccessAction.CREATE,
            outcome=AccessOutcome.ALLOWED,
            obj=f"inschrijfcode gemaakt voor {user.get_username()}",
            path=path,
        )
    return code


def enrolment_code_match(*, user: Any, code: str, path: str = "") -> EnrolmentCode | None:
    """The user's current enrolment code if `code` is it; otherwise count and log the try.

    Its own transaction, committed also when the code is wrong, so the count of wrong
    tries sticks (after ENROLMENT_CODE_MAX_ATTEMPTS the code is void).
    """
    with transaction.atomic():
        current = EnrolmentCode.objects.select_for_update().filter(user=user).usable().first()
        if current is not None and code_matches(code, current.code_hash):
            return current
        if current is not None:
            EnrolmentCode.objects.filter(pk=current.pk).update(
                failed_attempts=F("failed_attempts") + 1
            )
        AccessLog.objects.create(
            user=user,
            username=user.get_username(),
            action=AccessAction.LOGIN_FAILED,
            outcome=AccessOutcome.DENIED,
            object="verkeerde inschrijfcode voor tweestapsverificatie",
            path=path[:300],
        )
    logger.warning("Wrong two-factor enrolment code for user id %s", user.pk)
    return None


def pending_key() -> str:
    """A fresh TOTP secret (hex), kept in the session until the user confirms it."""
    from django_otp.plugins.otp_totp.models import default_key

    return default_key()


def pending_token_matches(*, key: str, token: str) -> tuple[int, int] | None:
    """Whether `token` is a current code for the secret `key`: (time step, drift) or None.

    Same step, digits and tolerance as a TOTPDevice's defaults, so what is confirmed here
    is what the verify page accepts later.
    """
    defaults = TOTPDevice(key=key)
    totp = TOTP(defaults.bin_key, defaults.step, defaults.t0, defaults.digits, defaults.drift)
    try:
        value = int(token)
    except ValueError:
        return None
    if not totp.verify(value, defaults.tolerance):
        return None
    return totp.t(), totp.drift


@transaction.atomic
def two_factor_enrol(
    *,
    user: Any,
    key: str,
    last_t: int,
    drift: int,
    enrolment_code: EnrolmentCode | None,
    path: str = "",
) -> tuple[TOTPDevice, list[str]]:
    """Create the user's confirmed TOTP device and recovery codes; return both.

    Every other TOTP device of the user goes: stale unconfirmed ones from before, and the
    old app when a verified user replaces it. The recovery codes come back in plain text,
    to be shown once.
    """
    if enrolment_code is not None:
        # Checked again inside this transaction: a second tab may have used it meanwhile.
        used = (
            EnrolmentCode.objects.filter(pk=enrolment_code.pk, user=user)
            .usable()
            .update(used_at=timezone.now())
        )
        if used != 1:
            raise EnrolmentCodeRefused
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name="authenticator",
        key=key,
        confirmed=True,
        # The code just used cannot log in a second time.
        last_t=last_t,
        drift=drift,
    )
    codes = recovery_codes_renew(user=user)
    _log(
        by=user,
        role="",
        action=AccessAction.CHANGE,
        outcome=AccessOutcome.ALLOWED,
        obj="tweestapsverificatie ingesteld",
        path=path,
    )
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, user: Any) -> list[str]:
    """New recovery codes for `user` (the old ones stop working); returned in plain text.

    The device row is kept, not replaced: a session verified with a recovery code
    refers to it (django_otp keeps the device id in the session).
    """
    codes = [_random_code(RECOVERY_CODE_LENGTH, 4) for _ in range(settings.RECOVERY_CODE_COUNT)]
    hashes = [hash_code(code) for code in codes]
    device = RecoveryCodeDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        RecoveryCodeDevice.objects.create(
            user=user, name="herstelcodes", confirmed=True, code_hashes=hashes
        )
    else:
        RecoveryCodeDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.code_hashes = hashes
        device.throttle_reset(commit=False)
        device.save(
            update_fields=[
                "code_hashes",
                "throttling_failure_count",
                "throttling_failure_timestamp",
            ]
        )
    return codes


def recovery_codes_left(user: Any) -> int | None:
    """How many recovery codes the user has left; None without recovery codes at all."""
    hashes = (
        RecoveryCodeDevice.objects.filter(user=user, confirmed=True)
        .values_list("code_hashes", flat=True)
        .first()
    )
    return None if hashes is None else len(hashes)


@transaction.atomic
def two_factor_reset(*, user: Any, by: Any, role: str, path: str = "") -> str:
    """Remove the user's second factor (app and recovery codes); return a new enrolment code.

    For a user who lost their phone and their recovery codes. Their sessions lose the
    second factor at once (the device they were verified with is gone).
    """
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    code = _issue(user=user, by=by)
    _log(
        by=by,
        role=role,
        action=AccessAction.CHANGE,
        outcome=AccessOutcome.ALLOWED,
        obj=f"tweestapsverificatie gereset voor {user.get_username()}",
        path=path,
    )
    return code
