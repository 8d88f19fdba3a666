"""The base demo families (12 per team), made through the service functions the views call.

Per family, in the order a team works: the referral (family and members), the trajectory
(start, transitions proposed by the coach and approved by the psychologist, closing and
aftercare), the network, the contacts inside the trajectory, the analysis (scores,
krachtenanalyse, timeline), the plan, the case reviews and questionnaires, and the records
(consent, statement). The dates are in the past and passed to the services as arguments;
the phase rules (dates not before the current phase, one pending proposal) are theirs.
Everything is fictitious.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from cases import services
from cases.models import (
    ActionSource,
    ActionStatus,
    AgreementWay,
    ContactKind,
    Family,
    FamilyRole,
    FamilyStatus,
    GoalStatus,
    LifeDomain,
    Member,
    Referrer,
    Role,
    Team,
    may_agree,
)
from cases.plan import services as plan_services
from cases.records import services as records_services
from familiekracht.demo import families as names
from familiekracht.demo import network as network_texts
from familiekracht.demo import reports as report_texts
from familiekracht.demo import strengths as strength_texts
from familiekracht.demo.users import DEMO_PREFIX
from network import services as network_services
from network.models import (
    AgreementStatus,
    AgreementWho,
    Answer,
    Circle,
    Direction,
    MeetingKind,
    NetworkMember,
    Outcome,
    Quality,
    SpecialRole,
    SupportType,
)
from phases import services as phase_services
from phases.models import PHASE_ORDER, ClosingOutcome, TransitionStatus
from phases.reminders import add_months
from reports import services as report_services
from reports.models import EXIT_ITEMS, QuestionnaireMoment
from reports.reviews import report_setting
from reports.supervision import flags as supervision_flags
from strengths import services as strength_services
from strengths.models import DatePrecision, EventKind, MomentKind, Perspective

# The statuses a team's families end up in, in turn: most are in care, one is waiting for
# its start, one has closed and one is in aftercare.
STATUS_CYCLE = [FamilyStatus.ACTIVE] * 8 + [
    FamilyStatus.REFERRED,
    FamilyStatus.CLOSED,
    FamilyStatus.AFTERCARE,
]


@dataclass
class Counters:
    """What is shown once over all base families (one pending proposal, two Krachtgezinnen)."""

    active: int = 0
    pending_made: bool = False
    aftercare: int = 0
    krachtgezinnen: int = 0
    index: int = 0
    # One family long in execution whose last case review is older than the period of the
    # "ingezogen" check (reports.supervision.flags), so its coach shows as drawn in.
    sucked_in_made: bool = False


def seed_team(
    *,
    team: Team,
    coaches: list[Any],
    psychologist: Any | None,
    rng: random.Random,
    counters: Counters,
    count: int = 12,
) -> list[Family]:
    families = []
    for i in range(count):
        families.append(
            _seed_family(
                team=team,
                coach=coaches[i % len(coaches)],
                psychologist=psychologist,
                number=i + 1,
                status=STATUS_CYCLE[i % len(STATUS_CYCLE)],
                # The psychologist is involved in a few families, as in practice.
                involved=[psychologist] if psychologist and i < 3 else [],
                rng=rng,
                counters=counters,
            )
        )
    _seed_pool(team, families)
    # One family per team with a safety flag (meldcode), raised by its coach.
    flagged = families[3]
    services.family_set_safety(
        family=flagged,
        by=flagged.coach,
        flag=True,
        note="Signalen van huiselijk geweld; afwegingskader meldcode doorlopen, "
        "veiligheidsplan met moeder gemaakt.",
    )
    return families


def _seed_pool(team: Team, families: list[Family]) -> None:
    """Per team, a Krachtgezin of the pool that is free, and one free again after a
    matching that ended (the kennismaking found no klik on the Krachtgezin's side)."""
    today = timezone.localdate()
    for name, person in (network_texts.POOL_FREE, network_texts.POOL_ENDED):
        krachtgezin = network_services.krachtgezin_create(
            team=team,
            data={"name": name, "contact_person": person, "hours_per_week": 8},
        )
    match = network_services.krachtgezin_match(
        krachtgezin=krachtgezin,
        family=families[1],
        data={
            "started_on": today - datetime.timedelta(days=40),
            "intro_date": today - datetime.timedelta(days=35),
            "intro_third_person": "de regisseur",
            "click_family": Answer.YES,
            "click_krachtgezin": Answer.UNSURE,
            "safety": Answer.YES,
            "intro_note": "Het krachtgezin twijfelde of het de zorg voor drie kinderen aankan.",
        },
    )
    network_services.krachtgezin_match_end(
        match=match, ended_on=today - datetime.timedelta(days=30)
    )


def _seed_family(
    *,
    team: Team,
    coach: Any,
    psychologist: Any | None,
    number: int,
    status: str,
    involved: list[Any],
    rng: random.Random,
    counters: Counters,
) -> Family:
    today = timezone.localdate()
    approver = psychologist or coach
    surname = names.SURNAMES[number % len(names.SURNAMES)]
    history = _history_plan(team, status, today, counters)
    referral = (
        history.starts[0] - datetime.timedelta(days=7)
        if history
        else today - datetime.timedelta(days=rng.randint(5, 20))
    )
    family = services.family_create(
        data={
            "case_number": f"{DEMO_PREFIX}{team.pk:02d}-{number:05d}",
            "display_name": f"Gezin {surname}",
            "area": rng.choice(names.AREAS.get(team.name, ["Centrum"])),
            "team": team,
            "status": FamilyStatus.REFERRED,
            "referrer": rng.choice(Referrer.values),
            "referral_date": referral,
            "coach": coach,
        },
        involved=involved,
    )
    members = [
        services.member_save(member=m) for m in names.family_members(rng, family, surname, today)
    ]
    if history:
        _run_trajectory(family, coach, approver, history, today)
        family.refresh_from_db()  # the phase services set its status
    network = _seed_network_members(rng, family, counters, members)
    if history:
        _seed_contacts(rng, family, coach, members, network, history, today)
        _seed_network_work(rng, family, coach, members, network, today)
        # The family that got extra hours relapsed: its scores fall (a falling trend).
        _seed_scores(rng, family, coach, today, relapse=history.extra_hours)
    _seed_analyses(rng, family, coach, members, today)
    _seed_timeline(rng, family, coach, members, today)
    if history and status == FamilyStatus.ACTIVE:
        _seed_plan(rng, family, coach, approver, members, history)
    if history:
        _seed_reviews_and_questionnaires(rng, family, coach, approver, members, today, counters)
    if number == 1:
        _seed_records(family, coach, members, today)
    if history and history.checkins:
        seed_checkins(family, coach, history, today)
    counters.index += 1
    family.refresh_from_db()
    return family


# --- Trajectory -------------------------------------------------------------------------


@dataclass
class History:
    """The planned trajectory: phase kinds and their start dates, and where it ends."""

    kinds: list[str]
    starts: list[datetime.date]
    closed_on: datetime.date | None = None
    aftercare: bool = False
    pending: bool = False
    extra_hours: bool = False
    # An extension of the open phase: "approved" (no longer overdue) or "waiting".
    extension: str = ""
    # Aftercare check-ins: "held" (one held, one planned) or "need" (a need for help found).
    checkins: str = ""
    over_budget: bool = False
    nearly_used: bool = False
    active_index: int = -1

    @property
    def end(self) -> datetime.date:
        return self.closed_on or timezone.localdate()

    def __bool__(self) -> bool:
        return bool(self.kinds)


def _history_plan(team: Team, status: str, today: datetime.date, counters: Counters) -> History:
    definitions = phase_services.definitions_for(team)
    if status == FamilyStatus.ACTIVE:
        i = counters.active
        counters.active += 1
        kind, current_start = active_phase(i, definitions, today)
        kinds = PHASE_ORDER[: PHASE_ORDER.index(kind) + 1]
        history = History(
            kinds=kinds,
            starts=back_to_back(definitions, kinds, current_start),
        )
        history.active_index = i
        history.over_budget = i % 5 == 1
        history.extra_hours = i == 2
        history.nearly_used = i == 3
        history.extension = {2: "approved", 6: "waiting"}.get(i, "")
        if not counters.pending_made and i >= 1 and kind in ("analysis", "execution"):
            counters.pending_made = True
            history.pending = True
        return history
    if status in (FamilyStatus.CLOSED, FamilyStatus.AFTERCARE):
        closed_on = closed_on_for(status, today)
        closing_start = closed_on - datetime.timedelta(weeks=definitions["closing"].weeks_max)
        checkins = ""
        if status == FamilyStatus.AFTERCARE:
            checkins = "held" if counters.aftercare == 0 else "need"
            counters.aftercare += 1
        return History(
            kinds=list(PHASE_ORDER),
            starts=back_to_back(definitions, list(PHASE_ORDER), closing_start),
            closed_on=closed_on,
            aftercare=status == FamilyStatus.AFTERCARE,
            checkins=checkins,
        )
    return History(kinds=[], starts=[])


def active_phase(
    i: int, definitions: dict[str, Any], today: datetime.date
) -> tuple[str, datetime.date]:
    """The open phase of the i-th active demo family and its start: spread over the four
    phases, a third past the planned end, a third ending within the week, a third well inside.
    The load-test families (phases.py) follow the same spread."""
    kind = PHASE_ORDER[i % len(PHASE_ORDER)]
    planned = definitions[kind].weeks_max * 7
    shape = (i // len(PHASE_ORDER)) % 3
    if shape == 0:  # past its planned end
        days_in = planned + 5 + i % 20
    elif shape == 1:  # ends within the week
        days_in = max(planned - 3, 1)
    else:  # well inside the phase
        days_in = max(planned // 2, 1)
    return kind, today - datetime.timedelta(days=days_in)


def closed_on_for(status: str, today: datetime.date) -> datetime.date:
    """Closed so that the next aftercare check-in (3 or 6 months on) falls in the coming days."""
    months = 3 if status == FamilyStatus.CLOSED else 6
    return add_months(today + datetime.timedelta(days=3), -months)


def back_to_back(
    definitions: dict[str, Any], kinds: list[str], last_start: datetime.date
) -> list[datetime.date]:
    """Start dates of `kinds` back to back, each earlier phase as long as its maximum."""
    starts = [last_start]
    for kind in reversed(kinds[:-1]):
        starts.insert(0, starts[0] - datetime.timedelta(weeks=definitions[kind].weeks_max))
    return starts


def _advance(
    family: Family,
    coach: Any,
    approver: Any,
    on: datetime.date,
    today: datetime.date,
    **closing: Any,
) -> None:
    """The coach proposes the next step; the psychologist approves it (the team asks that).
    Closing the trajectory takes its outcome, reason and aftercare (`closing`)."""
    transition = phase_services.transition_propose(
        family=family, by=coach, role=Role.COACH, effective_on=on, today=today, **closing
    )
    if transition.status == TransitionStatus.PENDING:
        phase_services.transition_decide(transition=transition, by=approver, approve=True)


def _run_trajectory(
    family: Family,
    coach: Any,
    approver: Any,
    history: History,
    today: datetime.date,
) -> None:
    phase_services.trajectory_start(
        family=family, by=coach, started_on=history.starts[0], today=today
    )
    for start in history.starts[1:]:
        _advance(family, coach, approver, start, today)
    if history.closed_on:
        # With aftercare the closing goes on to aftercare and plans the check-ins.
        _advance(
            family,
            coach,
            approver,
            history.closed_on,
            today,
            closing_outcome=ClosingOutcome.GOALS_REACHED
            if history.aftercare
            else ClosingOutcome.PARTLY_REACHED,
            closing_reason="Het gezin redt zich weer met het eigen netwerk."
            if history.aftercare
            else "Veiligheid op orde; de schulden zijn overgedragen aan de schuldhulp.",
            into_aftercare=history.aftercare,
        )
    if history.extension:
        _extend(family, coach, approver, history.extension, today)
    if history.extra_hours:
        phase_services.extra_hours_add(
            family=family,
            by=coach,
            hours=Decimal(8),
            reason="Terugval na huisuitzetting; tijdelijk meer uren nodig.",
        )
    if history.pending:
        # Waits for the psychologist's approval (a badge on the caseload and a reminder).
        phase_services.transition_propose(
            family=family,
            by=coach,
            role=Role.COACH,
            effective_on=today,
            note="Analyse rond; gezinsplan staat, voorstel om door te gaan.",
            today=today,
        )


def _extend(family: Family, coach: Any, approver: Any, kind: str, today: datetime.date) -> None:
    """An extension of the open phase agreed with the family: approved, or waiting."""
    episode = family.phase_episodes.get(ended_on__isnull=True)
    new_end = max(episode.agreed_end, today) + datetime.timedelta(weeks=4)
    extension = phase_services.extension_propose(
        family=family,
        by=coach,
        role=Role.COACH,
        new_end=new_end,
        reason="Het gezin verhuist; de afspraken lopen daardoor vier weken later.",
        agreed_with="Moeder en de verwijzer (huisarts)",
    )
    if kind == "approved" and extension.status == TransitionStatus.PENDING:
        phase_services.extension_decide(
            extension=extension, by=approver, approve=True, note="Akkoord, goed onderbouwd."
        )


def seed_checkins(family: Family, coach: Any, history: History, today: datetime.date) -> None:
    """The aftercare family's first check-in was held (well, or with a need for help that
    reopened the file); the later one stays planned."""
    first = family.aftercare_checkins.planned().filter(planned_on__lte=today).first()
    if first is None:
        return
    needs_help = history.checkins == "need"
    phase_services.aftercare_checkin_record(
        checkin=first,
        by=coach,
        held_on=first.planned_on,
        how_it_goes="Moeder houdt het weekritme vast; de kinderen gaan elke dag naar school."
        if not needs_help
        else "Vader is zijn werk kwijt; de spanning thuis loopt weer op.",
        needs_help=needs_help,
        notes="" if not needs_help else "Gezin vraagt zelf om opnieuw hulp.",
        today=today,
    )


# --- Contacts and network ---------------------------------------------------------------


def _seed_network_members(
    rng: random.Random, family: Family, counters: Counters, members: list[Member]
) -> list[NetworkMember]:
    made = []
    for i, (name, relation, circle, closeness, quality) in enumerate(
        rng.sample(network_texts.PEOPLE, rng.randint(6, 15))
    ):
        risk = quality == Quality.STRESSFUL and rng.random() < 0.6
        made.append(
            network_services.network_member_create(
                family=family,
                data={
                    "name": name,
                    "relation": relation,
                    "circle": circle,
                    "closeness": closeness,
                    "quality": quality,
                    "direction": rng.choice(list(Direction)),
                    "support_types": sorted(rng.sample(SupportType.values, rng.randint(1, 3))),
                    "contact_frequency": rng.choice(["daily", "weekly", "monthly", "sometimes"]),
                    "willing_to_contribute": quality == Quality.STRONG,
                    "contribution": "Wil helpen met opvang en boodschappen." if i % 3 == 0 else "",
                    "safety_risk": risk,
                    "safety_note": "Dreigende taal bij de laatste ruzie." if risk else "",
                },
            )
        )
    # Every family with children has a JIM: the eldest's chosen mentor.
    made.append(
        network_services.network_member_create(
            family=family,
            data={
                "name": "Mentor Sanne",
                "relation": "JIM van de oudste",
                "circle": Circle.FRIENDS,
                "closeness": 1,
                "quality": Quality.STRONG,
                "direction": Direction.GIVES,
                "support_types": [SupportType.EMOTIONAL, SupportType.ADVICE],
                "special_role": SpecialRole.JIM,
                "chosen_by": _eldest_child(members),
                "willing_to_contribute": True,
            },
        )
    )
    if family.status != FamilyStatus.REFERRED and counters.krachtgezinnen < 2:
        name, _person = network_texts.KRACHTGEZIN_NAMES[counters.krachtgezinnen]
        counters.krachtgezinnen += 1
        made.append(
            network_services.network_member_create(
                family=family,
                data={
                    "name": name,
                    "relation": "krachtgezin",
                    "circle": Circle.NEIGHBOURHOOD,
                    "closeness": 2,
                    "quality": Quality.STRONG,
                    "direction": Direction.GIVES,
                    "support_types": [SupportType.RESPITE, SupportType.ADVICE],
                    "special_role": SpecialRole.KRACHTGEZIN,
                    "willing_to_contribute": True,
                },
            )
        )
    return made


def _eldest_child(members: list[Member]) -> Member | None:
    children = [m for m in members if m.role == FamilyRole.CHILD]
    dated = [m for m in children if m.date_of_birth]
    if dated:
        return min(dated, key=lambda m: m.date_of_birth)
    return children[0] if children else None


# Start times of the logged contacts, in turn: mostly office hours, one evening visit
# (19:30, outside office hours) and the second contact on a Saturday. The oldest contacts
# have no time, as contacts logged before the start time was asked.
CONTACT_TIMES = [
    datetime.time(9, 30),
    datetime.time(14, 0),
    datetime.time(19, 30),
    datetime.time(11, 0),
    datetime.time(16, 15),
    datetime.time(10, 0),
]
TIMED_CONTACTS = 12


def _seed_contacts(
    rng: random.Random,
    family: Family,
    coach: Any,
    members: list[Member],
    network: list[NetworkMember],
    history: History,
    today: datetime.date,
) -> None:
    begin, end = history.starts[0], history.end
    span = max((end - begin).days, 1)
    contributors = [m for m in network if m.willing_to_contribute] or network
    dates = sorted(
        (begin + datetime.timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(8, 25))),
        reverse=True,
    )
    for n, day in enumerate(dates):
        minutes = rng.choice([15, 30, 45, 60, 90, 120, 150])
        kind = rng.choice(ContactKind.values)
        members_present = rng.sample(members, min(len(members), rng.randint(1, 3)))
        # Some recent contacts name network members present (for "last contact").
        network_present = [rng.choice(contributors)] if n < 6 and n % 2 == 0 else []
        domains = rng.sample(LifeDomain.values, rng.randint(1, 3))
        note = rng.choice(names.NOTES)
        if n == 0:
            # The latest contact is a home visit with a full report, longer than a short note
            # (the same draws are made, so the rest of the demo stays as it was).
            kind, note = ContactKind.HOME_VISIT, names.HOME_VISIT_REPORT
        day = min(day, today)
        if n == 1:
            # A weekend visit: the Saturday on or before its day (no draw).
            saturday = day - datetime.timedelta(days=(day.weekday() - 5) % 7)
            day = saturday if saturday >= begin else day
        services.contact_create(
            family=family,
            author=coach,
            date=day,
            start_time=CONTACT_TIMES[n % len(CONTACT_TIMES)] if n < TIMED_CONTACTS else None,
            minutes=minutes,
            kind=kind,
            members_present=members_present,
            network_members_present=network_present,
            domains=domains,
            note=note,
        )
    if history.over_budget:
        # Many long visits in the current phase: over its hour budget.
        current = history.starts[-1]
        definition = phase_services.definitions_for(family.team_id)[history.kinds[-1]]
        days_in = max((today - current).days, 1)
        for n in range(int(definition.weeks_max * definition.hours_max) // 2 + 4):
            services.contact_create(
                family=family,
                author=coach,
                date=current + datetime.timedelta(days=n % days_in),
                start_time=datetime.time(10, 0),
                minutes=150,
                kind=ContactKind.HOME_VISIT,
                domains=["family"],
                note="Intensieve begeleiding na een crisis.",
            )

    if history.nearly_used:
        # Close to the top of the current phase's budget: 90% or more used, not over it
        # (the caseload's and the family page's "90%" badge).
        current = history.starts[-1]
        definition = phase_services.definitions_for(family.team_id)[history.kinds[-1]]
        budget_minutes = int(definition.weeks_max * definition.hours_max * 60)
        used = family.contacts.filter(date__gte=current).aggregate(m=Sum("minutes"))["m"] or 0
        days_in = max((today - current).days, 1)
        n = 0
        while used + 15 <= budget_minutes * 95 // 100:
            services.contact_create(
                family=family,
                author=coach,
                date=current + datetime.timedelta(days=n % days_in),
                start_time=datetime.time(13, 30),
                minutes=15,
                kind=ContactKind.HOME_VISIT,
                domains=["parenting"],
                note="Extra steun in een drukke periode.",
            )
            used += 15
            n += 1


def _seed_network_work(
    rng: random.Random,
    family: Family,
    coach: Any,
    members: list[Member],
    network: list[NetworkMember],
    today: datetime.date,
) -> None:
    contributors = [m for m in network if m.willing_to_contribute] or network
    parents = [m for m in members if m.role != FamilyRole.CHILD]
    meeting = network_services.meeting_create(
        family=family,
        by=coach,
        data={
            "kind": rng.choice(list(MeetingKind)),
            "date": today - datetime.timedelta(days=rng.randint(40, 90)),
            "other_participants": "gezinscoach",
            "outcomes": "Het netwerk neemt de woensdagmiddag en het contact met school op zich.",
            "next_evaluation": today + datetime.timedelta(days=rng.randint(-10, 30)),
        },
        family_members=parents[:2],
        network_members=contributors[:4],
    )
    agreements = []
    for i, (what, due, frequency) in enumerate(network_texts.WHAT[: rng.randint(3, 5)]):
        agreements.append(
            network_services.agreement_create(
                family=family,
                data={
                    "who_kind": AgreementWho.NETWORK_MEMBER,
                    "network_member": contributors[i % len(contributors)],
                    "what": what,
                    # Half of the dated ones are overdue, the other half still ahead.
                    "due_date": today + datetime.timedelta(days=rng.choice([-14, -3, 10, 21]))
                    if due
                    else None,
                    "frequency": frequency,
                    "meeting": meeting,
                },
            )
        )
    if parents:
        agreements.append(
            network_services.agreement_create(
                family=family,
                data={
                    "who_kind": AgreementWho.FAMILY_MEMBER,
                    "family_member": parents[0],
                    "what": "Opent de post samen met de buurvrouw",
                    "frequency": "elke maandag",
                    "meeting": meeting,
                },
            )
        )
    agreements.append(
        network_services.agreement_create(
            family=family,
            data={
                "who_kind": AgreementWho.PROFESSIONAL,
                "professional": "gezinscoach",
                "what": "Regelt een afspraak bij de schuldhulpverlening",
                "due_date": today - datetime.timedelta(days=30),
                "status": AgreementStatus.DONE,
                "meeting": meeting,
            },
        )
    )
    network_services.evaluation_create(
        meeting=meeting,
        by=coach,
        date=min(today, meeting.date + datetime.timedelta(days=28)),
        note="Samen met oma en de buurvrouw de afspraken doorgelopen.",
        outcomes={a.pk: rng.choice(list(Outcome)) for a in agreements},
    )
    krachtgezin_member = next(
        (m for m in network if m.special_role == SpecialRole.KRACHTGEZIN), None
    )
    if krachtgezin_member is not None:
        _seed_krachtgezin(family, krachtgezin_member.name, members, today)


def _seed_krachtgezin(
    family: Family, name: str, members: list[Member], today: datetime.date
) -> None:
    """A Krachtgezin of the team's pool matched with `family`, the kennismaking recorded."""
    person = dict(network_texts.KRACHTGEZIN_NAMES)[name]
    krachtgezin = network_services.krachtgezin_create(
        team=family.team,
        data={
            "name": name,
            "contact_person": person,
            "registration": "SKJ-registratie",
            "hours_per_week": 10,
        },
    )
    network_services.krachtgezin_match(
        krachtgezin=krachtgezin,
        family=family,
        data={
            "started_on": today - datetime.timedelta(days=55),
            "intro_date": today - datetime.timedelta(days=50),
            "intro_third_person": "de gezinscoach",
            "click_family": Answer.YES,
            "click_krachtgezin": Answer.YES,
            "safety": Answer.YES,
            "goals": "Moeder heeft elke woensdagmiddag rust; de kinderen logeren eens per "
            "maand een weekend.",
            "intro_note": "Goede klik met moeder; de kinderen wilden meteen terugkomen.",
        },
    )
    children = [m for m in members if m.role == FamilyRole.CHILD]
    tz = timezone.get_current_timezone()
    for weeks_ago, hours in ((4, 8), (2, 30), (0, 6)):
        day = today - datetime.timedelta(weeks=weeks_ago, days=today.weekday())
        start = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=tz)
        network_services.stay_create(
            krachtgezin=krachtgezin,
            data={
                "child": children[weeks_ago % len(children)],
                "start": start,
                "end": start + datetime.timedelta(hours=hours),
                "note": "Logeren" if hours > 10 else "Middag spelen",
            },
        )


# --- Analysis ---------------------------------------------------------------------------


def _score_values(
    rng: random.Random, base: dict[str, int], lasting: set[str]
) -> dict[str, dict[str, Any]]:
    scores = {}
    for code in LifeDomain.values:
        severity = base[code]
        shares: tuple[int | None, int | None, int | None] = (None, None, None)
        if rng.random() < 0.4:
            own = rng.choice([20, 30, 40, 50])
            network = rng.choice([10, 20, 30])
            shares = (own, network, 100 - own - network)
        scores[code] = {
            "severity": severity,
            "strength": min(3, max(0, severity - 1 - rng.randint(0, 1))),
            "own_words": strength_texts.OWN_WORDS[code] if rng.random() < 0.6 else "",
            "problem_present": severity <= 3 or code in lasting,
            "long_lasting": code in lasting,
            "share_own": shares[0],
            "share_network": shares[1],
            "share_professional": shares[2],
        }
    return scores


def _seed_scores(
    rng: random.Random, family: Family, coach: Any, today: datetime.date, *, relapse: bool = False
) -> None:
    span = (today - family.referral_date).days
    # Recently referred families still get two moments, spread over their time in care.
    offsets = [14, 60, 180] if span > 60 else [span // 4, span * 3 // 4]
    kinds = [MomentKind.START, MomentKind.ANALYSIS_END, MomentKind.INTERIM]
    # Most families are clearly multi-stress (6 or 7 lasting), a few are not (4 or 5), so
    # the inclusion check shows both outcomes.
    lasting = set(rng.sample(LifeDomain.values, rng.choice([7, 6, 6, 6, 5, 4])))
    base = {c: rng.randint(1, 2) if c in lasting else rng.randint(3, 4) for c in LifeDomain.values}
    if relapse:
        # It went reasonably at first, then fell back.
        base = {c: min(5, v + 2) for c, v in base.items()}
    step = 0
    for kind, days in zip(kinds, offsets, strict=False):
        day = family.referral_date + datetime.timedelta(days=days)
        if day > today:
            continue
        moment = strength_services.moment_create(family=family, kind=kind, date=day, by=coach)
        perspectives = [Perspective.JOINT] + ([Perspective.PROFESSIONAL] if step == 0 else [])
        for perspective in perspectives:
            strength_services.scores_save(
                moment=moment,
                perspective=perspective,
                by=coach,
                version=None,
                scores=_score_values(rng, base, lasting),
            )
        # Change between moments: most domains improve a step, lasting problems ease; after
        # a relapse most domains fall back a step.
        if relapse:
            base = {c: max(1, v - (1 if rng.random() < 0.7 else 0)) for c, v in base.items()}
        else:
            base = {c: min(5, v + (1 if rng.random() < 0.6 else 0)) for c, v in base.items()}
        if step >= 1:
            lasting = {c for c in lasting if base[c] <= 2}
        step += 1


def _seed_analyses(
    rng: random.Random, family: Family, coach: Any, members: list[Member], today: datetime.date
) -> None:
    ordered = sorted(members, key=lambda m: (m.date_of_birth or datetime.date.min, m.pk))
    # Two out of three families still miss one member (often a younger sibling).
    skip = ordered[-1].pk if ordered and len(ordered) > 1 and rng.random() < 2 / 3 else None
    for member in ordered:
        if member.pk == skip:
            continue
        strength_services.analysis_create(
            family=family,
            member=member,
            by=coach,
            data={
                "date": min(
                    today, family.referral_date + datetime.timedelta(days=rng.randint(15, 50))
                ),
                "filled_in_by": rng.choice(strength_texts.FILLED_IN_BY),
                "strengths": rng.choice(strength_texts.STRENGTHS),
                "wishes": rng.choice(strength_texts.WISHES),
                "worries": rng.choice(strength_texts.WORRIES),
            },
        )


def _seed_timeline(
    rng: random.Random, family: Family, coach: Any, members: list[Member], today: datetime.date
) -> None:
    parents = [m for m in members if m.role != FamilyRole.CHILD]
    children = [m for m in members if m.role == FamilyRole.CHILD]
    rows: list[tuple[str, datetime.date, str, str, list[Member]]] = [
        (
            DatePrecision.DAY,
            c.date_of_birth,
            EventKind.BIRTH,
            f"Geboorte van {c.name.split()[0]}.",
            [c],
        )
        for c in children[:3]
        if c.date_of_birth
    ]
    base_year = today.year - rng.randint(3, 9)
    rows.append(
        (
            DatePrecision.MONTH,
            datetime.date(base_year, rng.randint(1, 12), 1),
            EventKind.MOVE,
            "Verhuisd naar een kleinere woning na huurachterstand.",
            parents,
        )
    )
    rows.append(
        (
            DatePrecision.YEAR,
            datetime.date(base_year - 2, 1, 1),
            EventKind.EARLIER_CARE,
            "Opvoedondersteuning via het wijkteam, na een half jaar gestopt.",
            parents,
        )
    )
    for kind, text in rng.sample(strength_texts.TIMELINE_EXTRA, rng.randint(1, 3)):
        year = rng.randint(base_year - 1, today.year - 1)
        precision = rng.choice([DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR])
        day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        rows.append((precision, day, kind, text, rng.sample(members, min(2, len(members)))))
    for precision, day, kind, text, who in rows[:8]:
        strength_services.event_create(
            family=family,
            by=coach,
            data={
                "precision": precision,
                "year": day.year,
                "month": None if precision == DatePrecision.YEAR else day.month,
                "day": day.day if precision == DatePrecision.DAY else None,
                "kind": kind,
                "description": text,
            },
            members=who,
        )


# --- Plan, reviews, questionnaires, records ---------------------------------------------


def _seed_plan(
    rng: random.Random,
    family: Family,
    coach: Any,
    approver: Any,
    members: list[Member],
    history: History,
) -> None:
    i = history.active_index
    if i % 5 == 4:
        return  # a few active families have no plan yet (an empty plan page)
    plan = seed_plan(
        family,
        rng=rng,
        by=coach,
        approver=approver,
        members=members,
        fixed_versions=1 if i % 3 == 0 else 0,
    )
    # The sign-off in every state: a draft asked for review (in the psychologist's "Wacht
    # op mij"), one sent back with a reason, one approved with the family's agreement (ready
    # to fix), and drafts not yet asked.
    if i % 5 == 1:
        plan_services.plan_review_request(plan=plan, by=coach)
    elif i % 5 == 2:
        plan_services.plan_review_request(plan=plan, by=coach)
        plan_services.plan_return(
            plan=plan,
            by=approver,
            reason="De veiligheidsvoorwaarden zijn nog niet met het netwerk besproken.",
        )
    elif i % 5 == 3:
        _sign_off(plan, coach=coach, approver=approver, members=members)


def seed_plan(
    family: Family,
    *,
    rng: random.Random,
    by: Any,
    approver: Any | None = None,
    members: list[Member] | None = None,
    fixed_versions: int = 0,
) -> Any:
    """One family's plan through the plan services: `fixed_versions` fixed versions, each
    signed off (asked, approved by `approver`, agreed by the family) and followed by the new
    draft the next edit starts (a copy of the fixed one)."""
    members = members if members is not None else list(family.members.all())
    parents = [m for m in members if m.role != FamilyRole.CHILD] or members
    children = [m for m in members if m.role == FamilyRole.CHILD] or members
    today = timezone.localdate()
    plan = plan_services.plan_start_draft(family=family, by=by)
    fixed = fixed_versions > 0
    plan = plan_services.plan_update(
        plan=plan,
        by=by,
        version=plan.version,
        central_question=rng.choice(report_texts.QUESTIONS),
        worries=rng.choice(report_texts.WORRIES),
        safety_conditions=rng.choice(report_texts.SAFETY),
        if_it_goes_differently=rng.choice(report_texts.FALLBACK),
        evaluation_dates=[today + datetime.timedelta(weeks=w) for w in (6, 12, 24)],
    )
    goals = []
    for domain, text, criterion in rng.sample(report_texts.GOALS, rng.randint(3, 5)):
        progress = rng.choice([0, 10, 25, 40, 60, 80])
        goals.append(
            plan_services.goal_create(
                plan=plan,
                domain=domain,
                owner=rng.choice(children if domain == LifeDomain.CHILD else parents),
                text=text,
                criterion=criterion,
                status=GoalStatus.IN_PROGRESS if progress else GoalStatus.NOT_STARTED,
                progress=progress,
            )
        )
    plan_services.action_create(
        plan=plan,
        goal=goals[0],
        source=ActionSource.FAMILY,
        member=parents[0],
        what="Zet elke avond de schooltassen klaar en zet de wekker.",
        when="elke avond",
        status=ActionStatus.IN_PROGRESS,
    )
    for source, rows in (
        (ActionSource.NETWORK, report_texts.NETWORK_ACTIONS),
        (ActionSource.PROFESSIONAL, report_texts.PROFESSIONAL_ACTIONS),
    ):
        for name, what, when in rng.sample(rows, 2):
            plan_services.action_create(
                plan=plan,
                goal=rng.choice(goals),
                source=source,
                who_name=name,
                what=what,
                when=when,
            )
    if not fixed and len(goals) > 3:
        # A goal taken out of the draft: the plan page lists it under "Verwijderd uit dit
        # concept", where it can be put back.
        removed = goals[-1]
        plan_services.goal_delete(goal=removed, by=by, version=removed.version)
    for _ in range(fixed_versions):
        plan = _sign_off(plan, coach=by, approver=approver or by, members=members)
        plan = plan_services.plan_fix(plan=plan, by=by, version=plan.version)
        plan = plan_services.plan_start_draft(family=family, by=by)
    return plan


def _long_in_execution(family: Family, today: datetime.date) -> bool:
    weeks = report_setting("SUCKED_IN_EXECUTION_WEEKS")
    return family.phase_episodes.filter(
        ended_on__isnull=True,
        kind="execution",
        started_on__lt=today - datetime.timedelta(weeks=weeks),
    ).exists()


def _sign_off(plan: Any, *, coach: Any, approver: Any, members: list[Member]) -> Any:
    """Asked for review, approved, and agreed by the family's parents with gezag (or the
    eldest who may agree) in a meeting three days ago."""
    plan_services.plan_review_request(plan=plan, by=coach)
    plan = plan_services.plan_review(plan=plan, by=approver)
    eligible = [m for m in members if may_agree(m)]
    agreeing = [m for m in eligible if m.has_parental_authority] or eligible[:1]
    plan = plan_services.plan_agree(
        plan=plan,
        members=agreeing,
        agreed_on=timezone.localdate() - datetime.timedelta(days=3),
        agreed_how=AgreementWay.MEETING,
    )
    plan.refresh_from_db(fields=["version"])
    return plan


def _seed_reviews_and_questionnaires(
    rng: random.Random,
    family: Family,
    coach: Any,
    author: Any,
    members: list[Member],
    today: datetime.date,
    counters: Counters,
) -> None:
    i = counters.index
    if family.status == FamilyStatus.ACTIVE:
        held = today - datetime.timedelta(days=rng.randint(20, 60))
        if not counters.sucked_in_made and _long_in_execution(family, today):
            counters.sucked_in_made = True
            held = supervision_flags.discussed_since(today) - datetime.timedelta(days=10)
        # Every third review is due again now: within the reminder's lead time (planned,
        # "gepland") or past its date without a record (late, "te laat"); the others are
        # planned further ahead.
        next_on = (
            today + (1 if i % 2 == 0 else -1) * datetime.timedelta(days=rng.randint(0, 5) + i % 2)
            if i % 3 == 0
            else today + datetime.timedelta(days=rng.randint(14, 42))
        )
        report_services.case_review_create(
            family=family,
            by=author,
            data={
                "date": held,
                "notes": rng.choice(report_texts.REVIEW_NOTES),
                "decisions": rng.choice(report_texts.REVIEW_DECISIONS),
                "next_review_on": max(next_on, held + datetime.timedelta(days=1)),
            },
            participants={author, coach},
        )
    # The eldest member fills in the questionnaires (a parent).
    member = min(members, key=lambda m: m.date_of_birth or today)
    closed = family.status in (FamilyStatus.CLOSED, FamilyStatus.AFTERCARE)
    moments = [QuestionnaireMoment.START]
    if i % 2 == 0:
        moments.append(QuestionnaireMoment.AFTER_ANALYSIS)
    if closed:
        moments.append(QuestionnaireMoment.CLOSING)
    for n, moment in enumerate(moments):
        base = 2 + min(n, 2)
        report_services.sdm_record(
            family=family,
            member=member,
            moment=moment,
            date=today - datetime.timedelta(days=30 * (len(moments) - n) + rng.randint(0, 9)),
            items=[min(5, max(0, base + rng.choice([-1, 0, 0, 1]))) for _ in range(9)],
            by=coach,
        )
    if closed:
        report_services.exit_record(
            family=family,
            member=member,
            date=today - datetime.timedelta(days=rng.randint(5, 60)),
            answers={name: rng.randint(3, 5) for name in EXIT_ITEMS},
            comments=rng.choice(report_texts.EXIT_COMMENTS),
            by=coach,
        )


def _seed_records(family: Family, coach: Any, members: list[Member], today: datetime.date) -> None:
    """A consent to share with school and the family's own statement in the file."""
    parent = next((m for m in members if m.role != FamilyRole.CHILD), None)
    records_services.consent_add(
        family=family,
        by=coach,
        given_by_member=parent,
        given_by_name="",
        organisation="Basisschool De Regenboog",
        purpose="Afstemmen over verzuim en de afspraken in het gezinsplan.",
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=335),
    )
    records_services.statement_add(
        family=family,
        by=coach,
        statement_date=today - datetime.timedelta(days=10),
        given_by=parent.name if parent else "moeder",
        text="Ik ben het niet eens met wat er over de ruzie in mei staat; zo is het niet gegaan.",
    )
