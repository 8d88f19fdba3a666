"""Every column of the research dataset, with its codebook entry, in one place.

The codebook (codebook.csv in the ZIP) is generated from these same definitions, so a
column cannot be in a CSV without its meaning and values. The trajectory table's columns
come from the providers in settings.RESEARCH_DATASET_COLUMNS: dotted paths to functions
returning a list of `Column`; a module above reports.research (the fidelity checklist,
working elements, professionals' questionnaires) adds its columns by adding its provider
there. A column reads one `TrajectoryData` (reports.research.dataset) and returns a
number, a choice's value or a month: never a text a person typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cases.models import ActionSource, LifeDomain, PartnerKind, ReferralStatus
from cases.models.contacts import ContactKind
from cases.models.families import FamilyRole, FamilyStatus, Referrer
from network.models import Circle
from phases.models import ClosingOutcome, PhaseKind
from reports.models import IMPLEMENTATION_ITEMS, FilledVia, QuestionnaireMoment
from reports.questionnaires import IMPLEMENTATION_AREA_LABELS, IMPLEMENTATION_QUESTIONS
from reports.research.dataset import TrajectoryData, month
from strengths.models import MomentKind, Perspective


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str | Promise
    values: str | Promise = ""
    # Reads the value from a TrajectoryData; None for the long tables (rows are dicts).
    value: Callable[[TrajectoryData], Any] | None = None


def choices(kind: type[TextChoices]) -> str:
    return "; ".join(f"{value} = {label}" for value, label in kind.choices)


COUNT = _("aantal (0 of meer)")
SHARE = _("aandeel 0–1, twee decimalen; leeg als er geen contacten zijn")
MONTH = _("maand JJJJ-MM; leeg als onbekend")
YES_NO = _("1 = ja, 0 = nee; leeg als niet vastgelegd")
WEEKS = _("weken, één decimaal")
HOURS = _("uren, één decimaal")


def _share(part: int, whole: int) -> str:
    return "" if not whole else f"{part / whole:.2f}"


def _one(value: Decimal | float) -> str:
    return f"{float(value):.1f}"


def _closing(row: TrajectoryData) -> Any:
    closed = [t for t in row.transitions if t.closing_outcome]
    return max(closed, key=lambda t: (t.effective_on, t.pk)) if closed else None


def _phase_weeks(row: TrajectoryData, phase: str) -> str:
    days = sum(
        ((e.ended_on or row.today) - e.started_on).days for e in row.episodes if e.kind == phase
    )
    return _one(days / 7) if any(e.kind == phase for e in row.episodes) else ""


def _phase_planned_weeks(row: TrajectoryData, phase: str) -> str:
    episodes = [e for e in row.episodes if e.kind == phase]
    if not episodes:
        return ""
    return _one(sum(((e.extended_end or e.planned_end) - e.started_on).days for e in episodes) / 7)


def _phase_hours(row: TrajectoryData, phase: str) -> str:
    episodes = [e for e in row.episodes if e.kind == phase]
    if not episodes:
        return ""
    minutes = sum(
        c.minutes
        for c in row.contacts
        for e in episodes
        if e.started_on <= c.date and (e.ended_on is None or c.date < e.ended_on)
    )
    return _one(minutes / 60)


def _phase_budget(row: TrajectoryData, phase: str) -> str:
    episodes = [e for e in row.episodes if e.kind == phase]
    if not episodes:
        return ""
    budget = sum(
        e.weeks_max * e.hours_max + sum(x.hours for x in e.extra_hours.all()) for e in episodes
    )
    return _one(budget)


def _inclusion_domains(row: TrajectoryData) -> str:
    from strengths.models import INCLUSION_MOMENTS, preferred_sheet

    moments = [m for m in row.moments if m.kind in INCLUSION_MOMENTS]
    if not moments:
        return ""
    latest = max(moments, key=lambda m: (m.date, m.pk))
    sheet = preferred_sheet(list(latest.sheets.all()))
    if sheet is None:
        return ""
    return str(sum(1 for s in sheet.scores.all() if s.problem_present and s.long_lasting))


def _inclusion_meets(row: TrajectoryData) -> str:
    domains = _inclusion_domains(row)
    return "" if domains == "" else str(int(int(domains) >= row.family.team.inclusion_threshold))


def _timed(row: TrajectoryData) -> list[Any]:
    return [c for c in row.contacts if c.start_time is not None]


def trajectory_columns() -> list[Column]:
    """The trajectory table's own columns (the first provider in RESEARCH_DATASET_COLUMNS)."""
    columns = [
        Column(
            "family",
            _("pseudoniem van het gezin (vast binnen dit project)"),
            "G + 16 hex",
            lambda r: r.pseudonym,
        ),
        Column(
            "trajectory", _("volgnummer van het traject van het gezin"), COUNT, lambda r: r.number
        ),
        Column(
            "team",
            _("team (geen kleiner gebied)"),
            _("naam van het team"),
            lambda r: r.family.team.name,
        ),
        Column(
            "referral_month",
            _("maand van aanmelding"),
            MONTH,
            lambda r: month(r.referral_date),
        ),
        Column("referrer", _("verwijzer"), choices(Referrer), lambda r: r.referrer),
        Column(
            "status",
            _("status van het dossier nu (laatste traject)"),
            choices(FamilyStatus),
            lambda r: r.family.status if r.end is None else "",
        ),
        Column("members", _("aantal gezinsleden"), COUNT, lambda r: len(r.members)),
        Column(
            "children",
            _("aantal kinderen"),
            COUNT,
            lambda r: sum(1 for m in r.members if m.role == FamilyRole.CHILD),
        ),
        Column(
            "inclusion_domains",
            _("levensgebieden met een langdurig probleem bij de inclusie (start of einde analyse)"),
            COUNT,
            _inclusion_domains,
        ),
        Column(
            "inclusion_threshold",
            _("drempel van het team voor inclusie"),
            COUNT,
            lambda r: r.family.team.inclusion_threshold,
        ),
        Column("inclusion_meets", _("voldoet aan de inclusie"), YES_NO, _inclusion_meets),
    ]
    for phase in PhaseKind:
        label = phase.label
        columns += [
            Column(
                f"{phase}_weeks",
                _("duur van de fase in weken: %(phase)s") % {"phase": label},
                WEEKS,
                partial(_phase_weeks, phase=phase.value),
            ),
            Column(
                f"{phase}_weeks_planned",
                _("geplande duur van de fase in weken (met verlenging): %(phase)s")
                % {"phase": label},
                WEEKS,
                partial(_phase_planned_weeks, phase=phase.value),
            ),
            Column(
                f"{phase}_hours",
                _("uren contact in de fase: %(phase)s") % {"phase": label},
                HOURS,
                partial(_phase_hours, phase=phase.value),
            ),
            Column(
                f"{phase}_hours_budget",
                _("urenbudget van de fase (met extra uren): %(phase)s") % {"phase": label},
                HOURS,
                partial(_phase_budget, phase=phase.value),
            ),
        ]
    columns += [
        Column("contacts", _("aantal contacten"), COUNT, lambda r: len(r.contacts)),
        *[
            Column(
                f"contacts_{kind}",
                _("aantal contacten van de soort: %(kind)s") % {"kind": kind.label},
                COUNT,
                partial(lambda r, k: sum(1 for c in r.contacts if c.kind == k), k=kind.value),
            )
            for kind in ContactKind
        ],
        Column(
            "share_home_visits",
            _("aandeel huisbezoeken in de contacten"),
            SHARE,
            lambda r: _share(
                sum(1 for c in r.contacts if c.kind == ContactKind.HOME_VISIT), len(r.contacts)
            ),
        ),
        Column(
            "share_outside_office_hours",
            _("aandeel contacten buiten kantoortijd (van de contacten met een begintijd)"),
            SHARE,
            lambda r: _share(sum(1 for c in _timed(r) if c.outside_office_hours), len(_timed(r))),
        ),
        Column("network_size", _("aantal mensen in het netwerk"), COUNT, lambda r: len(r.network)),
        *[
            Column(
                f"network_{circle}",
                _("aantal mensen in het netwerk in de kring: %(circle)s")
                % {"circle": circle.label},
                COUNT,
                partial(lambda r, k: sum(1 for n in r.network if n.circle == k), k=circle.value),
            )
            for circle in Circle
        ],
        Column(
            "network_willing",
            _("aantal mensen in het netwerk dat wil bijdragen"),
            COUNT,
            lambda r: sum(1 for n in r.network if n.willing_to_contribute),
        ),
        *[
            Column(
                f"plan_actions_{source}",
                _("acties in het laatste gezinsplan van het traject door: %(source)s")
                % {"source": source.label},
                COUNT,
                partial(lambda r, k: sum(1 for a in r.actions if a.source == k), k=source.value),
            )
            for source in ActionSource
        ],
        Column(
            "referrals", _("aantal verwijzingen naar partners"), COUNT, lambda r: len(r.referrals)
        ),
        *[
            Column(
                f"referrals_{kind}",
                _("verwijzingen naar een partner van de soort: %(kind)s") % {"kind": kind.label},
                COUNT,
                partial(
                    lambda r, k: sum(1 for x in r.referrals if x.partner.kind == k), k=kind.value
                ),
            )
            for kind in PartnerKind
        ],
        *[
            Column(
                f"referrals_status_{status}",
                _("verwijzingen met de status: %(status)s") % {"status": status.label},
                COUNT,
                partial(lambda r, k: sum(1 for x in r.referrals if x.status == k), k=status.value),
            )
            for status in ReferralStatus
        ],
        Column(
            "sdm_q9_count", _("aantal ingevulde SDM-Q-9-vragenlijsten"), COUNT, lambda r: len(r.sdm)
        ),
        Column(
            "sdm_q9_mean",
            _("gemiddelde SDM-Q-9-score (0–100)"),
            _("één decimaal"),
            lambda r: _one(sum(s.score for s in r.sdm) / len(r.sdm)) if r.sdm else "",
        ),
        Column(
            "exit_count", _("aantal ingevulde eindvragenlijsten"), COUNT, lambda r: len(r.exits)
        ),
        Column(
            "closing_outcome",
            _("uitkomst bij afsluiten"),
            choices(ClosingOutcome),
            lambda r: getattr(_closing(r), "closing_outcome", ""),
        ),
        Column(
            "closing_month",
            _("maand van afsluiten"),
            MONTH,
            lambda r: month(getattr(_closing(r), "effective_on", None)),
        ),
        Column(
            "into_aftercare",
            _("gezin gaat in nazorg"),
            YES_NO,
            lambda r: (
                ""
                if getattr(_closing(r), "into_aftercare", None) is None
                else int(_closing(r).into_aftercare)
            ),
        ),
        Column(
            "aftercare_checkins",
            _("gehouden nazorgcontacten"),
            COUNT,
            lambda r: sum(1 for c in r.checkins if c.held_on),
        ),
        Column(
            "aftercare_needs_help",
            _("nazorgcontacten met een nieuwe hulpvraag"),
            COUNT,
            lambda r: sum(1 for c in r.checkins if c.needs_help),
        ),
    ]
    return columns


def dataset_columns() -> list[Column]:
    """The trajectory table's columns from every provider, in their order; a name twice is a
    mistake of a provider."""
    columns: list[Column] = []
    for path in settings.RESEARCH_DATASET_COLUMNS:
        columns.extend(import_string(path)())
    names = [c.name for c in columns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"Research columns defined twice: {duplicates}")
    return columns


def long_tables() -> Iterable[tuple[str, list[Column]]]:
    """The long tables' file names and columns (their rows come from reports.research.dataset)."""
    KEYS = [
        Column("family", _("pseudoniem van het gezin (vast binnen dit project)"), "G + 16 hex"),
        Column("trajectory", _("volgnummer van het traject van het gezin"), COUNT),
    ]
    MEMBER = Column(
        "member", _("pseudoniem van het gezinslid (vast binnen dit project)"), "P + 16 hex"
    )

    MEMBER_COLUMNS = [
        *KEYS,
        MEMBER,
        Column("role", _("rol in het gezin"), choices(FamilyRole)),
        Column(
            "age_band",
            _("leeftijdsgroep bij aanmelding (geen geboortedatum)"),
            _("jaren van–tot; leeg als onbekend"),
        ),
        Column("lives_in_household", _("woont in het huishouden"), YES_NO),
    ]

    SCORE_COLUMNS = [
        *KEYS,
        Column("moment", _("meetmoment"), choices(MomentKind)),
        Column("month", _("maand van het meetmoment"), MONTH),
        Column("perspective", _("perspectief"), choices(Perspective)),
        Column("domain", _("levensgebied"), choices(LifeDomain)),
        Column("severity", _("ernst"), _("schaal van het instrument")),
        Column("strength", _("kracht"), _("schaal van het instrument")),
        Column("problem_present", _("probleem aanwezig"), YES_NO),
        Column("long_lasting", _("langdurig probleem"), YES_NO),
    ]

    CONTACT_WEEK_COLUMNS = [
        *KEYS,
        Column("week", _("week van het traject (1 = week van het eerste contact)"), COUNT),
        Column("month", _("maand van het eerste contact in die week"), MONTH),
        Column("contacts", _("aantal contacten"), COUNT),
        Column("minutes", _("minuten contact"), COUNT),
        Column("outside_office_hours", _("contacten buiten kantoortijd"), COUNT),
        *[
            Column(
                f"kind_{kind}",
                _("aantal contacten van de soort: %(kind)s") % {"kind": kind.label},
                COUNT,
            )
            for kind in ContactKind
        ],
    ]

    QUESTIONNAIRE_COLUMNS = [
        *KEYS,
        MEMBER,
        Column("filled_via", _("hoe de vragenlijst binnenkwam"), choices(FilledVia)),
        Column(
            "filled_by",
            _("wie de vragenlijst invulde (groep, geen naam)"),
            _(
                "gezag = ouder of verzorger met gezag; young_person = kind of jongere; "
                "other_adult = andere volwassene in het gezin"
            ),
        ),
        Column("questionnaire", _("vragenlijst"), _("sdm_q9 = SDM-Q-9; exit = eindvragenlijst")),
        Column("moment", _("moment"), choices(QuestionnaireMoment)),
        Column("month", _("maand van invullen"), MONTH),
        Column("score", _("SDM-Q-9-score (0–100)"), _("één decimaal; alleen bij sdm_q9")),
        *[
            Column(
                f"item_{i}",
                _("SDM-Q-9, vraag %(number)s") % {"number": i},
                _("0–5; alleen bij sdm_q9"),
            )
            for i in range(1, 10)
        ],
        Column(
            "exit_result",
            _("eindvragenlijst: tevredenheid over het resultaat"),
            _("1–5; alleen bij exit"),
        ),
        Column(
            "exit_coach_rating",
            _("eindvragenlijst: tevredenheid over de gezinscoach"),
            _("1–5; alleen bij exit"),
        ),
        Column(
            "exit_network_role",
            _("eindvragenlijst: rol van het netwerk"),
            _("1–5; alleen bij exit"),
        ),
        Column(
            "exit_own_control", _("eindvragenlijst: regie bij het gezin"), _("1–5; alleen bij exit")
        ),
    ]
    ELEMENT_PHASE_COLUMNS = [
        *KEYS,
        Column(
            "element",
            _("pseudoniem van het werkzame element van het team (vast binnen dit project)"),
            "W + 16 hex",
        ),
        Column(
            "element_default",
            _("het element uit de startlijst van het project; leeg bij een eigen element"),
            "; ".join(
                f"{i} = {label}" for i, label in enumerate(settings.WORKING_ELEMENT_DEFAULTS, 1)
            ),
        ),
        Column(
            "phase",
            _("fase waarin het contact viel"),
            choices(PhaseKind) + "; none = " + str(_("voor of buiten een fase")),
        ),
        Column("contacts", _("aantal contacten waarop het element is aangevinkt"), COUNT),
    ]

    IMPLEMENTATION_COLUMNS = [
        Column(
            "professional",
            _("pseudoniem van de professional (vast binnen dit project, geen naam)"),
            "H + 16 hex",
        ),
        Column(
            "half_year",
            _("halfjaar van de vragenlijst over de uitvoering"),
            _(
                "JJJJ-H1 of JJJJ-H2; een halfjaar met minder dan %(n)s invullers in het team "
                "is weggelaten"
            )
            % {"n": settings.IMPLEMENTATION_MIN_RESPONDENTS},
        ),
        *[
            Column(
                name,
                _("vragenlijst over de uitvoering, %(area)s: %(question)s")
                % {
                    "area": IMPLEMENTATION_AREA_LABELS[area],
                    "question": IMPLEMENTATION_QUESTIONS[name],
                },
                _("1–5 (1 = helemaal oneens, 5 = helemaal eens)"),
            )
            for area, names in IMPLEMENTATION_ITEMS.items()
            for name in names
        ],
    ]
    return [
        ("members.csv", MEMBER_COLUMNS),
        ("scores.csv", SCORE_COLUMNS),
        ("contacts_per_week.csv", CONTACT_WEEK_COLUMNS),
        ("questionnaires.csv", QUESTIONNAIRE_COLUMNS),
        ("working_elements_per_phase.csv", ELEMENT_PHASE_COLUMNS),
        ("implementation.csv", IMPLEMENTATION_COLUMNS),
    ]
