"""The family's social network: members, agreements, network meetings and Krachtgezinnen.

The network is mobilised before professional help (DOMAIN.md, "Netwerk"): first map who is
around the family, then what each can and will give, then keep them involved.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cases.models import Appointment, Contact, Family, Member, Team


class Circle(models.TextChoices):
    """The sectors of the network map, in the order drawn (clockwise from the top)."""

    HOUSEHOLD = "household", _("Huishouden")
    FAMILY = "family", _("Familie")
    FRIENDS = "friends", _("Vrienden")
    NEIGHBOURHOOD = "neighbourhood", _("Buurt")
    SCHOOL_WORK_CLUB = "school_work_club", _("School, werk, club")
    PROFESSIONALS = "professionals", _("Professionals")


class Closeness(models.IntegerChoices):
    CLOSE = 1, _("1 · dichtbij")
    MIDDLE = 2, _("2 · tussenin")
    FAR = 3, _("3 · verder weg")


class Quality(models.TextChoices):
    STRONG = "strong", _("Sterk")
    FRAGILE = "fragile", _("Kwetsbaar")
    STRESSFUL = "stressful", _("Belastend")
    BROKEN = "broken", _("Verbroken")


class Direction(models.TextChoices):
    GIVES = "gives", _("Geeft steun")
    RECEIVES = "receives", _("Krijgt steun")
    MUTUAL = "mutual", _("Wederzijds")


class SupportType(models.TextChoices):
    EMOTIONAL = "emotional", _("Emotioneel")
    PRACTICAL = "practical", _("Praktisch")
    ADVICE = "advice", _("Advies")
    COMPANY = "company", _("Gezelschap")
    RESPITE = "respite", _("Opvang/ontlasting")


class ContactFrequency(models.TextChoices):
    DAILY = "daily", _("Dagelijks")
    WEEKLY = "weekly", _("Wekelijks")
    MONTHLY = "monthly", _("Maandelijks")
    SOMETIMES = "sometimes", _("Af en toe")
    RARELY = "rarely", _("Zelden")


class SpecialRole(models.TextChoices):
    JIM = "jim", _("JIM (jouw ingebrachte mentor)")
    KRACHTGEZIN = "krachtgezin", _("Krachtgezin")
    SAFETY_NET = "safety_net", _("Vangnetpersoon")
    EK_COORDINATOR = "ek_coordinator", _("Eigen Kracht-coördinator")


class NetworkMemberQuerySet(models.QuerySet["NetworkMember"]):
    def with_last_contact(self) -> NetworkMemberQuerySet:
        """Annotate the last contact-log date and the last (held) network meeting naming them.

        Two correlated subqueries, so a list of members costs one query; the later of the
        two is `NetworkMember.last_seen`.
        """
        today = timezone.localdate()
        last_contact = (
            Contact.objects.filter(network_members_present=OuterRef("pk"))
            .order_by("-date")
            .values("date")[:1]
        )
        last_meeting = (
            NetworkMeeting.objects.filter(network_members=OuterRef("pk"), date__lte=today)
            .order_by("-date")
            .values("date")[:1]
        )
        return self.annotate(
            last_contact_date=Subquery(last_contact), last_meeting_date=Subquery(last_meeting)
        )


class NetworkMember(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="network_members")
    name = models.CharField(_("naam"), max_length=120)
    relation = models.CharField(
        _("relatie"), max_length=80, help_text=_("Bijvoorbeeld oma, buurvrouw, voetbaltrainer.")
    )
    circle = models.CharField(_("kring"), max_length=20, choices=Circle.choices)
    closeness = models.PositiveSmallIntegerField(
        _("nabijheid"), choices=Closeness.choices, default=Closeness.MIDDLE
    )
    # Blank until the coach has asked: the quick add needs only name, relation and circle.
    quality = models.CharField(
        _("kwaliteit van de relatie"), max_length=16, choices=Quality.choices, blank=True
    )
    direction = models.CharField(
        _("richting van de steun"), max_length=16, choices=Direction.choices, blank=True
    )
    # Codes of SupportType (a JSON list, like Contact.domains).
    support_types = models.JSONField(_("soorten steun"), default=list, blank=True)
    contact_frequency = models.CharField(
        _("hoe vaak contact"), max_length=16, choices=ContactFrequency.choices, blank=True
    )
    finds_important = models.BooleanField(
        _("vindt het belangrijk dat het goed gaat met de kinderen"), default=True
    )
    willing_to_contribute = models.BooleanField(_("wil bijdragen"), default=False)
    contribution = models.TextField(
        _("wat kan en wil deze persoon geven"), max_length=2000, blank=True
    )
    special_role = models.CharField(
        _("bijzondere rol"), max_length=20, choices=SpecialRole.choices, blank=True
    )
    # A JIM is the mentor a young person of this family chose (network.forms checks both).
    chosen_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jims",
        verbose_name=_("gekozen door (jongere)"),
        help_text=_("Bij een JIM: de jongere die deze mentor heeft gekozen."),
    )
    safety_risk = models.BooleanField(_("veiligheidsrisico"), default=False)
    safety_note = models.TextField(_("toelichting veiligheidsrisico"), max_length=2000, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    note = models.TextField(_("notitie"), max_length=2000, blank=True)
    # Contacts in the contact log at which this person was present (cases.ContactForm).
    contacts = models.ManyToManyField(
        Contact,
        blank=True,
        related_name="network_members_present",
        verbose_name=_("contacten"),
    )
    # Planned appointments this person is expected at (network/appointments.py).
    appointments = models.ManyToManyField(
        Appointment,
        blank=True,
        related_name="network_members_expected",
        verbose_name=_("verwacht bij afspraken"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (cases.services.claim_version): the edit form carries this version.
    version = models.PositiveIntegerField(default=1)

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        ordering = ["closeness", "name"]
        verbose_name = _("netwerklid")
        verbose_name_plural = _("netwerkleden")
        indexes = [models.Index(fields=["family", "circle"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closeness__gte=1) & Q(closeness__lte=3),
                name="networkmember_closeness_1_3",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"

    def get_support_types_display(self) -> list[str]:
        labels = dict(SupportType.choices)
        return [str(labels.get(code, code)) for code in self.support_types]

    @property
    def last_seen(self) -> datetime.date | None:
        """The later of the last contact and the last meeting (needs `with_last_contact()`)."""
        dates = [
            d
            for d in (
                getattr(self, "last_contact_date", None),
                getattr(self, "last_meeting_date", None),
            )
            if d
        ]
        return max(dates) if dates else None


class MeetingKind(models.TextChoices):
    NETWORK_MEETING = "netwerkberaad", _("Netwerkberaad")
    EIGEN_KRACHT = "eigen_kracht", _("Eigen Kracht-conferentie")


class NetworkMeeting(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="network_meetings")
    kind = models.CharField(_("soort bijeenkomst"), max_length=20, choices=MeetingKind.choices)
    date = models.DateField(_("datum"))
    family_members = models.ManyToManyField(
        Member, blank=True, related_name="network_meetings", verbose_name=_("gezinsleden")
    )
    network_members = models.ManyToManyField(
        NetworkMember, blank=True, related_name="meetings", verbose_name=_("netwerkleden")
    )
    other_participants = models.CharField(
        _("andere deelnemers"),
        max_length=300,
        blank=True,
        help_text=_("Professionals en anderen, bijvoorbeeld ‘gezinscoach, leerkracht’."),
    )
    # The report of a network meeting or family group conference.
    outcomes = models.TextField(_("uitkomsten"), max_length=10_000, blank=True)
    next_evaluation = models.DateField(_("volgende evaluatie"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (cases.services.claim_version): the edit form carries this version.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("netwerkbijeenkomst")
        verbose_name_plural = _("netwerkbijeenkomsten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"


class AgreementWho(models.TextChoices):
    FAMILY_MEMBER = "family_member", _("Gezinslid")
    NETWORK_MEMBER = "network_member", _("Netwerklid")
    PROFESSIONAL = "professional", _("Professional")


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Loopt")
    DONE = "done", _("Gedaan")
    STOPPED = "stopped", _("Gestopt")


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def overdue(self, today: datetime.date | None = None) -> AgreementQuerySet:
        """Running agreements whose date has passed."""
        today = today or timezone.localdate()
        return self.filter(status=AgreementStatus.OPEN, due_date__lt=today)


class Agreement(models.Model):
    """An afspraak: who does what, when or how often; optionally for a goal of the plan."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="agreements")
    who_kind = models.CharField(_("wie"), max_length=16, choices=AgreementWho.choices)
    family_member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("gezinslid"),
    )
    network_member = models.ForeignKey(
        NetworkMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("netwerklid"),
    )
    professional = models.CharField(_("professional"), max_length=120, blank=True)
    what = models.TextField(_("wat"), max_length=2000)
    due_date = models.DateField(_("uiterlijk op"), null=True, blank=True)
    frequency = models.CharField(
        _("hoe vaak"), max_length=120, blank=True, help_text=_("Bijvoorbeeld ‘elke woensdag’.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.OPEN
    )
    meeting = models.ForeignKey(
        NetworkMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("gemaakt tijdens"),
    )
    goal = models.ForeignKey(
        "cases.PlanGoal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("voor doel in het gezinsplan"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (cases.services.claim_version): the edit form carries this version.
    version = models.PositiveIntegerField(default=1)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_date", "pk"]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        indexes = [models.Index(fields=["family", "status", "due_date"])]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def who_display(self) -> str:
        if self.who_kind == AgreementWho.FAMILY_MEMBER and self.family_member:
            return self.family_member.name
        if self.who_kind == AgreementWho.NETWORK_MEMBER and self.network_member:
            return self.network_member.name
        return self.professional

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == AgreementStatus.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class Evaluation(models.Model):
    """An evaluation of a network meeting's agreements, together with the network."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="evaluations"
    )
    date = models.DateField(_("datum evaluatie"))
    note = models.TextField(_("notitie"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")

    def __str__(self) -> str:
        return f"{self.meeting} – {self.date:%d-%m-%Y}"


class Outcome(models.TextChoices):
    HAPPENED = "happened", _("Gebeurd")
    PARTLY = "partly", _("Deels gebeurd")
    NOT_HAPPENED = "not_happened", _("Niet gebeurd")


class AgreementEvaluation(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="items")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="evaluations")
    outcome = models.CharField(_("is het gebeurd?"), max_length=16, choices=Outcome.choices)

    class Meta:
        ordering = ["agreement_id"]
        verbose_name = _("evaluatie van een afspraak")
        verbose_name_plural = _("evaluaties van afspraken")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "agreement"], name="agreementevaluation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.outcome}"


class Krachtgezin(models.Model):
    """A supporting family in the team's pool (seeds/001): one parent a registered youth-care
    professional, about 10 hours a week available, may take a child for a day or a weekend.

    It supports one family at a time: the matching with that family (KrachtgezinMatch) is
    recorded separately, so a Krachtgezin holds nothing of the families it supported."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="krachtgezinnen")
    name = models.CharField(_("naam krachtgezin"), max_length=120)
    contact_person = models.CharField(_("contactpersoon"), max_length=120)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    registration = models.CharField(
        _("SKJ- of BIG-registratie"),
        max_length=60,
        blank=True,
        help_text=_("Van de ouder die jeugdzorgprofessional is."),
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("beschikbare uren per week"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    active = models.BooleanField(
        _("beschikbaar"),
        default=True,
        help_text=_("Uit: het krachtgezin doet (voorlopig) niet meer mee in de pool."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (cases.services.claim_version): the edit form carries this version.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("krachtgezin")
        verbose_name_plural = _("krachtgezinnen")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def open_match(self) -> KrachtgezinMatch | None:
        """The running matching (at most one: a constraint), or None while in the pool.
        A list prefetches it as `open_matches`."""
        if hasattr(self, "open_matches"):
            return self.open_matches[0] if self.open_matches else None
        return self.matches.filter(ended_on__isnull=True).select_related("family").first()

    @property
    def supported_family(self) -> Family | None:
        match = self.open_match
        return match.family if match else None

    @property
    def is_free(self) -> bool:
        return self.active and self.open_match is None

    @property
    def is_matched(self) -> bool:
        """Klik from both sides and a feeling of safety at the running matching."""
        match = self.open_match
        return bool(match and match.is_matched)


class Answer(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nee")
    UNSURE = "unsure", _("Twijfel")


class KrachtgezinMatchQuerySet(models.QuerySet["KrachtgezinMatch"]):
    def open(self) -> KrachtgezinMatchQuerySet:
        return self.filter(ended_on__isnull=True)


class KrachtgezinMatch(models.Model):
    """A Krachtgezin from the pool supporting one family: the kennismakingsgesprek (date, the
    third person present, klik from both sides, feeling of safety) and the goals agreed with
    the regisseur. Support needs klik from both sides and safety (seeds/001)."""

    krachtgezin = models.ForeignKey(
        Krachtgezin, on_delete=models.CASCADE, related_name="matches", verbose_name=_("krachtgezin")
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="krachtgezin_matches")
    intro_date = models.DateField(_("datum kennismakingsgesprek"), null=True, blank=True)
    intro_third_person = models.CharField(
        _("derde persoon bij het gesprek"),
        max_length=120,
        blank=True,
        help_text=_("Bijvoorbeeld de gezinscoach of de regisseur."),
    )
    # Blank until the introduction meeting was held.
    click_family = models.CharField(
        _("klik volgens het gezin"), max_length=8, choices=Answer.choices, blank=True
    )
    click_krachtgezin = models.CharField(
        _("klik volgens het krachtgezin"), max_length=8, choices=Answer.choices, blank=True
    )
    safety = models.CharField(
        _("gevoel van veiligheid"), max_length=8, choices=Answer.choices, blank=True
    )
    goals = models.TextField(_("doelen afgesproken met de regisseur"), max_length=2000, blank=True)
    intro_note = models.TextField(_("toelichting kennismaking"), max_length=2000, blank=True)
    started_on = models.DateField(_("gekoppeld op"), default=timezone.localdate)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (cases.services.claim_version): the edit form carries this version.
    version = models.PositiveIntegerField(default=1)

    objects = KrachtgezinMatchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("koppeling krachtgezin")
        verbose_name_plural = _("koppelingen krachtgezinnen")
        constraints = [
            # One supported family at a time (network.services.krachtgezin_match says so first).
            models.UniqueConstraint(
                fields=["krachtgezin"],
                condition=Q(ended_on__isnull=True),
                name="krachtgezin_one_family_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="krachtgezinmatch_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.krachtgezin_id} → {self.family_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def is_held(self) -> bool:
        return self.intro_date is not None

    @property
    def is_matched(self) -> bool:
        return (
            self.click_family == Answer.YES
            and self.click_krachtgezin == Answer.YES
            and self.safety == Answer.YES
        )


class RespiteStay(models.Model):
    """A child of the supported family staying with the Krachtgezin (a day or a weekend)."""

    krachtgezin = models.ForeignKey(Krachtgezin, on_delete=models.CASCADE, related_name="stays")
    child = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="respite_stays", verbose_name=_("kind")
    )
    start = models.DateTimeField(_("van"))
    end = models.DateTimeField(_("tot"))
    note = models.CharField(_("notitie"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("opvang")
        verbose_name_plural = _("opvangmomenten")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="stay_end_after")
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.start:%d-%m-%Y}"

    @property
    def hours(self) -> float:
        return round((self.end - self.start).total_seconds() / 3600, 1)
