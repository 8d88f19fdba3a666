"""Writes to a team's working elements; each is one transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from cases.models import Team, WorkingElement
from cases.services import claim_version


class WorkingElementLabelTaken(Exception):
    """Another element of the team took this label between the form's check and the save."""


def _save_label(save: Any) -> Any:
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise WorkingElementLabelTaken from None


@transaction.atomic
def working_element_defaults_create(*, team: Team) -> list[WorkingElement]:
    """The team's starting list (settings.WORKING_ELEMENT_DEFAULTS), if it has none yet."""
    if WorkingElement.objects.filter(team=team).exists():
        return []
    return WorkingElement.objects.bulk_create(
        WorkingElement(team=team, label=label, order=(n + 1) * 10)
        for n, label in enumerate(settings.WORKING_ELEMENT_DEFAULTS)
    )


@transaction.atomic
def working_element_create(*, team: Team, label: str) -> WorkingElement:
    last = WorkingElement.objects.filter(team=team).aggregate(m=Max("order"))["m"] or 0
    return _save_label(  # type: ignore[no-any-return]
        lambda: WorkingElement.objects.create(team=team, label=label, order=last + 10)
    )


@transaction.atomic
def working_element_update(
    *, element: WorkingElement, version: int | None, data: dict[str, Any]
) -> WorkingElement:
    """Rename, reorder or (de)activate; a deactivated element stays on its contacts but is
    no longer offered on the contact form."""
    claim_version(WorkingElement, pk=element.pk, version=version)
    for field, value in data.items():
        setattr(element, field, value)
    _save_label(lambda: element.save(update_fields=list(data)))
    element.refresh_from_db(fields=["version"])
    return element


def team_created(sender: Any, instance: Team, created: bool, raw: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
    """post_save of Team: a new team starts with the default list (not when loading data)."""
    if created and not raw:
        working_element_defaults_create(team=instance)
