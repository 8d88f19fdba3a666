"""The daily reminder job. Celery beat (phases.tasks), `manage.py run_reminders` and the
benchmark all call `reminders_run`; it runs a fixed number of queries however many families
there are, and creates each reminder at most once (unique on subject, kind, due date, recipient).

The sources (settings.REMINDER_SOURCES) say what is due as a query (`due_rows`): the job
turns each into one `INSERT INTO phases_reminder ... SELECT ... ON CONFLICT DO NOTHING`, so
the database adds what is missing and a reminder that exists is never built again, not even
as an object. A source may also return a list of `Due` (few rows computed in Python); those go in
through bulk_create, the same way.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, RowNumber, TruncDate
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cases.formats import short_date
from cases.models import (
    Appointment,
    Family,
    FamilyStatus,
    LegalMeasure,
    Membership,
    Referral,
    Role,
    last_contact_date,
    measure_setting,
)
from phases.budget import open_episodes_with_figures
from phases.models import (
    AftercareCheckin,
    PhaseEpisode,
    Reminder,
    ReminderKind,
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


# The columns of a source's query, in this order (due_rows); the INSERT reads them by name.
DUE_COLUMNS = ("r_family", "r_kind", "r_subject", "r_due", "r_coach", "r_team", "r_psy")


def due_rows(
    queryset: QuerySet,  # type: ignore[type-arg]
    *,
    family: Any,
    kind: Any,
    subject: Any,
    due_on: Any,
    coach: Any,
    team: Any,
    with_psychologists: Any = False,
) -> QuerySet:  # type: ignore[type-arg]
    """A source's query of what is due: one row per reminder subject, before recipients
    (the coach, and the team's psychologists when `with_psychologists`). Each argument is a
    field name or an expression."""

    def expression(value: Any) -> Any:
        if isinstance(value, str):
            return F(value)
        if isinstance(value, bool):
            return Value(value, output_field=BooleanField())
        return value

    return (
        queryset.order_by()
        .annotate(
            r_family=expression(family),
            r_kind=expression(kind),
            r_subject=expression(subject),
            r_due=expression(due_on),
            r_coach=expression(coach),
            r_team=expression(team),
            r_psy=expression(with_psychologists),
        )
        .values(*DUE_COLUMNS)
    )


def text_id(prefix: str, field: str) -> Concat:
    """`prefix` + the id in `field`, e.g. "episode:12": a reminder's subject, in SQL."""
    return Concat(Value(prefix), Cast(field, CharField()), output_field=CharField())


class AsDate(Func):
    """A date value as a date: PostgreSQL's date + interval is a timestamp, and SQLite's
    date arithmetic gives "YYYY-MM-DD HH:MM:SS"; both become a plain date."""

    template = "CAST(%(expressions)s AS date)"
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        return self.as_sql(compiler, connection, template="date(%(expressions)s)", **extra_context)


def phase_dues(today: datetime.date) -> list[QuerySet]:  # type: ignore[type-arg]
    ends_soon = phase_setting("ENDS_SOON_DAYS")
    # "Past the planned end" and "90% of the budget used" are the flags of with_phase_flags,
    # the same the family page and the caseload show.
    episodes = open_episodes_with_figures(
        PhaseEpisode.objects.filter(family__status=FamilyStatus.ACTIVE), today=today
    )
    common = {
        "family": "family_id",
        "subject": text_id("episode:", "pk"),
        # The end as agreed (an approved extension moves it): with_phase_flags' `phase_end`.
        "due_on": "phase_end",
        "coach": "family__coach_id",
        "team": "family__team_id",
    }
    phase_end = due_rows(
        episodes.filter(
            Q(is_overdue=True) | Q(phase_end__lte=today + datetime.timedelta(days=ends_soon))
        ),
        kind=Case(
            When(is_overdue=True, then=Value(ReminderKind.PHASE_OVERDUE)),
            default=Value(ReminderKind.PHASE_ENDS_SOON),
            output_field=CharField(),
        ),
        with_psychologists=Case(
            When(is_overdue=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        **common,
    )
    budget = due_rows(
        episodes.filter(is_nearly_used=True),
        kind=Value(ReminderKind.BUDGET_NEARLY_USED),
        **common,
    )
    return [phase_end, budget]


def no_contact_dues(today: datetime.date) -> QuerySet:  # type: ignore[type-arg]
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
    )
    return due_rows(
        families,
        family="pk",
        kind=Value(ReminderKind.NO_CONTACT),
        subject=text_id("family:", "pk"),
        due_on=AsDate(F("since") + datetime.timedelta(days=days)),
        coach="coach_id",
        team="team_id",
    )


def approval_dues(today: datetime.date) -> QuerySet:  # type: ignore[type-arg]
    """Transitions waiting for approval, due since they were proposed (`today` unused)."""
    return due_rows(
        Transition.objects.filter(status=TransitionStatus.PENDING),
        family="family_id",
        kind=Value(ReminderKind.APPROVAL_PENDING),
        subject=text_id("transition:", "pk"),
        # The Amsterdam date of the proposal (the current time zone), as localdate() gives.
        due_on=TruncDate("proposed_at"),
        coach="family__coach_id",
        team="family__team_id",
        with_psychologists=True,
    )


def aftercare_dues(today: datetime.date) -> QuerySet:  # type: ignore[type-arg]
    """Aftercare check-ins planned and not held (the AftercareCheckin records), from
    AFTERCARE_LEAD_DAYS before their date to AFTERCARE_GRACE_DAYS after, for the coach of a
    family in aftercare."""
    lead = datetime.timedelta(days=phase_setting("AFTERCARE_LEAD_DAYS"))
    grace = datetime.timedelta(days=phase_setting("AFTERCARE_GRACE_DAYS"))
    return due_rows(
        AftercareCheckin.objects.planned().filter(
            family__status=FamilyStatus.AFTERCARE,
            planned_on__gte=today - grace,
            planned_on__lte=today + lead,
        ),
        family="family_id",
        kind=Value(ReminderKind.AFTERCARE_CHECKIN),
        subject=text_id("family:", "family_id"),
        due_on="planned_on",
        coach="family__coach_id",
        team="family__team_id",
    )


# A planned appointment that passed without a contact is reminded of for this long after.
APPOINTMENT_MISSED_GRACE_DAYS = 30


def appointment_dues(today: datetime.date) -> QuerySet:  # type: ignore[type-arg]
    """Planned appointments whose day passed without a contact (cases' `missed` rule), for
    the coach whose agenda holds them; once per appointment."""
    return due_rows(
        Appointment.objects.missed(today).filter(
            date__gte=today - datetime.timedelta(days=APPOINTMENT_MISSED_GRACE_DAYS)
        ),
        family="family_id",
        kind=Value(ReminderKind.APPOINTMENT_MISSED),
        subject=text_id("appointment:", "pk"),
        due_on="date",
        coach="coach_id",
        team="family__team_id",
    )


def legal_measure_dues(today: datetime.date) -> QuerySet:  # type: ignore[type-arg]
    """A legal measure (cases.LegalMeasure) that ends soon, once per lead of
    settings.LEGAL_MEASURES["REMINDER_WEEKS"] (e.g. 8 and 4 weeks before its last day), for
    the coach and the team's psychologists: one query. Each lead has its own window, up to
    the next shorter lead (the shortest: up to the last day), so a measure recorded late
    gets the reminder of the lead it is in, not all of them at once; the reminder's date is
    the last day minus that lead. A measure a later decision continues (a verlenging) is not
    reminded of; closed files neither."""
    leads = sorted({datetime.timedelta(weeks=int(w)) for w in measure_setting("REMINDER_WEEKS")})
    measures = LegalMeasure.objects.ending_between(today, today + leads[-1]).exclude(
        family__status=FamilyStatus.CLOSED
    )
    return due_rows(
        measures,
        family="family_id",
        kind=Value(ReminderKind.LEGAL_MEASURE_ENDS),
        subject=text_id("legalmeasure:", "pk"),
        # The shortest lead whose window the last day is in (the first When that holds).
        due_on=Case(
            *[When(ends_on__lte=today + lead, then=AsDate(F("ends_on") - lead)) for lead in leads],
            output_field=DateField(),
        ),
        coach="family__coach_id",
        team="family__team_id",
        with_psychologists=True,
    )


def referral_answer_dues(today: datetime.date) -> QuerySet:  # type: ignore[type-arg]
    """Referrals to a partner still open the day after their expected answer date (cases'
    `answer_overdue` rule), for the family's coach; once per referral and answer date, so
    a date moved later is reminded of again when it passes. Here, not in cases.partners:
    the reminders are phases' model, and cases imports no other app."""
    return due_rows(
        Referral.objects.answer_overdue(today).exclude(family__status=FamilyStatus.CLOSED),
        family="family_id",
        kind=Value(ReminderKind.REFERRAL_ANSWER_DUE),
        subject=text_id("referral:", "pk"),
        due_on="expected_answer_on",
        coach="family__coach_id",
        team="family__team_id",
    )


Source = Callable[[datetime.date], "QuerySet | Iterable[Due | QuerySet]"]  # type: ignore[type-arg]


def reminder_sources() -> list[Source]:
    """What the job reminds of, settings.REMINDER_SOURCES: phases' own and other apps' (the
    case reviews of reports, which builds on phases, so phases does not import it)."""
    return [import_string(path) for path in settings.REMINDER_SOURCES]


def _insert_missing(rows: QuerySet, *, stamp: datetime.datetime) -> None:  # type: ignore[type-arg]
    """INSERT the reminders of `rows` (a due_rows query) that do not exist yet, for the coach
    and, where asked, the team's active psychologists: one statement, in the database.

    ON CONFLICT DO NOTHING over the unique constraint `reminder_once` (subject, kind, due
    date, recipient) skips those that exist with one index probe each, before any row is
    written. (A NOT EXISTS over the same columns planned as a nested loop over a table
    the statement itself fills, on a fresh database.) `WHERE true`: SQLite needs a WHERE
    between INSERT ... SELECT and ON CONFLICT to parse it.
    """
    from django.contrib.auth import get_user_model

    sql, params = rows.query.get_compiler(connection=connection).as_sql()
    reminder = Reminder._meta.db_table
    membership = Membership._meta.db_table
    user = get_user_model()._meta.db_table
    columns = ", ".join(f"due.{c}" for c in DUE_COLUMNS)
    statement = f"""
        WITH due AS ({sql})
        INSERT INTO {reminder} (recipient_id, family_id, kind, subject, due_on, created_at)
        SELECT r.recipient_id, r.r_family, r.r_kind, r.r_subject, r.r_due, %s
        FROM (
            SELECT due.r_coach AS recipient_id, {columns} FROM due
            WHERE due.r_coach IS NOT NULL
            UNION
            SELECT m.user_id AS recipient_id, {columns} FROM due
            JOIN {membership} m ON m.team_id = due.r_team AND m.role = %s
            JOIN {user} u ON u.id = m.user_id AND u.is_active
            WHERE due.r_psy
        ) r
        WHERE true
        ON CONFLICT DO NOTHING
    """  # noqa: S608 - table names from _meta, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            [*params, connection.ops.adapt_datetimefield_value(stamp), Role.PSYCHOLOGIST],
        )


def _insert_dues(dues: list[Due], *, stamp: datetime.datetime) -> None:
    """Sources that compute in Python (few rows): the same rows through bulk_create, where
    ON CONFLICT DO NOTHING skips those that exist."""
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
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)


def reminders_run(*, today: datetime.date | None = None, send_email: bool = True) -> int:
    """Create today's reminders and mail the new ones; return how many were created."""
    today = today or timezone.localdate()
    stamp = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The sources' queries look costly to the planner (a subquery per family) and
            # get JIT-compiled, which takes longer than running them: off for this job only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        dues: list[Due] = []
        for source in reminder_sources():
            found = source(today)
            for item in [found] if isinstance(found, QuerySet) else found:
                if isinstance(item, QuerySet):
                    _insert_missing(item, stamp=stamp)
                else:
                    dues.append(item)
        if dues:
            _insert_dues(dues, stamp=stamp)
        created, count = _created_for_mail(stamp)
    if send_email:
        _send_mails(created)
    return count


def _created_for_mail(stamp: datetime.datetime) -> tuple[list[Reminder], int]:
    """What this run made, found back by its timestamp (one beat runs the job, see
    docker-compose.yml), as the mails need it: one query, however many were made.

    Per recipient the first MAIL_MAX_LINES by date (a mail lists no more), each row with
    `line` (its place in the recipient's list), `total` (how many the recipient got) and
    `language` (their interface language, empty when never chosen). Returns those rows and
    how many reminders the run made in all.
    """
    from cases.models import UserPreference

    recipient = [F("recipient_id")]
    preference = UserPreference.objects.filter(user_id=OuterRef("recipient_id"))
    rows = list(
        Reminder.objects.filter(created_at=stamp)
        .annotate(
            line=Window(
                RowNumber(), partition_by=recipient, order_by=[F("due_on").asc(), F("pk").asc()]
            ),
            total=Window(Count("pk"), partition_by=recipient),
            language=Subquery(preference.values("language")[:1]),
        )
        .filter(line__lte=MAIL_MAX_LINES)
        .select_related("recipient", "family")
        .only(
            "kind",
            "due_on",
            "recipient__email",
            "recipient__first_name",
            "recipient__username",
            "family__case_number",
        )
        .order_by("recipient_id", "line")
    )
    return rows, sum(r.total for r in rows if r.line == 1)  # type: ignore[attr-defined]


def _send_mails(reminders: list[Reminder]) -> None:
    """One message per person with their new reminders (the rows of `_created_for_mail`),
    in the language they chose.

    E-mail is not a safe channel for client data, so a mail names families by case number
    only; the details are in the app, behind the log-in.
    """
    by_recipient: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        if reminder.recipient.email:
            by_recipient[reminder.recipient_id].append(reminder)
    for items in by_recipient.values():
        language = items[0].language or settings.LANGUAGE_CODE  # type: ignore[attr-defined]
        with translation.override(language):
            _send_mail_to(items)


def _send_mail_to(items: list[Reminder]) -> None:
    """The mail of one recipient: `items` are their first MAIL_MAX_LINES new reminders,
    each carrying `total`, how many they got."""
    recipient = items[0].recipient
    total: int = items[0].total  # type: ignore[attr-defined]
    lines = [
        f"- {r.get_kind_display()}: {r.family.case_number} ({short_date(r.due_on)})"
        for r in items[:MAIL_MAX_LINES]
    ]
    if total > len(lines):
        lines.append(_("… en nog %(n)s.") % {"n": total - len(lines)})
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
            _("FamilieKracht: %(n)s nieuwe herinneringen") % {"n": total},
            body,
            None,
            [recipient.email],
        )
    except Exception:
        # The reminders are saved and shown in the app; a mail server hiccup must not
        # undo them or make the job run again.
        logger.exception("reminder mail to user %s failed", recipient.pk)
