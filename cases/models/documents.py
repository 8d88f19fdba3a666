"""Documents in the family file (letters, signed plans, consent forms) and their versions.

The files themselves are in the storage register (StoredFile, cases.storage), so
destruction removes them; a row here says what the file is and which version it is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.families import Family, Member


class DocumentKind(models.TextChoices):
    REFERRAL = "referral", _("Verwijsbrief")
    SIGNED_PLAN = "signed_plan", _("Getekend gezinsplan")
    CONSENT = "consent", _("Toestemmingsformulier")
    REPORT = "report", _("Rapportage")
    LETTER = "letter", _("Brief")
    OTHER = "other", _("Anders")


class Document(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("soort document"), max_length=20, choices=DocumentKind.choices)
    date = models.DateField(_("datum document"), default=timezone.localdate)
    members = models.ManyToManyField(
        Member, blank=True, related_name="documents", verbose_name=_("betreft gezinsleden")
    )
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("toegevoegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Shared with the family in its portal (cases.documents.services.document_share); the
    # portal shows the current version of a shared document only. Undone by clearing both.
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gedeeld met het gezin door"),
    )
    shared_at = models.DateTimeField(_("gedeeld met het gezin op"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documenten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    @property
    def current(self) -> DocumentVersion | None:
        versions = list(self.versions.all())  # prefetched on lists
        return max(versions, key=lambda v: v.number) if versions else None


class DocumentVersion(models.Model):
    """One uploaded file of a document; a replacement adds a version, the old one stays."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    # The storage name (documents/<family>/<random>.<ext>): never the name the user gave.
    stored_name = models.CharField(max_length=300, unique=True)
    # The original name made safe, only for the download's file name.
    file_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("documentversie")
        verbose_name_plural = _("documentversies")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"document {self.document_id} v{self.number}"
