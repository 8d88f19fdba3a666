"""Aggregates that read the same on PostgreSQL and SQLite (`make run`): a group's texts as
one string, separated by SEPARATOR (PostgreSQL string_agg, SQLite group_concat)."""

from __future__ import annotations

from django.db.models import Aggregate, CharField

# A unit separator: never in a one-line label or name a form accepts.
SEPARATOR = "\x1f"


class JoinedText(Aggregate):
    """A group's texts as one, separated by SEPARATOR, in no particular order (the caller
    sorts what it splits)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '\x1f')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        # On a copy, not through extra_context: with a `filter=` Aggregate.as_sql passes its
        # own `template` besides the caller's, and the call fails.
        clone = self.copy()
        clone.function = "GROUP_CONCAT"
        clone.template = "%(function)s(%(expressions)s, char(31))"
        return super(JoinedText, clone).as_sql(compiler, connection, **extra_context)


def split_joined(joined: str | None) -> list[str]:
    """The texts of a JoinedText value, empty ones left out."""
    return [part for part in (joined or "").split(SEPARATOR) if part]
