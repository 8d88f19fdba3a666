"""Teams, roles in a team, memberships and per-user preferences; the seven life domains."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    """The seven life domains (Knot-Dickscheit & Knorth, 2019); shared by every app."""

    CHILD = "child", _("Kind")
    PARENT = "parent", _("Ouder(s)")
    PARENTING = "parenting", _("Opvoeding")
    FAMILY = "family", _("Gezinsfunctioneren")
    SOCIOECONOMIC = "socioeconomic", _("Sociaal-economisch")
    ENVIRONMENT = "environment", _("Omgevingsfactoren")
    CARE = "care", _("Hulpverleningsfactoren")


class Team(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    # Lasting problems on at least this many domains make a family multi-stress;
    # sources differ (5 or 6), so it is a team setting (DOMAIN.md).
    inclusion_threshold = models.PositiveSmallIntegerField(
        _("inclusiedrempel (levensgebieden)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    # The first part of the team's case numbers ("ZO" in ZO-2026-001); empty: the initials
    # of the team's name (cases/intake/numbering.py).
    case_prefix = models.CharField(
        _("voorvoegsel dossiernummers"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9]*$", _("Alleen letters en cijfers."))],
    )

    # Fixing a plan version needs the approval of the team's psychologist (besides the
    # family's agreement, always): cases.plan.services.plan_fix.
    plan_review_required = models.BooleanField(
        _("gezinsplan vaststellen vraagt akkoord van de gedragswetenschapper"), default=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COACH = "coach", _("Gezinscoach")
    PSYCHOLOGIST = "psychologist", _("Gedragswetenschapper/psycholoog")
    COORDINATOR = "coordinator", _("Coördinator")
    GZ_PSYCHOLOGIST = "gz_psychologist", _("GZ-psycholoog")
    PARENT_CHILD_THERAPIST = "parent_child_therapist", _("Ouder-kindtherapeut")
    SOCIAL_WORKER = "social_worker", _("Maatschappelijk werker")
    PSYCHIATRIST = "psychiatrist", _("Psychiater")
    SYSTEMS_THERAPIST = "systems_therapist", _("Systeemtherapeut")
    # Sees no family at all, only the pseudonymised research pages (reports.research).
    RESEARCHER = "researcher", _("Onderzoeker")


# Roles that read and write every family of their team (review, intake, export).
TEAM_WIDE_ROLES = frozenset({Role.PSYCHOLOGIST, Role.COORDINATOR})

# Roles that hold no family of their team: the gate gives them nothing (404), lists skip them.
NO_FAMILY_ROLES = frozenset({Role.RESEARCHER})
# The roles that work with families: every team page of the care work (supervision, the
# implementation questionnaire, the partners' list) is theirs, not the researcher's.
FAMILY_WORK_ROLES = frozenset(Role.values) - NO_FAMILY_ROLES


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_one_role_per_team")
        ]
        verbose_name = _("teamlidmaatschap")
        verbose_name_plural = _("teamlidmaatschappen")

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_role_display()})"


class UserPreference(models.Model):
    """Per-user settings; for now the interface language (Dutch unless chosen otherwise)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("taal"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("voorkeur")
        verbose_name_plural = _("voorkeuren")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
