"""Handing a family over to another coach: the history, temporary replacement during leave,
and the in-app notifications that tell the new coach."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.comments import Comment
from cases.models.families import Family
from cases.models.teams import Team

HANDOVER_REASON_MAX = 300
HANDOVER_NOTE_MAX = 2000


class CoachChangeKind(models.TextChoices):
    INTAKE = "intake", _("Aanmelding")
    HANDOVER = "handover", _("Overdracht")
    BULK = "bulk", _("Overdracht van alle gezinnen van een coach")
    EDIT = "edit", _("Gewijzigd bij de gegevens van het gezin")
    REOPEN = "reopen", _("Dossier heropend")


class CoachChange(models.Model):
    """One change of a family's vaste hulpverlener: who, when, by whom, why; the file shows
    its coaches over time from these rows."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="coach_changes")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vaste hulpverlener"),
    )
    previous_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vorige vaste hulpverlener"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    kind = models.CharField(_("soort"), max_length=16, choices=CoachChangeKind.choices)
    reason = models.CharField(_("reden"), max_length=HANDOVER_REASON_MAX, blank=True)
    note = models.TextField(
        _("overdrachtsnotitie voor de nieuwe coach"), max_length=HANDOVER_NOTE_MAX, blank=True
    )

    class Meta:
        ordering = ["family", "-changed_at", "-pk"]
        verbose_name = _("wisseling vaste hulpverlener")
        verbose_name_plural = _("wisselingen vaste hulpverlener")

    def __str__(self) -> str:
        return f"{self.family_id}: {self.previous_coach_id} → {self.coach_id}"


class CoachReplacementQuerySet(models.QuerySet["CoachReplacement"]):
    def active_on(self, day: datetime.date | None = None) -> CoachReplacementQuerySet:
        """In force on `day` (today): from its first to its last day, both included."""
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class CoachReplacement(models.Model):
    """Waarneming: during a coach's leave a colleague writes in the coach's families, from
    the first to the last day; the gate reads the dates, so the access ends by itself."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="replaced_by",
        verbose_name=_("afwezige coach"),
    )
    replacement = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="replacing",
        verbose_name=_("waarnemer"),
    )
    starts_on = models.DateField(_("eerste dag"))
    ends_on = models.DateField(_("laatste dag"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoachReplacementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("waarneming")
        verbose_name_plural = _("waarnemingen")
        indexes = [models.Index(fields=["replacement", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="replacement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(coach=F("replacement")), name="replacement_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.replacement_id} voor {self.coach_id} ({self.starts_on}–{self.ends_on})"


class NotificationKind(models.TextChoices):
    HANDOVER = "handover", _("Gezin aan u overgedragen")
    REPLACEMENT = "replacement", _("U neemt waar voor een collega")
    COMMENT = "comment", _("Opmerking bij uw vastlegging")
    # What the family wrote in its portal (cases.portal.own_services).
    GOAL_REACTION = "goal_reaction", _("Reactie van het gezin op een doel")
    STATEMENT = "statement", _("Eigen verklaring van het gezin via het portaal")


class Notification(models.Model):
    """An in-app message for one person. It holds ids and a kind only, no names or typed
    text: the page shows the family's name to someone who may see it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("soort"), max_length=16, choices=NotificationKind.choices)
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    coach_change = models.ForeignKey(
        CoachChange, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    replacement = models.ForeignKey(
        CoachReplacement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A comment on something the recipient wrote (cases.comments).
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.recipient_id})"
