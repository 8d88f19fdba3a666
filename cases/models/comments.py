"""Comments on the file: a team member's remark on a contact, a goal or a plan version.

A comment is part of the family's file (inzage, retention, destruction find it through its
`family`), kept with its author and time. Nobody edits or deletes one: a correction is a
new comment. Exactly one of `contact`, `goal` and `plan` is set (a check constraint), so
each target keeps a real foreign key instead of a generic relation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.contacts import Contact
from cases.models.families import Family
from cases.models.plan import FamilyPlan, PlanGoal

COMMENT_MAX = 4000
# The fields a comment can hang from; exactly one is set.
COMMENT_TARGETS = ("contact", "goal", "plan")


def _only(field: str) -> Q:
    return Q(**{f"{field}__isnull": False}) & Q(
        *[Q(**{f"{other}__isnull": True}) for other in COMMENT_TARGETS if other != field]
    )


class Comment(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="comments")
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("bij contact"),
    )
    goal = models.ForeignKey(
        PlanGoal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("bij doel"),
    )
    plan = models.ForeignKey(
        FamilyPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("bij gezinsplan"),
    )
    text = models.TextField(_("opmerking"), max_length=COMMENT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    created_at = models.DateTimeField(_("geschreven op"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("opmerking")
        verbose_name_plural = _("opmerkingen")
        indexes = [models.Index(fields=["family", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=_only("contact") | _only("goal") | _only("plan"),
                name="comment_exactly_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_target_label()} {timezone.localtime(self.created_at):%d-%m-%Y %H:%M}"

    @property
    def author_name(self) -> str:
        """Who wrote it, as the pages name a colleague: the full name, else the username."""
        return self.author.get_full_name() or self.author.username

    @property
    def target_kind(self) -> str:
        return next(name for name in COMMENT_TARGETS if getattr(self, f"{name}_id") is not None)

    def get_target_label(self) -> str:
        labels = {
            "contact": _("Opmerking bij contact"),
            "goal": _("Opmerking bij doel"),
            "plan": _("Opmerking bij gezinsplan"),
        }
        return str(labels[self.target_kind])
