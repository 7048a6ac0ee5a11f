"""The store's insert path: canonical rows straight to the database, in large batches.

An ingest writes hundreds of thousands of rows. Building a Django model
instance per row and letting bulk_create compile each batch cost more than
reading the files did, so rows go in as plain values instead: INSERTs of many
rows each on SQLite, and COPY on PostgreSQL (psycopg's copy protocol, many
times faster than INSERTs there).

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
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connections, models

if TYPE_CHECKING:
    from csc_scorecard.returns.base import ColumnBatch

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
        self.pending: list[tuple] = []  # rows from `add`, after those in `parts`
        # earlier rows as flat lists, row after row (see flush), each part in order:
        # a column batch goes straight in so, and rows from `add` before it go first
        self.parts: list[list] = []
        self.part_rows = 0
        self.room = BATCH_ROWS  # rows `add` may take before the batch is full
        quote = connection.ops.quote_name
        self.column_sql = ", ".join(quote(c) for c in ["submission_id", *(f.column for f in fields)])
        self.value_sql = ", ".join(["%s"] * len(fields))

    def add(self, row: dict) -> None:
        if not row.keys() <= self.allowed:
            unknown = sorted(set(row) - self.allowed)
            raise TypeError(f"{self.model.__name__} has no field(s) {unknown}")
        # map() calls row.get(name, default) for every field in C
        self.pending.append(tuple(map(row.get, self.names, self.defaults)))
        if len(self.pending) >= self.room:
            self.flush()

    def add_columns(self, batch: ColumnBatch) -> None:
        """A batch of rows given a column at a time (returns.base.ColumnBatch); a field
        the batch does not have gets its default, as in `add`."""
        if not self.allowed.issuperset(batch.columns) or not self.allowed.issuperset(batch.fixed):
            unknown = sorted(set(batch.names) - self.allowed)
            raise TypeError(f"{self.model.__name__} has no field(s) {unknown}")
        size, given, fixed = batch.size, batch.columns, batch.fixed
        width = len(self.names)
        # each column slotted into its place in the flat batch, in C: no tuple per row
        part: list = [None] * (size * width)
        for i, (name, default) in enumerate(zip(self.names, self.defaults, strict=True)):
            if name in given:
                column = given[name]
                if len(column) != size:
                    raise ValueError(
                        f"{self.model.__name__}: column {name} has {len(column)} values for {size} rows"
                    )
                part[i::width] = column
            else:
                part[i::width] = repeat(fixed.get(name, default), size)
        self._park_pending()
        self.parts.append(part)
        self.part_rows += size
        self.room = BATCH_ROWS - self.part_rows
        if self.room <= 0:
            self.flush()

    def _park_pending(self) -> None:
        """Rows from `add` into `parts`, so that what comes next goes after them."""
        if self.pending:
            self.parts.append(list(chain.from_iterable(self.pending)))
            self.part_rows += len(self.pending)
            self.pending = []

    def add_many(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        self._park_pending()
        if not self.parts:
            return
        parts, count = self.parts, self.part_rows
        self.parts, self.part_rows, self.room = [], 0, BATCH_ROWS
        width = len(self.names)
        # the batch as one flat list, row after row: a column is then the slice
        # flat[i::width], checked and converted in C, and a statement's worth of
        # rows is one plain slice, with no tuples rebuilt on the way
        flat = parts[0] if len(parts) == 1 else list(chain.from_iterable(parts))
        if len(flat) != width * count:
            raise ValueError(f"{self.model.__name__}: a row of the batch has the wrong length")
        for i, converter in enumerate(self.converters):
            converted = _converted(flat[i::width], *converter)
            if converted is not None:
                flat[i::width] = converted
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                self._copy_postgresql(cursor, flat, count)
            else:
                self._insert_sqlite(cursor, flat, count)

    def _copy_postgresql(self, cursor: Any, flat: list, count: int) -> None:
        """The batch by PostgreSQL's COPY protocol (psycopg's own cursor)."""
        quote = self.connection.ops.quote_name
        width, submission = len(self.names), (self.submission_id,)
        with cursor.cursor.copy(f"COPY {quote(self.table)} ({self.column_sql}) FROM STDIN") as copy:
            for start in range(0, count * width, width):
                copy.write_row((*submission, *flat[start:start + width]))

    def _insert_sqlite(self, cursor: Any, flat: list, count: int) -> None:
        """Many rows to each INSERT: SQLite runs one statement per parameter set, with
        its set-up and the AUTOINCREMENT bookkeeping each time, so a statement of
        `per` rows stores a batch about 1.4 times faster than a row a statement."""
        quote = self.connection.ops.quote_name
        width = len(self.names)
        # the submission is one int of ours, written into the statement so each
        # row's parameters are its values as they are
        one = f"({int(self.submission_id)}, {self.value_sql})"
        head = f"INSERT INTO {quote(self.table)} ({self.column_sql}) VALUES "
        per = max(1, min(ROWS_PER_STATEMENT, _sqlite_variable_limit(self.connection) // width))
        whole = (count - count % per) * width
        if whole:
            step = per * width
            cursor.executemany(head + ", ".join([one] * per),
                               [flat[i:i + step] for i in range(0, whole, step)])
        if whole < len(flat):
            cursor.execute(head + ", ".join([one] * (count % per)), flat[whole:])


def _converted(column: list, plain: frozenset[type], convert: Callable[[Any], Any]) -> list | None:
    """A column's values as the database is given them, or None when they go as they
    are: converted when (and only when) a value is of a type the field's conversion
    would change. Usually none is."""
    types = set(map(type, column))
    if not types <= plain:
        return list(map(convert, column))
    if dt.date in types:
        # dates as the ISO text both drivers would make of them, each distinct date
        # once (a year's events fall on a few hundred days), rather than by the
        # driver's adapter per value
        iso: dict[Any, Any] = {d: d.isoformat() for d in set(column) if d is not None}
        iso[None] = None
        return list(map(iso.__getitem__, column))
    return None


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
