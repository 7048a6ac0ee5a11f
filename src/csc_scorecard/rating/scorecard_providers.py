"""The scorecard's default providers: stored results, published benchmarks (or those
kept with a freeze), and stored targets; Django is set up on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from csc_scorecard.periods import Period, parse_period
from csc_scorecard.rating.scorecard_schema import (
    BenchmarksProvider,
    ScorecardError,
    ValuesProvider,
)
from csc_scorecard.rating.targets import TargetSpec


def _ensure_django() -> None:
    from django.apps import apps

    if not apps.ready:
        from csc_scorecard.django_setup import setup

        setup(migrate=False)


def results_values_provider(
    la_code: str | None = None, context: Period | None = None
) -> ValuesProvider:
    """Values from the stored results, read by the one reader (csc_scorecard.services.results).

    The council is chosen by the one rule (csc_scorecard.services.council).
    ``context`` is the scorecard's period: when its year is frozen, its
    comparison period is read from the same freeze.
    """

    def provide(period: Period, by: str | None) -> pl.DataFrame:
        _ensure_django()
        from csc_scorecard.services.council import CouncilNotChosen
        from csc_scorecard.services.results import NoResults, scorecard_values

        try:
            return scorecard_values(period, by, la_code=la_code, context=context or period)
        except (CouncilNotChosen, NoResults) as exc:
            raise ScorecardError(str(exc)) from None

    return provide


def _neighbours_like() -> str | None:
    """council.yml's neighbours_like: a published LA whose neighbour group a council borrows."""
    from csc_scorecard.config import council_settings

    like = council_settings().get("neighbours_like")
    return str(like) if like else None


def _default_la_code() -> str | None:
    """The council by the one rule (services.council); None when it cannot be told."""
    try:
        _ensure_django()
        from csc_scorecard.services.council import choose_council

        return choose_council(None).la_code or None
    except Exception:  # several councils (the values provider says so), or no store yet
        return None


def _frozen_benchmarks(la_code: str | None, period: Period) -> tuple[bool, Any, list[str]]:
    """services.results.frozen_benchmarks for the council, (False, None, []) without a store."""
    try:
        _ensure_django()
        from csc_scorecard.services.results import frozen_benchmarks, results_council

        code = results_council(la_code, required=False)
        return frozen_benchmarks(period, code)
    except Exception:  # no store, several councils: nothing frozen to read
        return False, None, []


def published_benchmarks_provider(
    la_code: str | None, notes: list[str] | None = None, *, use_freeze: bool = True
) -> BenchmarksProvider:
    """SN average and England from the imported DfE reference data (blank when unavailable).

    Published figures are annual and appear a year late: the period's
    financial year is used when published, else the year before. For a
    frozen year (``use_freeze``), those kept with the freeze.
    """

    def note(text: str) -> None:
        if notes is not None:
            notes.append(text)

    def provide(period: Period) -> pl.DataFrame | None:
        frozen, kept, kept_notes = (
            _frozen_benchmarks(la_code, period) if use_freeze else (False, None, [])
        )
        if frozen:  # a frozen year compares with the benchmarks kept with its freeze
            for text in kept_notes:
                note(text)
            return kept
        try:
            from csc_scorecard.benchmarks.compare import benchmarks_for
        except ImportError:
            note("benchmarks are not available in this build; SN average and England left blank")
            return None
        code = la_code or _default_la_code()
        if not code:
            note(
                "no LA code known (use --la, CSC_SCORECARD_LA_CODE or la_code in council.yml); SN average and England left blank"
            )
            return None
        fy = parse_period(period.financial_year)
        for year in (fy, fy.previous_comparable()):
            try:
                frame = benchmarks_for(code, year.label, neighbours_like=_neighbours_like())
            except Exception as exc:  # reference data not imported, unknown LA ...
                note(
                    f"benchmarks unavailable: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                )
                return None
            if frame.height and (
                frame["sn_average"].is_not_null().any() or frame["england"].is_not_null().any()
            ):
                return frame.select("indicator_id", "sn_average", "england").with_columns(
                    pl.lit(year.label).alias("benchmark_period")
                )
        note(
            f"no published benchmarks for {fy.label} or the year before; SN average and England left blank"
        )
        return None

    return provide


def _stored_targets(year: str) -> Mapping[str, TargetSpec]:
    _ensure_django()
    from csc_scorecard.rating.targets import targets_for_year

    return targets_for_year(year)


def stored_targets_provider(la_code: str | None) -> Callable[[str], Mapping[str, TargetSpec]]:
    """The stored targets of a year; for a frozen year, those kept with its freeze (so its
    RAG ratings stay as they were when the figures were frozen)."""

    def provide(year: str) -> Mapping[str, TargetSpec]:
        kept = _frozen_targets(la_code, year)
        return kept if kept is not None else _stored_targets(year)

    return provide


def _frozen_targets(la_code: str | None, year: str) -> Mapping[str, TargetSpec] | None:
    """services.results.frozen_targets for the council; None without a store."""
    try:
        _ensure_django()
        from csc_scorecard.services.results import frozen_targets, results_council

        return frozen_targets(year, results_council(la_code, required=False))
    except Exception:  # no store, several councils: nothing frozen to read
        return None
