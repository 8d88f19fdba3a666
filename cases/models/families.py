"""Families and their members."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.teams import NO_FAMILY_ROLES, TEAM_WIDE_ROLES, Membership, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class FamilyStatus(models.TextChoices):
    REFERRED = "referred", _("Aangemeld")
    ACTIVE = "active", _("Actief")
    CLOSED = "closed", _("Afgesloten")
    AFTERCARE = "aftercare", _("Nazorg")


class Referrer(models.TextChoices):
    GP = "gp", _("Huisarts")
    OKT = "okt", _("OKT (Ouder- en Kindteam)")
    SAMEN_DOEN = "samen_doen", _("Samen DOEN")
    JBRA = "jbra", _("JBRA")
    CERTIFIED_INSTITUTION = "certified", _("Gecertificeerde instelling")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    YOUTH_DOCTOR = "youth_doctor", _("Jeugdarts")
    MUNICIPALITY = "municipality", _("Gemeente")
    OTHER = "other", _("Anders")


class FamilyQuerySet(models.QuerySet["Family"]):
    # Both filters use subqueries, not joins, so annotations over contacts are not
    # multiplied by team members or involved users.
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> FamilyQuerySet:
        """Families of the user's teams: everyone in a team may read its families (but a
        researcher, who sees none: cases.permissions)."""
        if not user.is_authenticated:
            return self.none()
        teams = Membership.objects.filter(user=user).exclude(role__in=NO_FAMILY_ROLES)
        return self.filter(team__in=teams.values("team"))

    def caseload_of(self, user: AbstractBaseUser) -> FamilyQuerySet:
        """The user's own families: coach or involved; the whole team for team-wide roles."""
        from cases.models.handover import CoachReplacement

        team_wide = Membership.objects.filter(user=user, role__in=TEAM_WIDE_ROLES).values("team")
        involved = Family.involved.through.objects.filter(user=user).values("family")
        # The families of a coach the user replaces today (waarneming), as the gate allows.
        replacing = CoachReplacement.objects.active_on().filter(
            replacement=user, coach=OuterRef("coach"), team=OuterRef("team")
        )
        return self.filter(
            Q(coach=user) | Q(pk__in=involved) | Q(team__in=team_wide) | Q(Exists(replacing))
        )


CASE_NUMBER_TAKEN = _("Dit dossiernummer bestaat al.")
REGISSEUR_ONE_KIND = _(
    "Kies als regisseur een teamlid of een contactpersoon van een partner, niet allebei."
)


class Family(models.Model):
    # Unique regardless of case: see Meta.constraints.
    case_number = models.CharField(_("dossiernummer"), max_length=32)
    display_name = models.CharField(_("naam gezin"), max_length=120)
    area = models.CharField(_("wijk"), max_length=120, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="families", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FamilyStatus.choices, default=FamilyStatus.REFERRED
    )
    referrer = models.CharField(_("verwijzer"), max_length=32, choices=Referrer.choices)
    referrer_detail = models.CharField(_("verwijzer, toelichting"), max_length=200, blank=True)
    referral_date = models.DateField(_("datum aanmelding"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_families",
        verbose_name=_("vaste hulpverlener"),
    )
    involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="involved_families",
        verbose_name=_("betrokken teamleden"),
    )
    # The regisseur / zorgcoördinator who keeps the overview when many professionals are
    # involved: a team member or a partner's contact person, never both
    # (family_regisseur_one_kind).
    regisseur_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regisseur (teamlid)"),
    )
    regisseur_contact = models.ForeignKey(
        "cases.PartnerContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regisseur_of",
        verbose_name=_("regisseur (partner)"),
    )
    safety_flag = models.BooleanField(_("veiligheidssignaal"), default=False)
    safety_raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeld door"),
    )
    safety_raised_at = models.DateTimeField(_("gemeld op"), null=True, blank=True)
    safety_note = models.TextField(_("toelichting veiligheid"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit form carries the version it started from.
    version = models.PositiveIntegerField(default=1)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("gezin")
        verbose_name_plural = _("gezinnen")
        indexes = [
            models.Index(fields=["team", "status"]),
            # The landing page's order (cases.views.caseload): its first page of a team-wide
            # caseload is read along this index, not sorted out of every family.
            models.Index(
                fields=["-safety_flag", "display_name", "id"], name="family_landing_order"
            ),
        ]
        constraints = [
            # "ZO-2026-001" and "zo-2026-001" are one file to the team, so one number.
            # FamilyForm.clean_case_number gives the same sentence on the field.
            models.UniqueConstraint(
                Lower("case_number"),
                name="family_case_number_unique_ci",
                violation_error_message=CASE_NUMBER_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(regisseur_user__isnull=True) | Q(regisseur_contact__isnull=True),
                name="family_regisseur_one_kind",
                violation_error_message=REGISSEUR_ONE_KIND,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.case_number})"

    @property
    def regisseur_label(self) -> str:
        """The regisseur by name and role ("" for none); the gate selects both relations."""
        if self.regisseur_user_id is not None and self.regisseur_user is not None:
            user = self.regisseur_user
            return user.get_full_name() or user.get_username()
        if self.regisseur_contact_id is not None and self.regisseur_contact is not None:
            return self.regisseur_contact.label
        return ""


class FamilyRole(models.TextChoices):
    MOTHER = "mother", _("Moeder")
    FATHER = "father", _("Vader")
    PARENT = "parent", _("Ouder")
    STEPPARENT = "stepparent", _("Stiefouder")
    FOSTER_PARENT = "foster_parent", _("Pleegouder")
    CHILD = "child", _("Kind")
    GRANDPARENT = "grandparent", _("Grootouder")
    OTHER = "other", _("Anders")


ADULT_AGE = 18


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Member(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("naam"), max_length=120)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    role = models.CharField(_("rol in het gezin"), max_length=16, choices=FamilyRole.choices)
    lives_in_household = models.BooleanField(_("woont in het huishouden"), default=True)
    has_parental_authority = models.BooleanField(_("heeft gezag"), default=False)
    # Optimistic locking (cases.services.claim_version): the edit form carries this version.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["date_of_birth", "name"]
        verbose_name = _("gezinslid")
        verbose_name_plural = _("gezinsleden")

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, timezone.localdate())
