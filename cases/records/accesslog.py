"""A family's part of the access log, read at millions of rows (NEN 7513 overview).

Three readers, each bounded whatever the log's size:
- `rows_page`: the rows one by one, newest first, paged by id (keyset: `id < cursor`), so the
  last page costs what the first does; index `accesslog_family_id` (family_id_ref, id).
- `overview_page`: "wie heeft dit dossier ingezien", grouped in the database per day, person,
  role, action and part (first and last time, how often), over a window of rows by id.
- `csv_lines`: every row of the family as CSV lines, read with a server-side cursor in chunks,
  for a StreamingHttpResponse: memory stays flat however many rows there are.

Id order is the chain's order (cases.log_chain), which is the order rows were written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import AccessAction, AccessLog, AccessOutcome, Role

ROWS_PER_PAGE = 100
# Rows grouped per overview page (cases.records.accesslog.overview_page).
OVERVIEW_WINDOW = 5000
CSV_CHUNK_SIZE = 2000


def _family_rows(family_id: int) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(family_id_ref=family_id).order_by()


@dataclass
class RowsPage:
    rows: list[AccessLog]
    # Cursors for the links: the id to read below (older) or above (newer), or None.
    older: int | None
    newer: int | None


def _cursor(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    # Outside a BigIntegerField's range there is nothing to find; treat it as "no cursor".
    return number if 0 <= number < 2**63 else None


def rows_page(family_id: int, *, before: str | None = None, after: str | None = None) -> RowsPage:
    """One page of the family's rows, newest first. `before` gives the rows older than that
    id, `after` those newer than it (`after=0`: the oldest page). Two queries at most."""
    rows_qs = _family_rows(family_id).select_related("user")
    before_id, after_id = _cursor(before), _cursor(after)
    if after_id is not None:
        found = list(rows_qs.filter(pk__gt=after_id).order_by("pk")[: ROWS_PER_PAGE + 1])
        has_newer = len(found) > ROWS_PER_PAGE
        rows = found[:ROWS_PER_PAGE][::-1]
        has_older = bool(rows) and _family_rows(family_id).filter(pk__lt=rows[-1].pk).exists()
    else:
        if before_id is not None:
            rows_qs = rows_qs.filter(pk__lt=before_id)
        found = list(rows_qs.order_by("-pk")[: ROWS_PER_PAGE + 1])
        has_older = len(found) > ROWS_PER_PAGE
        rows = found[:ROWS_PER_PAGE]
        has_newer = (
            before_id is not None
            and bool(rows)
            and _family_rows(family_id).filter(pk__gt=rows[0].pk).exists()
        )
    return RowsPage(
        rows=rows,
        older=rows[-1].pk if rows and has_older else None,
        newer=rows[0].pk if rows and has_newer else None,
    )


@dataclass
class OverviewPage:
    groups: list[dict[str, Any]]
    # The id to read below for the next (older) page, or None; `newer`: not the first page.
    older: int | None
    newer: bool


def _role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


def overview_page(family_id: int, *, before: str | None = None) -> OverviewPage:
    """Who looked at the file: one line per day, person, role, action and part, with the
    first and last time and how often, grouped by the database (one query).

    A page groups the newest OVERVIEW_WINDOW rows below the cursor (an id range of the
    family's index), so a page costs the same however long the log is. The oldest day of a
    full window may go on below it: that day is left to the next page, whole, unless the
    window holds nothing else (a day with more views than the window spans pages)."""
    cursor = _cursor(before)
    window = _family_rows(family_id)
    if cursor is not None:
        window = window.filter(pk__lt=cursor)
    ids = window.order_by("-pk").values("pk")[:OVERVIEW_WINDOW]
    groups = list(
        AccessLog.objects.filter(pk__in=Subquery(ids))
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day", "username", "role", "action", "object", "outcome")
        .annotate(
            first=Min("at"),
            last=Max("at"),
            times=Count("pk"),
            user_id=Max("user_id"),
            min_id=Min("pk"),
            max_id=Max("pk"),
        )
        .order_by("-day", "-last", "username", "action", "object")
    )
    older = None
    if sum(g["times"] for g in groups) >= OVERVIEW_WINDOW:
        oldest = groups[-1]["day"]
        kept = [g for g in groups if g["day"] != oldest]
        if kept:
            older = max(g["max_id"] for g in groups if g["day"] == oldest) + 1
            groups = kept
        else:
            older = min(g["min_id"] for g in groups)
    actions, outcomes = dict(AccessAction.choices), dict(AccessOutcome.choices)
    for group in groups:
        group["role_label"] = _role_label(group["role"])
        group["action_label"] = str(actions.get(group["action"], group["action"]))
        group["outcome_label"] = str(outcomes.get(group["outcome"], group["outcome"]))
    _add_full_names(groups)
    return OverviewPage(groups=groups, older=older, newer=cursor is not None)


def _add_full_names(groups: list[dict[str, Any]]) -> None:
    from django.contrib.auth import get_user_model

    ids = {g["user_id"] for g in groups if g["user_id"]}
    names = {
        pk: f"{first} {last}".strip()
        for pk, first, last in get_user_model()
        .objects.filter(pk__in=ids)
        .values_list("pk", "first_name", "last_name")
    }
    for group in groups:
        group["name"] = names.get(group["user_id"]) or group["username"] or "–"


# --- CSV ---------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() returns what it was given (csv.writer into a
    generator, as in Django's documentation on streaming large CSV files)."""

    def write(self, value: str) -> str:
        return value


def csv_safe(value: str) -> str:
    # Spreadsheet programs run cells that start with these as formulas.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_lines(family_id: int) -> Iterator[str]:
    """Who looked at this file, every row oldest first, as CSV lines (with a BOM first, so
    spreadsheet programs read UTF-8). Reads the rows in chunks through a server-side cursor
    (PostgreSQL), so memory does not grow with the number of rows."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(
        [
            _("Datum en tijd"),
            _("Naam"),
            _("Gebruikersnaam"),
            _("Rol"),
            _("Handeling"),
            _("Onderdeel"),
        ]
    )
    roles = {value: str(label) for value, label in Role.choices}
    actions = {value: str(label) for value, label in AccessAction.choices}
    refused = " " + _("(geweigerd)")
    tz = timezone.get_current_timezone()
    entries = (
        _family_rows(family_id)
        .order_by("pk")
        .values_list(
            "at",
            "username",
            "role",
            "action",
            "object",
            "outcome",
            "user__first_name",
            "user__last_name",
        )
        .iterator(chunk_size=CSV_CHUNK_SIZE)
    )
    for at, username, role, action, obj, outcome, first, last in entries:
        name = f"{first or ''} {last or ''}".strip() or username
        yield writer.writerow(
            [
                csv_safe(at.astimezone(tz).strftime("%d-%m-%Y %H:%M")),
                csv_safe(name),
                csv_safe(username),
                csv_safe(roles.get(role, role)),
                csv_safe(
                    actions.get(action, action)
                    + ("" if outcome == AccessOutcome.ALLOWED else refused)
                ),
                csv_safe(obj),
            ]
        )
