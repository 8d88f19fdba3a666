"""The research dataset's columns on the method itself (settings.RESEARCH_DATASET_COLUMNS):
the fidelity checklist (reports.fidelity), the working elements ticked on contacts and the
professionals' own SDM. `prepare` reads what they need for all rows at once (a fixed
number of queries); the columns then read `TrajectoryData.extra`.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Family, WorkingElement
from reports.fidelity import ELEMENTS, STATE_LABELS, fidelity_for
from reports.models import ProfessionalSdmResponse
from reports.research.columns import COUNT, SHARE, Column
from reports.research.dataset import TrajectoryData

FIDELITY_VALUES = "; ".join(f"{value} = {label}" for value, label in STATE_LABELS.items())


def prepare(rows: list[TrajectoryData]) -> None:
    """Fidelity per family (today, for its current trajectory), the working elements per
    contact and the professionals' SDM per family: three reads for every row together."""
    family_ids = {row.family.pk for row in rows}
    states = fidelity_for(Family.objects.filter(pk__in=family_ids), timezone.localdate())
    ticks: dict[int, int] = defaultdict(int)
    for contact_id in WorkingElement.contacts.through.objects.filter(
        contact__family_id__in=family_ids
    ).values_list("contact_id", flat=True):
        ticks[contact_id] += 1
    professional_sdm: dict[int, list[ProfessionalSdmResponse]] = defaultdict(list)
    for response in ProfessionalSdmResponse.objects.filter(family_id__in=family_ids).only(
        "family_id", "date", "score"
    ):
        professional_sdm[response.family_id].append(response)
    for row in rows:
        # The checklist describes the file as it stands: the current (last) trajectory.
        row.extra["fidelity"] = (
            {state.key: state.state for state in states.get(row.family.pk, [])}
            if row.end is None
            else {}
        )
        row.extra["element_ticks"] = [ticks.get(c.pk, 0) for c in row.contacts]
        row.extra["professional_sdm"] = [
            r for r in professional_sdm.get(row.family.pk, []) if row.holds(r.date)
        ]


def _fidelity(row: TrajectoryData, *, key: str) -> str:
    return row.extra.get("fidelity", {}).get(key, "")


def _ticks(row: TrajectoryData) -> int:
    return sum(row.extra.get("element_ticks", []))


def _share_with_element(row: TrajectoryData) -> str:
    ticks = row.extra.get("element_ticks", [])
    return _one_share(sum(1 for n in ticks if n) / len(ticks)) if ticks else ""


def _one_share(value: float) -> str:
    return f"{value:.2f}"


def _professional_sdm_mean(row: TrajectoryData) -> str:
    responses: list[Any] = row.extra.get("professional_sdm", [])
    return f"{float(sum(r.score for r in responses) / len(responses)):.1f}" if responses else ""


def method_columns() -> list[Column]:
    columns = [
        Column(
            f"fidelity_{key}",
            _("werken volgens de methode: %(element)s (huidig traject, vandaag)")
            % {"element": label},
            _("%(values)s; leeg bij een eerder traject") % {"values": FIDELITY_VALUES},
            partial(_fidelity, key=key),
        )
        for key, label in ELEMENTS
    ]
    columns += [
        Column(
            "working_element_ticks",
            _("aantal aangevinkte werkzame elementen op de contacten van het traject"),
            COUNT,
            _ticks,
        ),
        Column(
            "contacts_with_working_element_share",
            _("aandeel contacten met ten minste één aangevinkt werkzaam element"),
            SHARE,
            _share_with_element,
        ),
        Column(
            "professional_sdm_count",
            _("aantal SDM-vragenlijsten van de hulpverlener over het gezin"),
            COUNT,
            lambda row: len(row.extra.get("professional_sdm", [])),
        ),
        Column(
            "professional_sdm_mean",
            _("gemiddelde SDM-score van de hulpverlener (0–100)"),
            _("één decimaal; leeg als er geen is"),
            _professional_sdm_mean,
        ),
    ]
    return columns
