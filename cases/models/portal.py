"""The family portal: accounts of family members and the invitations that make them.

A portal account belongs to one person (Member) of one family and is linked to its own
Django user, which holds no team membership. The invitation's token is shown once to the
coach; only its hash is kept. Logic: cases/portal/services.py.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.families import Family, FamilyStatus, Member


def portal_token_hash(token: str) -> str:
    """The stored form of an invitation token: sha256 hex (the token is random, 256 bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


class PortalInvitationQuerySet(models.QuerySet["PortalInvitation"]):
    def usable(self) -> PortalInvitationQuerySet:
        """Not used, not revoked and not expired."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True).filter(
            expires_at__gt=timezone.now()
        )


class PortalInvitation(models.Model):
    """A one-time link that lets a family member make their portal account."""

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="portal_invitations",
        verbose_name=_("gezinslid"),
    )
    token_hash = models.CharField(_("code (gehasht)"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = PortalInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uitnodiging gezinsportaal")
        verbose_name_plural = _("uitnodigingen gezinsportaal")

    def __str__(self) -> str:
        return f"invitation {self.pk} member {self.member_id}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class PortalAccount(models.Model):
    """One family member's log-in to the family portal."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_account",
        verbose_name=_("gebruiker"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="portal_accounts",
        verbose_name=_("gezinslid"),
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.CASCADE,
        related_name="portal_accounts",
        verbose_name=_("gezin"),
    )
    invitation = models.OneToOneField(
        PortalInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("uitnodiging"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beëindigd door"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("account gezinsportaal")
        verbose_name_plural = _("accounts gezinsportaal")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_at__isnull=True),
                name="portal_one_open_account_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"portal account {self.pk} member {self.member_id}"

    @property
    def is_open(self) -> bool:
        """Not ended by the coach, and the file not closed (the portal stays open during
        aftercare, status Nazorg, and ends when the file is closed)."""
        return self.ended_at is None and self.family.status != FamilyStatus.CLOSED
