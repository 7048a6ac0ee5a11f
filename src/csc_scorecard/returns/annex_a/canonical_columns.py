"""Canonical rows a column at a time, for runs of an Annex A list's clean rows.

The list reader cleans a block of rows column by column (annex_a/columns.py);
for the rows with nothing to report, this builds the canonical rows from
those columns with C-level zips and hands each table's rows to the sink in
one batch, a column at a time (ReadResult.add_columns), instead of one dict
per row through CanonicalRows.emit. The tables, fields and values are exactly
emit's (see the list functions in annex_a/canonical.py, mirrored here one by one).

A row that emit would say something about (dates out of order, a postcode
that is not one, an over-long URN) is handed to emit itself, in its place,
with the rows before it finished first, so its issues keep their wording and
order. The one thing emit reports that depends on earlier rows, a child's
details differing from those of an earlier list, is reported by the same
CanonicalRows.merge_children, row by row, once the run's rows are written: a
run's rows report nothing else, so the issues come out in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import compress

from csc_scorecard.returns.annex_a.canonical import CanonicalRows, placement_postcode
from csc_scorecard.returns.annex_a.children import CHILD_DETAILS
from csc_scorecard.returns.annex_a.spec import ListSpec
from csc_scorecard.returns.base import ColumnBatch
from csc_scorecard.returns.issues import IssueLog


class _Run:
    """The columns of a run of clean rows (a missing column reads as None, as
    emit's v.get gives it), and the fields every canonical row starts with."""

    def __init__(self, columns: dict[str, Sequence], excel_rows: Sequence[int], size: int):
        self.columns = columns
        self.size = size
        self.none = [None] * size
        self.base = {"child_id": columns["child_id"], "source_row": excel_rows}

    def __call__(self, key: str) -> Sequence:
        return self.columns.get(key, self.none)

    def text(self, key: str) -> Sequence:
        """The column as emit's `v.get(key) or ""` gives it."""
        column = self.columns.get(key)
        if column is None:
            return [""] * self.size
        return [v or "" for v in column]

    def add(
        self, rows: CanonicalRows, table: str, keep: Sequence | None = None, /, **fields: object
    ) -> None:
        """Rows of `table` with the run's base fields and `fields` (each a column, or a
        _Fixed value every row has), only where `keep` is truthy when it is given."""
        columns = {**self.base, **{k: v for k, v in fields.items() if not isinstance(v, _Fixed)}}
        fixed = {k: v.value for k, v in fields.items() if isinstance(v, _Fixed)}
        size = self.size
        if keep is not None:
            columns = {k: list(compress(v, keep)) for k, v in columns.items()}
            size = len(columns["child_id"])
        rows.result.add_columns(table, ColumnBatch(size, columns, fixed))


class _Fixed:
    """A field every row of a batch has the same value of."""

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value


NONE, EMPTY = _Fixed(None), _Fixed("")


def emit_clean_rows(
    rows: CanonicalRows,
    log: IssueLog,
    spec: ListSpec,
    table: str,
    keys: Sequence[str],
    values: Sequence[tuple],
    excel_rows: Sequence[int],
) -> None:
    """The canonical rows of `values` (good rows of list `spec`, each in `keys` order,
    read from `excel_rows`): what `rows.emit` would make of each in turn."""
    if spec.number == 11 or not values:
        return  # adopters are not children: counted, not stored
    columns = dict(zip(keys, zip(*values, strict=True), strict=True))
    odd = _odd_rows(spec.number, columns, len(values))
    start = 0
    for i in [*odd, len(values)]:
        if i > start:
            part = {k: c[start:i] for k, c in columns.items()} if odd else columns
            _emit_run(rows, log, spec, table, _Run(part, excel_rows[start:i], i - start))
        if i < len(values):
            rows.emit(log, spec, table, dict(zip(keys, values[i], strict=True)), excel_rows[i])
        start = i + 1


def _emit_run(rows: CanonicalRows, log: IssueLog, spec: ListSpec, table: str, run: _Run) -> None:
    _BY_LIST[spec.number](rows, run)
    event = run(spec.event) if spec.event else run.none
    days = [day for day in event if isinstance(day, dt.date)]
    if days:  # emit widens the window by each date: by the first and last, the same
        rows._widen_window(spec.number, min(days))
        rows._widen_window(spec.number, max(days))
    team, worker = run.text("team"), run.text("worker")
    if any(team):
        run.add(rows, "allocation", team, team=team, worker=worker, start_date=event, end_date=NONE)
    rows.merge_children(
        log, table, *run.base.values(), *map(run, CHILD_DETAILS), team, worker, event
    )


# ---- which rows go to emit ---------------------------------------------------------

# per list: the (start, end) columns emit's _check_order compares
_ORDERED = {
    2: ("start_date", "end_date"),
    4: ("start_date", "authorised_date"),
    5: ("start_date", "icpc_date"),
    6: ("cin_start_date", "closure_date"),
    7: ("start_date", "end_date"),
    8: ("start_date", "end_date"),
    10: ("decision_date", "ceased_date"),
}


def _odd_rows(number: int, columns: dict[str, Sequence], size: int) -> list[int]:
    """The rows emit would report something about, in order."""
    odd: set[int] = set()
    if number in _ORDERED:
        start_key, end_key = _ORDERED[number]
        if start_key in columns and end_key in columns:  # (the start always is)
            odd.update(
                i
                for i, (start, end) in enumerate(
                    zip(columns[start_key], columns[end_key], strict=True)
                )
                if start and end and end < start
            )
    if number == 8:
        none = [None] * size
        for i, (postcode, urn) in enumerate(
            zip(columns.get("placement_postcode", none), columns.get("urn", none), strict=True)
        ):
            if _postcode(postcode or "") is None or len((urn or "").upper()) > 10:
                odd.add(i)
    return sorted(odd)


_POSTCODES: dict[str, str | None] = {}  # spelling -> placement_postcode's answer


def _postcode(text: str) -> str | None:
    """placement_postcode, remembered: a few thousand postcodes repeat over the rows."""
    try:
        return _POSTCODES[text]
    except KeyError:
        found = _POSTCODES[text] = placement_postcode(text)
        if len(_POSTCODES) > 100_000:  # a hostile sheet of distinct texts
            _POSTCODES.clear()
        return found


# ---- one function per list, as canonical.py's ----------------------------------------


def _contacts(rows: CanonicalRows, run: _Run) -> None:
    run.add(
        rows, "contact", contact_date=run("contact_date"), source=run.text("source"), team=EMPTY
    )


def _early_help(rows: CanonicalRows, run: _Run) -> None:
    run.add(
        rows,
        "early_help",
        start_date=run("start_date"),
        end_date=run("end_date"),
        organisation=run.text("organisation"),
    )


_REFERRAL = (
    "child_id source_row referral_date source primary_need closure_date closure_reason nfa "
    "team worker"
).split()


def _referral(rows: CanonicalRows, run: _Run) -> None:
    none, empty = run.none, [""] * run.size
    for row in zip(
        *run.base.values(), run("referral_date"), run.text("source"), empty, none, empty,
        run("nfa"), run.text("team"), run.text("worker"), strict=True,
    ):  # fmt: skip
        rows._add_referral(dict(zip(_REFERRAL, row, strict=True)), from_list3=True)


def _child_in_need(rows: CanonicalRows, run: _Run) -> None:
    none, empty = run.none, [""] * run.size
    for row in zip(
        *run.base.values(), run("cin_start_date"), empty, run.text("primary_need"),
        run("closure_date"), run.text("closure_reason"), none, run.text("team"),
        run.text("worker"), strict=True,
    ):  # fmt: skip
        rows._add_referral(dict(zip(_REFERRAL, row, strict=True)), from_list3=False)


def _assessment(rows: CanonicalRows, run: _Run) -> None:
    run.add(
        rows,
        "assessment",
        referral_date=NONE,
        start_date=run("start_date"),
        authorised_date=run("authorised_date"),
        factors=EMPTY,
        team=run.text("team"),
        worker=run.text("worker"),
    )


def _s47(rows: CanonicalRows, run: _Run) -> None:
    run.add(
        rows,
        "s47",
        referral_date=NONE,
        start_date=run("start_date"),
        icpc_target_date=NONE,
        icpc_date=run("icpc_date"),
        icpc_not_required=run("icpc_not_required"),
    )


def _cp_plan(rows: CanonicalRows, run: _Run) -> None:
    start = run("start_date")
    run.add(
        rows,
        "cp_plan",
        referral_date=NONE,
        start_date=start,
        end_date=run("end_date"),
        initial_category=run.text("initial_category"),
        latest_category=run.text("latest_category"),
        previous_plans=run("previous_plans"),
        team=run.text("team"),
        worker=run.text("worker"),
    )
    reviews, visits = run("review_date"), run("last_visit_date")
    run.add(rows, "cp_review", reviews, plan_start_date=start, review_date=reviews)
    run.add(
        rows, "visit", visits, kind=_Fixed("CP"), visit_date=visits, seen_alone=run("seen_alone")
    )


def _looked_after(rows: CanonicalRows, run: _Run) -> None:
    run.add(
        rows,
        "cla_episode",
        start_date=run("start_date"),
        reason_new_episode=EMPTY,
        legal_status=run.text("legal_status"),
        cin_category=run.text("cin_category"),
        placement=run.text("placement"),
        provider=run.text("provider"),
        end_date=run("end_date"),
        reason_ceased=run.text("reason_ceased"),
        reason_place_change=EMPTY,
        home_postcode=EMPTY,
        placement_postcode=list(map(_postcode, run.text("placement_postcode"))),
        urn=[urn.upper() for urn in run.text("urn")],
    )
    reviews, visits = run("review_date"), run("last_visit_date")
    run.add(rows, "cla_review", reviews, review_date=reviews, review_code=EMPTY)
    run.add(rows, "visit", visits, kind=_Fixed("CLA"), visit_date=visits, seen_alone=NONE)


def _care_leaver(rows: CanonicalRows, run: _Run) -> None:
    accommodation = [
        place + suitable if place and suitable else place
        for place, suitable in zip(run.text("accommodation"), run("suitability"), strict=True)
    ]
    run.add(
        rows,
        "care_leaver",
        birth_date=run("birth_date"),
        in_touch=run.text("in_touch"),
        activity=run.text("activity"),
        accommodation=accommodation,
    )


def _adoption(rows: CanonicalRows, run: _Run) -> None:
    births, decisions = run("birth_date"), run("decision_date")
    run.add(
        rows,
        "placed_for_adoption",
        birth_date=births,
        placed_date=decisions,
        ceased_date=run("ceased_date"),
        reason_ceased=run.text("ceased_reason"),
    )
    run.add(
        rows,
        "adoption",
        run("adoption_order_date"),
        birth_date=births,
        decision_date=decisions,
        match_date=run("match_date"),
        foster_care=NONE,
        number_of_adopters=NONE,
        sex_of_adopters=EMPTY,
        legal_status_of_adopters=EMPTY,
    )


_BY_LIST: dict[int, Callable[[CanonicalRows, _Run], None]] = {
    1: _contacts,
    2: _early_help,
    3: _referral,
    4: _assessment,
    5: _s47,
    6: _child_in_need,
    7: _cp_plan,
    8: _looked_after,
    9: _care_leaver,
    10: _adoption,
}
