"""Every write of a legal measure."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.models import Family, LegalMeasure
from cases.services import claim_version


@transaction.atomic
def legal_measure_add(*, family: Family, by: Any, data: dict[str, Any]) -> LegalMeasure:
    return LegalMeasure.objects.create(family=family, recorded_by=by, **data)


@transaction.atomic
def legal_measure_update(
    *, measure: LegalMeasure, version: int | None, data: dict[str, Any]
) -> LegalMeasure:
    """Change a measure (ended early, a corrected date), or raise EditConflict when someone
    else saved it in between."""
    claim_version(LegalMeasure, pk=measure.pk, version=version)
    for name, value in data.items():
        setattr(measure, name, value)
    measure.save(update_fields=list(data))
    measure.refresh_from_db(fields=["version"])
    return measure
