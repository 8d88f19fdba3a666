from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cases.models import Family, FamilyPlan


class ExportState(models.TextChoices):
    QUEUED = "queued", _("In wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class PlanPdf(models.Model):
    """One request to render a family plan as PDF, and the file it produced.

    The file lives under MEDIA_ROOT/plans and is only ever served through the access gate
    (reports.views.plan_pdf_download), never from a public URL.
    """

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="plan_pdfs")
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="pdfs")
    plan_number = models.PositiveIntegerField(_("versie van het plan"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    state = models.CharField(
        _("status"), max_length=8, choices=ExportState.choices, default=ExportState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    # Relative to MEDIA_ROOT, e.g. "plans/12/34.pdf".
    file_path = models.CharField(_("bestand"), max_length=300, blank=True)
    checksum_sha256 = models.CharField(_("controlegetal (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("grootte (bytes)"), null=True, blank=True)
    error = models.TextField(_("foutmelding"), max_length=2000, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("gezinsplan als PDF")
        verbose_name_plural = _("gezinsplannen als PDF")
        indexes = [models.Index(fields=["family", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.family_id} v{self.plan_number} ({self.state})"

    @property
    def filename(self) -> str:
        # Slugified: the case number becomes part of a URL and a file name.
        return f"gezinsplan-{slugify(self.family.case_number)}-v{self.plan_number}.pdf"
