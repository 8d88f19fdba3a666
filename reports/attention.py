"""The caseload review's attention badges for any set of families: the coach's own landing
page shows the same flags the psychologist's review does (settings.CASELOAD_ATTENTION).

The flags are read from reports.caseload.caseload_queryset, so the rules (phases.budget's
annotations and the contact setting) stay written once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from reports.caseload import caseload_queryset

# The review's flags the landing page shows, in this order, with their annotation.
ATTENTION_FLAGS = {
    "overdue": "is_overdue",
    "over_budget": "is_over_budget",
    "no_contact": "is_no_contact",
    "measure_ending": "is_measure_ending",
    # Long in execution or above the band without a discussion (reports.supervision.flags).
    "sucked_in": "is_sucked_in",
}


def caseload_attention(
    families: Iterable[tuple[int, int]], *, today: datetime.date
) -> dict[int, tuple[str, ...]]:
    """{family id: the flags that are on} for (family id, team id) pairs; active families
    only (the review's rows), one query per team."""
    by_team: dict[int, list[int]] = {}
    for family_id, team_id in families:
        by_team.setdefault(team_id, []).append(family_id)
    found: dict[int, tuple[str, ...]] = {}
    for team_id, ids in by_team.items():
        rows = (
            caseload_queryset(team_id, today=today)  # type: ignore[arg-type]
            .filter(pk__in=ids)
            .values_list("pk", *ATTENTION_FLAGS.values())
        )
        for pk, *on in rows:
            found[pk] = tuple(name for name, flag in zip(ATTENTION_FLAGS, on, strict=True) if flag)
    return found
