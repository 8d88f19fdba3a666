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
    # The end planned when the phase began; it stays as it was (the history keeps the
    # original plan). An approved extension (PhaseExtension) moves `extended_end`.
    planned_end = models.DateField(_("geplande einddatum"))
    extended_end = models.DateField(_("verlengd tot"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(extended_end__isnull=True) | Q(extended_end__gt=F("planned_end")),
                name="phaseepisode_extension_after_planned_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%d-%m-%Y}"

    @property
    def agreed_end(self) -> datetime.date:
        """The planned end as it stands: the latest approved extension's, else the original."""
        return self.extended_end or self.planned_end

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


class TransitionStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op akkoord")
    APPLIED = "applied", _("Doorgevoerd")
    REJECTED = "rejected", _("Afgewezen")


class PhaseExtension(models.Model):
    """An agreed extension of the open phase's planned end: proposed by the coach, approved
    or refused by the psychologist as a transition is (phases.services.extension_propose).

    The episode keeps its original `planned_end`; an applied extension sets the episode's
    `extended_end` to `new_end`, and these rows are the history of how the plan bent.
    """

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="phase_extensions")
    episode = models.ForeignKey(PhaseEpisode, on_delete=models.CASCADE, related_name="extensions")
    previous_end = models.DateField(_("geplande einddatum daarvoor"))
    new_end = models.DateField(_("nieuwe einddatum"))
    reason = models.TextField(_("reden"), max_length=2000)
    agreed_with = models.CharField(_("afgesproken met"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TransitionStatus.choices,
        default=TransitionStatus.PENDING,
    )
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
        verbose_name = _("verlenging van een fase")
        verbose_name_plural = _("verlengingen van fasen")
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status="pending"),
                name="phaseextension_one_pending_per_episode",
            ),
            models.CheckConstraint(
                condition=Q(new_end__gt=F("previous_end")), name="phaseextension_later_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode} → {self.new_end} ({self.status})"


class Step(models.TextChoices):
    """Where a transition leads: a phase, or the end of the trajectory and aftercare."""

    START = "start", _("Startfase")
    ANALYSIS = "analysis", _("Analysefase")
    EXECUTION = "execution", _("Uitvoeringsfase")
    CLOSING = "closing", _("Afrondingsfase")
    CLOSED = "closed", _("Afgesloten")
    AFTERCARE = "aftercare", _("Nazorg")


STEP_ORDER: list[str] = [s.value for s in Step]


class ClosingOutcome(models.TextChoices):
    """How a trajectory ended, asked when it is closed."""

    GOALS_REACHED = "goals_reached", _("Doelen bereikt")
    PARTLY_REACHED = "partly_reached", _("Doelen deels bereikt")
    GOALS_MOVED = "goals_moved", _("Doelen overgedragen aan andere hulp")
    FAMILY_STOPPED = "family_stopped", _("Gezin is gestopt")
    REFERRED = "referred", _("Doorverwezen naar andere hulp")
    MOVED_AWAY = "moved_away", _("Gezin is verhuisd")
    OTHER = "other", _("Anders")


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
    # The closing of the trajectory (to_step "closed") records how it ended; the proposal
    # carries them while it waits for approval, so they are on the transition, not the
    # trajectory. Empty on every other transition.
    closing_outcome = models.CharField(
        _("uitkomst"), max_length=32, choices=ClosingOutcome.choices, blank=True
    )
    closing_reason = models.TextField(_("reden van afsluiten"), max_length=2000, blank=True)
    into_aftercare = models.BooleanField(_("gezin gaat in nazorg"), null=True, blank=True)

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


class AftercareCheckinQuerySet(models.QuerySet["AftercareCheckin"]):
    def planned(self) -> AftercareCheckinQuerySet:
        """Check-ins not held yet."""
        return self.filter(held_on__isnull=True)


class AftercareCheckin(models.Model):
    """One aftercare check-in: planned when the family goes into aftercare (months after
    the closing, settings.PHASES["AFTERCARE_CHECKIN_MONTHS"]), recorded when held."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="aftercare_checkins")
    planned_on = models.DateField(_("gepland op"))
    held_on = models.DateField(_("gehouden op"), null=True, blank=True)
    how_it_goes = models.TextField(_("hoe gaat het"), max_length=2000, blank=True)
    needs_help = models.BooleanField(_("nieuwe hulpvraag"), null=True, blank=True)
    notes = models.TextField(_("aantekeningen"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), null=True, blank=True)
    # The trajectory this check-in opened when it found a need for help.
    reopened_as = models.ForeignKey(
        "cases.Trajectory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("heropend als traject"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AftercareCheckinQuerySet.as_manager()

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("nazorgcontact")
        verbose_name_plural = _("nazorgcontacten")
        indexes = [
            models.Index(
                fields=["planned_on"],
                condition=Q(held_on__isnull=True),
                name="aftercarecheckin_planned",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__isnull=True)
                | (Q(needs_help__isnull=False) & Q(recorded_by__isnull=False)),
                name="aftercarecheckin_held_is_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.planned_on}"


class ReminderKind(models.TextChoices):
    PHASE_ENDS_SOON = "phase_ends_soon", _("Fase eindigt binnen 7 dagen")
    PHASE_OVERDUE = "phase_overdue", _("Fase loopt over de geplande einddatum")
    NO_CONTACT = "no_contact", _("Geen contact in 14 dagen")
    BUDGET_NEARLY_USED = "budget_nearly_used", _("90% van het urenbudget gebruikt")
    APPROVAL_PENDING = "approval_pending", _("Faseovergang wacht op akkoord")
    AFTERCARE_CHECKIN = "aftercare_checkin", _("Nazorgcontact gepland")
    CASE_REVIEW_DUE = "case_review_due", _("Casusbespreking gepland")
    APPOINTMENT_MISSED = "appointment_missed", _("Afspraak voorbij, nog niet vastgelegd")
    LEGAL_MEASURE_ENDS = "legal_measure_ends", _("Maatregel loopt binnenkort af")
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
