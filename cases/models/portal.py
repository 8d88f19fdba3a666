"""The family portal: accounts of family members and the invitations that make them.

A portal account belongs to one person (Member) of one family and is linked to its own
Django user, which holds no team membership. The invitation's token is shown once to the
coach; only its hash is kept. Logic: cases/portal/services.py.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
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
        """Not ended by the coach, and the file not closed. A file in aftercare (status
        Nazorg) keeps the portal until the aftercare period ends, through its last day:
        settings.PORTAL["AFTERCARE_ENDS"] names the function that knows that day (the
        phases app records aftercare; cases cannot import it)."""
        if self.ended_at is not None or self.family.status == FamilyStatus.CLOSED:
            return False
        if self.family.status == FamilyStatus.AFTERCARE:
            ends = aftercare_ends_on(self.family)
            return ends is None or timezone.localdate() <= ends
        return True


def aftercare_ends_on(family: Family) -> datetime.date | None:
    """The last day of the family's aftercare period, or None when nothing says so."""
    hook = settings.PORTAL.get("AFTERCARE_ENDS")
    return import_string(hook)(family) if hook else None


PORTAL_MESSAGE_MAX = 2000


class PortalMessageQuerySet(models.QuerySet["PortalMessage"]):
    def unread_by_family(self) -> PortalMessageQuerySet:
        """Written by the team and not yet read in the portal."""
        return self.filter(member__isnull=True, read_at__isnull=True)

    def unread_by_staff(self) -> PortalMessageQuerySet:
        """Written in the portal and not yet read by the team."""
        return self.filter(member__isnull=False, read_at__isnull=True)


class PortalMessage(models.Model):
    """A message between the family (in its portal) and the team (in the family file).

    `member` is set when a family member wrote it in the portal, empty when a team member
    did; `read_at` is when the other side first read it. A family record: the inzage
    export and destruction take it with the family.
    """

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="portal_messages", verbose_name=_("gezin")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portal_messages",
        verbose_name=_("namens gezinslid"),
    )
    text = models.TextField(_("bericht"), max_length=PORTAL_MESSAGE_MAX)
    created_at = models.DateTimeField(_("geschreven op"), default=timezone.now)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    objects = PortalMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bericht gezinsportaal")
        verbose_name_plural = _("berichten gezinsportaal")
        indexes = [models.Index(fields=["family", "created_at"])]

    def __str__(self) -> str:
        return f"portal message {self.pk} family {self.family_id}"

    @property
    def from_family(self) -> bool:
        return self.member_id is not None
