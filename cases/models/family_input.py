"""What the family itself adds in its portal: a reaction to a goal in its own words and a
request for a copy of the file (afschrift). The family's own statement is a ClientStatement
(cases.models.records) with its `member`. Logic: cases/portal/own_services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.families import Family, Member
from cases.models.plan import PlanGoal

# A reaction is the family's own words: room enough, and the limit is shown on the form.
GOAL_REACTION_MAX = 2000
COPY_REFUSAL_MAX = 2000


class GoalReaction(models.Model):
    """A family member's reaction to a goal of the plan, written in the portal. Never changed
    or removed afterwards (it goes with the file)."""

    goal = models.ForeignKey(
        PlanGoal, on_delete=models.CASCADE, related_name="reactions", verbose_name=_("doel")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="goal_reactions",
        verbose_name=_("gezinslid"),
    )
    text = models.TextField(_("reactie"), max_length=GOAL_REACTION_MAX)
    created_at = models.DateTimeField(_("geschreven op"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reactie van het gezin op een doel")
        verbose_name_plural = _("reacties van het gezin op doelen")

    def __str__(self) -> str:
        return f"reactie {self.pk} op doel {self.goal_id}"


class CopyRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Gevraagd")
    PROVIDED = "provided", _("Gegeven")
    REFUSED = "refused", _("Geweigerd")


class CopyScope(models.TextChoices):
    """What the person asking receives (cases.portal.own_services.copy_scope)."""

    FILE = "file", _("Het dossier van het gezin")
    OWN = "own", _("Wat over de aanvrager zelf gaat")


class CopyRequest(models.Model):
    """A family member's request, made in the portal, for a copy of the file (afschrift).
    The coordinator starts from the inzage export and marks it provided or refused."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="copy_requests", verbose_name=_("gezin")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="copy_requests",
        verbose_name=_("gevraagd door"),
    )
    # The rule's answer on the day of the request, kept with it (ages change).
    scope = models.CharField(_("wat de aanvrager krijgt"), max_length=8, choices=CopyScope.choices)
    created_at = models.DateTimeField(_("gevraagd op"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CopyRequestStatus.choices,
        default=CopyRequestStatus.REQUESTED,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    refusal_reason = models.TextField(
        _("reden van weigeren"), max_length=COPY_REFUSAL_MAX, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verzoek om afschrift")
        verbose_name_plural = _("verzoeken om afschrift")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="requested", handled_at__isnull=True)
                | (~Q(status="requested") & Q(handled_at__isnull=False)),
                name="copy_request_handled_when_not_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="copy_request_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"verzoek om afschrift {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == CopyRequestStatus.REQUESTED
