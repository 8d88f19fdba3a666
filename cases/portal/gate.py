"""The portal's own gate: the family member's account, family and member, or 404.

Every portal view starts with `portal_access(request, obj=...)`. Staff users (no portal
account) get 404, as does an ended account or a closed file; every answer writes an
access-log row with the account's user, on whose behalf (the member) and what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import logout
from django.http import Http404, HttpRequest

from cases.models import AccessAction, AccessOutcome, Family, Member, PortalAccount
from cases.permissions import PORTAL_SESSION_KEY, log_access

# The access log's role for a family member in the portal (shown as "gezinslid").
PORTAL_ROLE = "gezinslid"


@dataclass(frozen=True)
class PortalAccess:
    account: PortalAccount
    family: Family
    member: Member


def _label(member_id: int | None, obj: str) -> str:
    # Ids only, never a name: the log outlives the file.
    return f"gezinsportaal: {obj}, namens gezinslid {member_id}" if member_id else obj


def portal_access(request: HttpRequest, *, obj: str, action: str | None = None) -> PortalAccess:
    action = action or (
        AccessAction.READ if request.method in ("GET", "HEAD") else AccessAction.CHANGE
    )
    account = (
        PortalAccount.objects.select_related("family", "member")
        .filter(user_id=request.user.pk, ended_at__isnull=True)
        .first()
        if request.user.is_authenticated
        else None
    )
    if account is None or not account.is_open:
        log_access(
            request,
            family_id=account.family_id if account else None,
            action=action,
            outcome=AccessOutcome.DENIED,
            role=PORTAL_ROLE if account else "",
            obj=_label(account.member_id if account else None, f"gezinsportaal: {obj}"),
        )
        if account is not None:
            # The file was closed: this log-in ends with it.
            logout(request)
        raise Http404("No portal account.")
    log_access(
        request,
        family_id=account.family_id,
        action=action,
        outcome=AccessOutcome.ALLOWED,
        role=PORTAL_ROLE,
        obj=_label(account.member_id, obj),
    )
    return PortalAccess(account=account, family=account.family, member=account.member)


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Mark the session of a portal account, so every staff page answers 404 to it."""
    if request is None or not hasattr(request, "session"):
        return
    account_id = (
        PortalAccount.objects.filter(user_id=user.pk, ended_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    if account_id is None:
        request.session.pop(PORTAL_SESSION_KEY, None)
    else:
        request.session[PORTAL_SESSION_KEY] = account_id


def on_account_deleted(sender: Any, instance: PortalAccount, **kwargs: Any) -> None:
    """A portal account goes with its family's file (destruction): its user can no longer
    log in, and its name no longer carries the case number."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    get_user_model().objects.filter(pk=instance.user_id).update(
        is_active=False,
        username=f"gezin-verwijderd-{instance.user_id}",
        password=make_password(None),
    )


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in
    from django.db.models.signals import post_delete

    user_logged_in.connect(on_logged_in, dispatch_uid="cases.portal.logged_in")
    post_delete.connect(
        on_account_deleted, sender=PortalAccount, dispatch_uid="cases.portal.account_deleted"
    )
