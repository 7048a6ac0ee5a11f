"""The council's case data as Polars frames, read from the store.

:func:`load_case_data` reads the canonical tables of the *current*
submissions into a :class:`~csc_scorecard.indicators.registry.CaseData`.
The rule for which return feeds which table (documented for users in
``docs/indicators.md``):

- referral, assessment, s47, cp_plan, cin_plan, cp_review: the CIN census;
  when no census is loaded at all, Annex A (and the CaseData notes say so);
- every looked-after table (cla_episode, cla_review, missing_episode, ...): SSDA903;
- contact and early_help: Annex A;
- allocation, visit, workforce_snapshot: the current local extracts of every
  year, combined like the returns (allocation falls back to Annex A);
- team: the latest local teams extract (the structure as it is now);
- child: every current submission; per child each characteristic is taken
  from the latest submission that records it (latest collection year, then
  latest ingest).

Returns of several collection years are combined; a record that appears in
more than one year's return (an episode open across 31 March is in both
years' census) is kept once, from the latest collection year, matched on its
natural key (:data:`NATURAL_KEYS`).

Every frame carries its model's fields (see :data:`SCHEMAS`) plus
``submission_id`` and ``collection_year``. :func:`case_data` builds a
CaseData from hand-made frames, filling absent tables and columns.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

import polars as pl

from csc_scorecard.indicators.registry import CaseData

if TYPE_CHECKING:
    from polars._typing import PolarsDataType  # a dtype class (pl.Date) or instance

__all__ = [
    "NATURAL_KEYS",
    "SCHEMAS",
    "TABLE_SOURCES",
    "case_data",
    "empty_frame",
    "load_case_data",
    "resolve_population",
]

S, D, B, I, F = pl.Utf8, pl.Date, pl.Boolean, pl.Int64, pl.Float64  # noqa: E741

_COMMON: dict[str, PolarsDataType] = {"child_id": S}

# Field names and types of csc_scorecard.store.models (a test checks they agree).
SCHEMAS: dict[str, dict[str, PolarsDataType]] = {
    "child": _COMMON | {
        "upn": S, "sex": S, "birth_date": D, "expected_birth_date": D, "death_date": D,
        "ethnicity": S, "disabilities": S, "asylum_seeker": B, "mother": B,
        "child_birth_date": D, "team": S, "worker": S,
    },
    "contact": _COMMON | {"contact_date": D, "source": S, "team": S},
    "early_help": _COMMON | {"start_date": D, "end_date": D, "organisation": S},
    "referral": _COMMON | {
        "referral_date": D, "source": S, "primary_need": S, "closure_date": D,
        "closure_reason": S, "nfa": B, "team": S, "worker": S,
    },
    "assessment": _COMMON | {
        "referral_date": D, "start_date": D, "authorised_date": D, "factors": S,
        "team": S, "worker": S,
    },
    "cin_plan": _COMMON | {"referral_date": D, "start_date": D, "end_date": D},
    "s47": _COMMON | {
        "referral_date": D, "start_date": D, "icpc_target_date": D, "icpc_date": D,
        "icpc_not_required": B,
    },
    "cp_plan": _COMMON | {
        "referral_date": D, "start_date": D, "end_date": D, "initial_category": S,
        "latest_category": S, "previous_plans": I, "team": S, "worker": S,
    },
    "cp_review": _COMMON | {"plan_start_date": D, "review_date": D},
    "visit": _COMMON | {"kind": S, "visit_date": D, "seen_alone": B},
    "cla_episode": _COMMON | {
        "start_date": D, "reason_new_episode": S, "legal_status": S, "cin_category": S,
        "placement": S, "provider": S, "end_date": D, "reason_ceased": S,
        "reason_place_change": S, "home_postcode": S, "placement_postcode": S, "urn": S,
        "distance_miles": F, "placement_la": S,
    },
    "cla_review": _COMMON | {"review_date": D, "review_code": S},
    "health_outcome": _COMMON | {
        "birth_date": D, "sdq_score": I, "sdq_reason": S, "convicted": B, "health_check": B,
        "immunisations": B, "teeth_check": B, "health_assessment": B, "substance_misuse": B,
        "intervention_received": B, "intervention_offered": B,
    },
    "care_leaver": _COMMON | {
        "birth_date": D, "in_touch": S, "activity": S, "accommodation": S,
    },
    "missing_episode": _COMMON | {"birth_date": D, "kind": S, "start_date": D, "end_date": D},
    "adoption": _COMMON | {
        "birth_date": D, "decision_date": D, "match_date": D, "foster_care": B,
        "number_of_adopters": I, "sex_of_adopters": S, "legal_status_of_adopters": S,
    },
    "placed_for_adoption": _COMMON | {
        "birth_date": D, "placed_date": D, "ceased_date": D, "reason_ceased": S,
    },
    "previous_permanence": _COMMON | {
        "birth_date": D, "previous_permanence": S, "la_code_of_order": S, "order_date": S,
    },
    "uasc": _COMMON | {"birth_date": D, "sex": S, "ceased_uasc_date": D},
    "social_worker_episode": _COMMON | {
        "birth_date": D, "worker_id": S, "start_date": D, "end_date": D, "reason": S,
    },
    "deprivation_of_liberty": _COMMON | {"birth_date": D, "start_date": D, "end_date": D},
    "allocation": _COMMON | {"team": S, "worker": S, "start_date": D, "end_date": D},
    "team": {"team": S, "area": S},
    "workforce_snapshot": {
        "team": S, "snapshot_date": D, "fte_in_post": F, "agency_fte": F, "vacancy_fte": F,
        "leavers_fte": F, "cases": I,
    },
    # optional local extracts (issue 16; docs/local_csvs.md)
    "early_help_episode": _COMMON | {
        "start_date": D, "assessment_date": D, "end_date": D, "closure_reason": S, "team": S,
    },
    "assessment_timescale": _COMMON | {
        "start_date": D, "timescale_days": I, "completed_date": D, "cancelled_date": D,
    },
    "s47_completion": _COMMON | {"start_date": D, "completed_date": D},
    "health_assessment": _COMMON | {"iha_date": D, "care_start_date": D},
    "cin_plan_review": _COMMON | {"review_date": D},
    # the 0-17 population of each of the council's areas (docs/local_csvs.md)
    "area_population": {"area": S, "year": S, "population_0_17": I, "source": S},
}

#: Extra columns every loaded frame carries.
PROVENANCE: dict[str, PolarsDataType] = {"submission_id": I, "collection_year": S}

#: Natural keys used to keep one copy of a record repeated across years' returns.
#: None: the table is per-year (a cohort), never deduplicated across years.
NATURAL_KEYS: dict[str, tuple[str, ...] | None] = {
    "contact": ("child_id", "contact_date"),
    "early_help": ("child_id", "start_date"),
    "referral": ("child_id", "referral_date"),
    "assessment": ("child_id", "start_date"),
    "cin_plan": ("child_id", "start_date"),
    "s47": ("child_id", "start_date"),
    "cp_plan": ("child_id", "start_date"),
    "cp_review": ("child_id", "plan_start_date", "review_date"),
    "cla_episode": ("child_id", "start_date"),
    "cla_review": ("child_id", "review_date"),
    "missing_episode": ("child_id", "start_date"),
    "adoption": ("child_id", "decision_date"),
    "placed_for_adoption": ("child_id", "placed_date"),
    "previous_permanence": ("child_id",),
    "uasc": ("child_id",),
    "social_worker_episode": ("child_id", "start_date", "worker_id"),
    "deprivation_of_liberty": ("child_id", "start_date"),
    "allocation": ("child_id", "start_date", "team"),
    "visit": ("child_id", "kind", "visit_date"),
    "workforce_snapshot": ("team", "snapshot_date"),
    "team": ("team",),
    "health_outcome": None,
    "care_leaver": None,
    "early_help_episode": ("child_id", "start_date"),
    "assessment_timescale": ("child_id", "start_date"),
    "s47_completion": ("child_id", "start_date"),
    "health_assessment": ("child_id", "iha_date"),
    "cin_plan_review": ("child_id", "review_date"),
    "area_population": ("area", "year"),
}

_CIN_TABLES = ("referral", "assessment", "s47", "cp_plan", "cin_plan", "cp_review")
_903_TABLES = (
    "cla_episode", "cla_review", "health_outcome", "care_leaver", "missing_episode",
    "adoption", "placed_for_adoption", "previous_permanence", "uasc",
    "social_worker_episode", "deprivation_of_liberty",
)

#: table -> return types it is read from, in order of preference (first with data wins).
TABLE_SOURCES: dict[str, tuple[str, ...]] = {
    **{t: ("cin_census", "annex_a") for t in _CIN_TABLES},
    **{t: ("ssda903",) for t in _903_TABLES},
    "contact": ("annex_a",),
    "early_help": ("annex_a",),
    "allocation": ("local", "annex_a"),
    "visit": ("local",),
    "team": ("local",),
    "workforce_snapshot": ("local",),
    "early_help_episode": ("local",),
    "assessment_timescale": ("local",),
    "s47_completion": ("local",),
    "health_assessment": ("local",),
    "cin_plan_review": ("local",),
    "area_population": ("local",),
}


def empty_frame(table: str, provenance: bool = False) -> pl.DataFrame:
    schema = dict(SCHEMAS[table])
    if provenance:
        schema |= PROVENANCE
    return pl.DataFrame(schema=schema)


def _conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Give a hand-made frame its table's columns and types (extra columns kept)."""
    schema = SCHEMAS[table]
    exprs = []
    for name, dtype in schema.items():
        if name in frame.columns:
            col = pl.col(name)
            if frame.schema[name] == pl.Utf8 and dtype == pl.Date:
                col = col.str.to_date(strict=True)
            exprs.append(col.cast(dtype))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    extra = [pl.col(c) for c in frame.columns if c not in schema]
    return frame.select(*exprs, *extra)


def case_data(
    tables: dict[str, pl.DataFrame | list[dict[str, Any]]] | None = None,
    *,
    population_0_17: int | None = None,
    la_code: str = "",
    **frames: pl.DataFrame | list[dict[str, Any]],
) -> CaseData:
    """A CaseData from frames (or lists of row dicts) given by table name.

    Tables not given are empty; columns not given are null; ISO date strings
    are parsed. For tests and for callers that hold frames already.
    """
    given = dict(tables or {}) | frames
    unknown = set(given) - set(SCHEMAS)
    if unknown:
        raise KeyError(f"unknown canonical table(s): {', '.join(sorted(unknown))}")
    out: dict[str, pl.DataFrame] = {}
    for table in SCHEMAS:
        value = given.get(table)
        if value is None:
            out[table] = empty_frame(table)
        else:
            frame = value if isinstance(value, pl.DataFrame) else pl.DataFrame(value)
            out[table] = _conform(table, frame) if frame.width else empty_frame(table)
    return CaseData(tables=out, la_code=la_code, population_0_17=population_0_17)


# --------------------------------------------------------------------------
# Population (until the benchmarks work supplies ONS figures)
# --------------------------------------------------------------------------


def resolve_population(explicit: int | None = None) -> tuple[int | None, str]:
    """The 0-17 population for rates per 10,000, and where it came from.

    In order: ``explicit`` (the --population option), the environment
    variable CSC_SCORECARD_POPULATION, ``population_0_17`` (or ``population``)
    in ``council.yml`` in the data directory. (None, reason) when none is set.
    """
    if explicit is not None:
        if explicit <= 0:
            raise ValueError("the 0-17 population must be a positive whole number")
        return int(explicit), "--population option"
    env = os.environ.get("CSC_SCORECARD_POPULATION", "").strip()
    if env:
        try:
            value: Any = int(env.replace(",", ""))
        except ValueError:
            return None, f"CSC_SCORECARD_POPULATION is not a whole number: {env!r}"
        if value > 0:
            return value, "CSC_SCORECARD_POPULATION"
    from csc_scorecard.config import council_file, read_council_file

    conf, problem = read_council_file()
    if problem:
        return None, problem
    for key in ("population_0_17", "population"):
        value = conf.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value, f"{council_file()} ({key})"
    return None, (
        "no 0-17 population set: rates per 10,000 are left empty "
        "(use --population N, CSC_SCORECARD_POPULATION or population_0_17 in council.yml)"
    )


# --------------------------------------------------------------------------
# Loading from the store
# --------------------------------------------------------------------------


def _submission_rows(la_code: str) -> list[tuple[int, str, str, str, Any]]:
    """The council's current submissions, and those without an LA code (shared local extracts)."""
    from csc_scorecard.store.models import Submission

    query = Submission.objects.filter(is_current=True, la_code__in=sorted({la_code, ""}))
    return list(query.values_list("id", "return_type", "year", "subtype", "ingested_at"))


def annex_a_window(submission_ids: list[int]) -> tuple[dt.date, dt.date] | None:
    """The days the given Annex A submissions cover: earliest event to latest "as at" or event."""
    from csc_scorecard.store.models import Submission

    starts, ends = [], []
    for start, end, as_at in Submission.objects.filter(pk__in=submission_ids).values_list(
        "window_start", "window_end", "as_at"
    ):
        if start and (as_at or end):
            starts.append(start)
            ends.append(as_at or end)
    return (min(starts), max(ends)) if starts else None


def _read_table(table: str, submission_ids: list[int], years: dict[int, str]) -> pl.DataFrame:
    from csc_scorecard.store.frames import read_frame
    from csc_scorecard.store.models import CANONICAL_TABLES

    schema = SCHEMAS[table]
    names = list(schema)
    frame = read_frame(
        CANONICAL_TABLES[table],
        {"submission_id": PROVENANCE["submission_id"]} | schema,
        submission_ids,
    )
    year_map = pl.DataFrame(
        {"submission_id": list(years), "collection_year": list(years.values())},
        schema=PROVENANCE,
    )
    frame = frame.join(year_map, on="submission_id", how="left")
    return frame.select(*names, "submission_id", "collection_year")


def _latest_first(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(["collection_year", "submission_id"], descending=True, nulls_last=True)


def _dedupe(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    key = NATURAL_KEYS.get(table)
    if key is None or frame.is_empty():
        return frame
    return _latest_first(frame).unique(subset=list(key), keep="first", maintain_order=True)


def _children(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per child: each field from the latest submission that records it."""
    if frame.is_empty():
        return frame
    fields = [c for c in SCHEMAS["child"] if c != "child_id"]
    blank_as_null = [
        pl.when(pl.col(c).cast(pl.Utf8).str.strip_chars() == "").then(None).otherwise(pl.col(c))
        .alias(c)
        if SCHEMAS["child"][c] == S
        else pl.col(c)
        for c in fields
    ]
    return (
        _latest_first(frame.with_columns(blank_as_null))
        .group_by("child_id", maintain_order=True)
        .agg(
            *[pl.col(c).drop_nulls().first().alias(c) for c in fields],
            pl.col("submission_id").first(),
            pl.col("collection_year").first(),
        )
        .sort("child_id")
    )


def load_case_data(la_code: str | None = None, *, population: int | None = None) -> CaseData:
    """One council's current case data: ``la_code``, else the council the rule chooses.

    The rule is :func:`csc_scorecard.services.council.choose_council`; it
    raises CouncilNotChosen when the store holds several councils and none is
    chosen: councils are never merged. Django must be configured.
    """
    from csc_scorecard.services.council import choose_council

    la_code = choose_council(la_code).la_code
    subs = _submission_rows(la_code)
    by_type: dict[str, list[int]] = {}
    years: dict[int, str] = {}
    ingested: dict[int, Any] = {}
    for sub_id, return_type, year, _subtype, ingested_at in subs:
        by_type.setdefault(return_type, []).append(sub_id)
        years[sub_id] = year or ""
        ingested[sub_id] = ingested_at
    notes: list[str] = []
    used: set[int] = set()
    tables: dict[str, pl.DataFrame] = {}

    for table in SCHEMAS:
        if table == "child":
            continue
        frame = empty_frame(table, provenance=True)
        for return_type in TABLE_SOURCES[table]:
            ids = by_type.get(return_type, [])
            if not ids:
                continue
            candidate = _read_table(table, ids, years)
            if candidate.is_empty():
                continue
            if return_type == "local" and table == "team":
                # The team structure is a snapshot: only the latest extract of it counts.
                latest = max(
                    candidate["submission_id"].unique().to_list(),
                    key=lambda s: (ingested[s] or dt.datetime.min.replace(tzinfo=dt.UTC), s),
                )
                candidate = candidate.filter(pl.col("submission_id") == latest)
            # Other local extracts (visits, allocations, workforce) are histories: each
            # year's extract adds to the others, the latest winning per natural key.
            frame = candidate
            if return_type == "annex_a" and table in _CIN_TABLES:
                notes.append(
                    f"{table}: no CIN census loaded; read from Annex A, whose lists cover "
                    "only the months before the return"
                )
            if return_type == "annex_a" and table == "allocation":
                notes.append("allocation: no local allocations extract; teams from Annex A")
            break
        frame = _dedupe(table, frame)
        used.update(frame["submission_id"].unique().to_list())
        tables[table] = frame

    all_ids = [s[0] for s in subs]
    child = _read_table("child", all_ids, years) if all_ids else empty_frame("child", True)
    tables["child"] = _children(child) if not child.is_empty() else empty_frame("child", True)
    # A child's characteristics may come from several submissions: all count as used.
    used.update(child["submission_id"].unique().to_list())
    if "cin_census" not in by_type:
        notes.append("no CIN census is loaded")
    if "ssda903" not in by_type:
        notes.append("no SSDA903 return is loaded: looked-after tables are empty")

    window = annex_a_window(sorted(set(by_type.get("annex_a", [])) & used))
    if window is not None:
        notes = [
            n.replace("only the months before the return", f"only {window[0]:%d/%m/%Y} to {window[1]:%d/%m/%Y}")
            for n in notes
        ]
    pop, pop_note = resolve_population(population)
    data = CaseData(
        annex_a_window=window,
        tables={t: tables[t] for t in SCHEMAS},
        la_code=la_code,
        population_0_17=pop,
        population_note=pop_note,
        submissions=sorted(s for s in used if s is not None),
        notes=notes,
    )
    return data


# --------------------------------------------------------------------------
# Small expressions shared by the indicator functions
# --------------------------------------------------------------------------


def working_days(start: str | pl.Expr, end: str | pl.Expr) -> pl.Expr:
    """Working days after ``start`` up to and including ``end`` (see workdays).

    Null when either date is missing or outside the years whose bank holidays
    are known (a mistyped 1900 date must not stop every other figure); an
    indicator treats a null as "not shown to be within the timescale".
    """
    from csc_scorecard.workdays import COVERAGE_END, COVERAGE_START, working_days_expr

    def covered(col: str | pl.Expr) -> pl.Expr:
        expr = pl.col(col) if isinstance(col, str) else col
        return pl.when(expr.is_between(pl.lit(COVERAGE_START), pl.lit(COVERAGE_END))).then(expr)

    return working_days_expr(covered(start), covered(end))


def within_working_days(start: str | pl.Expr, end: str | pl.Expr, limit: int) -> pl.Expr:
    """True when ``end`` is on or after ``start`` and at most ``limit`` working days after it."""
    wd = working_days(start, end)
    return (wd.is_not_null() & (wd >= 0) & (wd <= limit)).fill_null(False)


def open_at(start: str, end: str, day: dt.date) -> pl.Expr:
    """An episode is open at the end of ``day``: started on or before it, not ended on or before it.

    An episode ending on ``day`` itself is *not* open at the end of that day
    (a plan ended on 31 March is not open at 31 March).
    """
    return (
        (pl.col(start) <= pl.lit(day))
        & (pl.col(end).is_null() | (pl.col(end) > pl.lit(day)))
    ).fill_null(False)


def per_case_data(fn):  # type: ignore[no-untyped-def]
    """Decorator: compute ``fn(data)`` once per CaseData object and reuse it.

    For preparation shared by many indicators and periods (e.g. looked-after
    episodes joined into periods of care): the engine calls each indicator
    once per period, so work that does not depend on the period should be
    done once. The cache lives on the CaseData object, so it goes with it.
    Treat the frames of a CaseData as read-only once indicators have run.
    """
    import functools

    key = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(data: CaseData):  # type: ignore[no-untyped-def]
        cache = data.__dict__.setdefault("_per_case_data_cache", {})
        if key not in cache:
            cache[key] = fn(data)
        return cache[key]

    return wrapper
