"""Writes of the family portal: invitations, accounts, the family's agreement to its plan.

Each is one transaction. Staff calls go through the family gate first (access_family,
Need.WRITE), so their access-log row is written there; the family's own actions are
logged by the portal gate (cases.portal.gate.portal_access).
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.accounts.services import two_factor_enrol
from cases.models import (
    AgreementWay,
    FamilyPlan,
    Member,
    PortalAccount,
    PortalInvitation,
    may_agree,
    portal_token_hash,
)
from cases.plan.services import plan_agree


class InvitationRefused(Exception):
    """The invitation was used, revoked or expired meanwhile."""


def may_be_invited(member: Member) -> bool:
    """A member with parental authority (gezag) or aged 12 or older: who may agree to the
    plan may have a portal account."""
    return may_agree(member)


def open_account(member: Member) -> PortalAccount | None:
    return PortalAccount.objects.filter(member=member, ended_at__isnull=True).first()


@transaction.atomic
def portal_invitation_create(*, member: Member, by: Any) -> str:
    """A new invitation for `member`; returns the token in plain text (shown once).

    Older usable invitations of the member are revoked: only the newest link works."""
    if not may_be_invited(member):
        raise ValueError("only a member with gezag or aged 12+ can be invited")
    if open_account(member) is not None:
        raise ValueError("the member has an open portal account")
    now = timezone.now()
    PortalInvitation.objects.filter(member=member).usable().update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    PortalInvitation.objects.create(
        member=member,
        token_hash=portal_token_hash(token),
        created_by=by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.PORTAL["INVITATION_DAYS"]),
    )
    return token


@transaction.atomic
def portal_invitation_revoke(*, invitation: PortalInvitation) -> None:
    PortalInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def invitation_for_token(token: str) -> PortalInvitation | None:
    """The usable invitation whose token this is, or None."""
    if not token or len(token) > 100:
        return None
    return (
        PortalInvitation.objects.usable()
        .select_related("member__family")
        .filter(token_hash=portal_token_hash(token))
        .first()
    )


def portal_username(member: Member) -> str:
    """The log-in name of a member's portal account: the case number and the member's id,
    no name (it is in the access log and in the coach's view of the accounts)."""
    return f"gezin-{member.family.case_number.lower()}-{member.pk}"


@transaction.atomic
def portal_account_create(
    *,
    invitation: PortalInvitation,
    password: str,
    totp: tuple[str, int, int] | None,
    path: str = "",
    username: str | None = None,
) -> tuple[PortalAccount, Any, list[str]]:
    """Use the invitation once: make the member's user and account, with the password and
    (when given as (key, last_t, drift)) the confirmed authenticator app.

    Returns the account, the TOTP device (or None) and the recovery codes in plain text
    (shown once). Raises InvitationRefused when the invitation is no longer usable.
    `username` only for the demo's fixed names; otherwise portal_username()."""
    used = PortalInvitation.objects.filter(pk=invitation.pk).usable().update(used_at=timezone.now())
    member = invitation.member
    if used != 1 or open_account(member) is not None:
        raise InvitationRefused
    user_model = get_user_model()
    if username is None:
        username = portal_username(member)
        # An ended account's user keeps its name in the log: a new account gets a new name.
        taken = user_model.objects.filter(username__startswith=username).count()
        if taken:
            username = f"{username}-{taken + 1}"
    user = user_model.objects.create_user(username=username, password=password)
    account = PortalAccount.objects.create(
        user=user, member=member, family=member.family, invitation=invitation
    )
    device, codes = None, []
    if totp is not None:
        key, last_t, drift = totp
        device, codes = two_factor_enrol(
            user=user, key=key, last_t=last_t, drift=drift, enrolment_code=None, path=path
        )
    return account, device, codes


@transaction.atomic
def portal_account_end(*, account: PortalAccount, by: Any) -> None:
    """End the account: the user can no longer log in (inactive), and the gate refuses it."""
    PortalAccount.objects.filter(pk=account.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=by
    )
    get_user_model().objects.filter(pk=account.user_id).update(is_active=False)


@transaction.atomic
def portal_plan_agree(*, plan: FamilyPlan, member: Member) -> FamilyPlan:
    """The family's agreement given in the portal by `member`, added to whoever agreed
    already; recorded through the plan's sign-off (cases.plan.services.plan_agree)."""
    members = [*plan.agreed_members.exclude(pk=member.pk), member]
    return plan_agree(
        plan=plan,
        members=members,
        agreed_on=timezone.localdate(),
        agreed_how=AgreementWay.PORTAL,
    )
