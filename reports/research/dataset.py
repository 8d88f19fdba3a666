"""A team's trajectories, read once, as the tables of the research dataset.

One trajectory is one referral of the family (cases.Trajectory): it runs from its referral
date until the next one's. What happened on a date (a contact, a phase, a score moment, a
referral, a questionnaire, a check-in) belongs to the trajectory whose window holds it;
the network and the plan are read as they stand.

Nothing here reads a text a person typed, a name, a case number or a date: only choices,
counts, months (YYYY-MM) and age bands (settings.RESEARCH_AGE_BANDS).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from cases.models import Contact, Family, FamilyPlan, Member, PlanAction, Referral, Team
from cases.models.contacts import ContactKind
from cases.models.families import FamilyRole, age_on
from network.models import NetworkMember
from phases.models import AftercareCheckin, PhaseEpisode, Transition
from reports.models import ExitQuestionnaire, SdmResponse
from reports.research.pseudonyms import Pseudonymiser
from strengths.models import Moment, ScoreSheet


def month(day: datetime.date | datetime.datetime | None) -> str:
    """A date as its month only (YYYY-MM): the dataset's finest time."""
    if day is None:
        return ""
    return f"{day.year:04d}-{day.month:02d}"


def age_band(born: datetime.date | None, on: datetime.date) -> str:
    """The band (settings.RESEARCH_AGE_BANDS) of the age on `on`, never the birth date."""
    if born is None:
        return ""
    age = age_on(born, on)
    for low, high in settings.RESEARCH_AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return f"{low}+" if high is None else f"{low}-{high}"
    return ""


@dataclass
class TrajectoryData:
    """One trajectory with everything of it the columns read (no query per column)."""

    family: Family
    number: int
    start: datetime.date
    end: datetime.date | None  # exclusive: the next trajectory's referral date
    referral_date: datetime.date  # `start` of the first window reaches back further
    referrer: str
    pseudonym: str
    today: datetime.date
    members: list[Member] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    episodes: list[PhaseEpisode] = field(default_factory=list)
    moments: list[Moment] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    checkins: list[AftercareCheckin] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    sdm: list[SdmResponse] = field(default_factory=list)
    exits: list[ExitQuestionnaire] = field(default_factory=list)
    network: list[NetworkMember] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    # Room for the columns of other modules (settings.RESEARCH_DATASET_COLUMNS).
    extra: dict[str, Any] = field(default_factory=dict)

    def holds(self, day: datetime.date | None) -> bool:
        if day is None:
            return False
        return day >= self.start and (self.end is None or day < self.end)


Window = tuple[int, datetime.date, datetime.date, datetime.date | None, str]


def _windows(family: Family) -> list[Window]:
    """(number, start, referral date, end, referrer) per trajectory, oldest first."""
    trajectories = sorted(family.trajectories.all(), key=lambda t: (t.referral_date, t.number))
    if not trajectories:
        return [(1, datetime.date.min, family.referral_date, None, family.referrer)]
    windows: list[Window] = []
    for i, trajectory in enumerate(trajectories):
        end = trajectories[i + 1].referral_date if i + 1 < len(trajectories) else None
        # Anything recorded before the first referral (typed in late) counts with the first.
        start = datetime.date.min if i == 0 else trajectory.referral_date
        windows.append(
            (trajectory.number, start, trajectory.referral_date, end, trajectory.referrer)
        )
    return windows


def team_families(team: Team) -> Iterator[Family]:
    """The team's families with what the dataset reads, a fixed number of queries."""
    sheets = ScoreSheet.objects.prefetch_related("scores")
    yield from (
        Family.objects.filter(team=team)
        .order_by("pk")
        .prefetch_related(
            "trajectories",
            "members",
            "phase_episodes__extra_hours",
            "phase_transitions",
            "aftercare_checkins",
            "sdm_responses",
            "exit_responses",
            "network_members",
            Prefetch("contacts", queryset=Contact.objects.order_by("date", "pk")),
            Prefetch(
                "score_moments",
                queryset=Moment.objects.prefetch_related(Prefetch("sheets", queryset=sheets)),
            ),
            Prefetch("referrals", queryset=Referral.objects.select_related("partner")),
            Prefetch(
                "plans",
                queryset=FamilyPlan.objects.prefetch_related(
                    Prefetch("actions", queryset=PlanAction.objects.all())
                ),
            ),
        )
        .iterator(chunk_size=200)
    )


def trajectories(team: Team, pseudonymiser: Pseudonymiser) -> list[TrajectoryData]:
    today = timezone.localdate()
    rows: list[TrajectoryData] = []
    for family in team_families(team):
        plans = sorted(family.plans.all(), key=lambda p: p.number)
        for number, start, referral_date, end, referrer in _windows(family):
            row = TrajectoryData(
                family=family,
                number=number,
                start=start,
                end=end,
                referral_date=referral_date,
                referrer=referrer,
                pseudonym=pseudonymiser.family(family.pk),
                today=today,
                members=list(family.members.all()),
                network=list(family.network_members.all()),
            )
            row.contacts = [c for c in family.contacts.all() if row.holds(c.date)]
            row.episodes = [e for e in family.phase_episodes.all() if row.holds(e.started_on)]
            row.moments = [m for m in family.score_moments.all() if row.holds(m.date)]
            row.transitions = [
                t for t in family.phase_transitions.all() if row.holds(t.effective_on)
            ]
            row.checkins = [c for c in family.aftercare_checkins.all() if row.holds(c.planned_on)]
            row.referrals = [r for r in family.referrals.all() if row.holds(r.asked_on)]
            row.sdm = [s for s in family.sdm_responses.all() if row.holds(s.date)]
            row.exits = [x for x in family.exit_responses.all() if row.holds(x.date)]
            # The trajectory's latest plan version.
            own = [p for p in plans if row.holds(timezone.localdate(p.created_at))]
            row.actions = list(own[-1].actions.all()) if own else []
            rows.append(row)
    # A column provider's module may read what its columns need for all rows at once
    # (`prepare(rows)`, filling `row.extra`): a fixed number of queries, not one per row.
    for path in settings.RESEARCH_DATASET_COLUMNS:
        prepare = getattr(import_module(path.rsplit(".", 1)[0]), "prepare", None)
        if prepare is not None:
            prepare(rows)
    return rows


def score_rows(rows: list[TrajectoryData]) -> Iterator[dict[str, Any]]:
    for row in rows:
        for moment in sorted(row.moments, key=lambda m: (m.date, m.pk)):
            for sheet in moment.sheets.all():
                for score in sheet.scores.all():
                    yield {
                        "family": row.pseudonym,
                        "trajectory": row.number,
                        "moment": moment.kind,
                        "month": month(moment.date),
                        "perspective": sheet.perspective,
                        "domain": score.domain,
                        "severity": score.severity,
                        "strength": score.strength,
                        "problem_present": int(score.problem_present),
                        "long_lasting": int(score.long_lasting),
                    }


def contact_week_rows(rows: list[TrajectoryData]) -> Iterator[dict[str, Any]]:
    """Contacts per week of the trajectory (week 1 starts on its first contact's week)."""
    for row in rows:
        if not row.contacts:
            continue
        first = row.contacts[0].date
        first_monday = first - datetime.timedelta(days=first.weekday())
        weeks: dict[int, list[Contact]] = defaultdict(list)
        for contact in row.contacts:
            weeks[(contact.date - first_monday).days // 7 + 1].append(contact)
        for week, contacts in sorted(weeks.items()):
            counts = dict.fromkeys(ContactKind.values, 0)
            for contact in contacts:
                counts[contact.kind] = counts.get(contact.kind, 0) + 1
            yield {
                "family": row.pseudonym,
                "trajectory": row.number,
                "week": week,
                "month": month(min(c.date for c in contacts)),
                "contacts": len(contacts),
                "minutes": sum(c.minutes for c in contacts),
                "outside_office_hours": sum(1 for c in contacts if c.outside_office_hours),
                **{f"kind_{kind}": n for kind, n in counts.items()},
            }


def member_rows(rows: list[TrajectoryData], pseudonymiser: Pseudonymiser) -> Iterator[dict]:
    for row in rows:
        on = row.referral_date
        for member in sorted(row.members, key=lambda m: m.pk):
            yield {
                "family": row.pseudonym,
                "trajectory": row.number,
                "member": pseudonymiser.member(member.pk),
                "role": member.role,
                "age_band": age_band(member.date_of_birth, on),
                "lives_in_household": int(member.lives_in_household),
            }


# Who filled a questionnaire, as a band of the member's place in the family.
FILLED_BY_GEZAG = "gezag"
FILLED_BY_YOUNG = "young_person"
FILLED_BY_OTHER = "other_adult"


def filled_by_band(member: Member | None) -> str:
    if member is None:
        return ""
    if member.has_parental_authority:
        return FILLED_BY_GEZAG
    if member.role == FamilyRole.CHILD:
        return FILLED_BY_YOUNG
    return FILLED_BY_OTHER


def questionnaire_rows(rows: list[TrajectoryData], pseudonymiser: Pseudonymiser) -> Iterator[dict]:
    for row in rows:
        members = {m.pk: m for m in row.members}
        for sdm in sorted(row.sdm, key=lambda s: (s.date, s.pk)):
            yield {
                "family": row.pseudonym,
                "trajectory": row.number,
                "member": pseudonymiser.member(sdm.member_id),
                "filled_via": sdm.via,
                "filled_by": filled_by_band(members.get(sdm.member_id)),
                "questionnaire": "sdm_q9",
                "moment": sdm.moment,
                "month": month(sdm.date),
                "score": sdm.score,
                **{f"item_{i}": value for i, value in enumerate(sdm.items, start=1)},
            }
        for exit_ in sorted(row.exits, key=lambda x: (x.date, x.pk)):
            yield {
                "family": row.pseudonym,
                "trajectory": row.number,
                "member": pseudonymiser.member(exit_.member_id),
                "filled_via": exit_.via,
                "filled_by": filled_by_band(members.get(exit_.member_id)),
                "questionnaire": "exit",
                "moment": "closing",
                "month": month(exit_.date),
                "exit_result": exit_.result,
                "exit_coach_rating": exit_.coach_rating,
                "exit_network_role": exit_.network_role,
                "exit_own_control": exit_.own_control,
            }
