"""The coordinator's team report for one year: a handful of aggregate queries, read from a
snapshot.

Every figure is an aggregate computed by the database (COUNT, SUM, AVG grouped by status,
phase, referrer and quarter, coach), so only a row per group reaches Python. The page, its
CSV, workbook and print version do not compute them: they read the team's and year's row of
reports.TeamReportSnapshot (one query) and render it (team_report_snapshot). A Celery beat
job computes every snapshot anew every FIDELITY_SNAPSHOT_MINUTES (30), the fidelity table
first (reports.FidelitySnapshot, which judges every open file), so the whole report has one
computed_at. Why a snapshot and not live: the aggregates scan a year of the team's contacts,
phases, referrals and questionnaires, which grows with the team (0.2 s at 10,000 families),
while the report is a look back over a year, where a half-hour delay is harmless; the page
says when it was computed, and the coordinator who just changed something asks for a new
computation at once ("Nu verversen"). A team and year without a snapshot (the first view, a
past year) is computed in the request once and stored; a page that finds its snapshot stale
(the beat job not running) shows it and asks the task for a new one.

Families per phase and status (now), referrals per referrer per quarter, actual against
planned duration of the phase episodes closed in the year, hours per coach (contacts they
logged), the questionnaire averages per quarter and per coach, the contacts outside
office hours per coach and for the team, and the referrals to partners per kind of partner
(asked, started, refused, waiting time asked→started); the fidelity to the method
(reports.fidelity) per coach and for the team, over the files open now; the working
elements ticked on the year's contacts per phase the contact's date falls in; and the
professionals' own questionnaires (SDM per quarter, implementation per half year).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, F, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractQuarter
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from cases.aggregates import JoinedText, split_joined
from cases.models import (
    Contact,
    Family,
    FamilyStatus,
    PartnerKind,
    Referral,
    ReferralStatus,
    Referrer,
    Team,
    WorkingElement,
)
from cases.models.contacts import office_hours, outside_office_hours_q
from phases.budget import DaysBetween
from phases.models import PHASE_ORDER, PhaseEpisode, PhaseKind
from reports.fidelity import ELEMENTS, ElementState, FidelityShare, fidelity_rows, shares
from reports.models import (
    EXIT_ITEMS,
    IMPLEMENTATION_AREAS,
    IMPLEMENTATION_ITEMS,
    ExitQuestionnaire,
    FidelitySnapshot,
    ImplementationResponse,
    ProfessionalSdmResponse,
    SdmResponse,
    TeamReportSnapshot,
)

QUARTERS = (1, 2, 3, 4)
ONE = Decimal("0.1")


def _dec(value) -> Decimal | None:  # type: ignore[no-untyped-def]
    return None if value is None else Decimal(str(value)).quantize(ONE)


def _user_name(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or username or _("(geen coach)")


@dataclass(frozen=True)
class DurationRow:
    kind: str
    label: str
    episodes: int
    actual_days: Decimal
    planned_days: Decimal

    @property
    def difference(self) -> Decimal:
        return self.actual_days - self.planned_days


@dataclass(frozen=True)
class ContactTimeRow:
    """Contacts of one coach (or the team) by their start time against the office hours.

    A contact without a start time (logged before the time was asked) counts as unknown,
    neither inside nor outside; the share is of the contacts whose time is known."""

    label: str
    contacts: int
    outside: int
    unknown: int
    # The minutes of these contacts (the team report's hours per coach read them from here).
    minutes: int = 0

    @property
    def known(self) -> int:
        return self.contacts - self.unknown

    @property
    def outside_share(self) -> Decimal | None:
        """Percentage, one decimal; None when no contact has a known time."""
        if not self.known:
            return None
        return (Decimal(100 * self.outside) / self.known).quantize(ONE)


def contact_times(team: Team, *, year: int) -> tuple[list[ContactTimeRow], ContactTimeRow]:
    """Per coach who logged contacts in `year`, and for the team: one grouped query, which
    also sums their minutes (the hours per coach)."""
    rows = sorted(
        (
            ContactTimeRow(_user_name(first, last, username), n, outside, unknown, minutes or 0)
            for first, last, username, n, outside, unknown, minutes in Contact.objects.filter(
                family__team=team, date__year=year
            )
            .order_by()
            .values("author")
            .annotate(
                n=Count("pk"),
                outside=Count("pk", filter=outside_office_hours_q()),
                unknown=Count("pk", filter=Q(start_time__isnull=True)),
                minutes=Sum("minutes"),
            )
            .values_list(
                "author__first_name",
                "author__last_name",
                "author__username",
                "n",
                "outside",
                "unknown",
                "minutes",
            )
        ),
        key=lambda row: (-row.contacts, row.label),
    )
    total = ContactTimeRow(
        _("Team"),
        sum(r.contacts for r in rows),
        sum(r.outside for r in rows),
        sum(r.unknown for r in rows),
        sum(r.minutes for r in rows),
    )
    return rows, total


def office_hours_text() -> str:
    """settings.OFFICE_HOURS in words: "maandag, dinsdag, … 08:00–18:00"."""
    weekdays, start, end = office_hours()
    days = ", ".join(str(WEEKDAYS[day - 1]) for day in sorted(weekdays))
    return f"{days} {start:%H:%M}–{end:%H:%M}"


@dataclass(frozen=True)
class PartnerReferralRow:
    """Referrals asked in the year to partners of one kind; the waiting time counts the
    started ones (also those finished since), in days from asked to started."""

    kind: str
    label: str
    asked: int
    started: int
    refused: int
    average_wait_days: Decimal | None
    median_wait_days: Decimal | None


@dataclass(frozen=True)
class FidelityRow:
    """One coach's files (or the team's): per element key and "all", the share done of
    the elements done or late (reports.fidelity.FidelityShare)."""

    label: str
    families: int
    shares: dict[str, FidelityShare]

    @property
    def cells(self) -> list[FidelityShare]:
        """The shares in the order of reports.fidelity.ELEMENTS."""
        return [self.shares[key] for key, _label in ELEMENTS]


@dataclass(frozen=True)
class FidelityTable:
    rows: list[FidelityRow]
    total: FidelityRow
    # When the table was computed (team_fidelity's snapshot); None when computed just now.
    computed_at: datetime.datetime | None = None

    @property
    def elements(self) -> list[tuple[str, str]]:
        return [(key, str(label)) for key, label in ELEMENTS]


# The files whose fidelity the team report shows: those not closed (aftercare included).
FIDELITY_STATUSES = (FamilyStatus.REFERRED, FamilyStatus.ACTIVE, FamilyStatus.AFTERCARE)


def fidelity_table(team: Team, *, today: datetime.date) -> FidelityTable:
    """Fidelity to the method per coach and for the team, over the team's open files on
    `today`: reports.fidelity.QUERIES queries (the coach comes with the families)."""
    families = Family.objects.filter(team=team, status__in=FIDELITY_STATUSES).select_related(
        "coach"
    )
    labels: dict[int | None, str] = {}
    per_coach: dict[int | None, list[list[ElementState]]] = defaultdict(list)
    everyone: list[list[ElementState]] = []
    for family, elements in fidelity_rows(families, today):
        coach = family.coach
        labels[family.coach_id] = (
            _user_name(coach.first_name, coach.last_name, coach.username)
            if coach
            else _user_name(None, None, None)
        )
        per_coach[family.coach_id].append(elements)
        everyone.append(elements)
    rows = sorted(
        (FidelityRow(labels[c], len(lists), shares(lists)) for c, lists in per_coach.items()),
        key=lambda row: row.label,
    )
    return FidelityTable(rows, FidelityRow(_("Team"), len(everyone), shares(everyone)))


# The team report reads the fidelity table from a snapshot (reports.FidelitySnapshot): it
# judges every open file of the team, seconds at 10,000 families, while the rest of the
# report is a handful of aggregates. A snapshot older than FIDELITY_SNAPSHOT_MINUTES, or of
# another day, is shown (with its time) while a Celery task computes the next; the beat
# schedule refreshes every team as often, so a page rarely finds one stale.
def _row_data(row: FidelityRow, *, label: str) -> dict:  # type: ignore[type-arg]
    return {
        "label": label,
        "families": row.families,
        "shares": {key: [s.done, s.late] for key, s in row.shares.items()},
    }


def _row_from(data: dict, *, label: str) -> FidelityRow:  # type: ignore[type-arg]
    return FidelityRow(
        label,
        data["families"],
        {key: FidelityShare(done, late) for key, (done, late) in data["shares"].items()},
    )


def refresh_fidelity_snapshot(
    team_id: int, *, now: datetime.datetime | None = None
) -> FidelitySnapshot:
    """Compute the team's fidelity table for today and store it (idempotent)."""
    now = now or timezone.now()
    team = Team.objects.get(pk=team_id)
    table = fidelity_table(team, today=timezone.localdate(now))
    # The coach rows keep their names; "(geen coach)" and "Team" are translated when read.
    no_coach = _user_name(None, None, None)
    data = {
        "rows": [
            _row_data(row, label="" if row.label == no_coach else row.label) for row in table.rows
        ],
        "total": _row_data(table.total, label=""),
    }
    snapshot, _created = FidelitySnapshot.objects.update_or_create(
        team=team,
        defaults={
            "day": timezone.localdate(now),
            "computed_at": now,
            "refresh_asked_at": None,
            "data": data,
        },
    )
    return snapshot


def refresh_fidelity_snapshots() -> int:
    """Every team's fidelity table anew, one team after another; returns how many teams."""
    team_ids = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    for team_id in team_ids:
        refresh_fidelity_snapshot(team_id)
    return len(team_ids)


def team_fidelity(team: Team, *, now: datetime.datetime | None = None) -> FidelityTable:
    """The team's fidelity table from its snapshot (one query), computed here only when the
    team has none yet. A stale one asks the Celery task for a new one, once per
    FIDELITY_SNAPSHOT_MINUTES however many pages read it meanwhile."""
    from reports.tasks import refresh_fidelity

    now = now or timezone.now()
    snapshot = FidelitySnapshot.objects.filter(team=team).first()
    if snapshot is None:
        snapshot = refresh_fidelity_snapshot(team.pk, now=now)
    else:
        max_age = datetime.timedelta(minutes=settings.FIDELITY_SNAPSHOT_MINUTES)
        stale = snapshot.day != timezone.localdate(now) or snapshot.computed_at < now - max_age
        if stale and (
            FidelitySnapshot.objects.filter(pk=snapshot.pk)
            .filter(Q(refresh_asked_at__isnull=True) | Q(refresh_asked_at__lt=now - max_age))
            .update(refresh_asked_at=now)
        ):
            # Robust: a broker that is down costs the page nothing (the beat job comes next).
            transaction.on_commit(lambda: refresh_fidelity.delay(team.pk), robust=True)
    data = snapshot.data
    rows = sorted(
        (
            _row_from(row, label=row["label"] or _user_name(None, None, None))
            for row in data["rows"]
        ),
        key=lambda row: row.label,
    )
    return FidelityTable(
        rows, _row_from(data["total"], label=_("Team")), computed_at=snapshot.computed_at
    )


@dataclass(frozen=True)
class WorkingElementRow:
    """How often one working element was ticked on the year's contacts, per phase the
    contact's date falls in (PHASE_ORDER), before any phase, and in all."""

    label: str
    active: bool
    per_phase: list[int]
    no_phase: int

    @property
    def total(self) -> int:
        return sum(self.per_phase) + self.no_phase


def working_elements_per_phase(team: Team, *, year: int) -> list[WorkingElementRow]:
    """One grouped query over the ticks of the team's contacts in `year`; the phase is the
    family's episode with started_on <= date < ended_on (an open one: no end). Elements
    never ticked in the year are left out."""
    phase = PhaseEpisode.objects.filter(
        family=OuterRef("contact__family"), started_on__lte=OuterRef("contact__date")
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=OuterRef("contact__date")))
    counts: dict[tuple[int, str, bool, int], dict[str | None, int]] = defaultdict(dict)
    for pk, label, active, order, kind, n in (
        WorkingElement.contacts.through.objects.filter(
            workingelement__team=team,
            contact__family__team=team,
            contact__date__year=year,
        )
        .annotate(phase=Subquery(phase.order_by("-started_on").values("kind")[:1]))
        .order_by()
        .values("workingelement", "phase")
        .annotate(n=Count("pk"))
        .values_list(
            "workingelement",
            "workingelement__label",
            "workingelement__active",
            "workingelement__order",
            "phase",
            "n",
        )
    ):
        counts[(order, label, active, pk)][kind] = n
    return [
        WorkingElementRow(
            label=label,
            active=active,
            per_phase=[by_kind.get(kind, 0) for kind in PHASE_ORDER],
            no_phase=by_kind.get(None, 0),
        )
        for (_order, label, active, _pk), by_kind in sorted(counts.items())
    ]


@dataclass(frozen=True)
class ImplementationHalf:
    """The implementation questionnaires of one half year: per area the average of its
    items (1–5). Fewer than settings.IMPLEMENTATION_MIN_RESPONDENTS respondents: only that
    number, no averages and no remarks (a small team would show who answered what)."""

    half: int
    respondents: int
    averages: dict[str, Decimal | None]
    remarks: list[str]

    @property
    def suppressed(self) -> bool:
        return self.respondents < settings.IMPLEMENTATION_MIN_RESPONDENTS


def implementation_results(team: Team, *, year: int) -> list[ImplementationHalf]:
    """Both halves of `year`: one grouped query. Never a name: the remarks are sorted by
    their text, not by who or when, and left out below the threshold."""
    answers = ImplementationResponse.objects.filter(team=team, year=year).order_by()
    # The average of an area's item sum; divided by its number of items below.
    area_avg = {
        area: Avg(
            sum(
                (F(name) for name in IMPLEMENTATION_ITEMS[area][1:]),
                F(IMPLEMENTATION_ITEMS[area][0]),
            ),
            output_field=FloatField(),
        )
        for area in IMPLEMENTATION_AREAS
    }
    # The remarks come with their group, sorted by their text (never by who or when).
    remarks = JoinedText("remark", filter=~Q(remark=""))
    groups = {
        row["half"]: row
        for row in answers.values("half").annotate(n=Count("pk"), remarks=remarks, **area_avg)
    }
    result = []
    for half in (1, 2):
        row = groups.get(half)
        n = row["n"] if row else 0
        visible = n >= settings.IMPLEMENTATION_MIN_RESPONDENTS
        result.append(
            ImplementationHalf(
                half=half,
                respondents=n,
                averages={
                    area: _dec(row[area] / len(IMPLEMENTATION_ITEMS[area]))
                    if visible and row
                    else None
                    for area in IMPLEMENTATION_AREAS
                },
                remarks=sorted(split_joined(row["remarks"])) if visible and row else [],
            )
        )
    return result


@dataclass(frozen=True)
class TeamReport:
    team: Team
    year: int
    by_status: list[tuple[str, int]]
    by_phase: list[tuple[str, int]]
    # (referrer label, [count per quarter], total)
    referrals: list[tuple[str, list[int], int]]
    durations: list[DurationRow]
    hours_per_coach: list[tuple[str, Decimal]]
    # (quarter or coach label, responses, average SDM score)
    sdm_per_quarter: list[tuple[str, int, Decimal | None]]
    sdm_per_coach: list[tuple[str, int, Decimal | None]]
    # (label, responses, {item: average})
    exit_per_quarter: list[tuple[str, int, dict[str, Decimal | None]]]
    exit_per_coach: list[tuple[str, int, dict[str, Decimal | None]]]
    # Contacts outside office hours (settings.OFFICE_HOURS), per coach and for the team.
    contact_times: list[ContactTimeRow]
    contact_times_total: ContactTimeRow
    office_hours: str
    partner_referrals: list[PartnerReferralRow]
    # Fidelity to the method per coach and for the team (the open files, today).
    fidelity: FidelityTable
    working_elements: list[WorkingElementRow]
    # The professionals' own SDM about families, per quarter: (quarter, responses, average).
    pro_sdm_per_quarter: list[tuple[str, int, Decimal | None]]
    implementation: list[ImplementationHalf]
    phase_labels: list[str]
    # When the figures were computed (team_report_snapshot); None when computed just now.
    computed_at: datetime.datetime | None = None


def team_report(team: Team, *, year: int, now: datetime.datetime | None = None) -> TeamReport:
    """The report computed live (the snapshot's job; pages read team_report_snapshot)."""
    families = Family.objects.filter(team=team)
    status_counts = dict(
        families.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_status = [(str(label), status_counts.get(value, 0)) for value, label in FamilyStatus.choices]

    phase_counts = dict(
        PhaseEpisode.objects.open()
        .filter(family__team=team, family__status=FamilyStatus.ACTIVE)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    by_phase = [(str(label), phase_counts.get(value, 0)) for value, label in PhaseKind.choices]

    referral_counts: dict[str, dict[int, int]] = defaultdict(dict)
    for referrer, quarter, n in (
        families.filter(referral_date__year=year)
        .annotate(quarter=ExtractQuarter("referral_date"))
        .order_by()
        .values("referrer", "quarter")
        .annotate(n=Count("pk"))
        .values_list("referrer", "quarter", "n")
    ):
        referral_counts[referrer][quarter] = n
    referrals = []
    for value, label in Referrer.choices:
        if value in referral_counts:
            counts = [referral_counts[value].get(q, 0) for q in QUARTERS]
            referrals.append((str(label), counts, sum(counts)))

    # Averages of the episodes closed in the year, per phase, computed by the database.
    spans = {
        kind: (n, actual, planned)
        for kind, n, actual, planned in PhaseEpisode.objects.filter(
            family__team=team, ended_on__year=year
        )
        .order_by()
        .values("kind")
        .annotate(
            n=Count("pk"),
            actual=Avg(DaysBetween(F("ended_on"), F("started_on")), output_field=FloatField()),
            planned=Avg(DaysBetween(F("planned_end"), F("started_on")), output_field=FloatField()),
        )
        .values_list("kind", "n", "actual", "planned")
    }
    labels = dict(PhaseKind.choices)
    durations = [
        DurationRow(
            kind=kind,
            label=str(labels[kind]),
            episodes=spans[kind][0],
            actual_days=_dec(spans[kind][1]),
            planned_days=_dec(spans[kind][2]),
        )
        for kind in PHASE_ORDER
        if kind in spans
    ]

    # Hours per coach: the contacts they logged in the year, from contact_times' query.
    times, times_total = contact_times(team, year=year)
    hours_per_coach = sorted(
        ((row.label, (Decimal(row.minutes) / 60).quantize(ONE)) for row in times),
        key=lambda item: (-item[1], item[0]),
    )

    sdm = SdmResponse.objects.filter(family__team=team, date__year=year).order_by()
    sdm_q = {
        q: (n, avg)
        for q, n, avg in sdm.annotate(quarter=ExtractQuarter("date"))
        .values("quarter")
        .annotate(n=Count("pk"), avg=Avg("score"))
        .values_list("quarter", "n", "avg")
    }
    sdm_per_quarter = [(f"Q{q}", *_n_avg(sdm_q.get(q))) for q in QUARTERS]
    sdm_per_coach = sorted(
        (_user_name(first, last, username), n, _dec(avg))
        for first, last, username, n, avg in sdm.values("coach")
        .annotate(n=Count("pk"), avg=Avg("score"))
        .values_list("coach__first_name", "coach__last_name", "coach__username", "n", "avg")
    )

    exits = ExitQuestionnaire.objects.filter(family__team=team, date__year=year).order_by()
    averages = {f"avg_{name}": Avg(name) for name in EXIT_ITEMS}
    exit_q = {
        row["quarter"]: row
        for row in exits.annotate(quarter=ExtractQuarter("date"))
        .values("quarter")
        .annotate(n=Count("pk"), **averages)
    }
    exit_per_quarter = [(f"Q{q}", *_exit_figures(exit_q.get(q))) for q in QUARTERS]
    exit_per_coach = sorted(
        (
            _user_name(row["coach__first_name"], row["coach__last_name"], row["coach__username"]),
            *_exit_figures(row),
        )
        for row in exits.values(
            "coach", "coach__first_name", "coach__last_name", "coach__username"
        ).annotate(n=Count("pk"), **averages)
    )
    pro_sdm_q = {
        q: (n, avg)
        for q, n, avg in ProfessionalSdmResponse.objects.filter(family__team=team, date__year=year)
        .order_by()
        .annotate(quarter=ExtractQuarter("date"))
        .values("quarter")
        .annotate(n=Count("pk"), avg=Avg("score"))
        .values_list("quarter", "n", "avg")
    }
    return TeamReport(
        partner_referrals=partner_referrals(team, year=year),
        working_elements=working_elements_per_phase(team, year=year),
        phase_labels=[str(labels[kind]) for kind in PHASE_ORDER],
        pro_sdm_per_quarter=[(f"Q{q}", *_n_avg(pro_sdm_q.get(q))) for q in QUARTERS],
        implementation=implementation_results(team, year=year),
        team=team,
        year=year,
        by_status=by_status,
        by_phase=by_phase,
        referrals=referrals,
        durations=durations,
        hours_per_coach=hours_per_coach,
        sdm_per_quarter=sdm_per_quarter,
        sdm_per_coach=sdm_per_coach,
        exit_per_quarter=exit_per_quarter,
        exit_per_coach=exit_per_coach,
        contact_times=times,
        contact_times_total=times_total,
        office_hours=office_hours_text(),
        fidelity=team_fidelity(team, now=now),
    )


def partner_referrals(team: Team, *, year: int) -> list[PartnerReferralRow]:
    """Per kind of partner (in PartnerKind's order, kinds without referrals left out).

    One query, grouped by kind, status and waiting days (asked→started, empty for those not
    started): a row per group, from which the counts, the average and the median follow.
    """
    groups: dict[str, list[tuple[str, int | None, int]]] = defaultdict(list)
    for kind, status, days, n in (
        Referral.objects.filter(family__team=team, asked_on__year=year)
        .order_by()
        .annotate(days=DaysBetween(F("started_on"), F("asked_on")))
        .values("partner__kind", "status", "days")
        .annotate(n=Count("pk"))
        .values_list("partner__kind", "status", "days", "n")
    ):
        groups[kind].append((status, days, n))
    rows = []
    for kind, label in PartnerKind.choices:
        if kind not in groups:
            continue
        waits = [days for _status, days, n in groups[kind] if days is not None for _i in range(n)]
        rows.append(
            PartnerReferralRow(
                kind=kind,
                label=str(label),
                asked=sum(n for _status, _days, n in groups[kind]),
                started=len(waits),
                refused=sum(
                    n for status, _d, n in groups[kind] if status == ReferralStatus.REFUSED
                ),
                average_wait_days=_dec(statistics.fmean(waits)) if waits else None,
                median_wait_days=_dec(statistics.median(waits)) if waits else None,
            )
        )
    return rows


def _n_avg(pair) -> tuple[int, Decimal | None]:  # type: ignore[no-untyped-def]
    if pair is None:
        return 0, None
    return pair[0], _dec(pair[1])


def _exit_figures(row) -> tuple[int, dict[str, Decimal | None]]:  # type: ignore[no-untyped-def]
    if row is None:
        return 0, dict.fromkeys(EXIT_ITEMS)
    return row["n"], {name: _dec(row[f"avg_{name}"]) for name in EXIT_ITEMS}


def current_year() -> int:
    return timezone.localdate().year


# --- The report as a snapshot (reports.TeamReportSnapshot) ---
# The stored data is the report's figures, with the labels of choices (status, phase,
# referrer, partner kind) as their values and "(geen coach)" and "Team" empty, so that each
# language reads the same row; Decimals as strings, None as null. A snapshot of another
# SNAPSHOT_VERSION is computed anew when read.
SNAPSHOT_VERSION = 1


def _dump(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _load(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _coach_key(label: str) -> str:
    return "" if label == _user_name(None, None, None) else label


def _coach_label(key: str) -> str:
    return key or _user_name(None, None, None)


def _times_data(row: ContactTimeRow, *, label: str) -> list:  # type: ignore[type-arg]
    return [label, row.contacts, row.outside, row.unknown, row.minutes]


def report_data(report: TeamReport) -> dict:  # type: ignore[type-arg]
    """The report as JSON-able data (its team, year and time are the snapshot's own)."""
    referrers = {str(label): value for value, label in Referrer.choices}
    fidelity = report.fidelity
    return {
        "v": SNAPSHOT_VERSION,
        "by_status": {
            value: n
            for value, (_label, n) in zip(FamilyStatus.values, report.by_status, strict=True)
        },
        "by_phase": {
            value: n for value, (_label, n) in zip(PhaseKind.values, report.by_phase, strict=True)
        },
        "referrals": [[referrers[label], counts] for label, counts, _total in report.referrals],
        "durations": [
            [r.kind, r.episodes, _dump(r.actual_days), _dump(r.planned_days)]
            for r in report.durations
        ],
        "hours_per_coach": [[_coach_key(name), _dump(h)] for name, h in report.hours_per_coach],
        "sdm_per_quarter": [[q, n, _dump(avg)] for q, n, avg in report.sdm_per_quarter],
        "sdm_per_coach": [[_coach_key(c), n, _dump(avg)] for c, n, avg in report.sdm_per_coach],
        "exit_per_quarter": [
            [q, n, {k: _dump(v) for k, v in avgs.items()}] for q, n, avgs in report.exit_per_quarter
        ],
        "exit_per_coach": [
            [_coach_key(c), n, {k: _dump(v) for k, v in avgs.items()}]
            for c, n, avgs in report.exit_per_coach
        ],
        "contact_times": [
            _times_data(row, label=_coach_key(row.label)) for row in report.contact_times
        ],
        "contact_times_total": _times_data(report.contact_times_total, label=""),
        "partner_referrals": [
            [
                r.kind,
                r.asked,
                r.started,
                r.refused,
                _dump(r.average_wait_days),
                _dump(r.median_wait_days),
            ]
            for r in report.partner_referrals
        ],
        "fidelity": {
            "rows": [_row_data(row, label=_coach_key(row.label)) for row in fidelity.rows],
            "total": _row_data(fidelity.total, label=""),
            "computed_at": fidelity.computed_at.isoformat() if fidelity.computed_at else None,
        },
        "working_elements": [
            [r.label, r.active, r.per_phase, r.no_phase] for r in report.working_elements
        ],
        "pro_sdm_per_quarter": [[q, n, _dump(avg)] for q, n, avg in report.pro_sdm_per_quarter],
        "implementation": [
            [r.half, r.respondents, {k: _dump(v) for k, v in r.averages.items()}, r.remarks]
            for r in report.implementation
        ],
    }


def report_from(
    team: Team,
    *,
    year: int,
    data: dict,
    computed_at: datetime.datetime | None = None,  # type: ignore[type-arg]
) -> TeamReport:
    """The TeamReport that report_data stored, with the labels of the language active now
    and in team_report's order."""
    phases = dict(PhaseKind.choices)
    partner_kinds = dict(PartnerKind.choices)
    referrers = dict(Referrer.choices)
    times = [
        ContactTimeRow(_coach_label(label), *figures) for label, *figures in data["contact_times"]
    ]
    fidelity = data["fidelity"]
    return TeamReport(
        team=team,
        year=year,
        by_status=[(str(label), data["by_status"].get(v, 0)) for v, label in FamilyStatus.choices],
        by_phase=[(str(label), data["by_phase"].get(v, 0)) for v, label in PhaseKind.choices],
        referrals=[
            (str(referrers[value]), counts, sum(counts)) for value, counts in data["referrals"]
        ],
        durations=[
            DurationRow(kind, str(phases[kind]), n, _load(actual), _load(planned))
            for kind, n, actual, planned in data["durations"]
        ],
        hours_per_coach=sorted(
            ((_coach_label(name), _load(h)) for name, h in data["hours_per_coach"]),
            key=lambda item: (-item[1], item[0]),
        ),
        sdm_per_quarter=[(q, n, _load(avg)) for q, n, avg in data["sdm_per_quarter"]],
        sdm_per_coach=sorted(
            (_coach_label(c), n, _load(avg)) for c, n, avg in data["sdm_per_coach"]
        ),
        exit_per_quarter=[
            (q, n, {k: _load(v) for k, v in avgs.items()})
            for q, n, avgs in data["exit_per_quarter"]
        ],
        exit_per_coach=sorted(
            (
                (_coach_label(c), n, {k: _load(v) for k, v in avgs.items()})
                for c, n, avgs in data["exit_per_coach"]
            ),
            key=lambda row: (row[0], row[1]),
        ),
        contact_times=sorted(times, key=lambda row: (-row.contacts, row.label)),
        contact_times_total=ContactTimeRow(_("Team"), *data["contact_times_total"][1:]),
        office_hours=office_hours_text(),
        partner_referrals=[
            PartnerReferralRow(
                kind, str(partner_kinds[kind]), asked, started, refused, _load(avg), _load(median)
            )
            for kind, asked, started, refused, avg, median in data["partner_referrals"]
        ],
        fidelity=FidelityTable(
            sorted(
                (_row_from(row, label=_coach_label(row["label"])) for row in fidelity["rows"]),
                key=lambda row: row.label,
            ),
            _row_from(fidelity["total"], label=_("Team")),
            computed_at=datetime.datetime.fromisoformat(fidelity["computed_at"])
            if fidelity["computed_at"]
            else None,
        ),
        working_elements=[
            WorkingElementRow(label, active, per_phase, no_phase)
            for label, active, per_phase, no_phase in data["working_elements"]
        ],
        pro_sdm_per_quarter=[(q, n, _load(avg)) for q, n, avg in data["pro_sdm_per_quarter"]],
        implementation=[
            ImplementationHalf(half, n, {k: _load(v) for k, v in averages.items()}, remarks)
            for half, n, averages, remarks in data["implementation"]
        ],
        phase_labels=[str(phases[kind]) for kind in PHASE_ORDER],
        computed_at=computed_at,
    )


def refresh_team_reports(
    team_id: int, *, years: list[int] | None = None, now: datetime.datetime | None = None
) -> list[TeamReportSnapshot]:
    """Compute the team's report anew and store it (idempotent): for `years`, by default this
    year and every year the team has a snapshot of. The fidelity table first, so that every
    figure of a snapshot holds for its one computed_at."""
    now = now or timezone.now()
    team = Team.objects.get(pk=team_id)
    refresh_fidelity_snapshot(team_id, now=now)
    if years is None:
        years = sorted(
            {
                timezone.localdate(now).year,
                *TeamReportSnapshot.objects.filter(team=team).values_list("year", flat=True),
            }
        )
    snapshots = []
    for year in years:
        snapshot, _created = TeamReportSnapshot.objects.update_or_create(
            team=team,
            year=year,
            defaults={
                "computed_at": now,
                "refresh_asked_at": None,
                "data": report_data(team_report(team, year=year, now=now)),
            },
        )
        snapshots.append(snapshot)
    return snapshots


def refresh_all_team_reports() -> int:
    """Every team's report anew (the beat job), one team after another; returns how many."""
    team_ids = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    for team_id in team_ids:
        refresh_team_reports(team_id)
    return len(team_ids)


def team_report_snapshot(
    team: Team, *, year: int, now: datetime.datetime | None = None
) -> TeamReport:
    """The team's report for `year` from its snapshot (one query); computed here and stored
    when there is none yet. A stale one (older than FIDELITY_SNAPSHOT_MINUTES, or of another
    day: the beat job is not running) is shown and asks the Celery task for a new one, once
    per FIDELITY_SNAPSHOT_MINUTES however many pages read it meanwhile."""
    from reports.tasks import refresh_team_report

    now = now or timezone.now()
    snapshot = TeamReportSnapshot.objects.filter(team=team, year=year).first()
    if snapshot is None or snapshot.data.get("v") != SNAPSHOT_VERSION:
        snapshot = refresh_team_reports(team.pk, years=[year], now=now)[0]
    else:
        max_age = datetime.timedelta(minutes=settings.FIDELITY_SNAPSHOT_MINUTES)
        stale = (
            timezone.localdate(snapshot.computed_at) != timezone.localdate(now)
            or snapshot.computed_at < now - max_age
        )
        if stale and (
            TeamReportSnapshot.objects.filter(pk=snapshot.pk)
            .filter(Q(refresh_asked_at__isnull=True) | Q(refresh_asked_at__lt=now - max_age))
            .update(refresh_asked_at=now)
        ):
            # Robust: a broker that is down costs the page nothing (the beat job comes next).
            transaction.on_commit(lambda: refresh_team_report.delay(team.pk, year), robust=True)
    return report_from(team, year=year, data=snapshot.data, computed_at=snapshot.computed_at)
