"""Care phases: per-team phase definitions, a family's phase episodes, transitions and reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Family, Team


class PhaseKind(models.TextChoices):
    """The four phases of the method, in their order (DOMAIN.md, "The four phases")."""

    START = "start", _("Startfase")
    ANALYSIS = "analysis", _("Analysefase")
    EXECUTION = "execution", _("Uitvoeringsfase")
    CLOSING = "closing", _("Afrondingsfase")


PHASE_ORDER: list[str] = [k.value for k in PhaseKind]

# DOMAIN.md's table: (weeks min, weeks max, hours per week min, hours per week max).
# "~9 months" for execution is 39 weeks; "~6 hours" for analysis is a band of 6–6.
DEFAULT_DEFINITIONS: dict[str, tuple[int, int, Decimal, Decimal]] = {
    PhaseKind.START: (2, 2, Decimal(5), Decimal(10)),
    PhaseKind.ANALYSIS: (4, 6, Decimal(6), Decimal(6)),
    PhaseKind.EXECUTION: (39, 39, Decimal(4), Decimal(10)),
    PhaseKind.CLOSING: (4, 6, Decimal(3), Decimal(3)),
}

MAX_WEEKS = 104
MAX_HOURS_PER_WEEK = Decimal(40)
# One addition of relapse hours above this is a typing error, not a plan.
MAX_EXTRA_HOURS = Decimal(100)


class TeamPhaseSettings(models.Model):
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="phase_settings")
    approval_required = models.BooleanField(
        _("faseovergang vraagt akkoord van de gedragswetenschapper"), default=True
    )
    # Optimistic locking of the whole definitions page (its four phases and this flag):
    # cases.services.claim_version in phases.services.definitions_update.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("fase-instellingen van een team")
        verbose_name_plural = _("fase-instellingen van teams")

    def __str__(self) -> str:
        return str(self.team)


class PhaseDefinition(models.Model):
    """A team's planned duration and weekly hours for one phase; copied into each episode."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="phase_definitions")
    kind = models.CharField(_("fase"), max_length=16, choices=PhaseKind.choices)
    weeks_min = models.PositiveSmallIntegerField(
        _("duur in weken, minimaal"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKS)],
    )
    weeks_max = models.PositiveSmallIntegerField(
        _("duur in weken, maximaal"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKS)],
    )
    hours_min = models.DecimalField(
        _("uren per week, minimaal"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    hours_max = models.DecimalField(
        _("uren per week, maximaal"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("fasedefinitie")
        verbose_name_plural = _("fasedefinities")
        constraints = [
            models.UniqueConstraint(fields=["team", "kind"], name="phasedefinition_one_per_kind"),
            models.CheckConstraint(
                condition=Q(weeks_min__lte=F("weeks_max")), name="phasedefinition_weeks_order"
            ),
            models.CheckConstraint(
                condition=Q(hours_min__lte=F("hours_max")), name="phasedefinition_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_kind_display()}"


class PhaseEpisodeQuerySet(models.QuerySet["PhaseEpisode"]):
    def open(self) -> PhaseEpisodeQuerySet:
        return self.filter(ended_on__isnull=True)


class PhaseEpisode(models.Model):
    """One stay of a family in one phase. The budget numbers are copied from the team's
    definition when the phase starts, so a later change of the definition leaves it alone.

    A phase runs from `started_on` up to (not including) `ended_on`; the next phase starts
    on that same day, so the history has no gaps and a contact belongs to exactly one phase.
    """

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="phase_episodes")
    kind = models.CharField(_("fase"), max_length=16, choices=PhaseKind.choices)
    started_on = models.DateField(_("begonnen op"))
    planned_end = models.DateField(_("geplande einddatum"))
    ended_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    weeks_min = models.PositiveSmallIntegerField(_("weken, minimaal"))
    weeks_max = models.PositiveSmallIntegerField(_("weken, maximaal"))
    hours_min = models.DecimalField(_("uren per week, minimaal"), max_digits=4, decimal_places=1)
    hours_max = models.DecimalField(_("uren per week, maximaal"), max_digits=4, decimal_places=1)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PhaseEpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("fase van een gezin")
        verbose_name_plural = _("fasen van gezinnen")
        indexes = [models.Index(fields=["family", "started_on"])]
        constraints = [
            # Exactly one open phase per family: a second one fails at the database.
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(ended_on__isnull=True),
                name="phaseepisode_one_open_per_family",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="phaseepisode_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("started_on")),
                name="phaseepisode_planned_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%d-%m-%Y}"

    @property
    def budget_min(self) -> Decimal:
        return self.weeks_min * self.hours_min

    @property
    def budget_max(self) -> Decimal:
        return self.weeks_max * self.hours_max


def planned_end_for(started_on: datetime.date, weeks_max: int) -> datetime.date:
    return started_on + datetime.timedelta(weeks=weeks_max)


class ExtraHours(models.Model):
    """Hours added to a phase at once on relapse ("bij terugval"): who, when and why."""

    episode = models.ForeignKey(PhaseEpisode, on_delete=models.CASCADE, related_name="extra_hours")
    hours = models.DecimalField(_("extra uren"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reden"), max_length=1000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("extra uren")
        verbose_name_plural = _("extra uren")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_EXTRA_HOURS),
                name="extrahours_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"+{self.hours} u ({self.episode})"


class Step(models.TextChoices):
    """Where a transition leads: a phase, or the end of the trajectory and aftercare."""

    START = "start", _("Startfase")
    ANALYSIS = "analysis", _("Analysefase")
    EXECUTION = "execution", _("Uitvoeringsfase")
    CLOSING = "closing", _("Afrondingsfase")
    CLOSED = "closed", _("Afgesloten")
    AFTERCARE = "aftercare", _("Nazorg")


STEP_ORDER: list[str] = [s.value for s in Step]


class TransitionStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op akkoord")
    APPLIED = "applied", _("Doorgevoerd")
    REJECTED = "rejected", _("Afgewezen")


class Transition(models.Model):
    """Every move between phases, forwards or back: who proposed, who approved, when, note."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="phase_transitions")
    from_step = models.CharField(_("van"), max_length=16, choices=Step.choices, blank=True)
    to_step = models.CharField(_("naar"), max_length=16, choices=Step.choices)
    is_step_back = models.BooleanField(_("terugstap"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TransitionStatus.choices,
        default=TransitionStatus.PENDING,
    )
    effective_on = models.DateField(_("ingangsdatum"))
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_note = models.TextField(_("toelichting besluit"), max_length=2000, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("faseovergang")
        verbose_name_plural = _("faseovergangen")
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(status="pending"),
                name="transition_one_pending_per_family",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_step} → {self.to_step} ({self.status})"


class ReminderKind(models.TextChoices):
    PHASE_ENDS_SOON = "phase_ends_soon", _("Fase eindigt binnen 7 dagen")
    PHASE_OVERDUE = "phase_overdue", _("Fase loopt over de geplande einddatum")
    NO_CONTACT = "no_contact", _("Geen contact in 14 dagen")
    BUDGET_NEARLY_USED = "budget_nearly_used", _("90% van het urenbudget gebruikt")
    APPROVAL_PENDING = "approval_pending", _("Faseovergang wacht op akkoord")
    AFTERCARE_CHECKIN = "aftercare_checkin", _("Nazorgcontact gepland")
    CASE_REVIEW_DUE = "case_review_due", _("Casusbespreking gepland")
    APPOINTMENT_MISSED = "appointment_missed", _("Afspraak voorbij, nog niet vastgelegd")
    REFERRAL_ANSWER_DUE = "referral_answer_due", _("Antwoord op verwijzing is over de datum")


class Reminder(models.Model):
    """An in-app notification for one person; the job creates each one at most once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phase_reminders"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="phase_reminders")
    kind = models.CharField(_("soort"), max_length=32, choices=ReminderKind.choices)
    # What the reminder is about, e.g. "episode:12", "family:3", "transition:5".
    subject = models.CharField(_("onderwerp"), max_length=64)
    due_on = models.DateField(_("datum"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="reminder_unread"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "due_on", "recipient"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.subject}, {self.due_on})"
