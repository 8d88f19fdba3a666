"""Planned appointments (the coach's agenda) and the personal calendar feed."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.contacts import Contact, ContactKind
from cases.models.families import Family, Member


class AppointmentKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Huisbezoek")
    PHONE = "phone", _("Telefonisch")
    VIDEO = "video", _("Videogesprek")
    NETWORK_MEETING = "network_meeting", _("Netwerkoverleg")
    CASE_REVIEW = "case_review", _("Casusbespreking")
    PLAN_EVALUATION = "plan_evaluation", _("Evaluatie gezinsplan")
    AFTERCARE = "aftercare", _("Nazorgcontact")


# The contact an appointment becomes after it took place ("one tap"); a case review is a
# team meeting, not a contact with the family, so it has none.
CONTACT_KIND_FOR = {
    AppointmentKind.HOME_VISIT: ContactKind.HOME_VISIT,
    AppointmentKind.PHONE: ContactKind.PHONE,
    AppointmentKind.VIDEO: ContactKind.VIDEO,
    AppointmentKind.NETWORK_MEETING: ContactKind.NETWORK_MEETING,
    AppointmentKind.PLAN_EVALUATION: ContactKind.HOME_VISIT,
    AppointmentKind.AFTERCARE: ContactKind.HOME_VISIT,
}


class AppointmentPlace(models.TextChoices):
    HOME = "home", _("Thuis bij het gezin")
    OFFICE = "office", _("Kantoor")
    SCHOOL = "school", _("School")
    ELSEWHERE = "elsewhere", _("Elders")


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    DONE = "done", _("Vastgelegd")
    CANCELLED = "cancelled", _("Afgezegd")


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def for_user(self, user) -> AppointmentQuerySet:  # type: ignore[no-untyped-def]
        """The appointments in `user`'s own agenda: theirs, or where they are expected."""
        return self.filter(Q(coach=user) | Q(colleagues=user)).distinct()

    def missed(self, today: datetime.date | None = None) -> AppointmentQuerySet:
        """Planned appointments whose day has passed without a logged contact: the one rule
        the agenda page, the family panel and the reminder job (phases.reminders) read."""
        today = today or timezone.localdate()
        return self.filter(status=AppointmentStatus.PLANNED, date__lt=today)


class Appointment(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(_("soort afspraak"), max_length=20, choices=AppointmentKind.choices)
    date = models.DateField(_("datum"))
    starts_at = models.TimeField(_("begintijd"))
    ends_at = models.TimeField(_("eindtijd"))
    place = models.CharField(
        _("plaats"), max_length=20, choices=AppointmentPlace.choices, default=AppointmentPlace.HOME
    )
    purpose = models.CharField(_("doel"), max_length=200, blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("in de agenda van"),
    )
    members = models.ManyToManyField(
        Member, blank=True, related_name="appointments", verbose_name=_("verwachte gezinsleden")
    )
    colleagues = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="expected_at",
        verbose_name=_("verwachte collega's"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PLANNED,
    )
    # The contact it became; SET_NULL so correcting or removing a contact never removes
    # the fact that the appointment took place.
    contact = models.OneToOneField(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        verbose_name = _("agenda-afspraak")
        verbose_name_plural = _("agenda-afspraken")
        indexes = [
            models.Index(fields=["coach", "date"]),
            models.Index(fields=["family", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y} {self.starts_at:%H:%M}"

    @property
    def minutes(self) -> int:
        start = datetime.datetime.combine(self.date, self.starts_at)
        end = datetime.datetime.combine(self.date, self.ends_at)
        return int((end - start).total_seconds() // 60)

    @property
    def contact_kind(self) -> str | None:
        return CONTACT_KIND_FOR.get(AppointmentKind(self.kind))

    @property
    def is_missed(self) -> bool:
        return self.status == AppointmentStatus.PLANNED and self.date < timezone.localdate()


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def by_token(self, token: str) -> CalendarFeed | None:
        return self.select_related("user").filter(token_hash=feed_token_hash(token)).first()


class CalendarFeed(models.Model):
    """A user's personal calendar subscription. Only the token's hash is kept: the URL is
    shown once, when it is made; revoking deletes the row, so the old URL answers 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self) -> str:
        return f"feed {self.user_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
