"""The family page's list of legal measures, with each one's state for the badges."""

from __future__ import annotations

import datetime

from cases.models import Family, LegalMeasure, measure_setting


def _continued(measure: LegalMeasure, measures: list[LegalMeasure]) -> bool:
    """The rule of LegalMeasureQuerySet.not_continued, over the family's own list."""
    if measure.ends_on is None:
        return False
    day_after = measure.ends_on + datetime.timedelta(days=1)
    return any(
        other.member_id == measure.member_id
        and other.kind == measure.kind
        and measure.starts_on < other.starts_on <= day_after
        and (other.ends_on is None or other.ends_on > measure.ends_on)
        for other in measures
    )


def family_measures(family: Family, *, today: datetime.date) -> list[LegalMeasure]:
    """The family's measures (one query, with their GI partner), each with `ended`,
    `ends_soon` (within settings.LEGAL_MEASURES["ENDS_SOON_DAYS"], not continued by a later
    decision) and `days_left`."""
    measures = list(family.legal_measures.select_related("member", "partner"))
    soon = datetime.timedelta(days=measure_setting("ENDS_SOON_DAYS"))
    for m in measures:
        m.ended = m.ends_on is not None and m.ends_on < today  # type: ignore[attr-defined]
        m.ends_soon = (  # type: ignore[attr-defined]
            m.ends_on is not None
            and today <= m.ends_on <= today + soon
            and not _continued(m, measures)
        )
        m.days_left_today = m.days_left(today)  # type: ignore[attr-defined]
    return measures
