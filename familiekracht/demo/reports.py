"""Texts for plans, case reviews and questionnaires of the demo, and the batched reviews and
questionnaires of load-test families (bulk_create; the SDM-Q-9 score by `sdm_score`, the
rule the service uses). Base families (base.py) get theirs through the services. Fictitious.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from cases.models import (
    Family,
    FamilyStatus,
    LifeDomain,
    Member,
    Membership,
    Role,
)
from reports.models import (
    EXIT_ITEMS,
    CaseReview,
    ExitQuestionnaire,
    QuestionnaireMoment,
    SdmResponse,
)
from reports.questionnaires import sdm_score

QUESTIONS = [
    "Hoe zorgen we dat de kinderen elke dag naar school gaan en het thuis rustiger wordt?",
    "Hoe krijgen we onze schulden op orde zonder dat de kinderen er last van hebben?",
    "Wie kan ons helpen als het mij even te veel wordt?",
]
WORRIES = [
    "Moeder slaapt slecht en heeft weinig energie. De oudste gaat vaak niet naar school.",
    "Er zijn veel rekeningen open en de huur is twee maanden achter.",
    "Ruzies tussen de ouders lopen soms hoog op, ook als de kinderen erbij zijn.",
]
SAFETY = [
    "Bij ruzie gaan de kinderen naar oma Ria. Er wordt niet geslagen. "
    "De coach hoort het binnen 24 uur.",
    "Moeder belt de coach of de huisarts als zij niet meer voor de kinderen kan zorgen.",
]
FALLBACK = [
    "Als oma niet kan, vangt buurvrouw Gerda de kinderen op. "
    "Lukt dat niet, dan bellen we de coach.",
    "Als de afspraken niet lukken, komen we binnen twee weken opnieuw bij elkaar met het netwerk.",
]
GOALS = [
    (
        LifeDomain.CHILD,
        "Ik wil elke dag naar school gaan.",
        "Vier weken achter elkaar geen verzuim.",
    ),
    (
        LifeDomain.PARENT,
        "Ik wil weer goed slapen en meer energie hebben.",
        "Vijf nachten per week zes uur slapen.",
    ),
    (
        LifeDomain.PARENTING,
        "We willen 's avonds een vast ritme voor de kinderen.",
        "Om half acht naar bed, vijf avonden per week.",
    ),
    (
        LifeDomain.SOCIOECONOMIC,
        "We willen de schulden op een rij en de huur op tijd betalen.",
        "Drie maanden de huur op tijd betaald.",
    ),
    (
        LifeDomain.FAMILY,
        "We willen minder ruzie en het samen oplossen.",
        "Eén keer per week samen eten zonder ruzie.",
    ),
    (
        LifeDomain.ENVIRONMENT,
        "Ik wil mensen om me heen die ik kan bellen.",
        "Drie mensen die ik durf te bellen.",
    ),
]
NETWORK_ACTIONS = [
    ("oma Ria", "Haalt de kinderen op woensdag uit school en kookt.", "elke woensdag"),
    ("buurvrouw Gerda", "Past op als moeder naar een afspraak moet.", "als het nodig is"),
    ("oom Rachid", "Helpt met de post en het overzicht van de rekeningen.", "elke twee weken"),
]
PROFESSIONAL_ACTIONS = [
    (
        "schuldhulpverlening gemeente",
        "Maakt een schuldenoverzicht en een betalingsregeling.",
        "voor 1 maart",
    ),
    ("huisarts", "Bespreekt het slapen en verwijst zo nodig door.", "binnen een maand"),
    ("mentor op school", "Belt moeder op vrijdag over de week.", "elke vrijdag"),
]


REVIEW_NOTES = [
    "Moeder vertelt dat het 's avonds rustiger is. De oudste gaat weer drie dagen naar school.",
    "De coach maakt zich zorgen over de schulden; het netwerk helpt nog weinig mee.",
    "Het gezin wil zelf de regie houden over het contact met school. De coach ziet veel uren.",
]
REVIEW_DECISIONS = [
    "Netwerkberaad plannen met oma en de buurvrouw. Coach vraagt schuldhulp aan.",
    "Analysefase twee weken verlengen; meer tijd voor de krachtenanalyse met de kinderen.",
    "Uren afbouwen naar vier per week; collega neemt één huisbezoek per maand over.",
]
EXIT_COMMENTS = [
    "Fijn dat er iemand was die naar ons allemaal luisterde.",
    "Soms ging het te snel, maar we hebben nu mensen om ons heen.",
    "",
]


def seed_reviews_and_questionnaires(families: Sequence[Family]) -> None:
    """Case reviews for active families (every third due for a new review) and
    questionnaires: SDM-Q-9 at the start and after the analysis, exit questionnaires for
    closed families. A fixed number of queries, so 1,000 load-test families stay fast."""
    rng = random.Random(7 + len(families))  # noqa: S311 - reproducible fictitious data
    today = timezone.localdate()
    ids = [f.pk for f in families]
    first_member = {}
    for family_id, member_id in (
        Member.objects.filter(family_id__in=ids)
        .order_by("-date_of_birth")
        .values_list("family_id", "pk")
    ):
        # Oldest member last in this order: parents come out as the one who fills in.
        first_member[family_id] = member_id
    psychologists = dict(
        Membership.objects.filter(role=Role.PSYCHOLOGIST).values_list("team_id", "user_id")
    )
    reviews, sdm, exits = [], [], []
    for i, family in enumerate(families):
        author_id = psychologists.get(family.team_id) or family.coach_id
        if family.status == FamilyStatus.ACTIVE and author_id and i % 3 == 0:
            held = today - datetime.timedelta(days=rng.randint(20, 60))
            # Every third review is due again now (within the reminder's lead time or past).
            next_on = (
                today - datetime.timedelta(days=rng.randint(0, 5))
                if i % 3 == 0
                else today + datetime.timedelta(days=rng.randint(14, 42))
            )
            reviews.append(
                CaseReview(
                    family=family,
                    date=held,
                    notes=rng.choice(REVIEW_NOTES),
                    decisions=rng.choice(REVIEW_DECISIONS),
                    next_review_on=max(next_on, held + datetime.timedelta(days=1)),
                    created_by_id=author_id,
                )
            )
        member_id = first_member.get(family.pk)
        recorder_id = family.coach_id or author_id
        if member_id is None or recorder_id is None or i % 2:
            continue
        moments = [QuestionnaireMoment.START]
        if i % 2 == 0:
            moments.append(QuestionnaireMoment.AFTER_ANALYSIS)
        if family.status in (FamilyStatus.CLOSED, FamilyStatus.AFTERCARE):
            moments.append(QuestionnaireMoment.CLOSING)
        for n, moment in enumerate(moments):
            base = 2 + min(n, 2)
            items = [min(5, max(0, base + rng.choice([-1, 0, 0, 1]))) for _ in range(9)]
            sdm.append(
                SdmResponse(
                    family=family,
                    member_id=member_id,
                    moment=moment,
                    date=today
                    - datetime.timedelta(days=30 * (len(moments) - n) + rng.randint(0, 9)),
                    coach_id=family.coach_id,
                    score=sdm_score(items),
                    recorded_by_id=recorder_id,
                    **{f"item_{k}": v for k, v in enumerate(items, start=1)},
                )
            )
        if family.status in (FamilyStatus.CLOSED, FamilyStatus.AFTERCARE):
            exits.append(
                ExitQuestionnaire(
                    family=family,
                    member_id=member_id,
                    date=today - datetime.timedelta(days=rng.randint(5, 60)),
                    coach_id=family.coach_id,
                    recorded_by_id=recorder_id,
                    comments=rng.choice(EXIT_COMMENTS),
                    **{name: rng.randint(3, 5) for name in EXIT_ITEMS},
                )
            )
    CaseReview.objects.bulk_create(reviews, batch_size=2000)
    SdmResponse.objects.bulk_create(sdm, batch_size=2000)
    ExitQuestionnaire.objects.bulk_create(exits, batch_size=2000)
