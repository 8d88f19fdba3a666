"""A team's partner organisations, their contact people, and a family's referrals to them.

Partners are the team's own configuration (like its phase definitions), not part of a
family's record: a family's file points at them (referrals, its regisseur, the
professionals present at a contact), so a partner that is referred to is archived, never
deleted. Referrals hang from the family and go with its file.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.families import Family, Member
from cases.models.teams import Membership, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class PartnerKind(models.TextChoices):
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Buurtteam / sociaal team")
    ADULT_MENTAL_HEALTH = "adult_mental_health", _("Volwassenen-ggz")
    YOUTH_MENTAL_HEALTH = "youth_mental_health", _("Jeugd-ggz")
    CERTIFIED_INSTITUTION = "certified_institution", _("Gecertificeerde instelling")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    CRISIS = "crisis", _("Crisisdienst")
    GP = "gp", _("Huisarts")
    SCHOOL = "school", _("School")
    MUNICIPALITY = "municipality", _("Gemeente")
    STRONG_FAMILIES = "strong_families", _("Krachtgezinnen-organisatie")
    OTHER = "other", _("Anders")


PARTNER_NAME_TAKEN = _("Het team heeft al een partner met deze naam.")


class PartnerQuerySet(models.QuerySet["Partner"]):
    def of_user_teams(self, user: AbstractBaseUser | AnonymousUser) -> PartnerQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(team__in=Membership.objects.filter(user=user).values("team"))

    def active(self) -> PartnerQuerySet:
        return self.filter(archived_at__isnull=True)


class Partner(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="partners", verbose_name=_("team")
    )
    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort organisatie"), max_length=32, choices=PartnerKind.choices)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    notes = models.TextField(_("notities"), max_length=2000, blank=True)
    # Archived partners stay on the records that name them but are no longer offered.
    archived_at = models.DateTimeField(_("gearchiveerd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            # PartnerForm.clean_name gives the same sentence on the field.
            models.UniqueConstraint(
                "team",
                Lower("name"),
                name="partner_name_unique_per_team",
                violation_error_message=PARTNER_NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class PartnerContactQuerySet(models.QuerySet["PartnerContact"]):
    def active(self) -> PartnerContactQuerySet:
        return self.filter(archived_at__isnull=True, partner__archived_at__isnull=True)

    def of_team(self, team: Team | int) -> PartnerContactQuerySet:
        return self.filter(partner__team=team)


class PartnerContact(models.Model):
    """A person at a partner organisation the team works with."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    name = models.CharField(_("naam"), max_length=120)
    role = models.CharField(
        _("functie of rol"),
        max_length=120,
        blank=True,
        help_text=_("Bijvoorbeeld ‘regisseur’, ‘jeugdbeschermer’ of ‘behandelaar’."),
    )
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    archived_at = models.DateTimeField(_("gearchiveerd op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PartnerContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("contactpersoon van een partner")
        verbose_name_plural = _("contactpersonen van partners")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """ "Name (role, partner)": how a chooser and the family header name them."""
        details = ", ".join(part for part in (self.role, self.partner.name) if part)
        return f"{self.name} ({details})" if details else self.name


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Aangevraagd")
    IN_PROGRESS = "in_progress", _("In behandeling")
    WAITING = "waiting", _("Wacht op plek")
    STARTED = "started", _("Gestart")
    REFUSED = "refused", _("Afgewezen")
    FINISHED = "finished", _("Afgerond")


# Still waiting for the partner's answer or a place: what the answer-date reminder watches.
OPEN_REFERRAL_STATUSES = (
    ReferralStatus.REQUESTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.WAITING,
)


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_REFERRAL_STATUSES)

    def answer_overdue(self, today: datetime.date | None = None) -> ReferralQuerySet:
        """Open referrals whose expected answer date has passed (the day after it, not on it)."""
        today = today or timezone.localdate()
        return self.open().filter(expected_answer_on__lt=today)


class Referral(models.Model):
    """A family (or some of its members) referred to a partner, followed until it ends."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="referrals")
    # PROTECT: a partner that was referred to is archived, not deleted.
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner")
    )
    whole_family = models.BooleanField(_("voor het hele gezin"), default=False)
    members = models.ManyToManyField(
        Member, blank=True, related_name="referrals", verbose_name=_("voor wie")
    )
    reason = models.TextField(_("waarom"), max_length=2000)
    asked_on = models.DateField(_("aangevraagd op"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED
    )
    expected_answer_on = models.DateField(_("antwoord verwacht op"), null=True, blank=True)
    # The day the help started (set with the status "gestart"): the waiting time ends here.
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    notes = models.TextField(_("notities"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_on", "-pk"]
        verbose_name = _("verwijzing naar een partner")
        verbose_name_plural = _("verwijzingen naar partners")
        indexes = [models.Index(fields=["family", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=models.F("asked_on")),
                name="referral_started_after_asked",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.asked_on:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    def answer_overdue_on(self, today: datetime.date) -> bool:
        return (
            self.is_open and self.expected_answer_on is not None and self.expected_answer_on < today
        )


class ReferralStatusChange(models.Model):
    """Every status a referral went through: when, by whom, with a short note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices)
    previous_status = models.CharField(
        _("vorige status"), max_length=16, choices=ReferralStatus.choices, blank=True
    )
    on = models.DateField(_("datum"))
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("statuswijziging van een verwijzing")
        verbose_name_plural = _("statuswijzigingen van verwijzingen")

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status} ({self.on:%d-%m-%Y})"
