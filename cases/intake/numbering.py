"""Case numbers: the team's prefix, the year and a sequence, e.g. ZO-2026-007."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from cases.models import CaseNumberSequence, Family, Team


def team_prefix(team: Team) -> str:
    """The team's own prefix, or the initials of its name ("Den Haag" → "DH")."""
    if team.case_prefix:
        return team.case_prefix.upper()
    initials = "".join(word[0] for word in team.name.split() if word[:1].isalnum())
    return (initials or "FK").upper()[:8]


def format_case_number(team: Team, year: int, number: int) -> str:
    return f"{team_prefix(team)}-{year}-{number:03d}"


def case_number_next(*, team: Team, day: datetime.date) -> str:
    """The next free number in the team's year.

    Call it inside the transaction that saves the family: the sequence row stays locked
    (SELECT ... FOR UPDATE) until that transaction ends, so a second intake at the same
    moment waits and then gets the next number. A number typed by hand earlier (or a
    family moved from another system) is skipped, not given twice.
    """
    assert transaction.get_connection().in_atomic_block, "call inside the saving transaction"
    try:
        with transaction.atomic():
            CaseNumberSequence.objects.get_or_create(team=team, year=day.year)
    except IntegrityError:
        pass  # another intake made the year's row at the same moment: use theirs
    sequence = CaseNumberSequence.objects.select_for_update().get(team=team, year=day.year)
    number = sequence.last
    while True:
        number += 1
        candidate = format_case_number(team, day.year, number)
        if not Family.objects.filter(case_number__iexact=candidate).exists():
            break
    sequence.last = number
    sequence.save(update_fields=["last"])
    return candidate
