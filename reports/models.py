from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Family, FamilyPlan, Member, TaskState, Team

# The one set of states of a task-backed request (cases.models.TaskState); the sweep
# (cases.taskstate, settings.TASK_STATE_MODELS) reads them on every such model.
ExportState = TaskState


class PlanPdf(models.Model):
    """One request to render a family plan as PDF, and the file it produced.

    The file lives under MEDIA_ROOT/plans and is only ever served through the access gate
    (reports.views.plan_pdf_download), never from a public URL.
    """

    # The Celery task that renders it; the sweep sends it again (cases.taskstate).
    task_path = "reports.tasks.render_plan_pdf"

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
    # When `state` last changed: the sweep compares it with its limit (cases.taskstate).
    state_changed_at = models.DateTimeField(_("status sinds"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    # Relative to MEDIA_ROOT, e.g. "plans/12/34.pdf".
    file_path = models.CharField(_("bestand"), max_length=300, blank=True)
    checksum_sha256 = models.CharField(_("controlegetal (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("grootte (bytes)"), null=True, blank=True)
    error = models.TextField(_("foutmelding"), max_length=2000, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    # Set when the plan goes to someone outside the team (DOMAIN.md: sharing needs consent).
    recipient = models.CharField(_("ontvanger buiten het team"), max_length=200, blank=True)
    consent = models.ForeignKey(
        "cases.Consent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toestemming"),
    )

    # What goes in beyond the plan itself, ticked per export (reports.pdf.PlanPdfOptions).
    include_strengths = models.BooleanField(_("met krachtenanalyse"), default=False)
    include_timeline = models.BooleanField(_("met tijdlijn"), default=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("gezinsplan als PDF")
        verbose_name_plural = _("gezinsplannen als PDF")
        indexes = [models.Index(fields=["family", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.family_id} v{self.plan_number} ({self.state})"

    @property
    def parts(self) -> list[str]:
        """The optional parts this export carries, for the list of exports."""
        parts = []
        if self.include_strengths:
            parts.append(str(_("krachtenanalyse")))
        if self.include_timeline:
            parts.append(str(_("tijdlijn")))
        return parts

    @property
    def filename(self) -> str:
        # Slugified: the case number becomes part of a URL and a file name.
        return f"gezinsplan-{slugify(self.family.case_number)}-v{self.plan_number}.pdf"


# --- Case reviews (casusbespreking) ---


class CaseReview(models.Model):
    """A team's case review of one family: who took part, what was said and decided, and
    when the family is discussed again (a due review raises a reminder: reports.reviews)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="case_reviews")
    date = models.DateField(_("datum"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="case_reviews",
        verbose_name=_("deelnemers"),
    )
    notes = models.TextField(_("bespreking"), max_length=10_000, blank=True)
    decisions = models.TextField(_("besluiten"), max_length=4000, blank=True)
    next_review_on = models.DateField(_("volgende bespreking"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("casusbespreking")
        verbose_name_plural = _("casusbesprekingen")
        indexes = [models.Index(fields=["family", "-date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_on__isnull=True)
                | models.Q(next_review_on__gt=models.F("date")),
                name="casereview_next_after_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.date:%d-%m-%Y}"


# --- Questionnaires: SDM-Q-9 and the exit questionnaire ---


class QuestionnaireMoment(models.TextChoices):
    START = "start", _("Start")
    AFTER_ANALYSIS = "after_analysis", _("Na de analyse")
    INTERIM = "interim", _("Tussentijds")
    CLOSING = "closing", _("Afsluiting")


class FilledVia(models.TextChoices):
    """How a family's questionnaire came in: with the hulpverlener (staff enter it) or by
    the member in the family portal."""

    STAFF = "staff", _("Met de hulpverlener")
    PORTAL = "portal", _("Zelf, in het gezinsportaal")


SDM_ITEMS = 9
SDM_ITEM_MIN, SDM_ITEM_MAX = 0, 5
EXIT_ITEM_MIN, EXIT_ITEM_MAX = 1, 5


def _range_check(field: str, low: int, high: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high}), name=name
    )


class SdmResponse(models.Model):
    """One SDM-Q-9 filled in by a parent or young person, with the coach present.

    `score` is sum × 20/9 rounded to one decimal (0–100), set by reports.services;
    `coach` is the family's coach at the time, so averages per coach stay right after a
    change of coach.
    """

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="sdm_responses")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("ingevuld door")
    )
    moment = models.CharField(_("moment"), max_length=16, choices=QuestionnaireMoment.choices)
    date = models.DateField(_("datum"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hulpverlener"),
    )
    item_1 = models.PositiveSmallIntegerField()
    item_2 = models.PositiveSmallIntegerField()
    item_3 = models.PositiveSmallIntegerField()
    item_4 = models.PositiveSmallIntegerField()
    item_5 = models.PositiveSmallIntegerField()
    item_6 = models.PositiveSmallIntegerField()
    item_7 = models.PositiveSmallIntegerField()
    item_8 = models.PositiveSmallIntegerField()
    item_9 = models.PositiveSmallIntegerField()
    score = models.DecimalField(_("score (0–100)"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The member filled it in; `via` says whether staff entered it or the member did so in
    # the portal (then `recorded_by` is the member's portal user).
    via = models.CharField(
        _("ingevuld via"), max_length=8, choices=FilledVia.choices, default=FilledVia.STAFF
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("SDM-Q-9-vragenlijst")
        verbose_name_plural = _("SDM-Q-9-vragenlijsten")
        indexes = [models.Index(fields=["family", "-date"])]
        constraints = [
            *[
                _range_check(f"item_{i}", SDM_ITEM_MIN, SDM_ITEM_MAX, f"sdm_item_{i}_0_5")
                for i in range(1, SDM_ITEMS + 1)
            ],
            _range_check("score", 0, 100, "sdm_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"SDM-Q-9 {self.family_id} {self.date:%d-%m-%Y}: {self.score}"

    @property
    def items(self) -> list[int]:
        return [getattr(self, f"item_{i}") for i in range(1, SDM_ITEMS + 1)]


EXIT_ITEMS = ("result", "coach_rating", "network_role", "own_control")


class ExitQuestionnaire(models.Model):
    """The exit questionnaire at closing: satisfaction on 1–5 plus free text."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="exit_responses")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("ingevuld door")
    )
    date = models.DateField(_("datum"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hulpverlener"),
    )
    result = models.PositiveSmallIntegerField(_("tevredenheid over het resultaat"))
    coach_rating = models.PositiveSmallIntegerField(_("tevredenheid over de gezinscoach"))
    network_role = models.PositiveSmallIntegerField(_("rol van het netwerk"))
    own_control = models.PositiveSmallIntegerField(_("regie bij het gezin"))
    comments = models.TextField(_("toelichting in eigen woorden"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The member filled it in; `via` says whether staff entered it or the member did so in
    # the portal (then `recorded_by` is the member's portal user).
    via = models.CharField(
        _("ingevuld via"), max_length=8, choices=FilledVia.choices, default=FilledVia.STAFF
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("eindvragenlijst")
        verbose_name_plural = _("eindvragenlijsten")
        constraints = [
            _range_check(f, EXIT_ITEM_MIN, EXIT_ITEM_MAX, f"exit_{f}_1_5") for f in EXIT_ITEMS
        ]

    def __str__(self) -> str:
        return f"Eindvragenlijst {self.family_id} {self.date:%d-%m-%Y}"


# --- Questionnaires for professionals: their SDM per family, and implementation ---


class ProfessionalSdmResponse(models.Model):
    """The professional's counterpart of the family's SDM-Q-9: the same nine aspects of
    deciding together, from the hulpverlener's side, about one family.

    `score` is sum × 20/9 to one decimal (0–100), as the family's (reports.questionnaires).
    """

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="professional_sdm_responses"
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hulpverlener"),
    )
    moment = models.CharField(_("moment"), max_length=16, choices=QuestionnaireMoment.choices)
    date = models.DateField(_("datum"))
    item_1 = models.PositiveSmallIntegerField()
    item_2 = models.PositiveSmallIntegerField()
    item_3 = models.PositiveSmallIntegerField()
    item_4 = models.PositiveSmallIntegerField()
    item_5 = models.PositiveSmallIntegerField()
    item_6 = models.PositiveSmallIntegerField()
    item_7 = models.PositiveSmallIntegerField()
    item_8 = models.PositiveSmallIntegerField()
    item_9 = models.PositiveSmallIntegerField()
    score = models.DecimalField(_("score (0–100)"), max_digits=4, decimal_places=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("SDM-vragenlijst van de hulpverlener")
        verbose_name_plural = _("SDM-vragenlijsten van hulpverleners")
        indexes = [models.Index(fields=["family", "-date"])]
        constraints = [
            *[
                _range_check(f"item_{i}", SDM_ITEM_MIN, SDM_ITEM_MAX, f"pro_sdm_item_{i}_0_5")
                for i in range(1, SDM_ITEMS + 1)
            ],
            _range_check("score", 0, 100, "pro_sdm_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"SDM hulpverlener {self.family_id} {self.date:%d-%m-%Y}: {self.score}"

    @property
    def items(self) -> list[int]:
        return [getattr(self, f"item_{i}") for i in range(1, SDM_ITEMS + 1)]


# The implementation questionnaire's items per determinant area (the method, the
# professional, the organisation, the wider setting); the texts are in
# reports.questionnaires.IMPLEMENTATION_QUESTIONS.
IMPLEMENTATION_AREAS = ("method", "professional", "organisation", "context")
IMPLEMENTATION_ITEMS = {
    "method": ("method_1", "method_2", "method_3"),
    "professional": ("professional_1", "professional_2", "professional_3"),
    "organisation": ("organisation_1", "organisation_2", "organisation_3"),
    "context": ("context_1", "context_2", "context_3"),
}
IMPLEMENTATION_ITEM_MIN, IMPLEMENTATION_ITEM_MAX = 1, 5
IMPLEMENTATION_REMARK_MAX = 2000
IMPLEMENTATION_TAKEN = _("U hebt de vragenlijst over de uitvoering dit halfjaar al ingevuld.")


def half_of(date) -> int:  # type: ignore[no-untyped-def]
    """1 for January–June, 2 for July–December."""
    return 1 if date.month <= 6 else 2


class ImplementationResponse(models.Model):
    """What helps and hinders working by the method: one per professional per half year.

    Reported only per team, as averages per area and never with a name (reports.teamreport);
    the remark is shown without its author, and only from three respondents on.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    half = models.PositiveSmallIntegerField(_("halfjaar"), choices=[(1, "1"), (2, "2")])
    method_1 = models.PositiveSmallIntegerField()
    method_2 = models.PositiveSmallIntegerField()
    method_3 = models.PositiveSmallIntegerField()
    professional_1 = models.PositiveSmallIntegerField()
    professional_2 = models.PositiveSmallIntegerField()
    professional_3 = models.PositiveSmallIntegerField()
    organisation_1 = models.PositiveSmallIntegerField()
    organisation_2 = models.PositiveSmallIntegerField()
    organisation_3 = models.PositiveSmallIntegerField()
    context_1 = models.PositiveSmallIntegerField()
    context_2 = models.PositiveSmallIntegerField()
    context_3 = models.PositiveSmallIntegerField()
    remark = models.TextField(
        _("wat helpt of hindert u nog meer?"), max_length=IMPLEMENTATION_REMARK_MAX, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-half", "-pk"]
        verbose_name = _("vragenlijst over de uitvoering")
        verbose_name_plural = _("vragenlijsten over de uitvoering")
        constraints = [
            # ImplementationForm gives the same sentence (IMPLEMENTATION_TAKEN).
            models.UniqueConstraint(
                "professional", "year", "half", name="implementation_once_per_half_year"
            ),
            *[
                _range_check(
                    name, IMPLEMENTATION_ITEM_MIN, IMPLEMENTATION_ITEM_MAX, f"impl_{name}_1_5"
                )
                for names in IMPLEMENTATION_ITEMS.values()
                for name in names
            ],
        ]

    def __str__(self) -> str:
        return f"Uitvoering {self.team_id} {self.year}-{self.half}"


# --- Supervision of coaches (intervisie, werkbegeleiding, coaching) ---


class SupervisionKind(models.TextChoices):
    INTERVISION = "intervision", _("Intervisie")
    WORK_SUPERVISION = "work_supervision", _("Werkbegeleiding")
    COACHING = "coaching", _("Coaching")


class SupervisionSession(models.Model):
    """One session of intervisie, werkbegeleiding or coaching of a coach, so the vaste
    hulpverlener is supervised structurally and not "ingezogen" (reports.supervision).

    Its points of attention are about the coach, not about a family: the families discussed
    are only linked (SupervisionDiscussion), so no family's file holds another family's case.
    A family's file (and its inzage) shows no more than the kind and the date of the session.
    """

    team = models.ForeignKey(
        "cases.Team", on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_sessions",
        verbose_name=_("gezinscoach"),
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("soort"), max_length=16, choices=SupervisionKind.choices)
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("begeleid door"),
    )
    points = models.TextField(_("aandachtspunten voor de coach"), max_length=4000, blank=True)
    families = models.ManyToManyField(
        Family,
        through="SupervisionDiscussion",
        blank=True,
        related_name="supervision_sessions",
        verbose_name=_("besproken gezinnen"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("supervisiesessie")
        verbose_name_plural = _("supervisiesessies")
        indexes = [
            models.Index(fields=["team", "-date"]),
            models.Index(fields=["coach", "-date"]),
        ]

    def __str__(self) -> str:
        # What a family's file may show of the session: its kind and date, nothing else.
        return f"{self.get_kind_display().lower()} op {self.date:%d-%m-%Y}"


class SupervisionDiscussion(models.Model):
    """That a family was discussed in a supervision session: a link, never case content.

    It hangs from the family, so the family's inzage lists it ("besproken in
    werkbegeleiding op …") and destruction removes it; the session stays with the coach."""

    session = models.ForeignKey(
        SupervisionSession,
        on_delete=models.CASCADE,
        related_name="discussions",
        verbose_name=_("sessie"),
    )
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="supervision_discussions"
    )

    class Meta:
        verbose_name = _("bespreking in supervisie")
        verbose_name_plural = _("besprekingen in supervisie")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "family"], name="supervision_family_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return gettext("Besproken in %(session)s") % {"session": self.session}


def new_key_id() -> str:
    """A project's key id: random, so no two projects share pseudonyms by accident."""
    return secrets.token_hex(16)


class ResearchProject(models.Model):
    """A research project that receives pseudonymised datasets (reports.research).

    The pseudonyms are keyed hashes with a secret from the environment (RESEARCH_SECRET)
    and this project's `key_id`: the same family has one pseudonym within a project and
    an unrelated one in another, so datasets of two projects cannot be linked. The secret
    itself is never stored in the database.
    """

    name = models.CharField(_("naam"), max_length=120)
    # Mixed into the key with the secret; fixed once made, or the pseudonyms change.
    key_id = models.CharField(_("sleutel-id"), max_length=64, unique=True, default=new_key_id)
    teams = models.ManyToManyField(
        "cases.Team", related_name="research_projects", verbose_name=_("deelnemende teams")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("onderzoeksproject")
        verbose_name_plural = _("onderzoeksprojecten")

    def __str__(self) -> str:
        return self.name


class ResearchExport(models.Model):
    """One request for a project's dataset of one team, built in the background
    (reports.research.services) as a ZIP of CSV files with their codebook."""

    # The Celery task that builds it; the sweep sends it again (cases.taskstate).
    task_path = "reports.tasks.build_research_export"

    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="exports")
    team = models.ForeignKey("cases.Team", on_delete=models.CASCADE, related_name="+")
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
    state_changed_at = models.DateTimeField(_("status sinds"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    # Relative to the default storage, e.g. "research/3/12.zip".
    file_path = models.CharField(_("bestand"), max_length=300, blank=True)
    checksum_sha256 = models.CharField(_("controlegetal (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("grootte (bytes)"), null=True, blank=True)
    families = models.PositiveIntegerField(_("gezinnen"), null=True, blank=True)
    error = models.TextField(_("foutmelding"), max_length=2000, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("onderzoeksdataset")
        verbose_name_plural = _("onderzoeksdatasets")

    def __str__(self) -> str:
        return f"{self.project_id}/{self.team_id} ({self.state})"

    @property
    def filename(self) -> str:
        return f"onderzoek-{self.project_id}-{self.pk}.zip"


class ResearchDownload(models.Model):
    """Every download of a research dataset: who, when, which file (no family in it)."""

    export = models.ForeignKey(ResearchExport, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(_("gebruiker"), max_length=150)
    at = models.DateTimeField(_("gedownload op"), default=timezone.now)
    checksum_sha256 = models.CharField(_("controlegetal (SHA-256)"), max_length=64)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("download van een onderzoeksdataset")
        verbose_name_plural = _("downloads van onderzoeksdatasets")

    def __str__(self) -> str:
        return f"{self.username} {self.export_id}"


class FidelitySnapshot(models.Model):
    """The team report's fidelity table (reports.teamreport.fidelity_table) for one team,
    as computed at `computed_at` for the states on `day`.

    The table judges every open file of the team, which at an organisation's size takes
    seconds; the team report reads it from here and a Celery job computes it anew
    (reports.teamreport.team_fidelity). Counts per coach only: no family's data."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    computed_at = models.DateTimeField()
    # When a page last asked for a new computation (at most one is queued at a time).
    refresh_asked_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"fidelity {self.team_id} {self.computed_at:%Y-%m-%d %H:%M}"


class FamilyFigures(models.Model):
    """A family's contact sums that the caseload, the coach load and the landing page read
    instead of adding up its contacts on every request (reports.figures).

    Kept in the same transaction as every write that changes them (a contact saved or
    deleted, a phase started or ended: reports.figures' signal handlers) and rebuilt every
    night for the date-window figures (`as_of`). A reader checks that a row still holds
    for what it asks (`as_of` is its today, `phase_started_on` the open phase's start) and
    otherwise computes the figure live, so a stale row is slow, never wrong. Derived from
    the family's contacts, so no timestamp that would restart its retention period.

    The domain trend (the caseload's ?sort=trend) is kept by the writes of moments, score
    sheets and domain scores (strengths) the same way; it holds once `trend_kept` is set,
    which every refresh does (a row from before the trend was stored is read live).

    The attention flags (`flags`, `late`) hold for `flags_as_of` only: a write that can
    change them empties that date in its transaction, and the nightly job and a job every
    few minutes compute them again (reports.caseload.refresh_flags)."""

    family = models.OneToOneField(
        Family, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    # The newest contact's date, any contact (empty: never contacted).
    last_contact = models.DateField(null=True, blank=True)
    # The open phase's start, and the contact minutes from that day on (0 without a phase).
    phase_started_on = models.DateField(null=True, blank=True)
    used_minutes = models.PositiveIntegerField(default=0)
    # The open phase's relapse hours (phases.ExtraHours), with the same phase start.
    extra_hours = models.DecimalField(max_digits=7, decimal_places=1, default=0)
    # The day the window figures hold for, and the contact minutes of its last 4 weeks.
    as_of = models.DateField()
    minutes_4w = models.PositiveIntegerField(default=0)
    # The domain trend as reports.figures.live_trend computes it (latest scored moment's
    # mean severity minus the first's, unrounded; empty with fewer than two scored moments),
    # and whether this row holds it: an empty trend is a value, so it cannot say so itself.
    trend = models.FloatField(null=True, blank=True)
    trend_kept = models.BooleanField(default=False)
    # The caseload's flags as reports.caseload computes them (a bit each, FLAG_BITS there)
    # and the days past the phase's agreed end, for `flags_as_of`: they hold on that day
    # only, and every write that can change one empties it (reports.figures), so a reader
    # computes that family's flags live until the next refresh.
    flags_as_of = models.DateField(null=True, blank=True)
    flags = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    # One more at every write that empties `flags_as_of`: a refresh stores what it computed
    # only if no such write came in since it read the row (reports.caseload.refresh_flags).
    flags_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("kengetallen van een gezin")
        verbose_name_plural = _("kengetallen van gezinnen")

    def __str__(self) -> str:
        return f"figures {self.family_id} {self.as_of:%Y-%m-%d}"


class TeamReportSnapshot(models.Model):
    """The whole team report (reports.teamreport.team_report) of one team and year, as
    computed at `computed_at`, fidelity table included.

    The report looks back over a year of contacts, phases, referrals and questionnaires, which
    grows with the team; the page, its CSV, workbook and print version read this row and
    render, and a Celery job computes it anew every FIDELITY_SNAPSHOT_MINUTES
    (reports.teamreport.team_report_snapshot). Counts and averages per team, coach and quarter
    only: no family's data. Labels of choices are stored as their values, so every language
    reads the same row."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField()
    # When a page last asked for a new computation (at most one is queued at a time).
    refresh_asked_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "year"], name="team_report_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"team report {self.team_id} {self.year} {self.computed_at:%Y-%m-%d %H:%M}"
