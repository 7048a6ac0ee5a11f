"""Canonical rows of some submissions straight into a Polars frame.

The indicators (indicators.casedata) and the cross-return checks
(validation.cross.tables) read hundreds of thousands of stored rows. Through
the ORM each date becomes a Python date in Django's converter, one Python
call a value, which cost more than everything else those readers do. Here
the query is the one the ORM would run (same columns, same WHERE, so the
same rows in the same order), but on SQLite dates come back as their ISO
text and booleans as 0/1, and Polars turns whole columns into dates and
booleans at once. PostgreSQL's driver already gives dates and booleans in C,
so there the values are taken as they come.

Django must be set up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl
from django.db import DEFAULT_DB_ALIAS, connections, models
from polars.datatypes import DataType, DataTypeClass

Dtype = DataType | DataTypeClass


def read_frame(
    model: type[models.Model], schema: Mapping[str, Dtype], submission_ids: Sequence[int]
) -> pl.DataFrame:
    """The rows of ``model`` stored by ``submission_ids``, as columns ``schema`` (field
    name -> Polars type; "submission_id" may be one of them), typed as given."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = {f.name: f.column for f in model._meta.concrete_fields}
    columns["submission_id"] = "submission_id"
    sqlite = connection.vendor == "sqlite"
    select, fetched, casts = [], {}, []
    for name, dtype in schema.items():
        column = f"{table}.{quote(columns[name])}"
        if sqlite and dtype == pl.Date:
            select.append(f"CAST({column} AS TEXT)")  # no decltype: the driver leaves the text
            fetched[name] = pl.Utf8
            casts.append(pl.col(name).str.to_date("%Y-%m-%d"))
        elif sqlite and dtype == pl.Boolean:
            select.append(f"CAST({column} AS INTEGER)")
            fetched[name] = pl.Int64
            casts.append(pl.col(name).cast(pl.Boolean))
        else:
            select.append(column)
            fetched[name] = dtype
    ids = list(submission_ids)
    if not ids:
        return pl.DataFrame(schema=dict(schema))
    where = f"{table}.{quote('submission_id')} IN ({', '.join(['%s'] * len(ids))})"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(select)} FROM {table} WHERE {where}", ids)
        rows = cursor.fetchall()
    frame = _by_column(rows, fetched) if sqlite else pl.DataFrame(rows, schema=fetched, orient="row")
    return frame.with_columns(casts) if casts else frame


def _by_column(rows: list[tuple], fetched: Mapping[str, Dtype]) -> pl.DataFrame:
    """The frame ``pl.DataFrame(rows, schema=fetched, orient="row")`` gives, built a column
    at a time: from SQLite's plain ints, floats and strings that is several times faster
    than Polars reading the row tuples. A column only strictly takes values of its own
    type, so any other value (text in an integer column, say) raises, and the frame is
    then built from the rows as before, converting as it always did."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(fetched)
    try:
        return pl.DataFrame([pl.Series(name, values, dtype=dtype, strict=True)
                             for (name, dtype), values in zip(fetched.items(), columns, strict=True)])
    except (TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):
        return pl.DataFrame(rows, schema=fetched, orient="row")
