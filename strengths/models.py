"""Domain scores per measurement moment, the krachtenanalyse per member, and the timeline.

The scoring anchors are our own wording (DOMAIN.md): ZRM and Outcome Star texts are
copyrighted and must not be copied here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from cases.compiled import MARKER, CompiledQuery
from cases.daycache import DayCache
from cases.models import Family, LifeDomain, Member

SEVERITY_MIN, SEVERITY_MAX = 1, 5
STRENGTH_MIN, STRENGTH_MAX = 0, 3

SEVERITY_CHOICES = [
    (1, _("1 – acuut/onveilig")),
    (2, _("2 – ernstig")),
    (3, _("3 – deels beheersbaar")),
    (4, _("4 – voldoende")),
    (5, _("5 – goed")),
]
STRENGTH_CHOICES = [
    (0, _("0 – niet zichtbaar")),
    (1, _("1 – aanwezig, niet benut")),
    (2, _("2 – deels ingezet")),
    (3, _("3 – duidelijk ingezet")),
]


class MomentKind(models.TextChoices):
    START = "start", _("Start")
    ANALYSIS_END = "analysis_end", _("Einde analyse")
    INTERIM = "interim", _("Tussenevaluatie")
    CLOSING = "closing", _("Afsluiting")


# The moments at which the inclusion check is made (strengths.services.inclusion_check).
INCLUSION_MOMENTS = (MomentKind.START, MomentKind.ANALYSIS_END)


class Perspective(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    PARENT = "parent", _("Ouder")
    YOUNG_PERSON = "young_person", _("Jongere")
    JOINT = "joint", _("Gezamenlijk")


# Which perspective speaks for a moment when only one can be shown (chart, inclusion
# check): the joint view first, since the family keeps the regie.
PERSPECTIVE_PREFERENCE = (
    Perspective.JOINT,
    Perspective.PROFESSIONAL,
    Perspective.PARENT,
    Perspective.YOUNG_PERSON,
)


class Moment(models.Model):
    """A measurement moment of a family: start, end of analysis, interim or closing."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="score_moments")
    kind = models.CharField(_("meetmoment"), max_length=16, choices=MomentKind.choices)
    date = models.DateField(_("datum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("meetmoment")
        verbose_name_plural = _("meetmomenten")
        constraints = [
            # Interim evaluations recur; start, end of analysis and closing happen once.
            models.UniqueConstraint(
                fields=["family", "kind"],
                condition=~Q(kind="interim"),
                name="strengths_moment_once_per_family",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    @property
    def label(self) -> str:
        return f"{self.get_kind_display()} {dateformat.format(self.date, 'j F Y')}"


class ScoreSheet(models.Model):
    """The seven domain scores of one moment from one perspective, saved together."""

    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="sheets")
    perspective = models.CharField(_("perspectief"), max_length=16, choices=Perspective.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (cases.services.claim_version): the form carries this version.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["moment", "perspective"]
        verbose_name = _("scoreformulier")
        verbose_name_plural = _("scoreformulieren")
        constraints = [
            models.UniqueConstraint(
                fields=["moment", "perspective"], name="strengths_sheet_one_per_perspective"
            )
        ]

    def __str__(self) -> str:
        return f"{self.moment} – {self.get_perspective_display()}"


class DomainScore(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(_("levensgebied"), max_length=16, choices=LifeDomain.choices)
    severity = models.PositiveSmallIntegerField(_("ernst"), choices=SEVERITY_CHOICES)
    strength = models.PositiveSmallIntegerField(_("kracht"), choices=STRENGTH_CHOICES)
    own_words = models.TextField(_("in eigen woorden"), max_length=2000, blank=True)
    problem_present = models.BooleanField(_("probleem aanwezig"), default=False)
    long_lasting = models.BooleanField(_("langdurig"), default=False)
    share_own = models.PositiveSmallIntegerField(_("aandeel eigen kracht (%)"), null=True)
    share_network = models.PositiveSmallIntegerField(_("aandeel netwerk (%)"), null=True)
    share_professional = models.PositiveSmallIntegerField(
        _("aandeel professionele hulp (%)"), null=True
    )

    class Meta:
        ordering = ["sheet", "pk"]
        verbose_name = _("domeinscore")
        verbose_name_plural = _("domeinscores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "domain"], name="strengths_score_one_domain"),
            models.CheckConstraint(
                condition=Q(severity__gte=SEVERITY_MIN) & Q(severity__lte=SEVERITY_MAX),
                name="strengths_score_severity_1_5",
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=STRENGTH_MIN) & Q(strength__lte=STRENGTH_MAX),
                name="strengths_score_strength_0_3",
            ),
            models.CheckConstraint(
                condition=Q(domain__in=LifeDomain.values), name="strengths_score_domain_valid"
            ),
            # A lasting problem is a problem (the inclusion check counts these).
            models.CheckConstraint(
                condition=Q(long_lasting=False) | Q(problem_present=True),
                name="strengths_score_lasting_is_present",
            ),
            # The shares are all given and sum to 100, or none is given.
            models.CheckConstraint(
                condition=(
                    Q(share_own__isnull=True)
                    & Q(share_network__isnull=True)
                    & Q(share_professional__isnull=True)
                )
                | (
                    Q(share_own__lte=100)
                    & Q(share_network__lte=100)
                    & Q(share_professional__lte=100)
                    & Q(
                        share_own__isnull=False,
                        share_network__isnull=False,
                        share_professional__isnull=False,
                    )
                    & Q(Exact(F("share_own") + F("share_network") + F("share_professional"), 100))
                ),
                name="strengths_score_shares_sum_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.severity}/{self.strength}"


class MemberAnalysis(models.Model):
    """The krachtenanalyse of one family member: strengths, wishes, worries in their words."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="member_analyses")
    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="analysis", verbose_name=_("gezinslid")
    )
    date = models.DateField(_("datum"))
    filled_in_by = models.CharField(
        _("ingevuld door"),
        max_length=200,
        help_text=_("Bijvoorbeeld ‘zelf’, ‘samen met moeder’ of ‘met de gezinscoach’."),
    )
    # Asked of every member at length (the analysis builds trust): room for a long talk.
    strengths = models.TextField(_("krachten"), max_length=10_000)
    wishes = models.TextField(_("wensen"), max_length=10_000, blank=True)
    worries = models.TextField(_("zorgen"), max_length=10_000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["member__date_of_birth", "member__name"]
        verbose_name = _("krachtenanalyse")
        verbose_name_plural = _("krachtenanalyses")

    def __str__(self) -> str:
        return f"{self.member} {self.date:%d-%m-%Y}"


class DatePrecision(models.TextChoices):
    DAY = "day", _("Dag")
    MONTH = "month", _("Maand")
    YEAR = "year", _("Jaar")


class EventKind(models.TextChoices):
    MOVE = "move", _("Verhuizing")
    BIRTH = "birth", _("Geboorte")
    LOSS = "loss", _("Overlijden/verlies")
    DIVORCE = "divorce", _("Scheiding")
    PLACEMENT = "placement", _("Uithuisplaatsing")
    EARLIER_CARE = "earlier_care", _("Eerdere hulpverlening")
    SCHOOL = "school", _("School")
    WORK = "work", _("Werk")
    HEALTH = "health", _("Gezondheid")
    JUSTICE = "justice", _("Justitie")
    OTHER = "other", _("Anders")


EVENT_MIN_YEAR = 1900
EVENT_MAX_YEAR = 2200


class TimelineEvent(models.Model):
    """An event in the family's history, dated to the day, the month or only the year."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="timeline_events")
    precision = models.CharField(
        _("nauwkeurigheid datum"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    month = models.PositiveSmallIntegerField(_("maand"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("dag"), null=True, blank=True)
    kind = models.CharField(_("soort gebeurtenis"), max_length=16, choices=EventKind.choices)
    description = models.TextField(_("beschrijving"), max_length=2000)
    members = models.ManyToManyField(
        Member, blank=True, related_name="timeline_events", verbose_name=_("betrokken gezinsleden")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # A year-only event sorts before the months of that year, a month before its days.
        ordering = [
            "year",
            F("month").asc(nulls_first=True),
            F("day").asc(nulls_first=True),
            "pk",
        ]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        indexes = [models.Index(fields=["family", "year", "month", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=EVENT_MIN_YEAR) & Q(year__lte=EVENT_MAX_YEAR),
                name="strengths_event_year_range",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | (Q(month__gte=1) & Q(month__lte=12)),
                name="strengths_event_month_range",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | (Q(day__gte=1) & Q(day__lte=31)),
                name="strengths_event_day_range",
            ),
            # The date fields match the precision.
            models.CheckConstraint(
                condition=(
                    Q(precision="year", month__isnull=True, day__isnull=True)
                    | Q(precision="month", month__isnull=False, day__isnull=True)
                    | Q(precision="day", month__isnull=False, day__isnull=False)
                ),
                name="strengths_event_fields_match_precision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_date}: {self.get_kind_display()}"

    @property
    def display_date(self) -> str:
        """ "2019", "maart 2019" or "12 maart 2019", in the active language."""
        if self.precision == DatePrecision.YEAR or self.month is None:
            return str(self.year)
        if self.precision == DatePrecision.MONTH or self.day is None:
            return dateformat.format(datetime.date(self.year, self.month, 1), "F Y")
        return dateformat.format(datetime.date(self.year, self.month, self.day), "j F Y")

    @property
    def iso_date(self) -> str:
        """For `<time datetime=...>`: "2019", "2019-03" or "2019-03-12"."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class InclusionCheck:
    lasting: int
    threshold: int
    sheet: ScoreSheet

    @property
    def meets(self) -> bool:
        return self.lasting >= self.threshold

    @property
    def total(self) -> int:
        return len(LifeDomain.values)


def preferred_sheet(sheets: list[ScoreSheet]) -> ScoreSheet | None:
    """The sheet that speaks for a moment: joint first (PERSPECTIVE_PREFERENCE)."""
    by_perspective = {sheet.perspective: sheet for sheet in sheets}
    for perspective in PERSPECTIVE_PREFERENCE:
        if perspective in by_perspective:
            return by_perspective[perspective]
    return None


# The sheets of a family's inclusion moments, compiled once per process (cases.compiled).
_inclusion_sheets = DayCache(
    lambda today: CompiledQuery(
        ScoreSheet.objects.filter(moment__family_id=MARKER, moment__kind__in=INCLUSION_MOMENTS)
        .select_related("moment")
        .annotate(lasting=models.Count("scores", filter=Q(scores__long_lasting=True)))
        .order_by("-moment__date", "-moment__pk"),
        family=MARKER,
    )
)


def inclusion_check(family: Family) -> InclusionCheck | None:
    """Domains with a lasting problem at the latest inclusion moment, against the team threshold.

    The check is made at start or end of analysis (INCLUSION_MOMENTS): a family that improves
    later does not stop having been included. None while no such moment is scored. Two queries.
    """
    sheets = _inclusion_sheets.get().run(family=family.pk)
    if not sheets:
        return None
    latest = [s for s in sheets if s.moment_id == sheets[0].moment_id]
    sheet = preferred_sheet(latest)
    assert sheet is not None  # latest is never empty
    return InclusionCheck(
        lasting=sheet.lasting,  # type: ignore[attr-defined]
        threshold=family.team.inclusion_threshold,
        sheet=sheet,
    )
