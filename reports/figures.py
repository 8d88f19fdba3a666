"""Per-family contact figures kept in a table (reports.FamilyFigures), so the caseload, the
coach load and the landing page read a column instead of summing every family's contacts
on every request.

`refresh_figures` computes the rows of some families (or of every active family) in one
INSERT ... SELECT ... ON CONFLICT statement, the same sums as the live expressions of
`live_*` below (PostgreSQL and SQLite both take it). Every write that changes them calls it
in its own transaction (the signal handlers below: a contact saved or deleted, a phase
episode saved or deleted, relapse hours added or deleted, a measurement moment, score
sheet or domain score saved or deleted, scores inserted by strengths.services.scores_save),
and the nightly job (`reports.refresh_family_figures`, 00:05) moves every row's date window
to the new day and rewrites the rest with it, in batches. Every writer first locks the
families' rows (`_refresh`), so two writers of one family take turns and neither leaves
the other's contact out of the sums. A reader (`stored_or_live`, `stored_or_live_trend`)
uses a row only when it holds for the question: the window figures when `as_of` is its
today, the phase's minutes and relapse hours when `phase_started_on` is the open phase's
start, the domain trend when `trend_kept` is set (every row written by `refresh_figures`;
not the rows from before the trend was stored); otherwise it computes the figure live. A
missed write or a late nightly run therefore makes a page slower, never wrong, for the
contact sums. The trend has no such check that would not cost the scores' subqueries
again: it holds because every write of a moment, sheet or score recomputes it in its
transaction, and a bulk write that sends no signals calls `refresh_figures` (as for
contacts).

The caseload's attention flags (reports.caseload.STORED_FLAGS) are stored on the same row
for one day (`flags_as_of`). Every write above, and every write of a family, task, case
review, legal measure or supervision discussion, empties that day in its transaction
(`invalidate_flags`, or the refresh statement itself), so that family's flags are computed
live; the nightly job and a job every 5 minutes (`reports.refresh_stale_flags`) store them
again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThan
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from cases.models import Contact, Family, FamilyStatus, LegalMeasure, Task
from phases.models import ExtraHours, PhaseEpisode
from reports.models import CaseReview, FamilyFigures, SupervisionDiscussion
from strengths import services as strength_services
from strengths.models import PERSPECTIVE_PREFERENCE, DomainScore, Moment, ScoreSheet

ZERO = Decimal(0)

# The 4 weeks up to and including today, as the caseload counts them.
WINDOW_DAYS = 27


def _sum_minutes(**date_filter: Any) -> Coalesce:
    return Coalesce(
        Subquery(
            Contact.objects.filter(family=OuterRef("pk"), **date_filter)
            .order_by()
            .values("family")
            .annotate(total=Sum("minutes"))
            .values("total"),
            output_field=IntegerField(),
        ),
        0,
    )


def live_last_contact() -> Subquery:
    # The newest contact straight from the (family, -date) index: one row, not an aggregate.
    return Subquery(
        Contact.objects.filter(family=OuterRef("pk")).order_by("-date").values("date")[:1],
        output_field=DateField(),
    )


def live_minutes_4w(today: datetime.date) -> Coalesce:
    return _sum_minutes(date__gte=today - datetime.timedelta(days=WINDOW_DAYS), date__lte=today)


def live_used_minutes(phase: str = "open_phase__") -> Coalesce:
    """Contacts from the open phase's start on, as phases.budget counts them."""
    return _sum_minutes(date__gte=OuterRef(f"{phase}started_on"))


def live_extra_hours(phase: str = "open_phase__") -> Coalesce:
    """The open phase's relapse hours (phases.ExtraHours), as phases.budget adds them."""
    return Coalesce(
        Subquery(
            ExtraHours.objects.filter(episode=OuterRef(f"{phase}pk"))
            .order_by()
            .values("episode")
            .annotate(total=Sum("hours"))
            .values("total"),
            output_field=DecimalField(max_digits=7, decimal_places=1),
        ),
        Value(ZERO),
        output_field=DecimalField(max_digits=7, decimal_places=1),
    )


def live_trend() -> Case:
    """The family's domain trend (on families, `pk` the family): per moment, the mean
    severity of its most preferred perspective (PERSPECTIVE_PREFERENCE, then the sheet's id)
    among the sheets that hold scores; the trend is the latest moment's mean minus the
    first one's (by date, then id), empty with fewer than two scored moments. Unrounded."""
    rank = Case(
        *[When(sheet__perspective=p, then=Value(i)) for i, p in enumerate(PERSPECTIVE_PREFERENCE)],
        default=Value(99),
        output_field=IntegerField(),
    )
    moment_mean = Subquery(
        DomainScore.objects.filter(sheet__moment=OuterRef("pk"))
        .order_by()
        .values("sheet")
        .annotate(mean=Avg("severity"), rank=Min(rank))
        .order_by("rank", "sheet")
        .values("mean")[:1]
    )
    with_scores = Moment.objects.filter(
        Exists(DomainScore.objects.filter(sheet__moment=OuterRef("pk")))
    )
    scored = with_scores.filter(family=OuterRef("pk")).annotate(mean=moment_mean)
    # How many scored moments the family has: one lookup without a sort, and the means
    # are read only when there are two or more.
    scored_count = Subquery(
        with_scores.filter(family=OuterRef("pk"))
        .order_by()
        .values("family")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )

    def end(*order: str) -> Cast:
        return Cast(Subquery(scored.order_by(*order).values("mean")[:1]), FloatField())

    return Case(
        When(GreaterThan(scored_count, 1), then=end("-date", "-pk") - end("date", "pk")),
        default=None,
        output_field=FloatField(),
    )


def stored_or_live_trend() -> Case:
    """`live_trend`, read from the family's figures row where it holds (`trend_kept`): a
    column instead of three subqueries per family. Without a row, or with one from before
    the trend was stored, the live subqueries."""
    return Case(
        When(figures__trend_kept=True, then=F("figures__trend")),
        default=live_trend(),
        output_field=FloatField(),
    )


def stored_or_live(today: datetime.date, *, phase: str = "open_phase__") -> dict[str, Any]:
    """Annotations `last_contact`, `minutes_4w`, `used_minutes` and `extra` on families (with
    the open phase joined as `phase`): the stored figures where they hold, else the live sums.
    The phase's figures hold when the row's phase start is the open phase's."""
    same_phase = Q(figures__phase_started_on=F(f"{phase}started_on"))
    return {
        "last_contact": Case(
            When(figures__as_of__isnull=False, then=F("figures__last_contact")),
            default=live_last_contact(),
            output_field=DateField(),
        ),
        "minutes_4w": Case(
            When(figures__as_of=today, then=F("figures__minutes_4w")),
            default=live_minutes_4w(today),
            output_field=IntegerField(),
        ),
        "used_minutes": Case(
            When(same_phase, then=F("figures__used_minutes")),
            default=live_used_minutes(phase),
            output_field=IntegerField(),
        ),
        # Read per family by the budget flags (the attention sort): a column, not a subquery.
        "extra": Case(
            When(same_phase, then=F("figures__extra_hours")),
            default=live_extra_hours(phase),
            output_field=DecimalField(max_digits=7, decimal_places=1),
        ),
    }


_TREND_SELECTS: dict[str, tuple[str, tuple[Any, ...]]] = {}


def _trend_select() -> tuple[str, tuple[Any, ...]]:
    """`live_trend` of the statement's family `f`, as a scalar subquery: the same SQL as the
    caseload's live expression, so the stored value is the one it would compute. Compiled
    once per database engine (its shape and parameters are constants): compiling it took
    over a third of a contact post's time."""
    cached = _TREND_SELECTS.get(connection.vendor)
    if cached is None:
        cached = _TREND_SELECTS[connection.vendor] = _compile_trend_select()
    return cached


def _compile_trend_select() -> tuple[str, tuple[Any, ...]]:
    qs = (
        Family.objects.filter(pk=RawSQL("f.id", (), output_field=IntegerField()))
        .order_by()
        .annotate(trend=live_trend())
        .values("trend")
    )
    sql, params = qs.query.get_compiler(connection=connection).as_sql()
    return f"({sql})", tuple(params)


def _statement(where: str, trend: str) -> str:
    figures = FamilyFigures._meta.db_table
    family = Family._meta.db_table
    contact = Contact._meta.db_table
    episode = PhaseEpisode._meta.db_table
    extra = ExtraHours._meta.db_table
    # Table names from the models and placeholders only: no input in the text.
    return f"""
        INSERT INTO {figures}
            (family_id, last_contact, phase_started_on, used_minutes, extra_hours, as_of,
             minutes_4w, trend, trend_kept, flags_as_of, flags, late, flags_version)
        SELECT f.id,
            (SELECT MAX(c.date) FROM {contact} c WHERE c.family_id = f.id),
            p.started_on,
            CASE WHEN p.started_on IS NULL THEN 0 ELSE COALESCE(
                (SELECT SUM(c.minutes) FROM {contact} c
                 WHERE c.family_id = f.id AND c.date >= p.started_on), 0) END,
            CASE WHEN p.id IS NULL THEN 0 ELSE COALESCE(
                (SELECT SUM(e.hours) FROM {extra} e WHERE e.episode_id = p.id), 0) END,
            %s,
            COALESCE((SELECT SUM(c.minutes) FROM {contact} c
                      WHERE c.family_id = f.id AND c.date >= %s AND c.date <= %s), 0),
            {trend},
            TRUE,
            NULL, 0, 0, 0
        FROM {family} f
        LEFT JOIN {episode} p ON p.family_id = f.id AND p.ended_on IS NULL
        WHERE {where}
        ON CONFLICT (family_id) DO UPDATE SET
            last_contact = excluded.last_contact,
            phase_started_on = excluded.phase_started_on,
            used_minutes = excluded.used_minutes,
            extra_hours = excluded.extra_hours,
            as_of = excluded.as_of,
            minutes_4w = excluded.minutes_4w,
            trend = excluded.trend,
            trend_kept = excluded.trend_kept,
            flags_as_of = NULL,
            flags_version = {figures}.flags_version + 1
    """  # noqa: S608


# The nightly job writes the active families in batches of this many, each in a
# transaction of its own, so a coach's contact post waits at most one batch for its family.
NIGHTLY_BATCH = 500


def refresh_figures(
    family_ids: Iterable[int] | None = None, *, today: datetime.date | None = None
) -> int:
    """Compute the figures of these families (None: every active family, in batches of
    NIGHTLY_BATCH) for `today`. Returns the number of rows written."""
    if family_ids is None:
        active = Family.objects.filter(status=FamilyStatus.ACTIVE).order_by("pk")
        ids = list(active.values_list("pk", flat=True))
        written = 0
        for start in range(0, len(ids), NIGHTLY_BATCH):
            with transaction.atomic():
                written += _refresh_ids(ids[start : start + NIGHTLY_BATCH], today=today)
        return written
    return _refresh_ids(sorted({int(pk) for pk in family_ids}), today=today)


def _refresh_ids(ids: list[int], *, today: datetime.date | None) -> int:
    if not ids:
        return 0
    return _refresh(f"f.id IN ({', '.join(['%s'] * len(ids))})", ids, today=today)


def _refresh(where: str, where_params: list[Any], *, today: datetime.date | None = None) -> int:
    """Two statements in the caller's transaction: the families' rows locked, then their
    figures computed and written.

    The lock makes the writers of one family's figures take turns. Without it, two contacts
    posted for a family at the same moment would each compute the sums without the other's
    contact (not committed yet) and the later upsert would overwrite the earlier, leaving
    one contact out of the sums; the nightly job likewise, with a contact posted while it
    runs. With it, each upsert starts (and takes its snapshot, READ COMMITTED) only after
    the family's previous writer has committed. FOR NO KEY UPDATE does not wait for the
    key-share locks of the inserts that refer to the family. SQLite lets one writer in at a
    time anyway and runs the select without the clause (the query count is the same)."""
    lock = "FOR NO KEY UPDATE" if connection.features.has_select_for_no_key_update else ""
    family = Family._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.id FROM {family} f WHERE {where} ORDER BY f.id {lock}",  # noqa: S608
            where_params,
        )
        today = today or timezone.localdate()
        window = [today, today - datetime.timedelta(days=WINDOW_DAYS), today]
        trend, trend_params = _trend_select()
        sql = _statement(where, trend)
        cursor.execute(sql, [*window, *trend_params, *where_params])
        return cursor.rowcount


def refresh_all(*, today: datetime.date | None = None) -> int:
    """The nightly job: every active family's figures for today, then their caseload flags
    from them (beat 00:05, and `manage.py refresh_family_figures`)."""
    # reports.caseload computes the flags from these figures, so it imports this module.
    from reports.caseload import refresh_flags

    written = refresh_figures(today=today)
    refresh_flags(today=today)
    return written


def invalidate_flags(family_ids: Iterable[int]) -> None:
    """These families' stored caseload flags no longer hold: read live until the next
    refresh (reports.caseload.refresh_flags). One UPDATE; it counts the version up even where
    the flags were already emptied, so a refresh that read the row before this write does
    not store what it computed without it."""
    ids = sorted({int(pk) for pk in family_ids})
    if ids:
        FamilyFigures.objects.filter(family_id__in=ids).update(
            flags_as_of=None, flags_version=F("flags_version") + 1
        )


_paused: ContextVar[bool] = ContextVar("figures_paused", default=False)


@contextmanager
def paused() -> Iterator[None]:
    """Skip the per-write refresh inside (bulk loads such as the demo seeding, which
    refresh every family once at the end)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _refresh_for(instance: Any) -> None:
    """Refresh the family that this contact, phase episode, relapse hours, moment, sheet or
    score belongs to: one statement (a sheet or score names its family through its moment,
    looked up inside the statement)."""
    moment, sheet = Moment._meta.db_table, ScoreSheet._meta.db_table
    if isinstance(instance, ExtraHours):
        refresh_figures([instance.episode.family_id])
    elif isinstance(instance, ScoreSheet):
        if ScoreSheet.moment.is_cached(instance):
            refresh_figures([instance.moment.family_id])
        else:
            where = f"f.id = (SELECT m.family_id FROM {moment} m WHERE m.id = %s)"  # noqa: S608
            _refresh(where, [instance.moment_id])
    elif isinstance(instance, DomainScore):
        join = f"{moment} m JOIN {sheet} s ON s.moment_id = m.id"
        where = f"f.id = (SELECT m.family_id FROM {join} WHERE s.id = %s)"  # noqa: S608
        _refresh(where, [instance.sheet_id])
    else:
        refresh_figures([instance.family_id])


def _saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or _paused.get():  # loaddata, bulk loads: rebuilt afterwards
        return
    _refresh_for(instance)


def _deleted(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    if _paused.get():
        return
    # Only a record deleted on its own changes a family that stays. One deleted with its
    # family goes with the figures (CASCADE), and a row written now would stand in the way
    # of the family's own deletion; scores deleted with their sheet, or sheets with their
    # moment, are counted by the handler of the record whose deletion took them along.
    origin_model = getattr(origin, "model", type(origin))
    if origin_model is not sender:
        return
    _refresh_for(instance)


def _scores_inserted(sender: Any, sheet: ScoreSheet, **kwargs: Any) -> None:
    # strengths.services.scores_save inserts a sheet's new scores in one batch (no
    # post_save per score) and says so with this signal.
    if _paused.get():
        return
    _refresh_for(sheet)


KEPT_BY = (Contact, PhaseEpisode, ExtraHours, Moment, ScoreSheet, DomainScore)
# Records that change a caseload flag without changing the figures: the family itself (its
# safety flag), its tasks, case reviews, legal measures and supervision discussions.
FLAGS_CHANGED_BY = (Family, Task, CaseReview, LegalMeasure, SupervisionDiscussion)


def _flags_changed(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    if kwargs.get("raw") or _paused.get():
        return
    # Deleted with its family (or the family itself): the figures row goes along.
    if origin is not None and (
        isinstance(origin, Family) or getattr(origin, "model", None) is Family
    ):
        return
    invalidate_flags([instance.pk if sender is Family else instance.family_id])


def connect() -> None:
    """Keep the figures with every write of a contact, a phase episode, a phase's relapse
    hours, a measurement moment, a score sheet or a domain score, in its transaction (the
    handlers run inside the service's atomic block). Bulk writes (bulk_create, update) send
    no signals: whoever makes them calls refresh_figures (scores_save's batch of new scores
    sends strengths.services.scores_inserted)."""
    for model in KEPT_BY:
        label = model._meta.label
        post_save.connect(_saved, sender=model, dispatch_uid=f"figures-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"figures-delete-{label}")
    strength_services.scores_inserted.connect(
        _scores_inserted, sender=ScoreSheet, dispatch_uid="figures-scores-inserted"
    )
    for model in FLAGS_CHANGED_BY:
        label = model._meta.label
        post_save.connect(_flags_changed, sender=model, dispatch_uid=f"flags-save-{label}")
        post_delete.connect(_flags_changed, sender=model, dispatch_uid=f"flags-delete-{label}")
