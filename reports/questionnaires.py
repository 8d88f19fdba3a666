"""The research questionnaires: SDM-Q-9 (shared decision making) and the exit questionnaire.

The item texts are our own Dutch wording about deciding together with the hulpverlener; they
follow the nine topics of the SDM-Q-9 but do not copy its official text.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from reports.models import EXIT_ITEM_MAX, SDM_ITEM_MAX, SDM_ITEM_MIN, SDM_ITEMS

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
