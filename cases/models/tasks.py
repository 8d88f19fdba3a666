"""Tasks: the follow-ups of a family's work, each with an owner and a due date."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.contacts import Contact
from cases.models.families import Family
from cases.models.plan import PlanAction


class TaskSource(models.TextChoices):
    MANUAL = "manual", _("Met de hand")
    CONTACT = "contact", _("Uit een contact")
    PLAN_ACTION = "plan_action", _("Uit een actie van het gezinsplan")
    CASE_REVIEW = "case_review", _("Uit een casusbespreking")


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> TaskQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue(self, today: datetime.date | None = None) -> TaskQuerySet:
        """Open tasks past their due date: the one rule the task pages, the caseload's
        "needs attention" and the tests read."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


def overdue_tasks_count() -> models.Subquery:
    """Per family (OuterRef "pk"), the number of its overdue tasks: for annotating families."""
    counted = (
        Task.objects.overdue()
        .filter(family=models.OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return models.Subquery(counted, output_field=models.IntegerField())


class Task(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("taak"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("eigenaar"),
    )
    due_on = models.DateField(_("uiterlijk op"))
    source = models.CharField(
        _("herkomst"), max_length=20, choices=TaskSource.choices, default=TaskSource.MANUAL
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    plan_action = models.ForeignKey(
        PlanAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("actie uit het gezinsplan"),
    )
    # A case review lives in reports (above cases): its id only, set by reports.
    case_review_ref = models.PositiveBigIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgerond door"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True) | Q(done_at__isnull=False),
                name="task_done_by_only_when_done",
            )
        ]

    def __str__(self) -> str:
        return f"taak {self.pk} {self.due_on:%d-%m-%Y}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
