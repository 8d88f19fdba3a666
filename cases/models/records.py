"""Records rules: client statements, consent, the destruction register, stored files."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.families import Family, Member
from cases.models.teams import Team


class ClientStatement(models.Model):
    """The family's own statement, added to the file at its request (Jeugdwet).

    Factual errors are corrected in the record itself; opinions are not rewritten, the
    client adds a statement instead.
    """

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="statements")
    statement_date = models.DateField(_("datum verklaring"), default=timezone.localdate)
    given_by = models.CharField(
        _("afgelegd door"),
        max_length=200,
        help_text=_("Wie de verklaring aflegt, bijvoorbeeld ‘moeder’ of ‘Noah (15)’."),
    )
    # The family's own words: room enough that a statement is never cut short.
    text = models.TextField(_("verklaring"), max_length=10_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    # The member who wrote it in the family portal (then `recorded_by` is their portal
    # user); empty when the team recorded it.
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("via het portaal door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-statement_date", "-created_at"]
        verbose_name = _("eigen verklaring")
        verbose_name_plural = _("eigen verklaringen")

    def __str__(self) -> str:
        return f"{self.given_by} {self.statement_date:%d-%m-%Y}"


class Consent(models.Model):
    """Consent to share (part of) the file with an organisation outside the team."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="consents")
    given_by_member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("toestemming van (gezinslid)"),
    )
    given_by_name = models.CharField(
        _("toestemming van (anders)"),
        max_length=200,
        blank=True,
        help_text=_("Alleen invullen als het geen gezinslid is, bijvoorbeeld een voogd."),
    )
    # Who gave it (every member who agreed); `given_by_member` is the first of them, kept for
    # the consents recorded before several could be named. The rules (cases.records.consent)
    # count both.
    given_by_members = models.ManyToManyField(
        Member,
        blank=True,
        related_name="consents_given",
        verbose_name=_("toestemming van (gezinsleden)"),
    )
    # The children it is about; none: every child of the family.
    concerns_members = models.ManyToManyField(
        Member,
        blank=True,
        related_name="consents_about",
        verbose_name=_("over (kinderen)"),
    )
    # The recipient: one of the team's partners, or free text (`organisation`, which also
    # keeps the partner's name). The rules (cases.records.consent) match the partner when
    # both sides name one and the name (ignoring case) otherwise. PROTECT: a partner a
    # consent names is archived, never deleted, so the file keeps to whom it was given.
    partner = models.ForeignKey(
        "cases.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("partner"),
    )
    organisation = models.CharField(_("organisatie"), max_length=200)
    purpose = models.CharField(_("waarvoor"), max_length=500)
    valid_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    # Withdrawn from this day on (the day itself no longer counts), by whom.
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.CharField(_("ingetrokken door"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "organisation"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="consent_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.valid_from:%d-%m-%Y})"

    @property
    def recipient_name(self) -> str:
        """The partner's current name, or the free text (select_related `partner` in lists)."""
        return self.partner.name if self.partner_id else self.organisation.strip()  # type: ignore[union-attr]

    @property
    def given_by_label(self) -> str:
        names = [m.name for m in self.givers()]
        if self.given_by_name:
            names.append(self.given_by_name)
        return ", ".join(names)

    def givers(self) -> list[Member]:
        """The members who gave it (prefetch `given_by_members` for lists)."""
        members = list(self.given_by_members.all())
        if self.given_by_member_id and all(m.pk != self.given_by_member_id for m in members):
            members.insert(0, self.given_by_member)  # type: ignore[arg-type]
        return members

    def is_withdrawn_on(self, day: datetime.date) -> bool:
        return self.withdrawn_on is not None and self.withdrawn_on <= day

    def is_expired_on(self, day: datetime.date) -> bool:
        return self.valid_until is not None and self.valid_until < day

    def is_valid_on(self, day: datetime.date) -> bool:
        """Valid from `valid_from` up to and including `valid_until`, until withdrawn."""
        return (
            self.valid_from <= day and not self.is_expired_on(day) and not self.is_withdrawn_on(day)
        )


class DestructionReason(models.TextChoices):
    CLIENT_REQUEST = "client_request", _("Verzoek van de cliënt")
    RETENTION_EXPIRED = "retention_expired", _("Bewaartermijn verstreken")
    OTHER = "other", _("Anders (wettelijke grond)")


class DestructionRequester(models.TextChoices):
    CLIENT = "client", _("Cliënt (12 jaar of ouder)")
    PARENT = "parent", _("Ouder met gezag")
    GUARDIAN = "guardian", _("Voogd of wettelijk vertegenwoordiger")
    ORGANISATION = "organisation", _("De organisatie (bewaartermijn)")


class DestructionRecord(models.Model):
    """Register of destroyed files, without personal data.

    The case number is kept only as a keyed hash (pseudonym), so the organisation can
    answer "was this file destroyed?" for someone who brings the number, and nothing more.
    """

    case_ref = models.CharField(_("dossierkenmerk (gepseudonimiseerd)"), max_length=64)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    case_year = models.PositiveSmallIntegerField(_("jaar van aanmelding"))
    reason = models.CharField(_("reden"), max_length=32, choices=DestructionReason.choices)
    requested_by = models.CharField(
        _("verzocht door"), max_length=32, choices=DestructionRequester.choices
    )
    requested_on = models.DateField(_("datum verzoek"))
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uitgevoerd door"),
    )
    carried_out_at = models.DateTimeField(_("uitgevoerd op"), default=timezone.now)
    # Only how many documents the file held (cases.documents), nothing of what they were.
    document_count = models.PositiveIntegerField(_("aantal documenten"), default=0)

    class Meta:
        ordering = ["-carried_out_at"]
        verbose_name = _("vernietigd dossier")
        verbose_name_plural = _("register vernietigde dossiers")

    def __str__(self) -> str:
        return f"{self.case_ref[:12]} {self.carried_out_at:%Y-%m-%d}"


# Stored files.
# Every file kept for a family (plan PDFs now; exports and documents later) is written
# through cases.storage, which registers it here, so destruction can find every one of them
# whatever app wrote it and wherever the storage keeps it.


class StoredFileKind(models.TextChoices):
    PLAN_PDF = "plan_pdf", _("Gezinsplan als PDF")
    EXPORT = "export", _("Export")
    DOCUMENT = "document", _("Document")


class StoredFile(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="stored_files")
    # The name in the default storage (relative, e.g. "plans/12/34.pdf"), not a local path,
    # so another storage backend (an S3 bucket) works the same way.
    name = models.CharField(_("bestandsnaam"), max_length=300, unique=True)
    kind = models.CharField(_("soort"), max_length=16, choices=StoredFileKind.choices)
    created_at = models.DateTimeField(_("opgeslagen op"), default=timezone.now)

    class Meta:
        ordering = ["family", "name"]
        verbose_name = _("opgeslagen bestand")
        verbose_name_plural = _("opgeslagen bestanden")

    def __str__(self) -> str:
        return self.name


class TaskState(models.TextChoices):
    """The state of a request that a background task carries out (a PDF, an export). Every
    model with such a state is listed in settings.TASK_STATE_MODELS, so the sweep
    (cases.taskstate) finds one whose worker died."""

    QUEUED = "queued", _("In wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class RecordsExportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    JSON = "json", _("JSON")
    # The full afschrift: the PDF, the JSON and every document of the file (cases.documents).
    ZIP = "zip", _("ZIP (PDF, JSON en documenten)")


EXPORT_EXTENSIONS = {
    RecordsExportFormat.PDF: "pdf",
    RecordsExportFormat.JSON: "json",
    RecordsExportFormat.ZIP: "zip",
}
EXPORT_CONTENT_TYPES = {
    RecordsExportFormat.PDF: "application/pdf",
    RecordsExportFormat.JSON: "application/json",
    RecordsExportFormat.ZIP: "application/zip",
}


class RecordsExport(models.Model):
    """One request for the family's inzage/afschrift, built in the background
    (cases.records.exports) and kept in the register of stored files (cases.storage).

    A big file is split into volumes (`files`, one entry per volume), so no render needs
    more memory than one volume takes.
    """

    # The Celery task that builds it; the sweep sends it again (cases.taskstate).
    task_path = "cases.tasks.build_records_export"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="records_exports")
    format = models.CharField(_("formaat"), max_length=8, choices=RecordsExportFormat.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    state = models.CharField(
        _("status"), max_length=8, choices=TaskState.choices, default=TaskState.QUEUED
    )
    # When `state` last changed: the sweep compares it with its limit.
    state_changed_at = models.DateTimeField(_("status sinds"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    # [{"name": storage name, "size": bytes, "sha256": hex}, ...], one per volume.
    files = models.JSONField(_("bestanden"), default=list, blank=True)
    error = models.TextField(_("foutmelding"), max_length=2000, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("inzage/afschrift")
        verbose_name_plural = _("inzage/afschriften")
        indexes = [
            models.Index(fields=["family", "-requested_at"]),
            models.Index(
                fields=["state_changed_at"],
                condition=Q(state__in=["queued", "running"]),
                name="records_export_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.format} ({self.state})"

    def filename(self, volume: int) -> str:
        extension = EXPORT_EXTENSIONS[RecordsExportFormat(self.format)]
        if len(self.files) > 1:
            return f"dossier-{self.family_id}-{self.pk}-deel-{volume}.{extension}"
        return f"dossier-{self.family_id}-{self.pk}.{extension}"
