"""The SSDA903 rule facts and the decorator every 903 rule is written with.

``rules.yml`` (built by scripts/build_rule_lists.py from the DfE lists) holds
each code's message, fields, tables and the years it is in force. A rule
module then only writes the logic::

    @rule903("103", fails={"Header": [{"ETHNIC": "XXXX"}]},
             passes={"Header": [{"ETHNIC": "WBRI"}]})
    def ethnicity_code(t, ctx):
        ...

``fails`` and ``passes`` are the rule's own worked examples (tables as lists
of rows; CHILD defaults to "1"): tests/validation/test_903_examples.py runs
every rule on both and checks it flags the first and not the second.
``tables=`` overrides the list's tables when the DfE list names too few or
the wrong ones (say why in a comment).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import polars as pl

from csc_scorecard.validation.core import REGISTRY, Registry, RuleFunction, rule
from csc_scorecard.yaml_load import safe_load

RETURN_TYPE = "ssda903"
# Tables the DfE lists name that are not in a 903 return at all.
EXTERNAL_TABLES = {"Provider Info"}


@dataclass(frozen=True)
class RuleFacts:
    code: str
    message: str
    fields: tuple[str, ...]
    tables: tuple[str, ...]
    first_year: str
    retired_in: str | None = None


@dataclass
class Example:
    fails: Mapping[str, list[dict[str, Any]]]
    passes: Mapping[str, list[dict[str, Any]]]
    year: str = "2024-25"


EXAMPLES: dict[str, Example] = {}


@functools.cache
def _rules_file() -> dict[str, Any]:
    """rules.yml, read once (facts and list_years both need it)."""
    text = resources.files("csc_scorecard.validation.ssda903").joinpath("rules.yml").read_text("utf-8")
    return safe_load(text)


@functools.cache
def facts() -> dict[str, RuleFacts]:
    data = _rules_file()
    return {
        r["code"]: RuleFacts(
            code=r["code"],
            message=r["message"],
            fields=tuple(r["fields"]),
            tables=tuple(r["tables"]),
            first_year=r["first_year"],
            retired_in=r.get("retired_in"),
        )
        for r in data["rules"]
    }


@functools.cache
def list_years() -> tuple[str, ...]:
    return tuple(_rules_file()["years"])


def codes_in_force(year: str) -> list[str]:
    """The codes the DfE list for `year` holds."""
    from csc_scorecard.validation.core import RuleSpec

    return [
        f.code
        for f in facts().values()
        if RuleSpec(f.code, RETURN_TYPE, "", (), first_year=f.first_year, retired_in=f.retired_in).applies_to(year)
    ]


def rule903(
    code: str,
    *,
    fails: Mapping[str, list[dict[str, Any]]],
    passes: Mapping[str, list[dict[str, Any]]],
    tables: Iterable[str] | None = None,
    example_year: str = "2024-25",
    registry: Registry = REGISTRY,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a 903 rule under `code` with the DfE's facts for it."""
    known = facts().get(code)
    if known is None:
        raise KeyError(f"{code} is not in any SSDA903 rule list (rules.yml)")
    needed = tuple(tables) if tables is not None else known.tables
    register = rule(
        code,
        return_type=RETURN_TYPE,
        message=known.message,
        tables=needed,
        fields=known.fields,
        first_year=known.first_year,
        retired_in=known.retired_in,
        registry=registry,
    )

    def decorate(check: RuleFunction) -> RuleFunction:
        if registry is REGISTRY:
            EXAMPLES[code] = Example(fails=fails, passes=passes, year=example_year)
        return register(check)

    return decorate


@dataclass
class Coverage:
    year: str
    listed: list[str]
    implemented: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return sorted(set(self.listed) - set(self.implemented))

    @property
    def share(self) -> float:
        return len(self.implemented) / len(self.listed) if self.listed else 1.0


def coverage(year: str, registry: Registry = REGISTRY) -> Coverage:
    """How many of the codes in `year`'s DfE list have a rule function."""
    listed = codes_in_force(year)
    have = {r.spec.code for r in registry.for_return(RETURN_TYPE, year)}
    return Coverage(year, listed, sorted(set(listed) & have))


def example_tables(example: Mapping[str, list[dict[str, Any]]]) -> dict[str, pl.DataFrame]:
    """A worked example's tables as the loader makes them: strings, blank = None,
    CHILD "1" unless given, _row numbered as Excel would (header row 1)."""
    out = {}
    for table, rows in example.items():
        rows = [{"CHILD": "1", **r} for r in rows]
        columns = list(dict.fromkeys(k for r in rows for k in r))
        df = pl.DataFrame(
            {c: [None if r.get(c) is None else str(r[c]) for r in rows] for c in columns},
            schema={c: pl.Utf8 for c in columns},
        )
        out[table] = df.with_columns(
            pl.Series("_row", list(range(2, len(rows) + 2)), dtype=pl.Int64),
            pl.col("CHILD").alias("_child"),
        )
    return out
