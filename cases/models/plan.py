"""The family plan: versions, goals and actions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.families import Family, Member
from cases.models.teams import LifeDomain

# The gezinsplan / familiegroepsplan (DOMAIN.md): one draft at a time per family; fixing
# ("vaststellen") freezes a version for good, and a new draft starts as a copy of it.


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    FIXED = "fixed", _("Vastgesteld")


class AgreementWay(models.TextChoices):
    """How the family gave its agreement to a plan version."""

    MEETING = "meeting", _("In een gesprek")
    PAPER = "paper", _("Op papier")
    PORTAL = "portal", _("In het gezinsportaal")


# Who may agree to the plan on the family's behalf: a member with parental authority
# (gezag) or a member of at least this age (the age at which a child shares in the file).
AGREEMENT_MIN_AGE = 12


def may_agree(member: Member) -> bool:
    """Whether `member` can give the family's agreement to its plan."""
    age = member.age
    return member.has_parental_authority or (age is not None and age >= AGREEMENT_MIN_AGE)


class FamilyPlan(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    central_question = models.TextField(_("centrale vraag"), max_length=2000, blank=True)
    worries = models.TextField(_("zorgen"), max_length=4000, blank=True)
    safety_conditions = models.TextField(
        _("veiligheidsvoorwaarden (door een professional)"), max_length=4000, blank=True
    )
    safety_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veiligheidsvoorwaarden gesteld door"),
    )
    if_it_goes_differently = models.TextField(
        _("als het anders loopt"), max_length=4000, blank=True
    )
    # ISO dates, sorted; a short list the plan page edits in one form.
    evaluation_dates = models.JSONField(_("evaluatiedata"), default=list, blank=True)
    # Sign-off (cases.plan.services): the coach asks the team's psychologist for a review,
    # who approves (reviewed_*) or sends it back with a reason (returned_*); the family's
    # agreement is recorded apart. Fixing needs the agreement, and the approval when the
    # team asks for it (Team.plan_review_required).
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeling gevraagd door"),
    )
    review_requested_at = models.DateTimeField(_("beoordeling gevraagd op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("teruggestuurd door"),
    )
    returned_at = models.DateTimeField(_("teruggestuurd op"), null=True, blank=True)
    return_reason = models.TextField(_("reden van terugsturen"), max_length=2000, blank=True)
    agreed_members = models.ManyToManyField(
        Member, blank=True, related_name="+", verbose_name=_("akkoord namens het gezin")
    )
    agreed_on = models.DateField(_("akkoord op"), null=True, blank=True)
    agreed_how = models.CharField(
        _("akkoord gegeven"), max_length=8, choices=AgreementWay.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    fixed_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    # A draft is the family's to see in the portal only once the coach shares it on
    # purpose (cases.plan.services.plan_share); the fixed plan is always shown.
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gedeeld met het gezin door"),
    )
    shared_at = models.DateTimeField(_("gedeeld met het gezin op"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking of the plan's own text (cases.services.claim_version).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["family", "-number"]
        verbose_name = _("gezinsplan")
        verbose_name_plural = _("gezinsplannen")
        constraints = [
            models.UniqueConstraint(fields=["family", "number"], name="plan_number_per_family"),
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(status="draft"),
                name="plan_one_draft_per_family",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_id} v{self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def review_pending(self) -> bool:
        """Asked for review and not yet approved or sent back: waits for the psychologist."""
        return self.is_draft and self.review_requested_at is not None

    @property
    def has_agreement(self) -> bool:
        return self.agreed_on is not None

    def evaluation_date_values(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(d) for d in self.evaluation_dates]


class InDraftManager(models.Manager):
    """What is part of the plan: without the parts removed from a draft.

    The default manager, so `plan.goals` and `plan.actions` (the plan page, the PDF, a new
    draft's copy, the network's goal choices) leave removed parts out. Removed parts stay
    in the database, in the plan's history, until the user puts them back; `with_removed`
    sees them. Django's base manager (foreign keys, the records walk of inzage and
    destruction in cases.records.services) sees them as well.
    """

    def get_queryset(self) -> models.QuerySet:  # type: ignore[type-arg]
        return super().get_queryset().filter(removed_at__isnull=True)


class RemovableFromDraft(models.Model):
    """A part of a draft plan that can be removed and put back ("Terugzetten")."""

    removed_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verwijderd door"),
    )

    class Meta:
        abstract = True


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Nog niet begonnen")
    IN_PROGRESS = "in_progress", _("Bezig")
    ACHIEVED = "achieved", _("Bereikt")
    STOPPED = "stopped", _("Gestopt")


class PlanGoal(RemovableFromDraft):
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("levensgebied"), max_length=16, choices=LifeDomain.choices)
    owner = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("van wie is het doel"),
    )
    text = models.TextField(_("doel (in de woorden van het gezin)"), max_length=1000)
    criterion = models.CharField(_("wanneer is het gelukt (meetbaar)"), max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("voortgang (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = InDraftManager()
    with_removed = models.Manager()  # noqa: DJ012 (the managers belong together, after the fields)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_max_100")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ActionSource(models.TextChoices):
    FAMILY = "family", _("Gezin")
    NETWORK = "network", _("Netwerk")
    PROFESSIONAL = "professional", _("Professional")


# Network contributions come before professional help (DOMAIN.md); the family itself first.
ACTION_SOURCE_ORDER = {
    ActionSource.FAMILY: 0,
    ActionSource.NETWORK: 1,
    ActionSource.PROFESSIONAL: 2,
}


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Afgesproken")
    IN_PROGRESS = "in_progress", _("Bezig")
    DONE = "done", _("Gedaan")
    CANCELLED = "cancelled", _("Vervallen")


class PlanActionQuerySet(models.QuerySet["PlanAction"]):
    def in_plan_order(self) -> PlanActionQuerySet:
        """Family first, then the network, then professional help."""
        order = models.Case(
            *(models.When(source=s, then=models.Value(i)) for s, i in ACTION_SOURCE_ORDER.items()),
            default=models.Value(9),
            output_field=models.IntegerField(),
        )
        return self.annotate(source_order=order).order_by("source_order", "created_at", "pk")


class PlanAction(RemovableFromDraft):
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        PlanGoal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("bij doel"),
    )
    source = models.CharField(_("wie draagt bij"), max_length=16, choices=ActionSource.choices)
    # "Who": a family member, or by name a network member or professional. The network
    # app keeps its own people; a free-text name keeps the plan independent of it.
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gezinslid"),
    )
    who_name = models.CharField(_("naam (netwerk of professional)"), max_length=120, blank=True)
    what = models.TextField(_("wat"), max_length=1000)
    when = models.CharField(_("wanneer"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = InDraftManager.from_queryset(PlanActionQuerySet)()
    with_removed = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def who(self) -> str:
        if self.member_id is not None and self.member is not None:
            return self.member.name
        return self.who_name
