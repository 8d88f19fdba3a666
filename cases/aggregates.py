"""Aggregates that read the same on PostgreSQL and SQLite (`make run`): a group's texts as
one string, separated by SEPARATOR (PostgreSQL string_agg, SQLite group_concat), or a
group's rows as a JSON list (json_agg, json_group_array); and a user's name as the pages
show it."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Aggregate, CharField, TextField, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

# A unit separator: never in a one-line label or name a form accepts.
SEPARATOR = "\x1f"


class JoinedText(Aggregate):
    """A group's texts as one, separated by SEPARATOR, in no particular order (the caller
    sorts what it splits)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '\x1f')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        # On a copy, not as keyword arguments: with a filter, Aggregate.as_sql passes its own
        # template on (a FILTER clause around this one) and a second one would clash.
        clone = self.copy()
        clone.function = "GROUP_CONCAT"
        clone.template = "%(function)s(%(expressions)s, char(31))"
        return super(JoinedText, clone).as_sql(compiler, connection, **extra_context)


def split_joined(joined: str | None) -> list[str]:
    """The texts of a JoinedText value, empty ones left out."""
    return [part for part in (joined or "").split(SEPARATOR) if part]


class JSONList(Aggregate):
    """A group's values (a JSONObject each, say) as one JSON list, as text, in no particular
    order (the caller sorts what `json_list` reads). JSON escapes every character, so a
    text of any content comes back whole."""

    function = "JSON_AGG"
    template = "CAST(%(function)s(%(expressions)s) AS TEXT)"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        clone = self.copy()
        clone.function = "JSON_GROUP_ARRAY"
        clone.template = "%(function)s(%(expressions)s)"
        return super(JSONList, clone).as_sql(compiler, connection, **extra_context)


def json_list(value: str | None) -> list[Any]:
    """The items of a JSONList value (none for an empty group)."""
    return json.loads(value) if value else []


def name_or_username(user: str) -> Coalesce:
    """The user at path `user` by name as the templates show one (get_full_name, else the
    username), as an expression."""
    return Coalesce(
        NullIf(Trim(Concat(f"{user}__first_name", Value(" "), f"{user}__last_name")), Value("")),
        f"{user}__username",
        output_field=CharField(),
    )
