"""Texts for the analysis part of the demo, and the batched start scores of load-test families.

Everything is fictitious. Base families (base.py) get scores over two or three moments that
show change, a krachtenanalyse for most (not all) members and a timeline, through the
strengths services; load-test families only get a scored start moment, in bulk.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from cases.models import Family, FamilyStatus, LifeDomain
from strengths.models import (
    DomainScore,
    EventKind,
    Moment,
    MomentKind,
    Perspective,
    ScoreSheet,
)

OWN_WORDS = {
    "child": "De kinderen slapen slecht en de oudste gaat niet graag naar school.",
    "parent": "Moeder zegt: ‘Ik ben al jaren moe, ik kom niet aan mezelf toe.’",
    "parenting": "‘Als ik nee zeg, wordt het ruzie.’",
    "family": "Veel ruzie aan tafel; samen eten lukt bijna nooit.",
    "socioeconomic": "Schulden bij de energieleverancier, de huur is twee maanden achter.",
    "environment": "Weinig mensen om op terug te vallen, buren klagen over geluid.",
    "care": "‘We hebben al zoveel hulpverleners gezien, niemand bleef.’",
}
STRENGTHS = [
    "Kan goed koken en zorgt dat er elke dag eten is.",
    "Is grappig en maakt iedereen aan het lachen.",
    "Voetbalt twee keer per week en is daar trots op.",
    "Helpt de kleintjes met huiswerk.",
    "Houdt vol, ook als het tegenzit.",
    "Tekent prachtig en wil later iets met kunst doen.",
]
WISHES = [
    "Minder ruzie thuis.",
    "Een eigen kamer.",
    "Weer contact met opa.",
    "Een baan waar ik blij van word.",
    "Dat mama minder verdrietig is.",
]
WORRIES = [
    "Dat we uit huis gezet worden.",
    "Dat papa weer weggaat.",
    "Dat ik blijf zitten op school.",
    "Geld, elke maand weer.",
]
TIMELINE_EXTRA = [
    (EventKind.DIVORCE, "Ouders gescheiden; vader woont sindsdien bij zijn moeder."),
    (EventKind.LOSS, "Oma overleden; zij paste vaak op de kinderen."),
    (EventKind.PLACEMENT, "Oudste kind een half jaar in een pleeggezin geplaatst."),
    (EventKind.SCHOOL, "Overstap naar speciaal onderwijs."),
    (EventKind.WORK, "Moeder verloor haar baan in de thuiszorg."),
    (EventKind.HEALTH, "Vader opgenomen wegens depressie."),
]
FILLED_IN_BY = [
    "zelf",
    "samen met moeder",
    "met de gezinscoach",
    "samen met vader",
    "met oma erbij",
]


def _scores(rng: random.Random, sheet: ScoreSheet, base: dict[str, int], lasting: set[str]):
    scores = []
    for code in LifeDomain.values:
        severity = base[code]
        present = severity <= 3
        shares = (None, None, None)
        if rng.random() < 0.4:
            own = rng.choice([20, 30, 40, 50])
            network = rng.choice([10, 20, 30])
            shares = (own, network, 100 - own - network)
        scores.append(
            DomainScore(
                sheet=sheet,
                domain=code,
                severity=severity,
                strength=min(3, max(0, severity - 1 - rng.randint(0, 1))),
                own_words=OWN_WORDS[code] if rng.random() < 0.6 else "",
                problem_present=present or code in lasting,
                long_lasting=code in lasting,
                share_own=shares[0],
                share_network=shares[1],
                share_professional=shares[2],
            )
        )
    return scores


def _moment_dates(
    family: Family, today: datetime.date, *, start_only: bool
) -> list[tuple[str, datetime.date]]:
    if start_only:
        return [(MomentKind.START, min(today, family.referral_date + datetime.timedelta(days=14)))]
    span = (today - family.referral_date).days
    # Recently referred families still get two moments, spread over their time in care.
    offsets = [14, 60, 180] if span > 60 else [span // 4, span * 3 // 4]
    kinds = [MomentKind.START, MomentKind.ANALYSIS_END, MomentKind.INTERIM]
    dates = []
    for kind, days in zip(kinds, offsets, strict=False):
        day = family.referral_date + datetime.timedelta(days=days)
        if day <= today:
            dates.append((kind, day))
    return dates


def _seed_scores(
    rng: random.Random,
    families: Sequence[Family],
    today: datetime.date,
    *,
    start_only: bool = False,
) -> None:
    moments: list[Moment] = []
    plans: list[tuple[Family, list[tuple[str, datetime.date]]]] = []
    for family in families:
        plan = _moment_dates(family, today, start_only=start_only)
        plans.append((family, plan))
        moments.extend(
            Moment(family=family, kind=kind, date=day, created_by_id=family.coach_id)
            for kind, day in plan
        )
    moments = Moment.objects.bulk_create(moments)
    sheets: list[ScoreSheet] = []
    sheet_plans = []
    index = 0
    for _family, plan in plans:
        # Most families are clearly multi-stress (6 or 7 lasting), a few are not (4 or 5),
        # so the inclusion check shows both outcomes.
        lasting = set(rng.sample(LifeDomain.values, rng.choice([7, 6, 6, 6, 5, 4])))
        base = {
            code: rng.randint(1, 2) if code in lasting else rng.randint(3, 4) for code in lasting
        }
        base.update({c: rng.randint(3, 4) for c in LifeDomain.values if c not in lasting})
        for step in range(len(plan)):
            moment = moments[index]
            index += 1
            perspectives = [Perspective.JOINT]
            if step == 0:
                perspectives.append(Perspective.PROFESSIONAL)
            for perspective in perspectives:
                sheets.append(
                    ScoreSheet(
                        moment=moment, perspective=perspective, updated_by_id=moment.created_by_id
                    )
                )
                sheet_plans.append((dict(base), set(lasting)))
            # Change between moments: most domains improve a step, lasting problems ease.
            base = {c: min(5, v + (1 if rng.random() < 0.6 else 0)) for c, v in base.items()}
            if step >= 1:
                lasting = {c for c in lasting if base[c] <= 2}
    sheets = ScoreSheet.objects.bulk_create(sheets)
    scores = []
    for sheet, (base, lasting) in zip(sheets, sheet_plans, strict=True):
        scores.extend(_scores(rng, sheet, base, lasting))
    DomainScore.objects.bulk_create(scores, batch_size=5000)


def seed(families: Sequence[Family]) -> None:
    """Load-test families: one scored start moment each, nothing per member."""
    rng = random.Random(4_2026)  # noqa: S311 - reproducible fictitious data
    light = [f for f in families if f.coach_id is not None and f.status != FamilyStatus.REFERRED]
    _seed_scores(rng, light, timezone.localdate(), start_only=True)
