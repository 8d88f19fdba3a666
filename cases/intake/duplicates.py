"""Possible duplicates of an intake within the team, shown before anything is saved."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, CharField, F, Q, Value, When
from django.db.models.lookups import Exact

from cases.models import Family, FamilyStatus, Member, Team
from cases.search.query import normalised

# A file in one of these states can be reopened instead of making a new one.
REOPENABLE = (FamilyStatus.CLOSED, FamilyStatus.AFTERCARE)


@dataclass
class Duplicate:
    family: Family
    # Members of the earlier file with the same name and date of birth as one typed now.
    same_person: list[Member] = field(default_factory=list)
    # Members of a closed or aftercare file with the same name (the same household).
    same_name: list[Member] = field(default_factory=list)

    @property
    def reopenable(self) -> bool:
        return self.family.status in REOPENABLE


def _name(index: int) -> str:
    return f"same_name_{index}"


def possible_duplicates(
    *, team: Team, members: list[tuple[str, datetime.date | None]]
) -> list[Duplicate]:
    """Families of `team` that may be the family typed in now: a member with the same name
    and date of birth (in any file), or a closed or aftercare file holding the same members
    (at least two of the typed names, or the one typed). Names compare without case and,
    on PostgreSQL, without accents. Two queries."""
    typed = [(name.strip(), born) for name, born in members if name.strip()]
    if not typed:
        return []
    column = normalised(F("name"))
    flags = {
        _name(i): Case(
            When(Exact(column, normalised(Value(name, output_field=CharField()))), then=True),
            default=False,
            output_field=BooleanField(),
        )
        for i, (name, _born) in enumerate(typed)
    }
    any_name = Q()
    for flag in flags:
        any_name |= Q(**{flag: True})
    matches = list(
        Member.objects.filter(family__team=team)
        .annotate(**flags)
        .filter(any_name)
        .order_by("family_id", "name")
    )
    by_family: dict[int, Duplicate] = {}
    families = Family.objects.select_related("coach").in_bulk({m.family_id for m in matches})
    for family_id, family in families.items():
        found = [m for m in matches if m.family_id == family_id]
        same_person = [
            m
            for m in found
            for i, (_name_typed, born) in enumerate(typed)
            if getattr(m, _name(i)) and born is not None and m.date_of_birth == born
        ]
        names_matched = {i for m in found for i in range(len(typed)) if getattr(m, _name(i))}
        household = family.status in REOPENABLE and len(names_matched) >= min(2, len(typed))
        if same_person or household:
            by_family[family_id] = Duplicate(
                family=family,
                same_person=list(dict.fromkeys(same_person)),
                same_name=found if household else [],
            )
    return sorted(by_family.values(), key=lambda d: (not d.reopenable, d.family.display_name))
