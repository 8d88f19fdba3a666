from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases import log_chain

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class LifeDomain(models.TextChoices):
    """The seven life domains (Knot-Dickscheit & Knorth, 2019); shared by every app."""

    CHILD = "child", _("Kind")
    PARENT = "parent", _("Ouder(s)")
    PARENTING = "parenting", _("Opvoeding")
    FAMILY = "family", _("Gezinsfunctioneren")
    SOCIOECONOMIC = "socioeconomic", _("Sociaal-economisch")
    ENVIRONMENT = "environment", _("Omgevingsfactoren")
    CARE = "care", _("Hulpverleningsfactoren")


class Team(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    # Lasting problems on at least this many domains make a family multi-stress;
    # sources differ (5 or 6), so it is a team setting (DOMAIN.md).
    inclusion_threshold = models.PositiveSmallIntegerField(
        _("inclusiedrempel (levensgebieden)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COACH = "coach", _("Gezinscoach")
    PSYCHOLOGIST = "psychologist", _("Gedragswetenschapper/psycholoog")
    COORDINATOR = "coordinator", _("Coördinator")
    GZ_PSYCHOLOGIST = "gz_psychologist", _("GZ-psycholoog")
    PARENT_CHILD_THERAPIST = "parent_child_therapist", _("Ouder-kindtherapeut")
    SOCIAL_WORKER = "social_worker", _("Maatschappelijk werker")
    PSYCHIATRIST = "psychiatrist", _("Psychiater")
    SYSTEMS_THERAPIST = "systems_therapist", _("Systeemtherapeut")


# Roles that read and write every family of their team (review, intake, export).
TEAM_WIDE_ROLES = frozenset({Role.PSYCHOLOGIST, Role.COORDINATOR})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_one_role_per_team")
        ]
        verbose_name = _("teamlidmaatschap")
        verbose_name_plural = _("teamlidmaatschappen")

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_role_display()})"


class UserPreference(models.Model):
    """Per-user settings; for now the interface language (Dutch unless chosen otherwise)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("taal"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("voorkeur")
        verbose_name_plural = _("voorkeuren")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"


class FamilyStatus(models.TextChoices):
    REFERRED = "referred", _("Aangemeld")
    ACTIVE = "active", _("Actief")
    CLOSED = "closed", _("Afgesloten")
    AFTERCARE = "aftercare", _("Nazorg")


class Referrer(models.TextChoices):
    GP = "gp", _("Huisarts")
    OKT = "okt", _("OKT (Ouder- en Kindteam)")
    SAMEN_DOEN = "samen_doen", _("Samen DOEN")
    JBRA = "jbra", _("JBRA")
    CERTIFIED_INSTITUTION = "certified", _("Gecertificeerde instelling")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    YOUTH_DOCTOR = "youth_doctor", _("Jeugdarts")
    MUNICIPALITY = "municipality", _("Gemeente")
    OTHER = "other", _("Anders")


class FamilyQuerySet(models.QuerySet["Family"]):
    # Both filters use subqueries, not joins, so annotations over contacts are not
    # multiplied by team members or involved users.
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> FamilyQuerySet:
        """Families of the user's teams: everyone in a team may read its families."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(team__in=Membership.objects.filter(user=user).values("team"))

    def caseload_of(self, user: AbstractBaseUser) -> FamilyQuerySet:
        """The user's own families: coach or involved; the whole team for team-wide roles."""
        team_wide = Membership.objects.filter(user=user, role__in=TEAM_WIDE_ROLES).values("team")
        involved = Family.involved.through.objects.filter(user=user).values("family")
        return self.filter(Q(coach=user) | Q(pk__in=involved) | Q(team__in=team_wide))


CASE_NUMBER_TAKEN = _("Dit dossiernummer bestaat al.")


class Family(models.Model):
    # Unique regardless of case: see Meta.constraints.
    case_number = models.CharField(_("dossiernummer"), max_length=32)
    display_name = models.CharField(_("naam gezin"), max_length=120)
    area = models.CharField(_("wijk"), max_length=120, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="families", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FamilyStatus.choices, default=FamilyStatus.REFERRED
    )
    referrer = models.CharField(_("verwijzer"), max_length=32, choices=Referrer.choices)
    referrer_detail = models.CharField(_("verwijzer, toelichting"), max_length=200, blank=True)
    referral_date = models.DateField(_("datum aanmelding"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_families",
        verbose_name=_("vaste hulpverlener"),
    )
    involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="involved_families",
        verbose_name=_("betrokken teamleden"),
    )
    safety_flag = models.BooleanField(_("veiligheidssignaal"), default=False)
    safety_raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeld door"),
    )
    safety_raised_at = models.DateTimeField(_("gemeld op"), null=True, blank=True)
    safety_note = models.TextField(_("toelichting veiligheid"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit form carries the version it started from.
    version = models.PositiveIntegerField(default=1)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("gezin")
        verbose_name_plural = _("gezinnen")
        indexes = [models.Index(fields=["team", "status"])]
        constraints = [
            # "ZO-2026-001" and "zo-2026-001" are one file to the team, so one number.
            # FamilyForm.clean_case_number gives the same sentence on the field.
            models.UniqueConstraint(
                Lower("case_number"),
                name="family_case_number_unique_ci",
                violation_error_message=CASE_NUMBER_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.case_number})"


class FamilyRole(models.TextChoices):
    MOTHER = "mother", _("Moeder")
    FATHER = "father", _("Vader")
    PARENT = "parent", _("Ouder")
    STEPPARENT = "stepparent", _("Stiefouder")
    FOSTER_PARENT = "foster_parent", _("Pleegouder")
    CHILD = "child", _("Kind")
    GRANDPARENT = "grandparent", _("Grootouder")
    OTHER = "other", _("Anders")


ADULT_AGE = 18


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Member(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("naam"), max_length=120)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    role = models.CharField(_("rol in het gezin"), max_length=16, choices=FamilyRole.choices)
    lives_in_household = models.BooleanField(_("woont in het huishouden"), default=True)
    has_parental_authority = models.BooleanField(_("heeft gezag"), default=False)

    class Meta:
        ordering = ["date_of_birth", "name"]
        verbose_name = _("gezinslid")
        verbose_name_plural = _("gezinsleden")

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, timezone.localdate())


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Huisbezoek")
    PHONE = "phone", _("Telefonisch")
    VIDEO = "video", _("Video")
    NETWORK_MEETING = "network_meeting", _("Netwerkoverleg")
    SCHOOL = "school", _("School")
    OFFICE = "office", _("Kantoor")
    OTHER = "other", _("Anders")


CONTACT_MIN_MINUTES = 5
CONTACT_MAX_MINUTES = 720


class ContactQuerySet(models.QuerySet["Contact"]):
    def hours(self) -> float:
        total = self.aggregate(total=models.Sum("minutes"))["total"] or 0
        return round(total / 60, 1)


class Contact(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("datum"))
    minutes = models.PositiveSmallIntegerField(
        _("minuten"),
        validators=[
            MinValueValidator(CONTACT_MIN_MINUTES),
            MaxValueValidator(CONTACT_MAX_MINUTES),
        ],
    )
    kind = models.CharField(_("soort contact"), max_length=20, choices=ContactKind.choices)
    members_present = models.ManyToManyField(
        Member, blank=True, related_name="contacts", verbose_name=_("aanwezige gezinsleden")
    )
    # Codes of LifeDomain; a JSON list keeps the log fast to fill in and works on SQLite too.
    domains = models.JSONField(_("levensgebieden"), default=list, blank=True)
    note = models.TextField(_("korte notitie"), max_length=2000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")
        indexes = [models.Index(fields=["family", "-date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=CONTACT_MIN_MINUTES) & Q(minutes__lte=CONTACT_MAX_MINUTES),
                name="contact_minutes_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    def get_domains_display(self) -> list[str]:
        labels = dict(LifeDomain.choices)
        return [str(labels.get(code, code)) for code in self.domains]


def last_contact_date() -> models.Subquery:
    """Per family (OuterRef "pk"), the date of its latest contact: for annotating families."""
    latest = (
        Contact.objects.filter(family=models.OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(last=models.Max("date"))
        .values("last")
    )
    return models.Subquery(latest, output_field=models.DateField())


class ContactRevision(models.Model):
    """Every correction of a contact: who, when, before and after (records rules)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("correctie van een contact")
        verbose_name_plural = _("correcties van contacten")

    def __str__(self) -> str:
        return f"{self.contact_id} @ {self.changed_at:%Y-%m-%d %H:%M}"

    def changes(self) -> list[tuple[str, str, str]]:
        """The changed fields as (label, before, after), readable in the active language."""
        kinds = dict(ContactKind.choices)
        domains = dict(LifeDomain.choices)

        def show(field: str, value: object) -> str:
            if field == "date" and value:
                return date_format(datetime.date.fromisoformat(str(value)), "j M Y")
            if field == "kind":
                return str(kinds.get(str(value), value))
            if field == "domains":
                return ", ".join(str(domains.get(code, code)) for code in value or []) or "–"
            if field in ("members_present", "network_members_present"):
                return str(len(value or []))
            return str(value) if value not in (None, "") else "–"

        labels = {
            "date": _("datum"),
            "minutes": _("minuten"),
            "kind": _("soort contact"),
            "members_present": _("aantal aanwezige gezinsleden"),
            "network_members_present": _("aantal aanwezige netwerkleden"),
            "domains": _("levensgebieden"),
            "note": _("notitie"),
        }
        return [
            (str(labels.get(field, field)), show(field, old), show(field, self.after.get(field)))
            for field, old in self.before.items()
            if old != self.after.get(field)
        ]


class AccessAction(models.TextChoices):
    READ = "read", _("Inzien")
    CREATE = "create", _("Aanmaken")
    CHANGE = "change", _("Wijzigen")
    DELETE = "delete", _("Verwijderen")
    EXPORT = "export", _("Exporteren/afdrukken")
    SEARCH = "search", _("Zoeken")
    LOGIN = "login", _("Inloggen")
    LOGOUT = "logout", _("Uitloggen")
    LOGIN_FAILED = "login_failed", _("Mislukte inlogpoging")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", _("Toegestaan")
    DENIED = "denied", _("Geweigerd")


class AppendOnlyError(Exception):
    """An existing access-log row was about to be changed or deleted."""


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: object) -> int:
        # The one update allowed: deleting a user sets `user` to NULL (on_delete=SET_NULL);
        # the username stays in the row. The PostgreSQL trigger allows the same.
        if set(kwargs) == {"user"} and kwargs["user"] is None:
            return super().update(**kwargs)
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only.")

    def bulk_create(  # type: ignore[override]
        self, objs: Iterable[AccessLog], batch_size: int | None = None, **kwargs: Any
    ) -> list[AccessLog]:
        """Insert new rows, each chained to the one before it, in the order given."""
        objs = list(objs)
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            # A skipped or merged row would leave a hole in the chain.
            raise AppendOnlyError("The access log takes new rows only.")
        if not objs:
            return objs
        for obj in objs:
            obj.check_new()
        self._for_write = True
        using = self.db
        with log_chain.writer_lock(using):
            prev_hash = AccessLog.last_hash(using)
            for obj in objs:
                obj.seal(prev_hash)
                prev_hash = obj.row_hash
            return super().bulk_create(objs, batch_size=batch_size, **kwargs)  # type: ignore[arg-type,return-value]


class AccessLog(models.Model):
    """NEN 7513 access log: who did what to which family's record, when, with what outcome.

    Rows are only ever added; the family is kept as a plain id so the log outlives it.
    Append-only is enforced here (save/delete, QuerySet.update/delete), in the admin and,
    on PostgreSQL, by triggers (migrations cases 0003 and 0006) and by the application's
    database role, which may only insert and read (`manage.py grant_app_role`).

    Tamper-evident: every row is chained to the one before it by an HMAC (cases.log_chain);
    `manage.py verify_access_log` (daily, cases.integrity) walks the chain.
    """

    at = models.DateTimeField(_("tijdstip (UTC)"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150)
    role = models.CharField(_("rol"), max_length=32, blank=True)
    family_id_ref = models.BigIntegerField(_("gezin (id)"), null=True, db_index=True)
    action = models.CharField(_("handeling"), max_length=16, choices=AccessAction.choices)
    object = models.CharField(_("onderdeel"), max_length=200, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=AccessOutcome.choices)
    path = models.CharField(_("pagina"), max_length=300, blank=True)
    # The hash chain (cases.log_chain); set when the row is inserted, never by hand.
    prev_hash = models.CharField(_("vorige hash"), max_length=64, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        self.check_new()
        # The chain is sealed here, at the lowest level, so that every writer (log_access,
        # cases.audit, AccessLog.objects.create) is chained without knowing of it.
        using = kwargs.get("using") or router.db_for_write(AccessLog, instance=self)
        with log_chain.writer_lock(using):
            self.seal(AccessLog.last_hash(using))
            super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only.")

    @staticmethod
    def last_hash(using: str) -> str:
        """The newest row's hash; call it under log_chain.writer_lock only."""
        last = AccessLog.objects.using(using).order_by("-pk").values_list("row_hash").first()
        return last[0] if last else log_chain.GENESIS_HASH

    def check_new(self) -> None:
        # Before the writer lock is taken: an error inside it fails the caller's transaction.
        if self.pk is not None:
            # Id order is chain order, so ids come from the database, in insert order.
            raise AppendOnlyError("A new access-log row gets its id from the database.")

    def seal(self, prev_hash: str) -> None:
        """Set prev_hash and row_hash for this new row, over its values as stored."""
        values = {}
        for name in log_chain.HASHED_FIELDS:
            field = cast("models.Field[Any, Any]", self._meta.get_field(name))
            # The value as the database will hold it (str for choices, an aware datetime),
            # so the hash computed now is the one verification recomputes from the row.
            value = field.get_prep_value(getattr(self, field.attname))
            setattr(self, field.attname, value)
            values[name] = value
        self.prev_hash = prev_hash
        self.row_hash = log_chain.row_hash(prev_hash=prev_hash, values=values)

    @property
    def role_label(self) -> str:
        return str(dict(Role.choices).get(self.role, self.role))


class AccessLogCheckpointQuerySet(models.QuerySet["AccessLogCheckpoint"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Access-log checkpoints are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access-log checkpoints are append-only.")


class AccessLogCheckpoint(models.Model):
    """A point up to which the access-log chain was verified (cases.integrity).

    The chain itself shows a changed or removed row up to the newest one; only these
    checkpoints show that rows at the end were removed. Append-only like the log, with an
    HMAC of their own (`mac`) so a forged checkpoint is noticed.
    """

    verified_at = models.DateTimeField(_("gecontroleerd op"), default=timezone.now)
    last_id = models.BigIntegerField(_("laatste regel (id)"))
    last_hash = models.CharField(_("hash van de laatste regel"), max_length=64)
    mac = models.CharField(max_length=64, editable=False)

    objects = AccessLogCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("controlepunt toegangslog")
        verbose_name_plural = _("controlepunten toegangslog")

    def __str__(self) -> str:
        return f"{self.verified_at:%Y-%m-%d %H:%M} #{self.last_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Access-log checkpoints are append-only.")
        self.mac = self.expected_mac()
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access-log checkpoints are append-only.")

    def expected_mac(self) -> str:
        return log_chain.checkpoint_mac(
            last_id=self.last_id, last_hash=self.last_hash, verified_at=self.verified_at
        )


# --- Family plan ---
# The gezinsplan / familiegroepsplan (DOMAIN.md): one draft at a time per family; fixing
# ("vaststellen") freezes a version for good, and a new draft starts as a copy of it.


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    FIXED = "fixed", _("Vastgesteld")


class FamilyPlan(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    central_question = models.TextField(_("centrale vraag"), max_length=2000, blank=True)
    worries = models.TextField(_("zorgen"), max_length=4000, blank=True)
    safety_conditions = models.TextField(
        _("veiligheidsvoorwaarden (door een professional)"), max_length=4000, blank=True
    )
    safety_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veiligheidsvoorwaarden gesteld door"),
    )
    if_it_goes_differently = models.TextField(
        _("als het anders loopt"), max_length=4000, blank=True
    )
    # ISO dates, sorted; a short list the plan page edits in one form.
    evaluation_dates = models.JSONField(_("evaluatiedata"), default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akkoord namens het gezin"),
    )
    agreed_on = models.DateField(_("akkoord op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    fixed_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking of the plan's own text (cases.services.claim_version).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["family", "-number"]
        verbose_name = _("gezinsplan")
        verbose_name_plural = _("gezinsplannen")
        constraints = [
            models.UniqueConstraint(fields=["family", "number"], name="plan_number_per_family"),
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(status="draft"),
                name="plan_one_draft_per_family",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_id} v{self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def evaluation_date_values(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(d) for d in self.evaluation_dates]


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Nog niet begonnen")
    IN_PROGRESS = "in_progress", _("Bezig")
    ACHIEVED = "achieved", _("Bereikt")
    STOPPED = "stopped", _("Gestopt")


class PlanGoal(models.Model):
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("levensgebied"), max_length=16, choices=LifeDomain.choices)
    owner = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("van wie is het doel"),
    )
    text = models.TextField(_("doel (in de woorden van het gezin)"), max_length=1000)
    criterion = models.CharField(_("wanneer is het gelukt (meetbaar)"), max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("voortgang (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_max_100")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ActionSource(models.TextChoices):
    FAMILY = "family", _("Gezin")
    NETWORK = "network", _("Netwerk")
    PROFESSIONAL = "professional", _("Professional")


# Network contributions come before professional help (DOMAIN.md); the family itself first.
ACTION_SOURCE_ORDER = {
    ActionSource.FAMILY: 0,
    ActionSource.NETWORK: 1,
    ActionSource.PROFESSIONAL: 2,
}


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Afgesproken")
    IN_PROGRESS = "in_progress", _("Bezig")
    DONE = "done", _("Gedaan")
    CANCELLED = "cancelled", _("Vervallen")


class PlanActionQuerySet(models.QuerySet["PlanAction"]):
    def in_plan_order(self) -> PlanActionQuerySet:
        """Family first, then the network, then professional help."""
        order = models.Case(
            *(models.When(source=s, then=models.Value(i)) for s, i in ACTION_SOURCE_ORDER.items()),
            default=models.Value(9),
            output_field=models.IntegerField(),
        )
        return self.annotate(source_order=order).order_by("source_order", "created_at", "pk")


class PlanAction(models.Model):
    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        PlanGoal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("bij doel"),
    )
    source = models.CharField(_("wie draagt bij"), max_length=16, choices=ActionSource.choices)
    # "Who": a family member, or by name a network member or professional. The network
    # app keeps its own people; a free-text name keeps the plan independent of it.
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gezinslid"),
    )
    who_name = models.CharField(_("naam (netwerk of professional)"), max_length=120, blank=True)
    what = models.TextField(_("wat"), max_length=1000)
    when = models.CharField(_("wanneer"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def who(self) -> str:
        if self.member_id is not None and self.member is not None:
            return self.member.name
        return self.who_name


# --- Records, consent and audit ---


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
    text = models.TextField(_("verklaring"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
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
    organisation = models.CharField(_("organisatie"), max_length=200)
    purpose = models.CharField(_("waarvoor"), max_length=500)
    valid_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
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
    def given_by_label(self) -> str:
        return self.given_by_member.name if self.given_by_member else self.given_by_name


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

    class Meta:
        ordering = ["-carried_out_at"]
        verbose_name = _("vernietigd dossier")
        verbose_name_plural = _("register vernietigde dossiers")

    def __str__(self) -> str:
        return f"{self.case_ref[:12]} {self.carried_out_at:%Y-%m-%d}"


# --- Stored files ---
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


# --- Log-in: enrolment and recovery codes ---
# A first two-factor enrolment needs a one-time code from the coordinator (or an admin),
# so a password alone never reaches it; recovery codes stand in for a lost phone. Both
# kinds of code are stored only as salted hashes. Logic: cases/account_services.py.

# No 0/O, 1/I/L or U/V lookalikes to misread when the code is read out or copied by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"


def normalise_code(raw: str) -> str:
    """Upper case without spaces or dashes: how a typed code is compared."""
    return "".join(raw.split()).replace("-", "").upper()


def hash_code(code: str, *, salt: str | None = None) -> str:
    """`sha256$<salt>$<hex>` of the normalised code.

    A fast hash is enough: the codes are random with 50+ bits, not chosen by people,
    and each use is limited (attempts, throttling) in the application.
    """
    import hashlib
    import secrets

    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}${normalise_code(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def code_matches(code: str, stored: str) -> bool:
    import hmac

    try:
        _algorithm, salt, _digest = stored.split("$", 2)
    except ValueError:
        return False
    return hmac.compare_digest(hash_code(code, salt=salt), stored)


RECOVERY_CODE_LENGTH = 12


def looks_like_recovery_code(raw: str) -> bool:
    code = normalise_code(raw)
    return len(code) == RECOVERY_CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


class EnrolmentCodeQuerySet(models.QuerySet["EnrolmentCode"]):
    def usable(self) -> EnrolmentCodeQuerySet:
        """Not used, not expired and not worn out by wrong guesses."""
        return self.filter(
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            failed_attempts__lt=settings.ENROLMENT_CODE_MAX_ATTEMPTS,
        )


class EnrolmentCode(models.Model):
    """A one-time code that lets a user enrol their first authenticator app.

    The plain code is shown once to the coordinator who made it; only its hash is kept.
    A newer code for the same user replaces the older ones (they are marked used).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_codes",
        verbose_name=_("gebruiker"),
    )
    code_hash = models.CharField(_("code (gehasht)"), max_length=128)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    used_at = models.DateTimeField(_("gebruikt of vervangen op"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("verkeerde pogingen"), default=0)

    objects = EnrolmentCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inschrijfcode")
        verbose_name_plural = _("inschrijfcodes")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


# django-otp is imported here, not at the top, to keep this section self-contained.
from django_otp.models import Device, ThrottlingMixin, TimestampMixin  # noqa: E402


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """Single-use recovery codes, for a user who lost the phone with the authenticator app.

    A django-otp device, so `django_otp.match_token` and `django_otp.login` treat a
    recovery code like any second factor. `code_hashes` holds the hashes of the codes
    not used yet; a used code is removed from it.
    """

    code_hashes = models.JSONField(_("herstelcodes (gehasht)"), default=list)

    class Meta(Device.Meta):
        verbose_name = _("herstelcodes")
        verbose_name_plural = _("herstelcodes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_RECOVERY_THROTTLE_FACTOR", 1)

    def verify_token(self, token: object) -> bool:
        # match_token offers every token to every device: a TOTP code is not ours to
        # count as a wrong guess.
        if not isinstance(token, str) or not looks_like_recovery_code(token):
            return False
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        for stored in self.code_hashes:
            if code_matches(token, stored):
                self.code_hashes = [h for h in self.code_hashes if h != stored]
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
                return True
        self.throttle_increment()
        return False
