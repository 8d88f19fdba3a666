"""Legal measures per child: child protection orders and authorisations by the juvenile
court (OTS, machtigingen, voogdij), each with its period, the GI involved and the judge's
decision date. Reminders before the end (phases.reminders.legal_measure_dues) and the
caseload's flag (reports.attention) read `ending_between`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.families import Family, Member


class MeasureKind(models.TextChoices):
    OTS = "ots", _("Ondertoezichtstelling (OTS)")
    PLACEMENT = "placement", _("Machtiging uithuisplaatsing")
    SECURE_CARE = "secure_care", _("Machtiging gesloten jeugdhulp")
    SECURE_CARE_CONDITIONAL = (
        "secure_care_conditional",
        _("Voorwaardelijke machtiging gesloten jeugdhulp"),
    )
    GUARDIANSHIP = "guardianship", _("Voogdij")


def measure_setting(name: str):  # type: ignore[no-untyped-def]
    """settings.LEGAL_MEASURES[name]; the defaults live in settings only."""
    return settings.LEGAL_MEASURES[name]


class LegalMeasureQuerySet(models.QuerySet["LegalMeasure"]):
    def not_continued(self) -> LegalMeasureQuerySet:
        """Without the measures a later decision continues (a verlenging: the same kind for
        the same child, starting by the day after this one ends and ending later or open)."""
        continued = LegalMeasure.objects.filter(
            member=OuterRef("member"),
            kind=OuterRef("kind"),
            starts_on__gt=OuterRef("starts_on"),
            starts_on__lte=OuterRef("ends_on") + datetime.timedelta(days=1),
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=OuterRef("ends_on")))
        return self.filter(~Exists(continued))

    def running_on(self, day: datetime.date) -> LegalMeasureQuerySet:
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def ending_between(self, first: datetime.date, last: datetime.date) -> LegalMeasureQuerySet:
        """Measures whose last day lies in [first, last] and that no later decision continues."""
        return self.filter(ends_on__gte=first, ends_on__lte=last).not_continued()


class LegalMeasure(models.Model):
    """One decision of the juvenile court about one child (a spoedmachtiging or a short one
    is a measure of its kind with `urgent` set)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="legal_measures")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="legal_measures", verbose_name=_("kind")
    )
    kind = models.CharField(_("maatregel"), max_length=32, choices=MeasureKind.choices)
    urgent = models.BooleanField(
        _("spoed of kort"),
        default=False,
        help_text=_("Een spoedmachtiging of een korte (voorlopige) maatregel."),
    )
    starts_on = models.DateField(_("ingangsdatum"))
    ends_on = models.DateField(
        _("einddatum (tot en met)"),
        null=True,
        blank=True,
        help_text=_("Leeg als er geen einddatum is, zoals bij voogdij tot 18 jaar."),
    )
    decided_on = models.DateField(_("datum uitspraak rechter"), null=True, blank=True)
    # The gecertificeerde instelling: one of the team's partners, or free text. PROTECT: a
    # partner a measure names is archived, never deleted.
    partner = models.ForeignKey(
        "cases.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_measures",
        verbose_name=_("gecertificeerde instelling (partner)"),
    )
    institution = models.CharField(_("gecertificeerde instelling (GI)"), max_length=200, blank=True)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking (cases.services.claim_version): the edit form carries this version.
    version = models.PositiveIntegerField(default=1)

    objects = LegalMeasureQuerySet.as_manager()

    class Meta:
        ordering = ["member__date_of_birth", "member__name", "-starts_on", "pk"]
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        indexes = [models.Index(fields=["ends_on"], name="legal_measure_ends_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="legal_measure_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%d-%m-%Y}"

    @property
    def institution_name(self) -> str:
        """The GI partner's name, or the free text (select_related `partner` in lists)."""
        return self.partner.name if self.partner_id else self.institution  # type: ignore[union-attr]

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.ends_on is None else (self.ends_on - today).days
