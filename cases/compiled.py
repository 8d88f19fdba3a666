"""Queries compiled to SQL once, then run again with the request's values.

Compiling a QuerySet (resolving its expressions and subqueries, choosing its columns,
quoting its names) costs Python time on every evaluation: for the family page about a
third of its time, most of it in a few queries whose shape is the same on every request
(the family with its figures, its phase history, its page of contacts, its agenda).

A `CompiledQuery` is made from a QuerySet built with a marker (`MARKER`) where a value of
the request goes, named in `CompiledQuery(queryset, family=MARKER)`. The first run on a
database compiles it and notes where the marker stands among the SQL's parameters; every
later run sends the same SQL with the request's value in those places and reads the rows
through Django's own machinery (model instances, annotations, related objects and
prefetches as the QuerySet would give them). Kept in a `cases.daycache.DayCache`, a
compiled query lives as long as the expressions it was built from: one day and key.

A marker must be a value that no real parameter takes (an id far below any real one) and
must stand only where the request's value goes; `run` refuses a query whose SQL does not
hold each marker at least once, so a shape Django compiles differently never runs with a
wrong value.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

# Ids of the rows a query reads are positive; these never are. Within a 32-bit integer
# column's range (auth's and django-otp's ids are such columns): Django compiles a lookup
# with a value outside its column's range to "no rows", without the marker.
MARKER = -1_913_248_611
SECOND_MARKER = MARKER - 1


class CompiledQuery(Generic[M]):
    """`queryset` compiled once per database, run with `run(name=value)` for each marker
    given as `name=MARKER` here."""

    def __init__(self, queryset: QuerySet[M], **markers: int) -> None:
        if not markers or len(set(markers.values())) != len(markers):
            raise ValueError("Each value of the request needs a marker of its own.")
        self.queryset = queryset
        self.markers = markers
        self._compiled: dict[str, tuple[Any, str, tuple[Any, ...], list[tuple[int, str]]]] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> tuple[Any, str, tuple[Any, ...], list[tuple[int, str]]]:
        with self._lock:
            compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        compiler = self.queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            # A shape that can hold no row (an empty slice): it never asks the database.
            # Anything else that compiles to nothing would answer nothing for every value.
            if not self.queryset.query.is_empty():
                raise ValueError("The query compiles to no rows whatever its values.") from None
            sql, params = "", ()
            compiled = (compiler, sql, (), [])
            with self._lock:
                self._compiled[alias] = compiled
            return compiled
        by_value = {value: name for name, value in self.markers.items()}
        places = [
            (i, by_value[param])
            for i, param in enumerate(params)
            if type(param) is int and param in by_value
        ]
        if {name for _, name in places} != set(self.markers):
            raise ValueError(f"A marker is missing from the compiled query: {sql}")
        compiled = (compiler, sql, tuple(params), places)
        with self._lock:
            self._compiled[alias] = compiled
        return compiled

    def run(self, **values: Any) -> list[M]:
        """The rows for these values, as `list(queryset)` with the values in place of the
        markers would read them."""
        if set(values) != set(self.markers):
            raise TypeError(f"run() needs exactly these values: {sorted(self.markers)}")
        queryset = self.queryset._chain()  # type: ignore[attr-defined]
        alias = queryset.db
        compiler, sql, params, places = self._compile(alias)
        if not sql:
            return []
        bound = list(params)
        for i, name in places:
            bound[i] = values[name]
        sent = (sql, tuple(bound))
        # A copy of the compiled state (columns, related objects, converters) on this
        # thread's connection, whose as_sql gives the SQL with the request's values.
        ready = copy.copy(compiler)
        ready.connection = connections[alias]
        ready.as_sql = lambda *args, **kwargs: sent
        # Only this clone's query hands out the ready compiler; it is evaluated here and
        # never chained further.
        queryset.query.get_compiler = lambda *args, **kwargs: ready
        return list(queryset)
