"""Contacts with a family (the coach's log) and every correction of one."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.formats import short_date
from cases.models.families import Family, Member
from cases.models.teams import LifeDomain


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


def office_hours() -> tuple[frozenset[int], datetime.time, datetime.time]:
    """settings.OFFICE_HOURS as (ISO weekdays, start, end): inside is start <= t < end."""
    hours = settings.OFFICE_HOURS
    return (
        frozenset(hours["WEEKDAYS"]),
        datetime.time.fromisoformat(hours["START"]),
        datetime.time.fromisoformat(hours["END"]),
    )


def is_outside_office_hours(date: datetime.date, start_time: datetime.time | None) -> bool | None:
    """True for an evening or weekend contact, False inside office hours, None when the
    start time is unknown (older contacts): unknown is not counted as office hours."""
    if start_time is None:
        return None
    weekdays, start, end = office_hours()
    return date.isoweekday() not in weekdays or not (start <= start_time < end)


def outside_office_hours_q() -> Q:
    """The same rule as is_outside_office_hours, for counting in the database."""
    weekdays, start, end = office_hours()
    return Q(start_time__isnull=False) & (
        ~Q(date__iso_week_day__in=sorted(weekdays))
        | Q(start_time__lt=start)
        | Q(start_time__gte=end)
    )


class ContactQuerySet(models.QuerySet["Contact"]):
    def hours(self) -> float:
        total = self.aggregate(total=models.Sum("minutes"))["total"] or 0
        return round(total / 60, 1)


class Contact(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("datum"))
    # Empty for contacts logged before the start time was asked: their time is unknown.
    start_time = models.TimeField(_("begintijd"), null=True, blank=True)
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
    # Professionals present besides the family and its network: colleagues of the team and
    # partners' contact people (cases.partners.contact_form adds both to the contact form).
    colleagues_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("aanwezige collega's"),
    )
    partner_contacts_present = models.ManyToManyField(
        "cases.PartnerContact",
        blank=True,
        related_name="contacts_present",
        verbose_name=_("aanwezige professionals van partners"),
    )
    # Codes of LifeDomain; a JSON list keeps the log fast to fill in and works on SQLite too.
    domains = models.JSONField(_("levensgebieden"), default=list, blank=True)
    # A home visit's report can run to several pages: 20,000 characters (about six A4).
    note = models.TextField(_("notitie of verslag"), max_length=20_000, blank=True)
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
        indexes = [
            # The newest contact and the minutes per period (caseload, coach load, team
            # report, phase budget) read from the index alone: the minutes are in it.
            models.Index(
                fields=["family", "-date"], include=["minutes"], name="contact_family_date_minutes"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=CONTACT_MIN_MINUTES) & Q(minutes__lte=CONTACT_MAX_MINUTES),
                name="contact_minutes_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """contact_minutes_in_range checked in Python (the same bounds), not with a query on
        every save of the contact form; the constraint itself still guards the table."""
        exclude = set(exclude or ())
        out_of_range = self.minutes is not None and not (
            CONTACT_MIN_MINUTES <= self.minutes <= CONTACT_MAX_MINUTES
        )
        if "minutes" not in exclude and out_of_range:
            [constraint] = [
                c for c in self._meta.constraints if c.name == "contact_minutes_in_range"
            ]
            raise ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
        super().validate_constraints(exclude=exclude | {"minutes"})

    @property
    def outside_office_hours(self) -> bool | None:
        return is_outside_office_hours(self.date, self.start_time)

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
                return short_date(datetime.date.fromisoformat(str(value)))
            if field == "kind":
                return str(kinds.get(str(value), value))
            if field == "start_time" and value:
                return str(value)[:5]
            if field == "domains":
                return ", ".join(str(domains.get(code, code)) for code in value or []) or "–"
            if field in (
                "members_present",
                "network_members_present",
                "colleagues_present",
                "partner_contacts_present",
                "working_elements",
            ):
                return str(len(value or []))
            return str(value) if value not in (None, "") else "–"

        labels = {
            "date": _("datum"),
            "start_time": _("begintijd"),
            "minutes": _("minuten"),
            "kind": _("soort contact"),
            "members_present": _("aantal aanwezige gezinsleden"),
            "network_members_present": _("aantal aanwezige netwerkleden"),
            "colleagues_present": _("aantal aanwezige collega's"),
            "partner_contacts_present": _("aantal aanwezige professionals van partners"),
            "working_elements": _("aantal werkzame elementen"),
            "domains": _("levensgebieden"),
            "note": _("notitie"),
        }
        return [
            (str(labels.get(field, field)), show(field, old), show(field, self.after.get(field)))
            for field, old in self.before.items()
            if old != self.after.get(field)
        ]
