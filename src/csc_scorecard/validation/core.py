"""The rule registry and runner every return's rules share.

A rule is one small function registered under its DfE code. It receives the
return's tables as Polars frames and answers with the rows that break it.
Each table frame carries two bookkeeping columns besides the return's own:

- ``_row``: where the row is, as an analyst would look for it (the row as
  Excel numbers it for a CSV, the element's position for XML);
- ``_child``: the child the row belongs to (CHILD in the 903, LAchildID in
  the CIN census), or null for the header.

A rule returns a frame of failing rows with at least ``_table``, ``_row`` and
``_child``; any other columns are the fields and values shown to the analyst.

Rules apply to collection years ("2024-25"). The years are given as the
first year the rule ran and, when retired, the first year it no longer runs,
so a rule list reads as deltas on the year before, the way the DfE
publishes them.
"""

from __future__ import annotations

import enum
import functools
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import polars as pl

BOOKKEEPING = ("_table", "_row", "_child")

# The engine a rule's lazy query runs on. Polars 2 gives an explicit collect() to its
# streaming engine, whose start-up costs several times the work on a return's few thousand
# rows (the eager operations already run in memory); in memory, a query of the episodes
# frame took 5 ms instead of 15. The answer is the same on either engine.
ENGINE = "in-memory"


def collect(query: pl.LazyFrame) -> pl.DataFrame:
    """A rule's lazy query, run (see ENGINE)."""
    return query.collect(engine=ENGINE)


def collect_all(queries: list[pl.LazyFrame]) -> list[pl.DataFrame]:
    """Several independent lazy queries, run together (see ENGINE)."""
    return pl.collect_all(queries, engine=ENGINE)


class Outcome(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"  # a table the rule needs was not supplied
    COULD_NOT_RUN = "could not run"  # the rule raised; the others went on


class NotRunnable(Exception):
    """Raised by a rule that lacks an input besides whole tables (a derived column,
    a lookup). The runner reports the rule as NOT_RUN with the message as the reason,
    so the message must name what is missing, never a value from the return."""


class RuleSeverity(enum.StrEnum):
    ERROR = "error"  # a DfE error: the return will not be accepted
    QUERY = "query"  # a DfE query (codes ending Q): explain or fix
    WARNING = "warning"  # one of our own checks


def _year_start(year: str) -> int:
    """'2024-25' -> 2024, with a clear error for anything else."""
    head, _, tail = year.partition("-")
    if not (head.isdigit() and len(head) == 4 and tail.isdigit() and len(tail) == 2):
        raise ValueError(f"collection year {year!r} is not of the form 2024-25")
    if (int(head) + 1) % 100 != int(tail):
        raise ValueError(f"collection year {year!r}: the two years do not follow on")
    return int(head)


@dataclass(frozen=True)
class RuleSpec:
    code: str
    return_type: str  # "ssda903", "cin" or "cross"
    message: str
    tables: tuple[str, ...]  # tables the rule reads; a missing one means NOT_RUN
    fields: tuple[str, ...] = ()
    first_year: str = "2024-25"
    retired_in: str | None = None  # first collection year the rule no longer runs
    severity: RuleSeverity = RuleSeverity.ERROR

    def applies_to(self, year: str) -> bool:
        start = _year_start(year)
        if start < _year_start(self.first_year):
            return False
        return self.retired_in is None or start < _year_start(self.retired_in)


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the tables."""

    collection_year: str  # "2024-25"
    la_code: str | None = None

    @property
    def year_start(self) -> int:
        return _year_start(self.collection_year)


RuleFunction = Callable[[Mapping[str, pl.DataFrame], Context], pl.DataFrame]


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    check: RuleFunction


@dataclass
class RuleResult:
    spec: RuleSpec
    outcome: Outcome
    failures: pl.DataFrame | None = None  # the failing rows, when FAILED
    reason: str = ""  # why NOT_RUN or COULD_NOT_RUN, in words

    @property
    def failure_count(self) -> int:
        return 0 if self.failures is None else self.failures.height

    @property
    def children(self) -> set[str]:
        if self.failures is None:
            return set()
        return {c for c in self.failures["_child"].to_list() if c is not None}


@dataclass
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)

    def register(self, spec: RuleSpec, check: RuleFunction) -> None:
        key = f"{spec.return_type}:{spec.code}"
        if key in self.rules:
            raise ValueError(f"rule {spec.code} of {spec.return_type} is registered twice")
        self.rules[key] = Rule(spec, check)

    def for_return(self, return_type: str, year: str) -> list[Rule]:
        return [
            r
            for r in self.rules.values()
            if r.spec.return_type == return_type and r.spec.applies_to(year)
        ]


REGISTRY = Registry()


def rule(
    code: str,
    *,
    return_type: str,
    message: str,
    tables: Iterable[str],
    fields: Iterable[str] = (),
    first_year: str = "2024-25",
    retired_in: str | None = None,
    severity: RuleSeverity | None = None,
    registry: Registry = REGISTRY,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under its code. Codes ending in Q are queries."""
    if severity is None:
        severity = RuleSeverity.QUERY if code.upper().endswith("Q") else RuleSeverity.ERROR
    spec = RuleSpec(
        code=code,
        return_type=return_type,
        message=message,
        tables=tuple(tables),
        fields=tuple(fields),
        first_year=first_year,
        retired_in=retired_in,
        severity=severity,
    )

    def decorate(check: RuleFunction) -> RuleFunction:
        registry.register(spec, check)
        return check

    return decorate


# Frames many rules derive from the same tables (a 903's episodes in order, the OC2
# cohort; a census's plans with their dates parsed) are worked out once per run_rules: keyed by
# the identity of the table frames they read, which are kept alive with the entry so an
# identity cannot be reused. Frames are immutable, so sharing is safe.
_MEMO: dict[tuple, tuple[tuple[pl.DataFrame, ...], object]] = {}
_MEMO_SIZE = 128


def memo(frames: pl.DataFrame | tuple[pl.DataFrame, ...], what, make):
    frames = frames if isinstance(frames, tuple) else (frames,)
    key = (tuple(map(id, frames)), what)
    hit = _MEMO.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], frames, strict=True)):
        return hit[1]
    value = make()
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = (frames, value)
    return value


def clear_memo() -> None:
    _MEMO.clear()


def shared(*names: str):
    """Work a rule helper ``helper(t, *args)`` out once per run for the same `names`
    tables and arguments (which must be hashable; a Context is). A missing table is left
    to the helper to report, as it would be without this."""

    def decorate(make):
        @functools.wraps(make)
        def helper(t: Mapping[str, pl.DataFrame], *args):
            if any(n not in t for n in names):
                return make(t, *args)
            return memo(tuple(t[n] for n in names), (make.__qualname__, make.__module__, args),
                         lambda: make(t, *args))

        return helper

    return decorate


def run_rule(r: Rule, tables: Mapping[str, pl.DataFrame], ctx: Context) -> RuleResult:
    """One rule on one return: never raises."""
    missing = [t for t in r.spec.tables if t not in tables]
    if missing:
        return RuleResult(r.spec, Outcome.NOT_RUN, reason=f"needs the {', '.join(missing)} table(s), not supplied")
    try:
        failures = r.check(tables, ctx)
        absent = [c for c in BOOKKEEPING if c not in failures.columns]
        if absent:
            raise ValueError(f"rule returned no {', '.join(absent)} column")
    except NotRunnable as exc:
        return RuleResult(r.spec, Outcome.NOT_RUN, reason=str(exc))
    except Exception as exc:  # a broken rule must not stop the others
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {last[0].name} line {last[0].lineno}" if last else ""
        # The exception's type and place, not its text: a message can echo a value.
        return RuleResult(r.spec, Outcome.COULD_NOT_RUN, reason=f"{type(exc).__name__}{where}")
    if failures.height == 0:
        return RuleResult(r.spec, Outcome.PASSED)
    return RuleResult(r.spec, Outcome.FAILED, failures=failures)


def run_rules(
    return_type: str,
    tables: Mapping[str, pl.DataFrame],
    ctx: Context,
    registry: Registry = REGISTRY,
) -> list[RuleResult]:
    """Every rule in force for the context's year, in code order."""
    rules = sorted(registry.for_return(return_type, ctx.collection_year), key=lambda r: r.spec.code)
    clear_memo()  # nothing shared from another run's tables (their frames would be kept alive)
    try:
        return [run_rule(r, tables, ctx) for r in rules]
    finally:
        clear_memo()
