"""Canonical rows a column at a time, for runs of an Annex A list's clean rows.

The list reader cleans a block of rows column by column (annex_a/columns.py);
for the rows with nothing to report, this builds the canonical rows from
those columns with C-level zips and hands each table's rows to the sink in
one batch (ReadResult.add_rows), instead of one dict per row through
CanonicalRows.emit. The tables, fields and values are exactly emit's (see
the list functions in annex_a/canonical.py, which this mirrors list by list).

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
from itertools import compress, repeat

from csc_scorecard.returns.annex_a.canonical import (
    _CHILD_DETAILS,
    CanonicalRows,
    placement_postcode,
)
from csc_scorecard.returns.annex_a.spec import ListSpec
from csc_scorecard.returns.issues import IssueLog


class _Run:
    """The columns of a run of clean rows (a missing column reads as None, as
    emit's v.get gives it), and the fields every canonical row starts with."""

    def __init__(self, columns: dict[str, Sequence], excel_rows: Sequence[int], size: int):
        self.columns = columns
        self.size = size
        self.none = [None] * size
        self.child_id = columns["child_id"]
        self.source_row = excel_rows

    def __call__(self, key: str) -> Sequence:
        return self.columns.get(key, self.none)

    def text(self, key: str) -> Sequence:
        """The column as emit's `v.get(key) or ""` gives it."""
        column = self.columns.get(key)
        if column is None:
            return [""] * self.size
        return [v or "" for v in column]

    def constant(self, value: object) -> repeat:
        return repeat(value, self.size)


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
        allocated = list(
            compress(zip(run.child_id, run.source_row, team, worker, event, strict=True), team)
        )
        rows.result.add_rows(
            "allocation",
            ("child_id", "source_row", "team", "worker", "start_date", "end_date"),
            [(*row, None) for row in allocated],
        )
    rows.merge_children(
        log,
        table,
        run.child_id,
        run.source_row,
        *map(run, _CHILD_DETAILS),
        team,
        worker,
        event,
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
    rows.result.add_rows(
        "contact",
        ("child_id", "source_row", "contact_date", "source", "team"),
        list(
            zip(
                run.child_id,
                run.source_row,
                run("contact_date"),
                run.text("source"),
                run.constant(""),
                strict=True,
            )
        ),
    )


def _early_help(rows: CanonicalRows, run: _Run) -> None:
    rows.result.add_rows(
        "early_help",
        ("child_id", "source_row", "start_date", "end_date", "organisation"),
        list(
            zip(
                run.child_id,
                run.source_row,
                run("start_date"),
                run("end_date"),
                run.text("organisation"),
                strict=True,
            )
        ),
    )


_REFERRAL = (
    "child_id",
    "source_row",
    "referral_date",
    "source",
    "primary_need",
    "closure_date",
    "closure_reason",
    "nfa",
    "team",
    "worker",
)


def _referral(rows: CanonicalRows, run: _Run) -> None:
    for row in zip(
        run.child_id,
        run.source_row,
        run("referral_date"),
        run.text("source"),
        run.constant(""),
        run.constant(None),
        run.constant(""),
        run("nfa"),
        run.text("team"),
        run.text("worker"),
        strict=True,
    ):
        rows._add_referral(dict(zip(_REFERRAL, row, strict=True)), from_list3=True)


def _assessment(rows: CanonicalRows, run: _Run) -> None:
    rows.result.add_rows(
        "assessment",
        (
            "child_id",
            "source_row",
            "referral_date",
            "start_date",
            "authorised_date",
            "factors",
            "team",
            "worker",
        ),
        list(
            zip(
                run.child_id,
                run.source_row,
                run.constant(None),
                run("start_date"),
                run("authorised_date"),
                run.constant(""),
                run.text("team"),
                run.text("worker"),
                strict=True,
            )
        ),
    )


def _s47(rows: CanonicalRows, run: _Run) -> None:
    rows.result.add_rows(
        "s47",
        (
            "child_id",
            "source_row",
            "referral_date",
            "start_date",
            "icpc_target_date",
            "icpc_date",
            "icpc_not_required",
        ),
        list(
            zip(
                run.child_id,
                run.source_row,
                run.constant(None),
                run("start_date"),
                run.constant(None),
                run("icpc_date"),
                run("icpc_not_required"),
                strict=True,
            )
        ),
    )


def _child_in_need(rows: CanonicalRows, run: _Run) -> None:
    for row in zip(
        run.child_id,
        run.source_row,
        run("cin_start_date"),
        run.constant(""),
        run.text("primary_need"),
        run("closure_date"),
        run.text("closure_reason"),
        run.constant(None),
        run.text("team"),
        run.text("worker"),
        strict=True,
    ):
        rows._add_referral(dict(zip(_REFERRAL, row, strict=True)), from_list3=False)


def _cp_plan(rows: CanonicalRows, run: _Run) -> None:
    add, start = rows.result.add_rows, run("start_date")
    add(
        "cp_plan",
        (
            "child_id",
            "source_row",
            "referral_date",
            "start_date",
            "end_date",
            "initial_category",
            "latest_category",
            "previous_plans",
            "team",
            "worker",
        ),
        list(
            zip(
                run.child_id,
                run.source_row,
                run.constant(None),
                start,
                run("end_date"),
                run.text("initial_category"),
                run.text("latest_category"),
                run("previous_plans"),
                run.text("team"),
                run.text("worker"),
                strict=True,
            )
        ),
    )
    reviews = run("review_date")
    add(
        "cp_review",
        ("child_id", "source_row", "plan_start_date", "review_date"),
        list(compress(zip(run.child_id, run.source_row, start, reviews, strict=True), reviews)),
    )
    visits = run("last_visit_date")
    add(
        "visit",
        ("child_id", "source_row", "kind", "visit_date", "seen_alone"),
        list(
            compress(
                zip(
                    run.child_id,
                    run.source_row,
                    run.constant("CP"),
                    visits,
                    run("seen_alone"),
                    strict=True,
                ),
                visits,
            )
        ),
    )


def _looked_after(rows: CanonicalRows, run: _Run) -> None:
    add = rows.result.add_rows
    add(
        "cla_episode",
        (
            "child_id",
            "source_row",
            "start_date",
            "reason_new_episode",
            "legal_status",
            "cin_category",
            "placement",
            "provider",
            "end_date",
            "reason_ceased",
            "reason_place_change",
            "home_postcode",
            "placement_postcode",
            "urn",
        ),
        list(
            zip(
                run.child_id,
                run.source_row,
                run("start_date"),
                run.constant(""),
                run.text("legal_status"),
                run.text("cin_category"),
                run.text("placement"),
                run.text("provider"),
                run("end_date"),
                run.text("reason_ceased"),
                run.constant(""),
                run.constant(""),
                map(_postcode, run.text("placement_postcode")),
                [urn.upper() for urn in run.text("urn")],
                strict=True,
            )
        ),
    )
    reviews = run("review_date")
    add(
        "cla_review",
        ("child_id", "source_row", "review_date", "review_code"),
        list(
            compress(
                zip(run.child_id, run.source_row, reviews, run.constant(""), strict=True), reviews
            )
        ),
    )
    visits = run("last_visit_date")
    add(
        "visit",
        ("child_id", "source_row", "kind", "visit_date", "seen_alone"),
        list(
            compress(
                zip(
                    run.child_id,
                    run.source_row,
                    run.constant("CLA"),
                    visits,
                    run.constant(None),
                    strict=True,
                ),
                visits,
            )
        ),
    )


def _care_leaver(rows: CanonicalRows, run: _Run) -> None:
    accommodation = [
        place + suitable if place and suitable else place
        for place, suitable in zip(run.text("accommodation"), run("suitability"), strict=True)
    ]
    rows.result.add_rows(
        "care_leaver",
        ("child_id", "source_row", "birth_date", "in_touch", "activity", "accommodation"),
        list(
            zip(
                run.child_id,
                run.source_row,
                run("birth_date"),
                run.text("in_touch"),
                run.text("activity"),
                accommodation,
                strict=True,
            )
        ),
    )


def _adoption(rows: CanonicalRows, run: _Run) -> None:
    add, births, decisions = rows.result.add_rows, run("birth_date"), run("decision_date")
    add(
        "placed_for_adoption",
        ("child_id", "source_row", "birth_date", "placed_date", "ceased_date", "reason_ceased"),
        list(
            zip(
                run.child_id,
                run.source_row,
                births,
                decisions,
                run("ceased_date"),
                run.text("ceased_reason"),
                strict=True,
            )
        ),
    )
    orders = run("adoption_order_date")
    add(
        "adoption",
        (
            "child_id",
            "source_row",
            "birth_date",
            "decision_date",
            "match_date",
            "foster_care",
            "number_of_adopters",
            "sex_of_adopters",
            "legal_status_of_adopters",
        ),
        list(
            compress(
                zip(
                    run.child_id,
                    run.source_row,
                    births,
                    decisions,
                    run("match_date"),
                    run.constant(None),
                    run.constant(None),
                    run.constant(""),
                    run.constant(""),
                    strict=True,
                ),
                orders,
            )
        ),
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
