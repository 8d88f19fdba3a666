"""The research questionnaires: SDM-Q-9 (shared decision making) and the exit questionnaire
of the family; for professionals their side of the SDM per family and, per half year, what
helps and hinders working by the method (implementation).

The item texts are our own Dutch wording about deciding together with the hulpverlener; they
follow the nine topics of the SDM-Q-9 (and of its version for professionals) but do not copy
their official text. The implementation items are grouped like the determinant areas of the
MIDI (the method, the professional, the organisation, the wider setting), in our own words.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from reports.models import (
    EXIT_ITEM_MAX,
    IMPLEMENTATION_AREAS,
    IMPLEMENTATION_ITEM_MAX,
    IMPLEMENTATION_ITEM_MIN,
    IMPLEMENTATION_ITEMS,
    SDM_ITEM_MAX,
    SDM_ITEM_MIN,
    SDM_ITEMS,
)

SDM_QUESTIONS = [
    _("De hulpverlener heeft duidelijk gezegd dat er een keuze gemaakt moest worden."),
    _("De hulpverlener wilde weten hoe wij het samen willen beslissen."),
    _("De hulpverlener vertelde dat er meer dan één manier is om verder te gaan."),
    _("De hulpverlener legde de voor- en nadelen van elke manier uit."),
    _("De hulpverlener hielp ons om alles wat er gezegd is te begrijpen."),
    _("De hulpverlener vroeg wat wij zelf het liefst wilden."),
    _("Wij en de hulpverlener hebben de mogelijkheden goed tegen elkaar afgewogen."),
    _("Wij en de hulpverlener hebben samen een keuze gemaakt."),
    _("Wij en de hulpverlener zijn het eens over hoe we verder gaan."),
]
assert len(SDM_QUESTIONS) == SDM_ITEMS

SDM_SCALE = [
    (0, _("0 – helemaal niet mee eens")),
    (1, _("1 – niet mee eens")),
    (2, _("2 – een beetje niet mee eens")),
    (3, _("3 – een beetje mee eens")),
    (4, _("4 – mee eens")),
    (5, _("5 – helemaal mee eens")),
]
assert [v for v, _label in SDM_SCALE] == list(range(SDM_ITEM_MIN, SDM_ITEM_MAX + 1))

EXIT_QUESTIONS = {
    "result": _("Hoe tevreden bent u over wat de hulp heeft opgeleverd?"),
    "coach_rating": _("Hoe tevreden bent u over uw gezinscoach?"),
    "network_role": _("Hoe goed hebben mensen om u heen (uw netwerk) meegeholpen?"),
    "own_control": _("Hoeveel had u zelf de regie over wat er gebeurde?"),
}

EXIT_SCALE = [
    (1, _("1 – heel ontevreden / heel weinig")),
    (2, _("2 – ontevreden / weinig")),
    (3, _("3 – neutraal")),
    (4, _("4 – tevreden / veel")),
    (5, _("5 – heel tevreden / heel veel")),
]
assert len(EXIT_SCALE) == EXIT_ITEM_MAX


def sdm_score(items: list[int]) -> Decimal:
    """SDM-Q-9 total on 0–100: the sum of nine items (0–5) × 20/9, to one decimal."""
    if len(items) != SDM_ITEMS or any(not SDM_ITEM_MIN <= i <= SDM_ITEM_MAX for i in items):
        raise ValueError("nine items from 0 to 5 expected")
    return (Decimal(sum(items)) * 20 / 9).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The professional's side of the same nine aspects, about one family.
PRO_SDM_QUESTIONS = [
    _("Ik heb het gezin duidelijk gemaakt dat er een keuze gemaakt moest worden."),
    _("Ik heb gevraagd hoe het gezin samen met mij wil beslissen."),
    _("Ik heb verteld dat er meer dan één manier is om verder te gaan."),
    _("Ik heb de voor- en nadelen van elke manier uitgelegd."),
    _("Ik heb het gezin geholpen om alles wat er gezegd is te begrijpen."),
    _("Ik heb gevraagd wat het gezin zelf het liefst wilde."),
    _("Het gezin en ik hebben de mogelijkheden goed tegen elkaar afgewogen."),
    _("Het gezin en ik hebben samen een keuze gemaakt."),
    _("Het gezin en ik zijn het eens over hoe we verder gaan."),
]
assert len(PRO_SDM_QUESTIONS) == SDM_ITEMS


def professional_sdm_score(items: list[int]) -> Decimal:
    """The professional's SDM total on 0–100, computed as the family's (sdm_score)."""
    return sdm_score(items)


IMPLEMENTATION_AREA_LABELS = {
    "method": _("De methode"),
    "professional": _("De professional"),
    "organisation": _("De organisatie"),
    "context": _("De bredere context"),
}
assert tuple(IMPLEMENTATION_AREA_LABELS) == IMPLEMENTATION_AREAS

IMPLEMENTATION_QUESTIONS = {
    "method_1": _("De stappen van de methode zijn mij duidelijk."),
    "method_2": _("De methode past bij de gezinnen met wie ik werk."),
    "method_3": _("De formulieren en hulpmiddelen van de methode helpen mij in mijn werk."),
    "professional_1": _("Ik voel mij bekwaam om volgens de methode te werken."),
    "professional_2": _("Ik merk dat werken volgens de methode de gezinnen helpt."),
    "professional_3": _("Ik heb genoeg tijd om volgens de methode te werken."),
    "organisation_1": _("Mijn team en leidinggevende steunen het werken volgens de methode."),
    "organisation_2": _("Er is genoeg scholing, intervisie en begeleiding."),
    "organisation_3": _("De caseload en de uren maken het mogelijk de methode uit te voeren."),
    "context_1": _("Verwijzers en partners kennen de methode en werken eraan mee."),
    "context_2": _("Wet- en regelgeving en financiering maken de methode mogelijk."),
    "context_3": _("Het netwerk van gezinnen is goed te betrekken."),
}
assert list(IMPLEMENTATION_QUESTIONS) == [
    n for a in IMPLEMENTATION_AREAS for n in IMPLEMENTATION_ITEMS[a]
]

IMPLEMENTATION_SCALE = [
    (1, _("1 – helemaal oneens")),
    (2, _("2 – oneens")),
    (3, _("3 – neutraal")),
    (4, _("4 – eens")),
    (5, _("5 – helemaal eens")),
]
assert [v for v, _label in IMPLEMENTATION_SCALE] == list(
    range(IMPLEMENTATION_ITEM_MIN, IMPLEMENTATION_ITEM_MAX + 1)
)
