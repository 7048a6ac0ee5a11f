"""The store's insert path: canonical rows straight to the database, in large batches.

An ingest writes hundreds of thousands of rows. Building a Django model
instance per row and letting bulk_create compile each batch cost more than
reading the files did, so rows go in as plain tuples instead: one prepared
INSERT run with executemany on SQLite, and COPY on PostgreSQL (psycopg's
copy protocol, many times faster than INSERTs there).

The values stored are exactly those the ORM would store: every field not in
a row gets the field's default, and each value goes through the field's own
conversion (get_db_prep_save) unless it is already of a type that conversion
would pass on unchanged (str for text, int, float, bool, None; dates, which
both drivers adapt to the same ISO text Django's conversion gives). The
types are checked a column at a time when a batch is written (a set of the
column's types, built in C), so a row costs one dict look-up per field and
no Python call per value. This runs inside the ingest's transaction, so a
failure still leaves the store as it was.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

BATCH_ROWS = 20_000
# rows in one SQLite INSERT (fewer when the statement would pass SQLite's limit of parameters)
ROWS_PER_STATEMENT = 100

_TEXT_FIELDS = (models.CharField, models.TextField)


class TableWriter:
    """Writes dicts of one model's field values (plus a fixed submission) to its table.

    A batch holds the field values alone; the submission goes into the statement.
    """

    def __init__(self, model: type[models.Model], submission_id: int):
        fields = [f for f in model._meta.concrete_fields if f.attname not in ("id", "submission_id")]
        self.model = model
        self.table = model._meta.db_table
        self.names = [f.name for f in fields]
        self.allowed = frozenset(self.names)
        self.defaults = [f.get_default() for f in fields]
        # the connection itself, not Django's per-thread proxy: looked up once
        self.connection = connection = connections[DEFAULT_DB_ALIAS]
        self.converters = [_converter(f, connection) for f in fields]
        self.submission_id = submission_id
        self.pending: list[tuple] = []
        quote = connection.ops.quote_name
        self.column_sql = ", ".join(quote(c) for c in ["submission_id", *(f.column for f in fields)])
        self.value_sql = ", ".join(["%s"] * len(fields))

    def add(self, row: dict) -> None:
        if not row.keys() <= self.allowed:
            unknown = sorted(set(row) - self.allowed)
            raise TypeError(f"{self.model.__name__} has no field(s) {unknown}")
        # map() calls row.get(name, default) for every field in C
        self.pending.append(tuple(map(row.get, self.names, self.defaults)))
        if len(self.pending) >= BATCH_ROWS:
            self.flush()

    def add_many(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.pending:
            return
        rows = self._prepared(self.pending)
        self.pending = []
        self._write(rows, self.submission_id)

    def _write(self, rows: list[tuple], submission_id: int) -> None:
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor, for the COPY protocol
                with raw.copy(f"COPY {quote(self.table)} ({self.column_sql}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row((submission_id, *values))
            else:
                self._insert_sqlite(cursor, rows, int(submission_id))

    def _insert_sqlite(self, cursor: Any, rows: list[tuple], submission_id: int) -> None:
        """Many rows to each INSERT: SQLite runs one statement per parameter set, with
        its set-up and the AUTOINCREMENT bookkeeping each time, so a statement of
        `per` rows stores a batch about 1.4 times faster than a row a statement."""
        quote = self.connection.ops.quote_name
        # the submission is one int of ours, written into the statement so each
        # row's parameters are its values as they are (no tuple rebuilt)
        one = f"({submission_id}, {self.value_sql})"
        head = f"INSERT INTO {quote(self.table)} ({self.column_sql}) VALUES "
        per = max(1, min(ROWS_PER_STATEMENT, _sqlite_variable_limit(self.connection) // len(self.names)))
        whole = len(rows) - len(rows) % per
        if whole:
            flat = chain.from_iterable
            cursor.executemany(
                head + ", ".join([one] * per),
                [list(flat(rows[i:i + per])) for i in range(0, whole, per)],
            )
        if whole < len(rows):
            rest = rows[whole:]
            cursor.execute(head + ", ".join([one] * len(rest)), list(chain.from_iterable(rest)))

    def _prepared(self, pending: list[tuple]) -> list[tuple]:
        """The batch as the database is given it: each column
        converted when (and only when) it holds a value of a type the field's
        conversion would change. Usually none does, and the rows go as they are."""
        columns: list[Any] = list(zip(*pending, strict=True))
        changed = False
        for i, (plain, convert) in enumerate(self.converters):
            types = set(map(type, columns[i]))
            if not types <= plain:
                columns[i] = list(map(convert, columns[i]))
                changed = True
            elif dt.date in types:
                # dates as the ISO text both drivers would make of them: done here, a
                # column at a time, rather than by the driver's adapter per value
                columns[i] = [None if v is None else v.isoformat() for v in columns[i]]
                changed = True
        return list(zip(*columns, strict=True)) if changed else pending


def _converter(field: models.Field, connection: Any) -> tuple[frozenset[type], Callable[[Any], Any]]:
    """The types a field's values are given to the database as they are (the
    field's own conversion would return them unchanged, or the driver adapts them
    as that conversion would), and the conversion for any other value."""
    prep = field.get_db_prep_save
    none = type(None)
    if isinstance(field, _TEXT_FIELDS):
        plain: tuple[type, ...] = (str,)
    elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        # Django's conversion gives str(date); sqlite3 (Django's adapter) and
        # psycopg turn a date into that same ISO text
        plain = (dt.date,)
    elif isinstance(field, models.BooleanField):
        plain = (bool,)
    elif isinstance(field, models.IntegerField):  # and BigIntegerField
        plain = (int,)
    elif isinstance(field, models.FloatField):
        plain = (float,)
    else:
        plain = ()

    def convert(value: Any) -> Any:
        if value is None or type(value) in plain:
            return value
        return prep(value, connection)

    return frozenset((none, *plain)), convert


def _sqlite_variable_limit(connection: Any) -> int:
    """The most parameters one statement may take on this SQLite (999 before 3.32)."""
    raw = connection.connection
    try:
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except AttributeError:  # Python before 3.11 has no getlimit
        return 999
