"""Intake: the case-number sequence per team and year, and a file's trajectories."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.families import Family, FamilyStatus, Referrer
from cases.models.teams import Team


class CaseNumberSequence(models.Model):
    """The last number given in a team's year; the intake locks this row while it saves, so
    two intakes at once get two numbers (cases/intake/numbering.py)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "year"], name="case_number_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.year}: {self.last}"


class Trajectory(models.Model):
    """One referral of the family: the first intake, and each time the file is reopened
    after closing or aftercare (the file and its history stay one)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="trajectories")
    number = models.PositiveSmallIntegerField(_("traject"))
    referrer = models.CharField(_("verwijzer"), max_length=32, choices=Referrer.choices)
    referrer_detail = models.CharField(_("verwijzer, toelichting"), max_length=200, blank=True)
    referral_date = models.DateField(_("datum aanmelding"))
    # The file's status when this trajectory began (closed or aftercare for a reopened file).
    previous_status = models.CharField(
        _("status daarvoor"), max_length=16, choices=FamilyStatus.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family", "number"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        constraints = [
            models.UniqueConstraint(fields=["family", "number"], name="trajectory_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.family_id} #{self.number}"

    @property
    def reopened(self) -> bool:
        return self.number > 1
