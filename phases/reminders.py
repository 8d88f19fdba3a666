"""The daily reminder job. Celery beat (phases.tasks), `manage.py run_reminders` and the
benchmark all call `reminders_run`; it runs a fixed number of queries however many families
there are, and creates each reminder at most once (unique on subject, kind, due date, recipient).
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import DateField, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cases.formats import short_date
from cases.models import Family, FamilyStatus, Membership, Role, last_contact_date
from phases.budget import open_episodes_with_figures
from phases.models import (
    PhaseEpisode,
    Reminder,
    ReminderKind,
    Step,
    Transition,
    TransitionStatus,
)

logger = logging.getLogger(__name__)

# A mail lists this many reminders; the rest are in the app.
MAIL_MAX_LINES = 25


def phase_setting(name: str):  # type: ignore[no-untyped-def]
    """settings.PHASES[name]; the defaults live in settings only."""
    return settings.PHASES[name]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class Due:
    family_id: int
    kind: str
    subject: str
    due_on: datetime.date
    coach_id: int | None
    team_id: int
    with_psychologists: bool = False


def phase_dues(today: datetime.date) -> list[Due]:
    ends_soon = phase_setting("ENDS_SOON_DAYS")
    # "Past the planned end" and "90% of the budget used" are the flags of with_phase_flags,
    # the same the family page and the caseload show. Selecting only the columns used here
    # leaves the weekly-rate subqueries out of the SQL: still one query for all families.
    episodes = (
        open_episodes_with_figures(
            PhaseEpisode.objects.filter(family__status=FamilyStatus.ACTIVE), today=today
        )
        .order_by()
        .values_list(
            "pk",
            "family_id",
            "planned_end",
            "family__coach_id",
            "family__team_id",
            "is_overdue",
            "is_nearly_used",
            named=True,
        )
    )
    dues: list[Due] = []
    for episode in episodes:
        common = {
            "family_id": episode.family_id,
            "subject": f"episode:{episode.pk}",
            "due_on": episode.planned_end,
            "coach_id": episode.family__coach_id,
            "team_id": episode.family__team_id,
        }
        if episode.is_overdue:
            dues.append(Due(kind=ReminderKind.PHASE_OVERDUE, with_psychologists=True, **common))
        elif (episode.planned_end - today).days <= ends_soon:
            dues.append(Due(kind=ReminderKind.PHASE_ENDS_SOON, **common))
        if episode.is_nearly_used:
            dues.append(Due(kind=ReminderKind.BUDGET_NEARLY_USED, **common))
    return dues


def no_contact_dues(today: datetime.date) -> list[Due]:
    """Active families whose last contact (or, without any, their start) is too long ago."""
    days = phase_setting("NO_CONTACT_DAYS")
    first_phase = (
        PhaseEpisode.objects.filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(first=Min("started_on"))
        .values("first")
    )
    families = (
        Family.objects.filter(status=FamilyStatus.ACTIVE)
        .annotate(
            since=Coalesce(
                last_contact_date(),
                Subquery(first_phase, output_field=DateField()),
                "referral_date",
                output_field=DateField(),
            )
        )
        .filter(since__lte=today - datetime.timedelta(days=days))
        .values_list("pk", "coach_id", "team_id", "since")
    )
    return [
        Due(
            family_id=pk,
            kind=ReminderKind.NO_CONTACT,
            subject=f"family:{pk}",
            due_on=since + datetime.timedelta(days=days),
            coach_id=coach_id,
            team_id=team_id,
        )
        for pk, coach_id, team_id, since in families
    ]


def approval_dues(today: datetime.date) -> list[Due]:
    """Transitions waiting for approval, due since they were proposed (`today` unused)."""
    pending = Transition.objects.filter(status=TransitionStatus.PENDING).values_list(
        "pk", "family_id", "proposed_at", "family__coach_id", "family__team_id"
    )
    return [
        Due(
            family_id=family_id,
            kind=ReminderKind.APPROVAL_PENDING,
            subject=f"transition:{pk}",
            due_on=timezone.localdate(proposed_at),
            coach_id=coach_id,
            team_id=team_id,
            with_psychologists=True,
        )
        for pk, family_id, proposed_at, coach_id, team_id in pending
    ]


def aftercare_dues(today: datetime.date) -> list[Due]:
    months = phase_setting("AFTERCARE_CHECKIN_MONTHS")
    lead = datetime.timedelta(days=phase_setting("AFTERCARE_LEAD_DAYS"))
    grace = datetime.timedelta(days=phase_setting("AFTERCARE_GRACE_DAYS"))
    closings = (
        Transition.objects.filter(
            to_step=Step.CLOSED,
            status=TransitionStatus.APPLIED,
            family__status__in=[FamilyStatus.CLOSED, FamilyStatus.AFTERCARE],
        )
        .values("family_id", "family__coach_id", "family__team_id")
        .annotate(closed_on=Max("effective_on"))
        .order_by()
    )
    dues = []
    for row in closings:
        for month in months:
            due_on = add_months(row["closed_on"], month)
            if due_on - lead <= today <= due_on + grace:
                dues.append(
                    Due(
                        family_id=row["family_id"],
                        kind=ReminderKind.AFTERCARE_CHECKIN,
                        subject=f"family:{row['family_id']}",
                        due_on=due_on,
                        coach_id=row["family__coach_id"],
                        team_id=row["family__team_id"],
                    )
                )
    return dues


def reminder_sources() -> list[Callable[[datetime.date], Iterable[Due]]]:
    """What the job reminds of, settings.REMINDER_SOURCES: phases' own and other apps' (the
    case reviews of reports, which builds on phases, so phases does not import it)."""
    return [import_string(path) for path in settings.REMINDER_SOURCES]


def reminders_run(*, today: datetime.date | None = None, send_email: bool = True) -> int:
    """Create today's reminders and mail the new ones; return how many were created."""
    today = today or timezone.localdate()
    stamp = timezone.now()
    with transaction.atomic():
        dues = [due for source in reminder_sources() for due in source(today)]
        psychologists: dict[int, list[int]] = defaultdict(list)
        if any(d.with_psychologists for d in dues):
            for team_id, user_id in Membership.objects.filter(
                role=Role.PSYCHOLOGIST, user__is_active=True
            ).values_list("team_id", "user_id"):
                psychologists[team_id].append(user_id)
        rows = []
        for due in dues:
            recipients = {due.coach_id} if due.coach_id else set()
            if due.with_psychologists:
                recipients.update(psychologists[due.team_id])
            rows.extend(
                Reminder(
                    recipient_id=user_id,
                    family_id=due.family_id,
                    kind=due.kind,
                    subject=due.subject,
                    due_on=due.due_on,
                    created_at=stamp,
                )
                for user_id in sorted(recipients)
            )
        if not rows:
            return 0
        # Existing reminders are skipped by the unique constraint; what this run made is
        # found back by its timestamp (one beat runs the job, see docker-compose.yml).
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Reminder.objects.filter(created_at=stamp)
            .select_related("recipient", "family")
            .only(
                "kind",
                "due_on",
                "recipient__email",
                "recipient__first_name",
                "recipient__username",
                "family__display_name",
                "family__case_number",
            )
            .order_by("recipient_id", "due_on")
        )
    if send_email:
        _send_mails(created)
    return len(created)


def _send_mails(reminders: list[Reminder]) -> None:
    """One message per person with their new reminders, in the language they chose.

    E-mail is not a safe channel for client data, so a mail names families by case number
    only; the details are in the app, behind the log-in.
    """
    from cases.models import UserPreference

    by_recipient: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        if reminder.recipient.email:
            by_recipient[reminder.recipient_id].append(reminder)
    languages = dict(
        UserPreference.objects.filter(user_id__in=by_recipient).values_list("user_id", "language")
    )
    for user_id, items in by_recipient.items():
        with translation.override(languages.get(user_id, settings.LANGUAGE_CODE)):
            _send_mail_to(items)


def _send_mail_to(items: list[Reminder]) -> None:
    recipient = items[0].recipient
    lines = [
        f"- {r.get_kind_display()}: {r.family.case_number} ({short_date(r.due_on)})"
        for r in items[:MAIL_MAX_LINES]
    ]
    if len(items) > MAIL_MAX_LINES:
        lines.append(_("… en nog %(n)s.") % {"n": len(items) - MAIL_MAX_LINES})
    body = "\n".join(
        [
            _("Beste %(name)s,") % {"name": recipient.first_name or recipient.username},
            "",
            _("Er zijn nieuwe herinneringen voor u in FamilieKracht:"),
            *lines,
            "",
            _("U vindt ze onder Herinneringen in FamilieKracht."),
        ]
    )
    try:
        send_mail(
            _("FamilieKracht: %(n)s nieuwe herinneringen") % {"n": len(items)},
            body,
            None,
            [recipient.email],
        )
    except Exception:
        # The reminders are saved and shown in the app; a mail server hiccup must not
        # undo them or make the job run again.
        logger.exception("reminder mail to user %s failed", recipient.pk)
