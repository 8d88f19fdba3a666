"""Fidelity to the method: which of the method's elements a family's file shows, and when
each is due.

`fidelity_for(families, today)` is the public entry point: for every family of the
queryset, the list of its elements (ELEMENTS, in the method's order) with a state each:

- done: the file shows it (`done_on` when the record has a date);
- due: not yet, and its deadline is today or ahead;
- late: not done, and the deadline has passed (from the day after the deadline);
- not applicable: the phase it belongs to has not been reached.

The deadlines come from settings.FIDELITY and the family's own dates: the inclusion check
from intake (the referral date of the current trajectory); the strengths analysis of every
member, the timeline and the network map by the end of the analysis phase (its agreed
end, or the day it ended if that was earlier); the plan with a network contribution before
professional help, its evaluation dates and a network meeting counted from the start of
the execution phase; a case review by the psychologist at least every CASE_REVIEW_DAYS
from the start phase on; every aftercare check-in held within AFTERCARE_CHECKIN_DAYS of its
planned date. A closed file (closed or in aftercare) is judged on the day its closing phase
ended, so its states do not turn late afterwards; only the aftercare check-ins go on.

The computation reads a fixed number of queries whatever the number of families (QUERIES):
the families with their figures as subqueries, their phase episodes, their aftercare
check-ins. The team report (reports.teamreport.fidelity_table) turns the states into
percentages per coach and for the team; the research dataset may add them as columns.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    IntegerField,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Family, FamilyStatus, Member
from cases.models.plan import ActionSource, ActionStatus, FamilyPlan, PlanAction, PlanStatus
from network.models import Circle, NetworkMeeting, NetworkMember
from phases.models import AftercareCheckin, PhaseEpisode, PhaseKind
from reports.models import CaseReview
from strengths.models import MemberAnalysis, Moment, MomentKind, TimelineEvent

# How many queries fidelity_for reads, however many families.
QUERIES = 3


class State:
    DONE = "done"
    DUE = "due"
    LATE = "late"
    NOT_APPLICABLE = "not_applicable"


STATE_LABELS: dict[str, Promise] = {
    State.DONE: _("gedaan"),
    State.DUE: _("nog te doen"),
    State.LATE: _("te laat"),
    State.NOT_APPLICABLE: _("nog niet aan de orde"),
}

# The method's elements, in its order: (key, label).
ELEMENTS: list[tuple[str, Promise]] = [
    ("inclusion_check", _("Inclusiecheck bij de intake")),
    ("member_analyses", _("Krachtenanalyse van ieder gezinslid")),
    ("timeline", _("Tijdlijn")),
    ("network_map", _("Netwerkkaart met het gezin")),
    ("plan", _("Gezinsplan met netwerkbijdragen vóór professionele hulp")),
    ("network_meeting", _("Netwerkberaad gehouden")),
    ("evaluation_dates", _("Evaluatiedata gepland")),
    ("case_review", _("Casusbespreking met de gedragswetenschapper")),
    ("aftercare_checkins", _("Nazorgcontacten op tijd")),
]
ELEMENT_LABELS = dict(ELEMENTS)


@dataclass(frozen=True)
class ElementState:
    """One element of the method for one family on one day."""

    key: str
    state: str
    deadline: datetime.date | None = None
    done_on: datetime.date | None = None

    @property
    def label(self) -> Promise:
        return ELEMENT_LABELS[self.key]

    @property
    def state_label(self) -> Promise:
        return STATE_LABELS[self.state]

    @property
    def applicable(self) -> bool:
        return self.state != State.NOT_APPLICABLE


def fidelity_setting(name: str) -> int:
    """settings.FIDELITY[name]; the defaults live in settings only."""
    return settings.FIDELITY[name]


def _days(name: str) -> datetime.timedelta:
    return datetime.timedelta(days=fidelity_setting(name))


def _count(queryset: QuerySet) -> Coalesce:  # type: ignore[type-arg]
    return Coalesce(
        Subquery(
            queryset.order_by().values("family").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _first(queryset: QuerySet, field: str, output) -> Subquery:  # type: ignore[no-untyped-def,type-arg]
    """The smallest `field` of the family's rows (or the plan's, for plan actions)."""
    return Subquery(queryset.order_by(field).values(field)[:1], output_field=output)


def _annotated(families: QuerySet[Family]) -> QuerySet[Family]:
    family = OuterRef("pk")
    fixed_plan = FamilyPlan.objects.filter(family=family, status=PlanStatus.FIXED).order_by(
        "-number"
    )
    plan_actions = PlanAction.objects.filter(plan=OuterRef("fid_plan_id")).exclude(
        status=ActionStatus.CANCELLED
    )
    return (
        families.order_by()
        .annotate(
            fid_members=_count(Member.objects.filter(family=family)),
            fid_analysed=_count(MemberAnalysis.objects.filter(family=family)),
            fid_events=_count(TimelineEvent.objects.filter(family=family)),
            fid_network=_count(
                NetworkMember.objects.filter(family=family).exclude(circle=Circle.PROFESSIONALS)
            ),
            fid_inclusion_on=_first(
                Moment.objects.filter(family=family, kind=MomentKind.START, sheets__isnull=False),
                "date",
                DateField(),
            ),
            fid_meeting_on=_first(
                NetworkMeeting.objects.filter(family=family), "date", DateField()
            ),
            fid_review_on=Subquery(
                CaseReview.objects.filter(family=family).order_by("-date").values("date")[:1],
                output_field=DateField(),
            ),
            fid_plan_id=Subquery(fixed_plan.values("pk")[:1], output_field=IntegerField()),
            fid_plan_fixed_at=Subquery(
                fixed_plan.values("fixed_at")[:1], output_field=DateTimeField()
            ),
            fid_plan_evaluations=Subquery(
                fixed_plan.values("evaluation_dates")[:1], output_field=JSONField()
            ),
        )
        .annotate(
            fid_first_network=_first(
                plan_actions.filter(source=ActionSource.NETWORK), "created_at", DateTimeField()
            ),
            fid_first_professional=_first(
                plan_actions.filter(source=ActionSource.PROFESSIONAL),
                "created_at",
                DateTimeField(),
            ),
        )
    )


def _state(
    key: str,
    *,
    done: bool,
    deadline: datetime.date,
    day: datetime.date,
    done_on: datetime.date | None = None,
) -> ElementState:
    if done:
        return ElementState(key, State.DONE, deadline, done_on)
    return ElementState(key, State.DUE if day <= deadline else State.LATE, deadline)


def _not_applicable(key: str) -> ElementState:
    return ElementState(key, State.NOT_APPLICABLE)


def _latest(episodes: list[PhaseEpisode], kind: str) -> PhaseEpisode | None:
    of_kind = [e for e in episodes if e.kind == kind]
    return of_kind[-1] if of_kind else None


def _family_states(
    family: Family,
    episodes: list[PhaseEpisode],
    checkins: list[AftercareCheckin],
    today: datetime.date,
) -> list[ElementState]:
    row = family
    # A closed file is judged on the day its closing phase ended.
    day = today
    closing = _latest(episodes, PhaseKind.CLOSING)
    if (
        family.status in (FamilyStatus.CLOSED, FamilyStatus.AFTERCARE)
        and closing is not None
        and closing.ended_on is not None
    ):
        day = min(today, closing.ended_on)
    states: list[ElementState] = []

    # Inclusion check: a start moment with a score sheet, within N days of intake.
    inclusion_on = row.fid_inclusion_on  # type: ignore[attr-defined]
    states.append(
        _state(
            "inclusion_check",
            done=inclusion_on is not None,
            deadline=family.referral_date + _days("INCLUSION_CHECK_DAYS"),
            day=day,
            done_on=inclusion_on,
        )
    )

    # The analysis phase's work, due by its end.
    analysis = _latest(episodes, PhaseKind.ANALYSIS)
    if analysis is None:
        states += [_not_applicable(k) for k in ("member_analyses", "timeline", "network_map")]
    else:
        end = analysis.agreed_end
        if analysis.ended_on is not None:
            end = min(end, analysis.ended_on)
        members = row.fid_members  # type: ignore[attr-defined]
        states += [
            _state(
                "member_analyses",
                done=members > 0 and row.fid_analysed >= members,  # type: ignore[attr-defined]
                deadline=end,
                day=day,
            ),
            _state("timeline", done=row.fid_events > 0, deadline=end, day=day),  # type: ignore[attr-defined]
            _state(
                "network_map",
                done=row.fid_network >= fidelity_setting("NETWORK_MAP_MIN_MEMBERS"),  # type: ignore[attr-defined]
                deadline=end,
                day=day,
            ),
        ]

    # The execution phase's start: the plan, a network meeting, evaluation dates.
    execution = _latest(episodes, PhaseKind.EXECUTION)
    if execution is None:
        states += [_not_applicable(k) for k in ("plan", "network_meeting", "evaluation_dates")]
    else:
        plan_deadline = execution.started_on + _days("PLAN_DAYS")
        fixed_at = row.fid_plan_fixed_at  # type: ignore[attr-defined]
        first_network = row.fid_first_network  # type: ignore[attr-defined]
        first_professional = row.fid_first_professional  # type: ignore[attr-defined]
        # A network contribution, agreed no later than the first professional one.
        network_first = first_network is not None and (
            first_professional is None or first_network <= first_professional
        )
        plan_on = timezone.localdate(fixed_at) if fixed_at else None
        meeting_on = row.fid_meeting_on  # type: ignore[attr-defined]
        states += [
            _state(
                "plan",
                done=row.fid_plan_id is not None and network_first,  # type: ignore[attr-defined]
                deadline=plan_deadline,
                day=day,
                done_on=plan_on,
            ),
            _state(
                "network_meeting",
                done=meeting_on is not None and meeting_on <= day,
                deadline=execution.started_on + _days("NETWORK_MEETING_DAYS"),
                day=day,
                done_on=meeting_on,
            ),
            _state(
                "evaluation_dates",
                done=bool(row.fid_plan_evaluations),  # type: ignore[attr-defined]
                deadline=plan_deadline,
                day=day,
                done_on=plan_on,
            ),
        ]

    # A case review at least every CASE_REVIEW_DAYS, from the start phase on.
    start = _latest(episodes, PhaseKind.START)
    if start is None:
        states.append(_not_applicable("case_review"))
    else:
        review_on = row.fid_review_on  # type: ignore[attr-defined]
        if review_on is not None and review_on < start.started_on:
            review_on = None  # a review of an earlier trajectory
        deadline = (review_on or start.started_on) + _days("CASE_REVIEW_DAYS")
        states.append(
            _state(
                "case_review",
                done=review_on is not None and review_on <= day <= deadline,
                deadline=deadline,
                day=day,
                done_on=review_on,
            )
        )

    # Aftercare: every check-in held within AFTERCARE_CHECKIN_DAYS of its planned date.
    if not checkins:
        states.append(_not_applicable("aftercare_checkins"))
    else:
        grace = _days("AFTERCARE_CHECKIN_DAYS")
        open_deadlines = sorted(c.planned_on + grace for c in checkins if c.held_on is None)
        if open_deadlines:
            states.append(
                _state("aftercare_checkins", done=False, deadline=open_deadlines[0], day=today)
            )
        else:
            states.append(
                ElementState(
                    "aftercare_checkins",
                    State.DONE,
                    max(c.planned_on for c in checkins) + grace,
                    max(c.held_on for c in checkins if c.held_on),
                )
            )
    return states


def fidelity_rows(
    families: QuerySet[Family], today: datetime.date
) -> list[tuple[Family, list[ElementState]]]:
    """fidelity_for's work, keeping each family (with what the queryset selects, e.g. its
    coach) beside its elements. QUERIES queries."""
    rows = list(_annotated(families))
    ids = [row.pk for row in rows]
    episodes: dict[int, list[PhaseEpisode]] = defaultdict(list)
    checkins: dict[int, list[AftercareCheckin]] = defaultdict(list)
    if ids:
        for episode in PhaseEpisode.objects.filter(family_id__in=ids).order_by("started_on", "pk"):
            episodes[episode.family_id].append(episode)
        for checkin in AftercareCheckin.objects.filter(family_id__in=ids).order_by(
            "planned_on", "pk"
        ):
            checkins[checkin.family_id].append(checkin)
    return [(row, _family_states(row, episodes[row.pk], checkins[row.pk], today)) for row in rows]


def fidelity_for(families: QuerySet[Family], today: datetime.date) -> dict[int, list[ElementState]]:
    """The method's elements for every family of `families` on `today`, by family id.

    Each list holds one ElementState per element of ELEMENTS, in that order (key, state,
    deadline, done_on; label and state_label for display). Three queries (QUERIES),
    however many families; `families` may be filtered as the caller likes (its ordering is
    dropped). The research dataset and the team report read it; the family page shows it.
    """
    return {family.pk: elements for family, elements in fidelity_rows(families, today)}


@dataclass(frozen=True)
class FidelityShare:
    """How many elements were done of those that count (done or late): the due ones and
    those not applicable are left out, since they cannot have been missed yet."""

    done: int
    late: int

    @property
    def counted(self) -> int:
        return self.done + self.late

    @property
    def percentage(self) -> int | None:
        """Whole percent, rounded half up; None when nothing counts yet."""
        if not self.counted:
            return None
        return (200 * self.done + self.counted) // (2 * self.counted)


def shares(states: Iterable[list[ElementState]]) -> dict[str, FidelityShare]:
    """Per element key, and "all" for every element together, over the families' lists."""
    done: dict[str, int] = defaultdict(int)
    late: dict[str, int] = defaultdict(int)
    for elements in states:
        for element in elements:
            if element.state == State.DONE:
                done[element.key] += 1
                done["all"] += 1
            elif element.state == State.LATE:
                late[element.key] += 1
                late["all"] += 1
    return {key: FidelityShare(done[key], late[key]) for key in [*(k for k, _l in ELEMENTS), "all"]}
