"""The research dataset's long tables on the method: the working elements ticked per
element per phase of each trajectory, and the professionals' implementation questionnaire
per pseudonym and half year. Their columns are in reports.research.columns.long_tables.

No text a person typed: a team's own element is a pseudonym ("W…"); an element of the
project's starting list (settings.WORKING_ELEMENT_DEFAULTS, our own wording) also carries
its number in that list. The implementation remark (free text) never leaves the database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from cases.models import Team, WorkingElement
from reports.models import IMPLEMENTATION_ITEMS, ImplementationResponse
from reports.research.dataset import TrajectoryData
from reports.research.pseudonyms import Pseudonymiser

NO_PHASE = "none"


def default_element_number(label: str) -> str:
    """The element's number (1-based) in the starting list, or "" for the team's own."""
    defaults = [d.casefold() for d in settings.WORKING_ELEMENT_DEFAULTS]
    folded = label.strip().casefold()
    return str(defaults.index(folded) + 1) if folded in defaults else ""


def _phase_of(row: TrajectoryData, day: Any) -> str:
    for episode in row.episodes:
        if episode.started_on <= day and (episode.ended_on is None or day < episode.ended_on):
            return episode.kind
    return NO_PHASE


def element_phase_rows(
    rows: list[TrajectoryData], pseudonymiser: Pseudonymiser
) -> Iterator[dict[str, Any]]:
    """Per trajectory, element and phase: the contacts it was ticked on. One query."""
    family_ids = {row.family.pk for row in rows}
    ticks: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for contact_id, element_id, label in WorkingElement.contacts.through.objects.filter(
        contact__family_id__in=family_ids
    ).values_list("contact_id", "workingelement_id", "workingelement__label"):
        ticks[contact_id].append((element_id, label))
    for row in rows:
        counts: Counter[tuple[int, str]] = Counter()
        labels: dict[int, str] = {}
        for contact in row.contacts:
            phase = _phase_of(row, contact.date)
            for element_id, label in ticks.get(contact.pk, []):
                counts[(element_id, phase)] += 1
                labels[element_id] = label
        order = {kind: i for i, kind in enumerate([*_phase_kinds(), NO_PHASE])}
        for (element_id, phase), n in sorted(
            counts.items(), key=lambda item: (item[0][0], order[item[0][1]])
        ):
            yield {
                "family": row.pseudonym,
                "trajectory": row.number,
                "element": pseudonymiser.element(element_id),
                "element_default": default_element_number(labels[element_id]),
                "phase": phase,
                "contacts": n,
            }


def _phase_kinds() -> list[str]:
    from phases.models import PHASE_ORDER

    return PHASE_ORDER


def implementation_rows(team: Team, pseudonymiser: Pseudonymiser) -> Iterator[dict[str, Any]]:
    """One row per professional per half year, without the remark. A half year with fewer
    than settings.IMPLEMENTATION_MIN_RESPONDENTS respondents in the team is left out, the
    rule of the team report's own table (the answers of one or two colleagues are easy to
    tell apart). One query."""
    names = [n for area in IMPLEMENTATION_ITEMS.values() for n in area]
    responses = list(
        ImplementationResponse.objects.filter(team=team)
        .order_by("year", "half", "pk")
        .values("professional_id", "year", "half", *names)
    )
    per_half = Counter((r["year"], r["half"]) for r in responses)
    for response in responses:
        if per_half[(response["year"], response["half"])] < settings.IMPLEMENTATION_MIN_RESPONDENTS:
            continue
        yield {
            "professional": pseudonymiser.professional(response["professional_id"]),
            "half_year": f"{response['year']}-H{response['half']}",
            **{name: response[name] for name in names},
        }
