"""Writes of the family portal: invitations, accounts, the family's agreement to its plan,
and the messages between the family and the team.

Each is one transaction. Staff calls go through the family gate first (access_family,
Need.WRITE), so their access-log row is written there; the family's own actions are
logged by the portal gate (cases.portal.gate.portal_access).
"""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cases.accounts.services import two_factor_enrol
from cases.models import (
    PORTAL_MESSAGE_MAX,
    AgreementWay,
    Family,
    FamilyPlan,
    Member,
    PortalAccount,
    PortalInvitation,
    PortalMessage,
    UserPreference,
    may_agree,
    portal_token_hash,
)
from cases.plan.services import plan_agree

logger = logging.getLogger(__name__)


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


class MessageRefused(ValueError):
    """The message is empty or too long; its text says so in Dutch, nothing is saved."""


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise MessageRefused(_("Schrijf eerst uw bericht."))
    if len(text) > PORTAL_MESSAGE_MAX:
        raise MessageRefused(
            _("Uw bericht is %(length)s tekens lang; het mag hoogstens %(max)s tekens zijn.")
            % {"length": number_format(len(text)), "max": number_format(PORTAL_MESSAGE_MAX)}
        )
    return text


@transaction.atomic
def portal_message_write(*, family: Family, member: Member, by: Any, text: str) -> PortalMessage:
    """A message from the family, written in the portal by `member`. The coach gets a mail
    that names the case number only, never the family or a person."""
    message = PortalMessage.objects.create(
        family=family, author=by, member=member, text=_clean_text(text)
    )
    coach = family.coach
    if coach is not None and coach.is_active and coach.email:
        transaction.on_commit(lambda: _notify(user=coach, case_number=family.case_number))
    return message


@transaction.atomic
def staff_message_write(*, family: Family, by: Any, text: str) -> PortalMessage:
    """A team member's answer to the family, read in the portal. A family member's account
    holds no e-mail address, so the family sees it there, with the unread count."""
    return PortalMessage.objects.create(family=family, author=by, text=_clean_text(text))


def portal_messages_read_by_family(*, family: Family) -> int:
    """The family opened its messages: the team's messages count as read."""
    return (
        PortalMessage.objects.filter(family=family)
        .unread_by_family()
        .update(read_at=timezone.now())
    )


def portal_messages_read_by_staff(*, family: Family) -> int:
    """A team member who may write in the file opened the messages: the family's count
    as read."""
    return (
        PortalMessage.objects.filter(family=family).unread_by_staff().update(read_at=timezone.now())
    )


def _notify(*, user: Any, case_number: str) -> None:
    language = (
        UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        subject = _("FamilieKracht: u heeft een nieuw bericht (%(number)s)") % {
            "number": case_number
        }
        body = "\n".join(
            [
                _("U heeft een nieuw bericht van het gezin in dossier %(number)s.")
                % {"number": case_number},
                "",
                _("U leest het in FamilieKracht, in het dossier onder ‘Berichten’."),
            ]
        )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        # The message is saved and shown in the file; a mail hiccup must not undo it.
        logger.exception("portal message mail to user %s failed", user.pk)
