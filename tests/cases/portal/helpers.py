"""Portal accounts for tests, made through the same services as real ones."""

from __future__ import annotations

from django.test import Client

from cases.portal import services

PASSWORD = "een-lang-wachtwoord-42"


def parent_of(family):  # type: ignore[no-untyped-def]
    return family.members.get(has_parental_authority=True)


def portal_account(member, by):  # type: ignore[no-untyped-def]
    token = services.portal_invitation_create(member=member, by=by)
    invitation = services.invitation_for_token(token)
    account, _device, _codes = services.portal_account_create(
        invitation=invitation, password=PASSWORD, totp=None
    )
    return account


def portal_client(account) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(account.user)
    return client
