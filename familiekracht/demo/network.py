"""Texts for the network part of the demo, and the batched network of load-test families.

Fictitious people only. Base families (base.py) get 6-15 network members with varied
circles and qualities (a few safety risks, a JIM), agreements (some overdue), a network
meeting with an evaluation, contacts naming network members; two families get a
Krachtgezin, all through the network services.
"""

from __future__ import annotations

from collections.abc import Sequence

from cases.models import Family
from network.models import (
    Circle,
    NetworkMember,
    Quality,
)

# (name, relation, circle, closeness, quality)
PEOPLE = [
    ("Oma Ria", "oma (moederskant)", Circle.FAMILY, 1, Quality.STRONG),
    ("Opa Henk", "opa", Circle.FAMILY, 2, Quality.FRAGILE),
    ("Tante Joyce", "tante", Circle.FAMILY, 1, Quality.STRONG),
    ("Oom Kevin", "oom", Circle.FAMILY, 3, Quality.BROKEN),
    ("Nicht Shirley", "nicht", Circle.FAMILY, 2, Quality.STRONG),
    ("Buurvrouw Els", "buurvrouw", Circle.NEIGHBOURHOOD, 1, Quality.STRONG),
    ("Buurman Ahmed", "buurman", Circle.NEIGHBOURHOOD, 2, Quality.FRAGILE),
    ("Vriendin Petra", "vriendin van moeder", Circle.FRIENDS, 1, Quality.STRONG),
    ("Vriend Dennis", "vriend van vader", Circle.FRIENDS, 2, Quality.STRESSFUL),
    ("Juf Anouk", "leerkracht groep 5", Circle.SCHOOL_WORK_CLUB, 2, Quality.STRONG),
    ("Trainer Marco", "voetbaltrainer", Circle.SCHOOL_WORK_CLUB, 3, Quality.STRONG),
    ("Imam Yusuf", "moskee", Circle.SCHOOL_WORK_CLUB, 3, Quality.FRAGILE),
    ("Huisarts Bos", "huisarts", Circle.PROFESSIONALS, 3, Quality.STRONG),
    ("Schuldhulp Lotte", "schuldhulpverlener", Circle.PROFESSIONALS, 2, Quality.FRAGILE),
    ("Ex-partner Rob", "ex-partner moeder", Circle.HOUSEHOLD, 3, Quality.STRESSFUL),
    ("Stiefbroer Jay", "stiefbroer", Circle.HOUSEHOLD, 1, Quality.STRONG),
]
WHAT = [
    ("Haalt de kinderen op woensdag uit school", "", "elke woensdag"),
    ("Gaat mee naar het gesprek met de woningcorporatie", "due", ""),
    ("Belt moeder elke zondagavond even", "", "elke zondag"),
    ("Zoekt uit of de jongste op voetbal kan", "due", ""),
    ("Neemt de kinderen een zaterdag mee naar de dierentuin", "due", ""),
]
KRACHTGEZIN_NAMES = [("Familie Veldhuis", "Anja Veldhuis"), ("Familie Kromo", "Dennis Kromo")]
# Per team, a Krachtgezin of the pool that is free, and one whose earlier matching ended.
POOL_FREE = ("Familie Yilmaz", "Aylin Yilmaz")
POOL_ENDED = ("Familie de Boer", "Kees de Boer")


def seed(families: Sequence[Family]) -> None:
    """Load-test families: a small fixed network each, in one bulk insert."""
    rows = [
        NetworkMember(
            family=family,
            name=name,
            relation=relation,
            circle=circle,
            closeness=closeness,
            quality=quality,
        )
        for family in families
        for name, relation, circle, closeness, quality in PEOPLE[:6]
    ]
    NetworkMember.objects.bulk_create(rows, batch_size=5000)
